// The provider-neutral vocabulary of a model call: what the chat agent sends (ChatRequest) and
// the events it gets back (LlmEvent). OpenAI and Gemini adapters translate to and from it.

export type ProviderName = 'openai' | 'google';

/** A JSON Schema object (the `parameters` of a tool). */
export type JsonSchema = Record<string, unknown>;

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image for the model: inline bytes (base64, no data: prefix) or a URL it can fetch. */
export type ImagePart =
  | { type: 'image'; mimeType: string; base64: string }
  | { type: 'image'; url: string; mimeType?: string };

export type UserContentPart = TextPart | ImagePart;

/** A complete tool call, arguments already parsed from the provider's JSON. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /**
   * Opaque provider data that must travel back with this call in later turns (Gemini's
   * `thoughtSignature`). Store it with the assistant message and pass it back unchanged.
   */
  providerMetadata?: Record<string, unknown>;
}

export type ChatMessage =
  | { role: 'user'; content: string | UserContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  /** The result of one tool call; `content` is the result as JSON text (or plain text). */
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object (`type: 'object'`). */
  parameters: JsonSchema;
}

export interface ChatRequest {
  /** Model to call; defaults to the provider's configured model. */
  model?: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** 'auto' (default): the model decides; 'required': must call a tool; 'none': text only. */
  toolChoice?: 'auto' | 'none' | 'required';
  maxOutputTokens?: number;
  /** OpenAI prompt-cache key (e.g. the conversation id); ignored by Gemini. */
  cacheKey?: string;
  /** Answer with JSON matching this schema instead of free text (structured output). */
  responseFormat?: ResponseFormat;
  /** How hard a reasoning model thinks; ignored by models without that setting. */
  reasoningEffort?: ReasoningEffort;
}

export type ReasoningEffort = 'low' | 'medium' | 'high';

/**
 * A JSON answer format: OpenAI `response_format: {type: "json_schema"}`, Gemini
 * `responseMimeType: application/json` + `responseSchema`. `strict`: OpenAI guarantees the
 * schema (every property required, additionalProperties false, nullable types for optional
 * values); non-strict schemas are followed on a best-effort basis and must be checked.
 */
export interface ResponseFormat {
  /** Letters, digits, _ and - (OpenAI's rule). */
  name: string;
  schema: JsonSchema;
  strict: boolean;
}

/** One model call that must answer with a JSON object (no tools). */
export type StructuredRequest = Omit<ChatRequest, 'tools' | 'toolChoice' | 'responseFormat'> & {
  format: ResponseFormat;
};

export type StructuredErrorCode =
  | LlmErrorCode
  /** The answer is not a JSON object. */
  | 'invalid_json'
  /** The answer was cut off by the output limit. */
  | 'truncated'
  /** The provider withheld the answer (safety filter). */
  | 'refused';

/**
 * The outcome of a structured call. Never thrown: `usage` is reported either way, because the
 * tokens were paid for even when the answer is unusable.
 */
export type StructuredResult =
  | { ok: true; value: Record<string, unknown>; text: string; usage: UsageEvent | null }
  | {
    ok: false;
    error: { code: StructuredErrorCode; message: string };
    text: string;
    usage: UsageEvent | null;
  };

/**
 * Token counts of one call, normalised across providers. `output` EXCLUDES reasoning tokens
 * (OpenAI's completion_tokens include them; the adapter subtracts them), so output + reasoning
 * is what was generated and each is billed once. Image counts are parts of input / output.
 */
export interface LlmUsage {
  input: number;
  cachedInput: number;
  output: number;
  reasoning: number;
  imageInput: number;
  imageOutput: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export type LlmErrorCode =
  /** 429 after the last attempt, or a Retry-After longer than we are willing to wait. */
  | 'rate_limited'
  /** 5xx after the last attempt, or a malformed answer from the provider. */
  | 'provider_error'
  /** No connection after the last attempt. */
  | 'connection'
  /** The answer broke off after part of it had been streamed; never retried. */
  | 'stream_interrupted'
  /** The provider refused the request (auth, bad request, unknown model…). */
  | 'request_rejected'
  /** The model produced tool arguments that are not a JSON object. */
  | 'invalid_tool_arguments'
  /** The caller's AbortSignal fired. */
  | 'aborted';

export interface LlmError {
  code: LlmErrorCode;
  /** English, safe to log; does not contain the API key. */
  message: string;
  provider: ProviderName;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** Number of HTTP requests made for this call. */
  attempts: number;
  /** The tool whose arguments were invalid (code invalid_tool_arguments). */
  tool?: string;
}

/**
 * Events of one model call, in this order: text deltas (as they arrive), then every tool call
 * of the answer (complete and parsed), then usage (when the provider reported it), then
 * exactly one terminal event — `done` or `error`.
 */
export type LlmEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'usage'; provider: ProviderName; model: string; usage: LlmUsage }
  | { type: 'done'; finishReason: FinishReason }
  | { type: 'error'; error: LlmError };

export type UsageEvent = Extract<LlmEvent, { type: 'usage' }>;

export interface ChatProvider {
  readonly name: ProviderName;
  /** The model used when a request names none. */
  readonly defaultModel: string;
  /**
   * Streams one model call. Never throws: failures arrive as an `error` event. Aborting
   * `signal` cancels the HTTP request and ends the stream with an `aborted` error.
   */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<LlmEvent>;
  /** One call answered with a JSON object of `request.format` (structured output). */
  structured(request: StructuredRequest, signal?: AbortSignal): Promise<StructuredResult>;
}
