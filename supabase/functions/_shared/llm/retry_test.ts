import assert from 'node:assert/strict';
import {
  AttemptFailure,
  backoffDelay,
  defaultRetryPolicy,
  parseToolArguments,
  retryAfterFromHeaders,
} from './retry.ts';
import { retryDelayFromDetails } from './gemini.ts';

Deno.test('backoff doubles per attempt with jitter in the upper half, capped', () => {
  const at = (random: number) => ({ ...defaultRetryPolicy, random: () => random });
  assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, at(0))), [250, 500, 1000]);
  assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, at(1))), [500, 1000, 2000]);
  assert.equal(backoffDelay(10, at(1)), defaultRetryPolicy.maxDelayMs);
});

Deno.test('Retry-After is read in milliseconds, seconds or as an HTTP date', () => {
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500' })), 1500);
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': '3' })), 3000);
  const now = Date.parse('2026-11-22T10:00:00Z');
  assert.equal(
    retryAfterFromHeaders(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 10:00:05 GMT' }), now),
    5000,
  );
  assert.equal(retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' })), undefined);
  assert.equal(retryAfterFromHeaders(new Headers()), undefined);
  assert.equal(retryAfterFromHeaders(undefined), undefined);
});

Deno.test("Gemini's RetryInfo retryDelay is read as the retry delay", () => {
  assert.equal(
    retryDelayFromDetails([{
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '13s',
    }]),
    13000,
  );
  assert.equal(retryDelayFromDetails([{ retryDelay: '0.5s' }]), 500);
  assert.equal(retryDelayFromDetails([{ reason: 'RATE_LIMIT_EXCEEDED' }]), undefined);
  assert.equal(retryDelayFromDetails(undefined), undefined);
});

Deno.test('tool arguments must be a JSON object; the error names the tool', () => {
  assert.deepEqual(parseToolArguments('t', '{"a":1}'), { a: 1 });
  assert.deepEqual(parseToolArguments('t', ''), {});
  assert.deepEqual(parseToolArguments('t', undefined), {});
  assert.deepEqual(parseToolArguments('t', { b: 2 }), { b: 2 });
  for (const bad of ['{"a":', '[1,2]', 'null', '"text"', [1], 42]) {
    assert.throws(
      () => parseToolArguments('build_proposal', bad),
      (e: unknown) =>
        e instanceof AttemptFailure && e.code === 'invalid_tool_arguments' &&
        e.details.tool === 'build_proposal',
    );
  }
});
