// Test doubles for the agent loop: an in-memory conversation store, a channel that records
// events, callers with given permissions, and TurnDeps wired to a provider under test.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Channel, ChatEvent } from '../../channel.ts';
import type { ChatProvider } from '../../llm/mod.ts';
import type { CostInfo, TurnDeps } from '../loop.ts';
import {
  byConversationOrder,
  type ConversationStore,
  type ConversationSummary,
  type NewMessage,
  type StoredMessage,
} from '../store.ts';
import type { CallerAccess, ToolSpec } from '../types.ts';
import type { UsageEvent } from '../../llm/mod.ts';

export class MemoryConversationStore implements ConversationStore {
  readonly conversations = new Map<string, ConversationSummary>();
  readonly messages: StoredMessage[] = [];
  #clock = Date.parse('2026-11-22T08:00:00Z');
  touched = 0;

  constructor(readonly ownerId = 'u-1') {}

  createConversation(title: string): Promise<ConversationSummary> {
    const conversation = { id: crypto.randomUUID(), owner_id: this.ownerId, title };
    this.conversations.set(conversation.id, conversation);
    return Promise.resolve(conversation);
  }

  findConversation(id: string): Promise<ConversationSummary | null> {
    return Promise.resolve(this.conversations.get(id) ?? null);
  }

  addMessages(conversationId: string, messages: NewMessage[]): Promise<StoredMessage[]> {
    // One statement, one timestamp — as in Postgres.
    const created = new Date(this.#clock += 1000).toISOString();
    const rows = messages.map((m, seq): StoredMessage => ({
      id: crypto.randomUUID(),
      conversation_id: conversationId,
      parent_id: m.parentId ?? null,
      role: m.role,
      content: m.content,
      attachments: m.attachments ?? [],
      metadata: { ...m.metadata, seq },
      created_at: created,
    }));
    this.messages.push(...rows);
    return Promise.resolve(rows);
  }

  recentMessages(conversationId: string, limit: number): Promise<StoredMessage[]> {
    const all = this.messages.filter((m) => m.conversation_id === conversationId)
      .sort(byConversationOrder);
    return Promise.resolve(all.slice(-limit));
  }

  touch(): Promise<void> {
    this.touched++;
    return Promise.resolve();
  }

  of(conversationId: string): StoredMessage[] {
    return this.messages.filter((m) => m.conversation_id === conversationId)
      .sort(byConversationOrder);
  }
}

export function recordingChannel(): Channel & {
  events: ChatEvent[];
  of<T extends ChatEvent['type']>(type: T): Extract<ChatEvent, { type: T }>[];
} {
  const events: ChatEvent[] = [];
  let closed = false;
  return {
    kind: 'web',
    events,
    get closed() {
      return closed;
    },
    send(event) {
      if (!closed) events.push(event);
      return Promise.resolve();
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
    of<T extends ChatEvent['type']>(type: T) {
      return events.filter((e): e is Extract<ChatEvent, { type: T }> => e.type === type);
    },
  };
}

/** What public.held_permissions answers for the demo sales_user profile. */
export const SALES_USER_HELD = [
  'sales:chat:use',
  'sales:proposals:create',
  'sales:proposals:read',
  'sales:mockups:generate',
  'sales:mockups:read',
  'sales:booking_orders:read',
];

export function callerWith(held: string[], overrides: Partial<CallerAccess> = {}): CallerAccess {
  return {
    userId: 'u-1',
    name: 'Karim Saleh',
    email: 'dubai.rep1@mmg.demo',
    isAdmin: false,
    companies: ['backlite_dubai'],
    held: new Set(held),
    ...overrides,
  };
}

export interface Harness {
  deps: TurnDeps;
  store: MemoryConversationStore;
  channel: ReturnType<typeof recordingChannel>;
  costs: { usage: UsageEvent; info: CostInfo }[];
  conversationId: string;
}

export async function harness(
  provider: ChatProvider | null,
  tools: ToolSpec[],
  overrides: Partial<TurnDeps> = {},
): Promise<Harness> {
  const store = new MemoryConversationStore();
  const channel = recordingChannel();
  const costs: Harness['costs'] = [];
  const { id } = await store.createConversation('test');
  return {
    store,
    channel,
    costs,
    conversationId: id,
    deps: {
      store,
      provider,
      tools,
      caller: callerWith(SALES_USER_HELD),
      channel,
      db: {} as SupabaseClient,
      images: null,
      settings: {
        renderWaitMs: 200,
        renderPollMs: 20,
        now: () => new Date('2026-11-22T08:00:00Z'),
      },
      recordCost: (usage, info) => {
        costs.push({ usage, info });
        return Promise.resolve();
      },
      attachmentParts: () => Promise.resolve([]),
      signal: new AbortController().signal,
      ...overrides,
    },
  };
}

/**
 * A tool that records its calls and answers with `answer(args)`; with `gate` every call then
 * waits until the gate opens.
 */
export function recordingTool(
  name: string,
  permission: string,
  answer: (args: any) => Record<string, unknown> = (args) => ({ echo: args }),
  gate?: Promise<void>,
): ToolSpec & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    name,
    description: `Test tool ${name}.`,
    parameters: {
      type: 'object',
      properties: { location: { type: 'string', minLength: 1 } },
      required: ['location'],
      additionalProperties: false,
    },
    permission,
    calls,
    async run(_ctx, args) {
      calls.push(args);
      const data = answer(args);
      if (gate) await gate;
      return { ok: true, data, summary: `${name} done` };
    },
  };
}
