// Google Gemini adapter on `@google/generative-ai` (generateContentStream with function
// declarations, SSE). The SDK types predate thinking models, so the fields it does not know
// (thoughtsTokenCount, thoughtSignature, part.thought) are read from the wire shape below.
import {
  type Content,
  FunctionCallingMode,
  type FunctionDeclaration,
  type GenerateContentRequest,
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  type Part,
} from '@google/generative-ai';
import {
  AttemptFailure,
  codeForStatus,
  defaultRetryPolicy,
  isRetryableStatus,
  parseToolArguments,
  type RetryPolicy,
  streamWithRetries,
} from './retry.ts';
import type {
  ChatMessage,
  ChatProvider,
  ChatRequest,
  FinishReason,
  JsonSchema,
  LlmEvent,
  LlmUsage,
  StructuredRequest,
  StructuredResult,
  ToolCall,
  UserContentPart,
} from './types.ts';
import { completeStructured } from './structured.ts';

export interface GeminiProviderOptions {
  apiKey: string;
  /** Model used when a request names none. */
  model: string;
  /** API root without the version, e.g. https://generativelanguage.googleapis.com. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Largest image fetched from a URL to inline (Gemini takes images inline). */
  maxImageBytes?: number;
}

/** The parts of Gemini's streamed answer this adapter reads. */
interface WirePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name: string; args?: unknown };
}
interface WireModalityCount {
  modality?: string;
  tokenCount?: number;
}
export interface GeminiWireUsage {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: WireModalityCount[];
  candidatesTokensDetails?: WireModalityCount[];
}
interface WireChunk {
  candidates?: { content?: { parts?: WirePart[] }; finishReason?: string }[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiWireUsage;
}

const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

export class GeminiChatProvider implements ChatProvider {
  readonly name = 'google' as const;
  readonly defaultModel: string;
  readonly #client: GoogleGenerativeAI;
  readonly #baseUrl: string | undefined;
  readonly #policy: RetryPolicy;
  readonly #maxImageBytes: number;

  constructor(options: GeminiProviderOptions) {
    this.defaultModel = bareModelName(options.model);
    this.#client = new GoogleGenerativeAI(options.apiKey);
    this.#baseUrl = options.baseUrl?.replace(/\/+$/, '') || undefined;
    this.#policy = { ...defaultRetryPolicy, ...options.retry };
    this.#maxImageBytes = options.maxImageBytes ?? 20 * 1024 * 1024;
  }

  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<LlmEvent> {
    return this.#stream(request, signal);
  }

  structured(request: StructuredRequest, signal?: AbortSignal): Promise<StructuredResult> {
    return completeStructured(this, request, signal);
  }

  async *#stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<LlmEvent> {
    const model = bareModelName(request.model ?? this.defaultModel);
    let body: GenerateContentRequest;
    try {
      body = await toGeminiRequest(request, { signal, maxImageBytes: this.#maxImageBytes });
    } catch (error) {
      const aborted = signal?.aborted ?? false;
      yield {
        type: 'error',
        error: {
          code: aborted ? 'aborted' : 'request_rejected',
          message: aborted ? 'the model call was cancelled' : (error as Error).message,
          provider: 'google',
          attempts: 0,
        },
      };
      return;
    }
    yield* streamWithRetries({
      provider: 'google',
      policy: this.#policy,
      signal,
      attempt: (attemptSignal) => this.#attempt(body, model, attemptSignal),
      classify: classifyGeminiError,
    });
  }

  async *#attempt(
    body: GenerateContentRequest,
    model: string,
    signal: AbortSignal,
  ): AsyncGenerator<LlmEvent> {
    // The SDK only listens for a later abort, so an already-aborted signal is checked here.
    if (signal.aborted) throw new AttemptFailure('aborted', 'the model call was cancelled');
    const generative = this.#client.getGenerativeModel(
      { model },
      this.#baseUrl ? { baseUrl: this.#baseUrl } : undefined,
    );
    const result = await generative.generateContentStream(body, { signal });
    // The SDK also aggregates the stream into `response`; it fails with the stream, and only
    // the stream is read here.
    result.response.catch(() => {});

