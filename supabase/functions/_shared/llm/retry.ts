// Retries of a streamed model call. A failed attempt is retried (429, 5xx, no connection) only
// while nothing of it has reached the caller: a half-streamed answer is never replayed, so the
// user never sees text twice.
import type { LlmErrorCode, LlmEvent, ProviderName } from './types.ts';

export interface RetryPolicy {
  /** HTTP requests per call, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer Retry-After is not waited out: the call fails with the provider's error at once. */
  maxRetryAfterMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  sleep: abortableSleep,
  random: Math.random,
};

/** One failed attempt, as classified by a provider adapter. */
export class AttemptFailure extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly details: {
      retryable?: boolean;
      status?: number;
      retryAfterMs?: number;
      tool?: string;
    } = {},
  ) {
    super(message);
    this.name = 'AttemptFailure';
  }
}

/** Exponential backoff with equal jitter: half the step fixed, half random. */
export function backoffDelay(failedAttempts: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.round(step / 2 + policy.random() * (step / 2));
}

/** Milliseconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterFromHeaders(
  headers: Headers | undefined | null,
  now = Date.now(),
): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryingStreamOptions {
  provider: ProviderName;
  policy: RetryPolicy;
  signal?: AbortSignal;
  /** One HTTP request's events; throws on failure. Gets its own signal, aborted on exit. */
  attempt: (signal: AbortSignal) => AsyncIterable<LlmEvent>;
  /** Turns whatever an SDK threw into an AttemptFailure. */
  classify: (error: unknown) => AttemptFailure;
}

/**
 * Runs `attempt` until it completes, fails after having streamed something, fails in a way
 * that is not worth retrying, or runs out of attempts; failures end the stream with one
 * `error` event.
 */
export async function* streamWithRetries(options: RetryingStreamOptions): AsyncGenerator<LlmEvent> {
  const { provider, policy, signal } = options;
  for (let attempt = 1;; attempt++) {
    const request = new AbortController();
    const forwardAbort = () => request.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    if (signal?.aborted) request.abort(signal.reason);
    let streamed = false;
    let failure: AttemptFailure;
    try {
      for await (const event of options.attempt(request.signal)) {
        streamed = true;
        yield event;
      }
      return;
    } catch (error) {
      failure = error instanceof AttemptFailure ? error : options.classify(error);
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
      request.abort();
    }

    if (signal?.aborted || failure.code === 'aborted') {
      yield errorEvent(provider, 'aborted', 'the model call was cancelled', attempt);
      return;
    }
    if (streamed && failure.code !== 'invalid_tool_arguments') {
      yield errorEvent(
        provider,
        'stream_interrupted',
        `the answer broke off while streaming: ${failure.message}`,
        attempt,
        failure.details.status,
      );
      return;
    }
    const { retryable, retryAfterMs, status, tool } = failure.details;
    if (!streamed && retryable && attempt < policy.maxAttempts) {
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
        const seconds = Math.ceil(retryAfterMs / 1000);
        yield errorEvent(
          provider,
          failure.code,
          `${failure.message} (the provider asks to retry in ${seconds} s)`,
          attempt,
          status,
        );
        return;
      }
      try {
        await policy.sleep(retryAfterMs ?? backoffDelay(attempt, policy), signal);
      } catch {
        yield errorEvent(provider, 'aborted', 'the model call was cancelled', attempt);
        return;
      }
      continue;
    }
    yield errorEvent(provider, failure.code, failure.message, attempt, status, tool);
    return;
  }
}

function errorEvent(
  provider: ProviderName,
  code: LlmErrorCode,
  message: string,
  attempts: number,
  status?: number,
  tool?: string,
): LlmEvent {
  return {
    type: 'error',
    error: {
      code,
      message,
      provider,
      attempts,
      ...(status !== undefined ? { status } : {}),
      ...(tool !== undefined ? { tool } : {}),
    },
  };
}

/** HTTP statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Error code for a provider's HTTP status. */
export function codeForStatus(status: number): LlmErrorCode {
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'provider_error';
  return 'request_rejected';
}

/**
 * Parses a tool call's arguments. They must be a JSON object: anything else is the model's
 * mistake, reported with the tool's name rather than passed on to the tool.
 */
export function parseToolArguments(tool: string, raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return {};
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AttemptFailure(
        'invalid_tool_arguments',
        `the model sent invalid JSON arguments for tool "${tool}"`,
        { tool },
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AttemptFailure(
      'invalid_tool_arguments',
      `the model sent arguments for tool "${tool}" that are not a JSON object`,
      { tool },
    );
  }
  return value as Record<string, unknown>;
}
