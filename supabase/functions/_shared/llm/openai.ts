// OpenAI adapter on the official `openai` SDK, Chat Completions API with streaming.
//
// Chat Completions rather than the Responses API: its streaming tool-call format is the one
// every OpenAI-compatible endpoint (proxies, gateways, OPENAI_BASE_URL) speaks, and nothing
// the chat agent needs — tools, images, usage with cached and reasoning tokens, prompt-cache
// keys — is Responses-only. The SDK's own retries are off; retry.ts does them, so a request
// is never repeated after part of its answer was streamed.
import OpenAI from 'openai';
import {
  AttemptFailure,
  codeForStatus,
  defaultRetryPolicy,
  isRetryableStatus,
  parseToolArguments,
  retryAfterFromHeaders,
  type RetryPolicy,
  streamWithRetries,
} from './retry.ts';
import { completeStructured } from './structured.ts';
import type {
  ChatMessage,
  ChatProvider,
  ChatRequest,
  FinishReason,
  LlmEvent,
  LlmUsage,
  StructuredRequest,
  StructuredResult,
  ToolCall,
} from './types.ts';

export interface OpenAiProviderOptions {
  apiKey: string;
  /** Model used when a request names none. */
  model: string;
  /** API root, e.g. https://api.openai.com/v1 (the SDK default) or a compatible gateway. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
}

export class OpenAiChatProvider implements ChatProvider {
  readonly name = 'openai' as const;
  readonly defaultModel: string;
  readonly #client: OpenAI;
  readonly #policy: RetryPolicy;

  constructor(options: OpenAiProviderOptions) {
    this.defaultModel = options.model;
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl || undefined,
      maxRetries: 0,
    });
    this.#policy = { ...defaultRetryPolicy, ...options.retry };
  }

  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<LlmEvent> {
    const model = request.model ?? this.defaultModel;
    const body = toChatCompletionParams(request, model);
    return streamWithRetries({
      provider: 'openai',
      policy: this.#policy,
      signal,
      attempt: (attemptSignal) => this.#attempt(body, model, attemptSignal),
      classify: classifyOpenAiError,
    });
  }

  structured(request: StructuredRequest, signal?: AbortSignal): Promise<StructuredResult> {
    return completeStructured(this, request, signal);
  }

  async *#attempt(
    body: OpenAI.ChatCompletionCreateParamsStreaming,
    model: string,
    signal: AbortSignal,
  ): AsyncGenerator<LlmEvent> {
    if (signal.aborted) throw new AttemptFailure('aborted', 'the model call was cancelled');
    const stream = await this.#client.chat.completions.create(body, { signal });
    const fragments = new Map<number, { id: string; name: string; arguments: string }>();
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;

    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) yield { type: 'text', delta: choice.delta.content };
      for (const fragment of choice.delta?.tool_calls ?? []) {
        const call = fragments.get(fragment.index) ?? { id: '', name: '', arguments: '' };
        if (fragment.id && !call.id) call.id = fragment.id;
        if (fragment.function?.name && !call.name) call.name = fragment.function.name;
        call.arguments += fragment.function?.arguments ?? '';
        fragments.set(fragment.index, call);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    // The SDK ends the iteration quietly when the request is aborted.
    if (signal.aborted) throw new AttemptFailure('aborted', 'the model call was cancelled');
    if (!finishReason) {
      throw new AttemptFailure('connection', 'the stream ended before the model finished', {
        retryable: true,
      });
    }

    const usageEvent: LlmEvent | undefined = usage
      ? { type: 'usage', provider: 'openai', model, usage: normaliseOpenAiUsage(usage) }
      : undefined;
    let calls: ToolCall[];
    try {
      calls = [...fragments.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, call]) => ({
          id: call.id || `call_${index}`,
          name: call.name,
          arguments: parseToolArguments(call.name, call.arguments),
        }));
    } catch (error) {
      // The tokens were spent either way: report them before the error.
      if (usageEvent) yield usageEvent;
      throw error;
    }
    for (const call of calls) yield { type: 'tool_call', call };
    if (usageEvent) yield usageEvent;
    yield { type: 'done', finishReason: finishReasonOf(finishReason, calls.length > 0) };
  }
}

/** completion_tokens include reasoning_tokens: subtract them so reasoning counts once. */
export function normaliseOpenAiUsage(usage: OpenAI.CompletionUsage): LlmUsage {
  const input = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const reasoning = Math.min(usage.completion_tokens_details?.reasoning_tokens ?? 0, completion);
  return {
    input,
    cachedInput: Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, input),
    output: completion - reasoning,
    reasoning,
    imageInput: 0,
    imageOutput: 0,
  };
}

