// A local stand-in for OpenAI's Chat Completions endpoint, speaking its streaming wire format
// (`data: {chat.completion.chunk}` events, tool-call arguments in fragments, a usage chunk,
// `data: [DONE]`), driven by a script of turns: one turn per request. Tests point the real
// `openai` SDK at it through OPENAI_BASE_URL / baseUrl. A `json` turn answers a
// structured-output request (response_format json_schema): it refuses requests that are not
// structured, or whose format has another name than `format`, so a script also checks what
// was asked.
import {
  chunked,
  type FakeServer,
  jsonResponse,
  type RecordedRequest,
  serveRecorded,
  sseResponse,
} from './fake_http.ts';

export interface OpenAiScriptedToolCall {
  id?: string;
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (e.g. broken JSON). */
  arguments: Record<string, unknown> | string;
}

/** Usage as OpenAI sends it. */
export interface OpenAiWireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export type OpenAiTurn =
  | {
    /** Answer with this HTTP status and an OpenAI error body instead of a stream. */
    status: number;
    message?: string;
    headers?: Record<string, string>;
  }
  | {
    /** Content deltas, in order. */
    text?: string[];
    /**
     * A structured answer: an object is sent as its JSON, a string verbatim (e.g. broken JSON),
     * in content deltas of `argumentFragmentSize` characters.
     */
    json?: unknown;
    /** With `json`: the response format name the request must carry. */
    format?: string;
    toolCalls?: OpenAiScriptedToolCall[];
    usage?: OpenAiWireUsage;
    /** Default: tool_calls when there are tool calls, else stop. */
    finishReason?: string;
    /** Cut the connection after this many SSE events (the role chunk is event 0). */
    dropAfterEvents?: number;
    /** Size of the tool-argument fragments (default 8 characters). */
    argumentFragmentSize?: number;
  };

/** `port`: listen there instead of on a free port (0). */
export function startFakeOpenAi(script: OpenAiTurn[], port = 0): FakeServer {
  const turns = [...script];
  return serveRecorded(
    (request) => answer(request, turns.shift()),
    () => turns.length,
    '/v1',
    port,
  );
}

function answer(request: RecordedRequest, turn: OpenAiTurn | undefined): Response {
  if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
    return errorBody(404, `fake OpenAI: no route ${request.method} ${request.path}`);
  }
  if (!/^Bearer \S+/.test(request.headers['authorization'] ?? '')) {
    return errorBody(401, 'fake OpenAI: missing API key');
  }
  if (!turn) return errorBody(500, 'fake OpenAI: the script has no turn left');
  if ('status' in turn) {
    return errorBody(turn.status, turn.message ?? `scripted status ${turn.status}`, turn.headers);
  }

  if (turn.json !== undefined) {
    const format = request.body?.response_format;
    if (format?.type !== 'json_schema' || typeof format.json_schema?.name !== 'string') {
      return errorBody(
        400,
        'fake OpenAI: the script expected a structured-output request (response_format json_schema)',
      );
    }
    if (turn.format && format.json_schema.name !== turn.format) {
      return errorBody(
        400,
        `fake OpenAI: the script expected response format "${turn.format}", got "${format.json_schema.name}"`,
      );
    }
  }
  const model = String(request.body?.model ?? 'unknown');
  const id = `chatcmpl-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = request.body?.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], usage: unknown = null) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices,
      ...(includeUsage ? { usage } : {}),
    });
  const delta = (value: Record<string, unknown>, finishReason: string | null = null) =>
    chunk([{ index: 0, delta: value, logprobs: null, finish_reason: finishReason }]);

  const events = [delta({ role: 'assistant', content: '', refusal: null })];
  for (const text of turn.text ?? []) events.push(delta({ content: text }));
  if (turn.json !== undefined) {
    const body = typeof turn.json === 'string' ? turn.json : JSON.stringify(turn.json);
    for (const piece of chunked(body, turn.argumentFragmentSize ?? 40)) {
      events.push(delta({ content: piece }));
    }
  }
  for (const [index, call] of (turn.toolCalls ?? []).entries()) {
    const args = typeof call.arguments === 'string'
      ? call.arguments
      : JSON.stringify(call.arguments);
    events.push(delta({
      tool_calls: [{
        index,
        id: call.id ?? `call_${crypto.randomUUID().slice(0, 8)}`,
        type: 'function',
        function: { name: call.name, arguments: '' },
      }],
    }));
    for (const piece of chunked(args, turn.argumentFragmentSize ?? 8)) {
      events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }
  const finishReason = turn.finishReason ?? (turn.toolCalls?.length ? 'tool_calls' : 'stop');
  events.push(delta({}, finishReason));
  if (includeUsage && turn.usage) {
    const usage = {
      total_tokens: turn.usage.prompt_tokens + turn.usage.completion_tokens,
      ...turn.usage,
    };
    events.push(chunk([], usage));
  }
  events.push('[DONE]');
  return sseResponse(events, { dropAfter: turn.dropAfterEvents });
}

function errorBody(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const type = status === 429
    ? 'rate_limit_exceeded'
    : status >= 500
    ? 'server_error'
    : 'invalid_request_error';
  return jsonResponse(status, { error: { message, type, param: null, code: null } }, headers);
}