    const calls: { part: WirePart; functionCall: NonNullable<WirePart['functionCall']> }[] = [];
    let usage: GeminiWireUsage | undefined;
    let finishReason: string | undefined;
    let blocked = false;
    let yielded = false;
    const usageEvent = (): LlmEvent | undefined =>
      usage
        ? { type: 'usage', provider: 'google', model, usage: normaliseGeminiUsage(usage) }
        : undefined;

    try {
      for await (const response of result.stream) {
        const chunk = response as unknown as WireChunk;
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
        if (chunk.promptFeedback?.blockReason) blocked = true;
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (part.thought) continue;
          if (part.functionCall) calls.push({ part, functionCall: part.functionCall });
          else if (part.text) {
            yielded = true;
            yield { type: 'text', delta: part.text };
          }
        }
        if (candidate?.finishReason) finishReason = candidate.finishReason;
      }
    } catch (error) {
      // Gemini reports usage as it goes: once text is out, bill what was consumed.
      const spent = yielded && !signal.aborted ? usageEvent() : undefined;
      if (spent) yield spent;
      throw error;
    }
    if (signal.aborted) throw new AttemptFailure('aborted', 'the model call was cancelled');

    if (finishReason === 'MALFORMED_FUNCTION_CALL') {
      const spent = usageEvent();
      if (spent) yield spent;
      throw new AttemptFailure(
        'invalid_tool_arguments',
        'the model produced a malformed function call',
      );
    }
    if (!finishReason && !blocked) {
      throw new AttemptFailure('connection', 'the stream ended before the model finished', {
        retryable: true,
      });
    }

    let toolCalls: ToolCall[];
    try {
      toolCalls = calls.map(({ part, functionCall }) => ({
        id: functionCall.id || `call_${crypto.randomUUID()}`,
        name: functionCall.name,
        arguments: parseToolArguments(functionCall.name, functionCall.args),
        ...(part.thoughtSignature
          ? { providerMetadata: { thoughtSignature: part.thoughtSignature } }
          : {}),
      }));
    } catch (error) {
      const spent = usageEvent();
      if (spent) yield spent;
      throw error;
    }
    for (const call of toolCalls) yield { type: 'tool_call', call };
    const spent = usageEvent();
    if (spent) yield spent;
    yield {
      type: 'done',
      finishReason: finishReasonOf(blocked ? 'SAFETY' : finishReason, toolCalls.length > 0),
    };
  }
}

/** Gemini's candidatesTokenCount already excludes thoughts; promptTokenCount includes cache. */
export function normaliseGeminiUsage(usage: GeminiWireUsage): LlmUsage {
  const input = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const cachedInput = Math.min(usage.cachedContentTokenCount ?? 0, input);
  const output = usage.candidatesTokenCount ?? 0;
  return {
    input,
    cachedInput,
    output,
    reasoning: usage.thoughtsTokenCount ?? 0,
    imageInput: Math.min(imageTokens(usage.promptTokensDetails), input - cachedInput),
    imageOutput: Math.min(imageTokens(usage.candidatesTokensDetails), output),
  };
}

function imageTokens(details: WireModalityCount[] | undefined): number {
  return (details ?? [])
    .filter((d) => d.modality === 'IMAGE')
    .reduce((sum, d) => sum + (d.tokenCount ?? 0), 0);
}

function finishReasonOf(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool_calls';
  if (reason === 'STOP') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason && CONTENT_FILTER_REASONS.has(reason)) return 'content_filter';
  return 'other';
}

