import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFailure, JobError } from '../src/jobs/errors.ts';
import { MockupInputError } from '../src/mockup/index.ts';
import { PdfConversionError } from '../src/proposal/pdf.ts';
import { QuoteError } from '../src/proposal/quote.ts';

describe('which failures are retried', () => {
  it('fails input the requester can fix at once, with its message', () => {
    assert.deepEqual(classifyFailure(new MockupInputError('2 creatives for 3 frames')), { message: '2 creatives for 3 frames', retryable: false });
    assert.deepEqual(classifyFailure(new QuoteError('quote.locations: expected a non-empty list')), { message: 'quote.locations: expected a non-empty list', retryable: false });
    assert.equal(classifyFailure(new JobError('the location photo is missing from storage', false)).retryable, false);
  });

  it('retries conversion crashes, time-outs, storage outages and unexpected faults', () => {
    assert.deepEqual(classifyFailure(new PdfConversionError('LibreOffice did not finish within 60000 ms')), {
      message: 'PDF conversion failed: LibreOffice did not finish within 60000 ms',
      retryable: true,
    });
    assert.equal(classifyFailure(new PdfConversionError('not a PPTX', { retryable: false })).retryable, false);
    assert.equal(classifyFailure(new JobError('could not upload proposals/x.pdf (HTTP 503)', true)).retryable, true);
    assert.deepEqual(classifyFailure(new TypeError('x is undefined')), { message: 'renderer error: x is undefined', retryable: true });
  });
});
