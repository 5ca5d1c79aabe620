// A local stand-in for the Gemini API's streaming endpoint
// (`POST /v1beta/models/{model}:streamGenerateContent?alt=sse`), speaking its SSE wire format:
// `candidates[0].content.parts` with `text` or `functionCall {name, args}`, `usageMetadata`,
// `finishReason` on the last chunk. Driven by a script of turns, one per request; tests point
// the real `@google/generative-ai` SDK at it through its `baseUrl`.
import {
  type FakeServer,
  jsonResponse,
  type RecordedRequest,
  serveRecorded,
  sseResponse,
} from './fake_http.ts';

export interface GeminiScriptedFunctionCall {
  name: string;
  /** Sent as `args`; a string is sent verbatim (not something Gemini itself does). */
  args: Record<string, unknown> | string;
  id?: string;
  thoughtSignature?: string;
}

/** usageMetadata as Gemini sends it. */
export interface GeminiWireUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: { modality: string; tokenCount: number }[];
  candidatesTokensDetails?: { modality: string; tokenCount: number }[];
}

export type GeminiTurn =
  | {
    /** Answer with this HTTP status and a google.rpc error body instead of a stream. */
    status: number;
    message?: string;
    /** Adds a google.rpc.RetryInfo detail, e.g. "2s". */
    retryDelay?: string;
    headers?: Record<string, string>;
  }
  | {
    /** Text chunks, in order; each is one SSE event. */
    text?: string[];
    /**
     * A structured answer (object → its JSON, string verbatim), sent as text; the request must
     * ask for JSON (generationConfig.responseMimeType application/json with a responseSchema).
     */
    json?: unknown;
    /** Sent together in one event, after the text, as Gemini does for parallel calls. */
    functionCalls?: GeminiScriptedFunctionCall[];
    usage?: GeminiWireUsageMetadata;
    /** Default STOP. */
    finishReason?: string;
    /** Cut the connection after this many SSE events. */
    dropAfterEvents?: number;
  };

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function startFakeGemini(script: GeminiTurn[]): FakeServer {
  const turns = [...script];
  return serveRecorded((request) => answer(request, turns.shift()), () => turns.length, '');
}

function answer(request: RecordedRequest, turn: GeminiTurn | undefined): Response {
  const route = /^\/v1beta\/models\/([^/:]+):streamGenerateContent$/.exec(request.path);
  if (request.method !== 'POST' || !route || request.search !== '?alt=sse') {
    return errorBody(
      404,
      `fake Gemini: no route ${request.method} ${request.path}${request.search}`,
    );
  }
  if (!request.headers['x-goog-api-key']) return errorBody(403, 'fake Gemini: missing API key');
  if (!turn) return errorBody(500, 'fake Gemini: the script has no turn left');
  if ('status' in turn) {
    const details = turn.retryDelay
      ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: turn.retryDelay }]
      : undefined;
    return errorBody(
      turn.status,
      turn.message ?? `scripted status ${turn.status}`,
      details,
      turn.headers,
    );
  }

  if (turn.json !== undefined) {
    const config = request.body?.generationConfig;
    if (config?.responseMimeType !== 'application/json' || !config?.responseSchema) {
      return errorBody(
        400,
        'fake Gemini: the script expected a JSON request (responseMimeType + responseSchema)',
      );
    }
  }
  const modelVersion = decodeURIComponent(route[1]);
  const responseId = crypto.randomUUID().slice(0, 12);
  const promptOnly = turn.usage ? { promptTokenCount: turn.usage.promptTokenCount } : undefined;
  const event = (parts: unknown[], extra: Record<string, unknown> = {}, usage = promptOnly) =>
    JSON.stringify({
      candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
      ...(usage ? { usageMetadata: usage } : {}),
      modelVersion,
      responseId,
    });

  const events = (turn.text ?? []).map((text) => event([{ text }]));
  if (turn.json !== undefined) {
    const body = typeof turn.json === 'string' ? turn.json : JSON.stringify(turn.json);
    events.push(event([{ text: body }]));
  }
  if (turn.functionCalls?.length) {
    events.push(event(turn.functionCalls.map((call) => ({
      functionCall: { name: call.name, args: call.args, ...(call.id ? { id: call.id } : {}) },
      ...(call.thoughtSignature ? { thoughtSignature: call.thoughtSignature } : {}),
    }))));
  }
  const usage = turn.usage
    ? {
      totalTokenCount: turn.usage.promptTokenCount + (turn.usage.candidatesTokenCount ?? 0) +
        (turn.usage.thoughtsTokenCount ?? 0),
      ...turn.usage,
    }
    : undefined;
  events.push(event([{ text: '' }], { finishReason: turn.finishReason ?? 'STOP' }, usage));
  return sseResponse(events, { dropAfter: turn.dropAfterEvents });
}

function errorBody(
  status: number,
  message: string,
  details?: unknown[],
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, {
    error: {
      code: status,
      message,
      status: STATUS_NAMES[status] ?? 'UNKNOWN',
      ...(details ? { details } : {}),
    },
  }, headers);
}