/** Accepts `models/gemini-2.5-flash` as well; prices and usage use the bare name. */
function bareModelName(model: string): string {
  return model.replace(/^models\//, '');
}

export async function toGeminiRequest(
  request: ChatRequest,
  options: { signal?: AbortSignal; maxImageBytes?: number } = {},
): Promise<GenerateContentRequest> {
  const contents: Content[] = [];
  for (const message of request.messages) {
    const content = await toGeminiContent(message, options);
    if (!content) continue;
    const previous = contents.at(-1);
    // All results of one turn's calls go back together, in one content.
    if (message.role === 'tool' && previous && isFunctionResponseContent(previous)) {
      previous.parts.push(...content.parts);
    } else {
      contents.push(content);
    }
  }
  const tools = request.tools ?? [];
  const mode = {
    auto: FunctionCallingMode.AUTO,
    required: FunctionCallingMode.ANY,
    none: FunctionCallingMode.NONE,
  };
  return {
    contents,
    ...(request.system
      ? { systemInstruction: { role: 'system', parts: [{ text: request.system }] } }
      : {}),
    ...(tools.length
      ? {
        tools: [{
          functionDeclarations: tools.map((tool) => {
            const parameters = toGeminiSchema(tool.parameters);
            const hasParameters = Object.keys(parameters.properties ?? {}).length > 0;
            return {
              name: tool.name,
              description: tool.description,
              ...(hasParameters ? { parameters } : {}),
            } as FunctionDeclaration;
          }),
        }],
        toolConfig: { functionCallingConfig: { mode: mode[request.toolChoice ?? 'auto'] } },
      }
      : {}),
    ...(request.maxOutputTokens || request.responseFormat
      ? {
        generationConfig: {
          ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
          ...(request.responseFormat
            ? {
              responseMimeType: 'application/json',
              responseSchema: toGeminiSchema(request.responseFormat.schema) as never,
            }
            : {}),
        },
      }
      : {}),
  };
}

function isFunctionResponseContent(content: Content): boolean {
  return content.role === 'user' && content.parts.every((part) => 'functionResponse' in part);
}

async function toGeminiContent(
  message: ChatMessage,
  options: { signal?: AbortSignal; maxImageBytes?: number },
): Promise<Content | null> {
  switch (message.role) {
    case 'user': {
      const parts = typeof message.content === 'string'
        ? [{ text: message.content }]
        : await Promise.all(message.content.map((part) => toGeminiPart(part, options)));
      return { role: 'user', parts };
    }
    case 'assistant': {
      const parts: Part[] = message.content ? [{ text: message.content }] : [];
      for (const call of message.toolCalls ?? []) {
        const part = {
          functionCall: { name: call.name, args: call.arguments },
          ...(call.providerMetadata ?? {}),
        };
        parts.push(part as Part);
      }
      return parts.length ? { role: 'model', parts } : null;
    }
    case 'tool':
      return {
        role: 'user',
        parts: [{
          functionResponse: { name: message.name, response: toolResponse(message.content) },
        }],
      };
  }
}

/** Gemini wants an object as the function response; JSON text that is one is passed as is. */
function toolResponse(content: string): object {
  try {
    const value = JSON.parse(content);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
    return { result: value };
  } catch {
    return { result: content };
  }
}

async function toGeminiPart(
  part: UserContentPart,
  options: { signal?: AbortSignal; maxImageBytes?: number },
): Promise<Part> {
  if (part.type === 'text') return { text: part.text };
  if ('base64' in part) return { inlineData: { mimeType: part.mimeType, data: part.base64 } };
  // Gemini only reads images inline or from its own file store: fetch signed URLs here. Error
  // messages name the image without its query string, which holds the signature.
  const where = URL.parse(part.url);
  if (!where) throw new Error('an image URL is not a valid URL');
  const label = `${where.origin}${where.pathname}`;
  let response: Response;
  try {
    response = await fetch(where, { signal: options.signal });
  } catch {
    throw new Error(`could not fetch the image ${label}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`could not fetch the image ${label}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  const limit = options.maxImageBytes ?? Infinity;
  const bytes = declared > limit ? null : new Uint8Array(await response.arrayBuffer());
  if (!bytes || bytes.length > limit) {
    if (!bytes) await response.body?.cancel();
    throw new Error(`the image ${label} is too large to send inline`);
  }
  const mimeType = part.mimeType ?? response.headers.get('content-type')?.split(';')[0] ??
    'image/png';
  return { inlineData: { mimeType, data: toBase64(bytes) } };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const FORMATS: Record<string, Set<string>> = {
  string: new Set(['enum', 'date-time']),
  number: new Set(['float', 'double']),
  integer: new Set(['int32', 'int64']),
};
const PASSED_THROUGH = ['nullable', 'minItems', 'maxItems', 'minimum', 'maximum', 'title'];

export type GeminiSchema = { properties?: Record<string, GeminiSchema> } & Record<string, unknown>;

/**
 * Gemini's function parameters are an OpenAPI subset, not JSON Schema: `nullable` instead of
 * `type: [x, "null"]`, string-only enums, few formats, no additionalProperties/$schema/default.
 * The tools' JSON Schemas are translated here so one definition serves both providers.
 */
export function toGeminiSchema(schema: JsonSchema): GeminiSchema {
  const out: GeminiSchema = {};
  let type = schema.type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    if (types.length < type.length) out.nullable = true;
    type = types.length === 1 ? types[0] : undefined;
    if (types.length > 1) out.anyOf = types.map((t) => toGeminiSchema({ ...schema, type: t }));
  }
  if (typeof type === 'string') out.type = type;

  let description = typeof schema.description === 'string' ? schema.description : undefined;
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : 'const' in schema
    ? [schema.const]
    : null;
  // A null among string choices is Gemini's `nullable`, not an enum value.
  const choices = values?.includes(null) && values.some((v) => v !== null)
    ? values.filter((value) => value !== null)
    : values;
  if (choices !== values) out.nullable = true;
  if (choices?.every((value) => typeof value === 'string')) out.enum = choices;
  else if (choices) {
    const allowed = `One of: ${choices.map((value) => JSON.stringify(value)).join(', ')}.`;
    description = description ? `${description} ${allowed}` : allowed;
  }
  if (description) out.description = description;
  if (typeof type === 'string' && FORMATS[type]?.has(String(schema.format))) {
    out.format = schema.format;
  }

  if (schema.properties && typeof schema.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>)
        .map(([name, sub]) => [name, toGeminiSchema(sub)]),
    );
    if (Array.isArray(schema.required)) {
      out.required = schema.required.filter((name) => String(name) in out.properties!);
    }
  }
  if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
    out.items = toGeminiSchema(schema.items as JsonSchema);
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) out.anyOf = variants.map((sub) => toGeminiSchema(sub as JsonSchema));
  for (const key of PASSED_THROUGH) if (key in schema) out[key] = schema[key];
  return out;
}

