// One chat turn: store the person's message, replay the recent history, then let the model
// answer in at most MAX_ROUNDS rounds. In every round ALL tool calls of the answer run (at the
// same time — calls the model issues together do not depend on each other; dependent steps
// come in later rounds) and their results go back to the model. Text is streamed as it comes.
//
// Consistency: the user message is stored first, whatever happens next. A round is stored only
// once it is complete — the assistant's tool calls together with every result, or the final
// answer — so a model failure mid-round leaves no half assistant message behind.
import type { Channel } from '../channel.ts';
import type {
  AiCallType,
  AiWorkflow,
  ChatMessage,
  ChatProvider,
  LlmError,
  ToolCall,
  UsageEvent,
  UserContentPart,
} from '../llm/mod.ts';
import { noLlmConfiguredMessage } from '../llm/mod.ts';
import { attachmentRefs } from './attachments.ts';
import { HISTORY_LIMIT, replayMessages } from './history.ts';
import type { ImageGenerator } from './images.ts';
import { systemPrompt } from './prompt.ts';
import type { ConversationStore, NewMessage } from './store.ts';
import { executeToolCall, offeredTools, toolDefinitions } from './tools/registry.ts';
import type {
  AgentSettings,
  Attachment,
  CallerAccess,
  ToolContext,
  ToolOutcome,
  ToolSpec,
} from './types.ts';
import type { SupabaseClient } from '@supabase/supabase-js';

export const MAX_ROUNDS = 6;

/** Said when the model ends a turn without any text (spec §4.1.9). */
export const EMPTY_REPLY_TEXT = 'I could not come up with an answer to that. I can build ' +
  'proposals, make mockups, look up locations and their availability, and submit or list booking ' +
  'orders — tell me what you need.';

export interface CostInfo {
  callType: AiCallType;
  workflow: AiWorkflow;
  conversationId: string;
}

/**
 * What the turn does before the model sees a message (spec §3.1 pre-routing): add a note to
 * the message, or handle it completely by running a tool directly (the model is skipped).
 */
export type PreRoute =
  | { kind: 'note'; text: string }
  | { kind: 'handled'; call: ToolCall; outcome: ToolOutcome; answer: string };

export interface TurnDeps {
  store: ConversationStore;
  /** null: no API key configured; the turn answers with no_llm_configured. */
  provider: ChatProvider | null;
  /** The registry; offered = those the caller may use. Calls to others are refused. */
  tools: ToolSpec[];
  caller: CallerAccess;
  channel: Channel;
  /** The caller's supabase-js client (RLS). */
  db: SupabaseClient;
  images: ImageGenerator | null;
  settings: AgentSettings;
  /** Stores an ai_costs row (service role); failures are logged, never fatal. */
  recordCost(usage: UsageEvent, info: CostInfo): Promise<void>;
  /** The model's view of this message's attachments. */
  attachmentParts(attachments: Attachment[]): Promise<UserContentPart[]>;
  signal: AbortSignal;
  maxRounds?: number;
  historyLimit?: number;
  /** Looks at the message first; null (or no hook) leaves it to the model. Must not throw. */
  preRoute?: (ctx: ToolContext, input: TurnInput) => Promise<PreRoute | null>;
}

export interface TurnInput {
  requestId: string;
  conversationId: string;
  text: string;
  /** What the person typed, when `text` was filled in for them; default `text`. */
  typedText?: string;
  attachments: Attachment[];
}

export interface TurnResult {
  userMessageId: string;
  assistantMessageId: string | null;
  rounds: number;
  toolCalls: number;
  error?: { code: string; message: string };
}

function modelErrorMessage(error: LlmError): string {
  const attempts = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  return `The AI model could not answer (${error.provider}: ${error.code}${attempts}). ` +
    'Your message is saved; please try again in a moment.';
}

function workflowOf(calls: ToolCall[], tools: ToolSpec[]): AiWorkflow {
  for (const call of calls) {
    const workflow = tools.find((t) => t.name === call.name)?.workflow;
    if (workflow) return workflow;
  }
  return 'general_chat';
}

