// The agent core shared by every channel: the web chat (web.ts) and Slack (../slack/
// agent_chat.ts) run the same turn with the same tools, history, prompt, pre-routing and cost
// recording — only the Channel the answer goes to and the way the caller's JWT was obtained
// differ. The caller's supabase-js client (RLS) does all reading and writing; the service role
// writes ai_costs rows only.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Channel } from '../channel.ts';
import { type ChatProvider, recordAiCost } from '../llm/mod.ts';
import { attachmentParts } from './attachments.ts';
import type { ImageGenerator } from './images.ts';
import { runTurn, type TurnResult } from './loop.ts';
import { bookingOrderPreRoute } from './pre_route.ts';
import { type ConversationStore, SupabaseConversationStore } from './store.ts';
import { ALL_TOOLS, permissionsToCheck } from './tools/registry.ts';
import type { AgentSettings, Attachment, CallerAccess, ToolSpec } from './types.ts';

export const CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

export interface AgentCoreOptions {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  provider: ChatProvider | null;
  images: ImageGenerator | null;
  settings?: Partial<AgentSettings>;
  tools?: ToolSpec[];
  /** Default true: single attached files are classified first (spec §3.1). */
  preRouting?: boolean;
}

export interface AgentCore {
  readonly provider: ChatProvider | null;
  readonly tools: ToolSpec[];
  readonly settings: AgentSettings;
  /** Permissions to ask public.held_permissions about for these tools. */
  readonly permissions: string[];
  /** supabase-js carrying a user's access token (`Bearer …`). */
  userClient(authorization: string): SupabaseClient;
  turn(turn: AgentTurn): Promise<TurnResult>;
}

export interface AgentTurn {
  db: SupabaseClient;
  caller: CallerAccess;
  channel: Channel;
  conversationId: string;
  requestId: string;
  text: string;
  /** What the person typed, when `text` was filled in for them (a Slack file without words). */
  typedText?: string;
  attachments: Attachment[];
  signal: AbortSignal;
  store?: ConversationStore;
}

export function createAgentCore(options: AgentCoreOptions): AgentCore {
  const service = createClient(options.supabaseUrl, options.serviceRoleKey, CLIENT_OPTIONS);
  const tools = options.tools ?? ALL_TOOLS;
  const settings: AgentSettings = {
    renderWaitMs: 60_000,
    renderPollMs: 750,
    now: () => new Date(),
    ...options.settings,
  };
  return {
    provider: options.provider,
    tools,
    settings,
    permissions: permissionsToCheck(tools),
    userClient: (authorization) =>
      createClient(options.supabaseUrl, options.anonKey, {
        ...CLIENT_OPTIONS,
        global: { headers: { Authorization: authorization } },
      }),
    turn: (turn) =>
      runTurn({
        store: turn.store ?? new SupabaseConversationStore(turn.db),
        provider: options.provider,
        tools,
        caller: turn.caller,
        channel: turn.channel,
        db: turn.db,
        images: options.images,
        settings,
        signal: turn.signal,
        attachmentParts: (files) => attachmentParts(turn.db, files),
        preRoute: options.preRouting === false ? undefined : bookingOrderPreRoute,
        recordCost: async (usage, info) => {
          await recordAiCost(service, usage, {
            userId: turn.caller.userId,
            conversationId: info.conversationId,
            callType: info.callType,
            workflow: info.workflow,
          });
        },
      }, {
        requestId: turn.requestId,
        conversationId: turn.conversationId,
        text: turn.text,
        typedText: turn.typedText,
        attachments: turn.attachments,
      }),
  };
}
