import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuote, QuoteError, vatPercent } from '../src/proposal/quote.ts';
import { combinedEur, separateUsd } from './fixtures/quotes.ts';

const copy = <T>(v: T): any => JSON.parse(JSON.stringify(v));

describe('reading the quote (contract §1)', () => {
  it('accepts both fixture quotes as they come out of JSON', () => {
    assert.equal(parseQuote(copy(separateUsd)).locations[0].options.length, 2);
    assert.equal(parseQuote(copy(combinedEur)).package?.fee_label, 'Upload/Production Fee:');
  });

  it('names the first field that breaks the contract', () => {
    const noTotal = copy(separateUsd);
    delete noTotal.locations[0].options[1].total;
    assert.throws(() => parseQuote(noTotal), (e: unknown) => e instanceof QuoteError && /quote\.locations\[0\]\.options\[1\]\.total: expected an object/.test(e.message));

    const noPackage = copy(combinedEur);
    noPackage.package = null;
    assert.throws(() => parseQuote(noPackage), /quote\.package: expected an object/);

    const badDate = copy(separateUsd);
    badDate.valid_until = '22/12/2026';
    assert.throws(() => parseQuote(badDate), /quote\.valid_until: expected an ISO date/);

    const twoOptions = copy(combinedEur);
    twoOptions.locations[0].options.push(twoOptions.locations[0].options[0]);
    assert.throws(() => parseQuote(twoOptions), /exactly one option/);

    assert.throws(() => parseQuote(null), /^QuoteError: quote: expected an object/);
    assert.throws(() => parseQuote({ ...copy(separateUsd), proposal_type: 'package' }), /proposal_type/);
  });

  it('reads the VAT percentage from the rate without floating point', () => {
    assert.equal(vatPercent('0.05'), '5');
    assert.equal(vatPercent('0.050'), '5');
    assert.equal(vatPercent('0.125'), '12.5');
    assert.equal(vatPercent('0'), '0');
  });
});
