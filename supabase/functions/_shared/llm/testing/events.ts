// Small helpers for provider tests: drain a stream, and a retry policy that records the
// backoff it would have slept instead of sleeping.
import type { RetryPolicy } from '../retry.ts';
import type { LlmEvent } from '../types.ts';

export async function collect(events: AsyncIterable<LlmEvent>): Promise<LlmEvent[]> {
  const all: LlmEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function textOf(events: LlmEvent[]): string {
  return events.map((e) => (e.type === 'text' ? e.delta : '')).join('');
}

export function ofType<T extends LlmEvent['type']>(
  events: LlmEvent[],
  type: T,
): Extract<LlmEvent, { type: T }>[] {
  return events.filter((e): e is Extract<LlmEvent, { type: T }> => e.type === type);
}

/** A retry policy for tests: no real waiting; `sleeps` lists the delays asked for. */
export function instantRetries(): Partial<RetryPolicy> & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms: number) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}