function finishReasonOf(reason: string, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls || reason === 'tool_calls' || reason === 'function_call') return 'tool_calls';
  if (reason === 'stop' || reason === 'length' || reason === 'content_filter') return reason;
  return 'other';
}

export function toChatCompletionParams(
  request: ChatRequest,
  model: string,
): OpenAI.ChatCompletionCreateParamsStreaming {
  const messages: OpenAI.ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(toOpenAiMessage(message));
  const tools = request.tools ?? [];
  return {
    model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(tools.length
      ? {
        tools: tools.map((tool) => ({
          type: 'function' as const,
          function: { name: tool.name, description: tool.description, parameters: tool.parameters },
        })),
        tool_choice: request.toolChoice ?? 'auto',
      }
      : {}),
    ...(request.maxOutputTokens ? { max_completion_tokens: request.maxOutputTokens } : {}),
    ...(request.cacheKey ? { prompt_cache_key: request.cacheKey } : {}),
    ...(request.responseFormat
      ? {
        response_format: {
          type: 'json_schema' as const,
          json_schema: {
            name: request.responseFormat.name,
            schema: request.responseFormat.schema,
            strict: request.responseFormat.strict,
          },
        },
      }
      : {}),
    // Other models refuse the parameter outright.
    ...(request.reasoningEffort && hasReasoningEffort(model)
      ? { reasoning_effort: request.reasoningEffort }
      : {}),
  };
}

/** Models that take `reasoning_effort` (the gpt-5 family and the o-series). */
export function hasReasoningEffort(model: string): boolean {
  return /^(gpt-5|o[1-9])/i.test(model);
}

function toOpenAiMessage(message: ChatMessage): OpenAI.ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return {
        role: 'user',
        content: typeof message.content === 'string'
          ? message.content
          : message.content.map((part): OpenAI.ChatCompletionContentPart =>
            part.type === 'text' ? { type: 'text', text: part.text } : {
              type: 'image_url',
              image_url: {
                url: 'base64' in part ? `data:${part.mimeType};base64,${part.base64}` : part.url,
              },
            }
          ),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length
          ? {
            tool_calls: message.toolCalls.map((call) => ({
              id: call.id,
              type: 'function' as const,
              function: { name: call.name, arguments: JSON.stringify(call.arguments) },
            })),
          }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

export function classifyOpenAiError(error: unknown): AttemptFailure {
  if (error instanceof OpenAI.APIUserAbortError) {
    return new AttemptFailure('aborted', 'the model call was cancelled');
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new AttemptFailure('connection', `could not reach OpenAI: ${error.message}`, {
      retryable: true,
    });
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    if (!status) {
      // An `error` object inside the event stream.
      return new AttemptFailure('provider_error', `OpenAI reported an error: ${error.message}`);
    }
    const shouldRetry = error.headers?.get('x-should-retry');
    return new AttemptFailure(codeForStatus(status), `OpenAI answered ${error.message}`, {
      status,
      retryable: shouldRetry ? shouldRetry === 'true' : isRetryableStatus(status),
      retryAfterMs: retryAfterFromHeaders(error.headers),
    });
  }
  if (error instanceof SyntaxError) {
    return new AttemptFailure('provider_error', 'OpenAI sent a stream chunk that is not JSON');
  }
  if (error instanceof TypeError) {
    // fetch failing to read the body: the connection went away.
    return new AttemptFailure('connection', `connection to OpenAI lost: ${error.message}`, {
      retryable: true,
    });
  }
  return new AttemptFailure('provider_error', `OpenAI call failed: ${String(error)}`);
}