function toolMessageContent(outcome: ToolOutcome): string {
  return JSON.stringify(
    outcome.ok ? { ok: true, ...outcome.data } : { ok: false, error: outcome.error },
  );
}

export async function runTurn(deps: TurnDeps, input: TurnInput): Promise<TurnResult> {
  const { store, channel, caller } = deps;
  const cid = input.conversationId;
  const provider = deps.provider;
  const limit = deps.historyLimit ?? HISTORY_LIMIT;
  // One round trip for all of it: store the message, read what came before, mark the
  // conversation active, fetch the attachments for the model.
  const costs: Promise<void>[] = [
    store.touch(cid).catch((e) => console.error('conversation touch failed', e)),
  ];
  const [[userMessage], earlier, parts] = await Promise.all([
    store.addMessages(cid, [{
      role: 'user',
      content: input.text,
      attachments: attachmentRefs(input.attachments),
      authorId: caller.userId,
      metadata: { request_id: input.requestId },
    }]),
    provider ? store.recentMessages(cid, limit) : Promise.resolve([]),
    provider ? deps.attachmentParts(input.attachments) : Promise.resolve([]),
  ]);
  const result: TurnResult = {
    userMessageId: userMessage.id,
    assistantMessageId: null,
    rounds: 0,
    toolCalls: 0,
  };
  await channel.send({
    type: 'session',
    conversation_id: cid,
    message_id: userMessage.id,
    request_id: input.requestId,
  });
  const finish = async (error?: { code: string; message: string }) => {
    if (error) {
      result.error = error;
      await channel.send({ type: 'error', error });
    }
    await Promise.all(costs);
    await channel.send({ type: 'done', message_id: result.assistantMessageId });
    return result;
  };

  if (!provider) {
    return await finish({ code: 'no_llm_configured', message: noLlmConfiguredMessage() });
  }

  const offered = offeredTools(caller, deps.tools);
  const definitions = toolDefinitions(offered);
  // The read ran alongside the insert and may or may not have seen the new message.
  const history = [
    ...earlier.filter((m) => m.id !== userMessage.id).slice(-(limit - 1)),
    userMessage,
  ];
  const messages: ChatMessage[] = replayMessages(history);
  // The message of this turn carries the attachments themselves, not just their names.
  if (parts.length) {
    const last = messages.at(-1);
    if (last?.role === 'user') {
      messages[messages.length - 1] = {
        role: 'user',
        content: [{ type: 'text', text: input.text }, ...parts],
      };
    }
  }

  const ctx: ToolContext = {
    db: deps.db,
    caller,
    conversationId: cid,
    attachments: input.attachments,
    settings: deps.settings,
    images: deps.images,
    llm: provider,
    signal: deps.signal,
    status: (message) => channel.send({ type: 'status', message }),
    recordCost: (usage, callType, workflow) =>
      deps.recordCost(usage, { callType, workflow, conversationId: cid }),
  };
  const routed = deps.preRoute ? await deps.preRoute(ctx, input) : null;
  if (routed?.kind === 'handled') {
    result.toolCalls = 1;
    const { call, outcome, answer } = routed;
    await channel.send({
      type: 'tool_started',
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
    await channel.send({
      type: 'tool_finished',
      call_id: call.id,
      name: call.name,
      ok: outcome.ok,
      summary: outcome.summary,
    });
    if (outcome.ok) {
      for (const file of outcome.files ?? []) await channel.send({ type: 'file', file });
    }
    await channel.send({ type: 'text', delta: answer });
    const stored = await store.addMessages(cid, [
      {
        role: 'assistant',
        content: '',
        parentId: userMessage.id,
        metadata: { tool_calls: [call], round: 0, pre_routed: true },
      },
      {
        role: 'tool',
        content: toolMessageContent(outcome),
        parentId: userMessage.id,
        metadata: { tool_call_id: call.id, tool_name: call.name, ok: outcome.ok, round: 0 },
      },
      {
        role: 'assistant',
        content: answer,
        parentId: userMessage.id,
        metadata: { round: 0, pre_routed: true },
      },
    ]);
    result.assistantMessageId = stored.at(-1)?.id ?? null;
    return await finish();
  }
  if (routed?.kind === 'note') {
    const last = messages.at(-1);
    if (last?.role === 'user') {
      const parts = typeof last.content === 'string'
        ? [{ type: 'text' as const, text: last.content }]
        : last.content;
      messages[messages.length - 1] = {
        role: 'user',
        content: [...parts, { type: 'text', text: routed.text }],
      };
    }
  }

  const system = systemPrompt(caller, offered, deps.settings.now(), deps.images !== null);
  const maxRounds = deps.maxRounds ?? MAX_ROUNDS;

  for (let round = 1; round <= maxRounds; round++) {
    // Nobody is listening any more: stop before paying for another model call.
    if (channel.closed) return await finish();
    result.rounds = round;
    const lastRound = round === maxRounds;
    let text = '';
    const calls: ToolCall[] = [];
    let failed: LlmError | null = null;
    for await (
      const event of provider.stream({
        system,
        messages,
        tools: definitions.length ? definitions : undefined,
        // The last round must answer in words: no tool calls it could not follow up.
        toolChoice: lastRound ? 'none' : 'auto',
        cacheKey: cid,
      }, deps.signal)
    ) {
      if (event.type === 'text') {
        text += event.delta;
        await channel.send({ type: 'text', delta: event.delta });
      } else if (event.type === 'tool_call') {
        calls.push(event.call);
      } else if (event.type === 'usage') {
        costs.push(
          deps.recordCost(event, {
            callType: 'main_llm',
            workflow: workflowOf(calls, deps.tools),
            conversationId: cid,
          }).catch((e) => console.error('recording the AI cost failed', e)),
        );
      } else if (event.type === 'error') {
        failed = event.error;
      }
    }
    if (failed) return await finish({ code: failed.code, message: modelErrorMessage(failed) });

    if (calls.length && !lastRound) {
      result.toolCalls += calls.length;
      for (const call of calls) {
        await channel.send({
          type: 'tool_started',
          call_id: call.id,
          name: call.name,
          arguments: call.arguments,
        });
      }
      const outcomes = await Promise.all(calls.map(async (call) => {
        const outcome = await executeToolCall(call, deps.tools, ctx);
        await channel.send({
          type: 'tool_finished',
          call_id: call.id,
          name: call.name,
          ok: outcome.ok,
          summary: outcome.summary,
        });
        if (outcome.ok) {
          for (const file of outcome.files ?? []) await channel.send({ type: 'file', file });
        }
        return outcome;
      }));
      const rows: NewMessage[] = [
        {
          role: 'assistant',
          content: text,
          parentId: userMessage.id,
          metadata: { tool_calls: calls, round },
        },
        ...calls.map((call, i): NewMessage => {
          const outcome = outcomes[i];
          return {
            role: 'tool',
            content: toolMessageContent(outcome),
            parentId: userMessage.id,
            attachments: outcome.ok
              ? (outcome.files ?? []).map((f) => ({
                bucket: f.bucket,
                path: f.path,
                filename: f.filename,
              }))
              : [],
            metadata: { tool_call_id: call.id, tool_name: call.name, ok: outcome.ok, round },
          };
        }),
      ];
      await store.addMessages(cid, rows);
      messages.push(
        { role: 'assistant', content: text, toolCalls: calls },
        ...calls.map((call, i): ChatMessage => ({
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: toolMessageContent(outcomes[i]),
        })),
      );
      continue;
    }

    let answer = text;
    if (!answer.trim()) {
      answer = calls.length
        ? `I stopped after ${maxRounds} steps without finishing. Please narrow the request down.`
        : EMPTY_REPLY_TEXT;
      await channel.send({ type: 'text', delta: answer });
    }
    const [stored] = await store.addMessages(cid, [{
      role: 'assistant',
      content: answer,
      parentId: userMessage.id,
      metadata: { round, model: provider.defaultModel, provider: provider.name },
    }]);
    result.assistantMessageId = stored.id;
    return await finish();
  }
  // Unreachable: the last round always ends the turn.
  return await finish();
}
