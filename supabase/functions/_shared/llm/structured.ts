// Structured output on top of a provider's stream: the JSON-schema answer format is part of
// the request (each adapter translates it), the answer's text is collected and parsed here.
// Used where the model fills a form rather than talks — booking-order classification,
// extraction and coordinator edits — so the caller gets a JSON object or a clear failure.
import type {
  ChatProvider,
  FinishReason,
  StructuredRequest,
  StructuredResult,
  UsageEvent,
} from './types.ts';

/** OpenAI's rule for a response format's name. */
const FORMAT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export async function completeStructured(
  provider: Pick<ChatProvider, 'stream'>,
  request: StructuredRequest,
  signal?: AbortSignal,
): Promise<StructuredResult> {
  if (!FORMAT_NAME.test(request.format.name)) {
    throw new Error(`response format name "${request.format.name}" must match ${FORMAT_NAME}`);
  }
  const { format, ...rest } = request;
  let text = '';
  let usage: UsageEvent | null = null;
  let finish: FinishReason | null = null;
  for await (const event of provider.stream({ ...rest, responseFormat: format }, signal)) {
    if (event.type === 'text') text += event.delta;
    else if (event.type === 'usage') usage = event;
    else if (event.type === 'done') finish = event.finishReason;
    else if (event.type === 'error') {
      return {
        ok: false,
        error: { code: event.error.code, message: event.error.message },
        text,
        usage,
      };
    }
  }
  if (finish === 'length') {
    return {
      ok: false,
      error: { code: 'truncated', message: 'the answer was cut off before the JSON was complete' },
      text,
      usage,
    };
  }
  if (finish === 'content_filter') {
    return {
      ok: false,
      error: { code: 'refused', message: "the provider's safety filter withheld the answer" },
      text,
      usage,
    };
  }
  const parsed = parseJsonObject(text);
  if (!parsed.ok) {
    return { ok: false, error: { code: 'invalid_json', message: parsed.message }, text, usage };
  }
  return { ok: true, value: parsed.value, text, usage };
}

/** A JSON object from a model's text; a Markdown code fence around it is tolerated. */
export function parseJsonObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const trimmed = text.trim().replace(/^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i, '$1').trim();
  if (!trimmed) return { ok: false, message: 'the model answered with nothing instead of JSON' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    return {
      ok: false,
      message: `the model's answer is not valid JSON (${(e as Error).message})`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: "the model's answer is JSON but not an object" };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