export function classifyGeminiError(error: unknown): AttemptFailure {
  if (error instanceof GoogleGenerativeAIAbortError) {
    return new AttemptFailure('aborted', 'the model call was cancelled');
  }
  if (error instanceof GoogleGenerativeAIFetchError && error.status) {
    const status = error.status;
    const detail = error.message.replace(
      /^\[GoogleGenerativeAI Error\]: Error fetching from \S+: /,
      '',
    );
    return new AttemptFailure(codeForStatus(status), `Gemini answered ${detail}`, {
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: retryDelayFromDetails(error.errorDetails),
    });
  }
  if (error instanceof GoogleGenerativeAIError) {
    const message = error.message.replace(/^\[GoogleGenerativeAI Error\]: /, '');
    // The SDK's wording is its only signal: fetch failures and broken streams are connection
    // problems, everything else is a malformed answer.
    if (
      /^(Error fetching from|Error reading from the stream|Failed to parse stream)/.test(message)
    ) {
      return new AttemptFailure('connection', `connection to Gemini lost: ${message}`, {
        retryable: true,
      });
    }
    return new AttemptFailure('provider_error', `Gemini call failed: ${message}`);
  }
  if (error instanceof TypeError) {
    return new AttemptFailure('connection', `connection to Gemini lost: ${error.message}`, {
      retryable: true,
    });
  }
  return new AttemptFailure('provider_error', `Gemini call failed: ${String(error)}`);
}

/** Google's Retry-After: a google.rpc.RetryInfo detail with retryDelay like "13s" or "1.5s". */
export function retryDelayFromDetails(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown })?.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    if (match) return Number.parseFloat(match[1]) * 1000;
  }
  return undefined;
}
