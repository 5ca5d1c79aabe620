// How a failed job is reported: `fail_render_job(…, retryable)` puts retryable failures back in
// the queue (until max_attempts) and fails the rest at once with the message.
import { MockupInputError } from '../mockup/index.ts';
import { PdfConversionError } from '../proposal/pdf.ts';
import { QuoteError } from '../proposal/quote.ts';

/** A job failure with an explicit verdict on retrying. */
export class JobError extends Error {
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'JobError';
    this.retryable = retryable;
  }
}

/** The lease moved to another worker (expired, then re-claimed): stop without reporting. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease on render job ${jobId} was lost`);
    this.name = 'LeaseLostError';
  }
}

export interface FailureVerdict {
  message: string;
  retryable: boolean;
}

/**
 * Input the requester can fix (mockup input, a quote that breaks the contract) fails at once;
 * conversion crashes, time-outs, storage 5xx and unexpected renderer faults are retried.
 */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof JobError) return { message: error.message, retryable: error.retryable };
  if (error instanceof MockupInputError || error instanceof QuoteError) return { message: error.message, retryable: false };
  if (error instanceof PdfConversionError) return { message: `PDF conversion failed: ${error.message}`, retryable: error.retryable };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `renderer error: ${message}`, retryable: true };
}
