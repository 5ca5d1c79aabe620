// The chat function's HTTP surface, kept out of index.ts so tests can drive it without a
// server: POST …/chat (a turn, answered as Server-Sent Events) and POST …/chat/upload (one
// file). Everything runs with a supabase-js client carrying the caller's JWT; the service role
// is used for one thing only — writing ai_costs rows, which API roles cannot do.
import type { SupabaseClient } from '@supabase/supabase-js';
import { createSseChannel } from '../channel.ts';
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  databaseUnavailableResponse,
  isDatabaseUnavailable,
} from '../database_unavailable.ts';
import { handleUpload } from '../files/upload.ts';
import { corsHeaders, errorResponse, jwtClaims } from '../http.ts';
import type { ChatProvider } from '../llm/mod.ts';
import { AccessError, loadCallerAccess } from './access.ts';
import { AttachmentNotFound, loadAttachments } from './attachments.ts';
import { createAgentCore } from './core.ts';
import type { ImageGenerator } from './images.ts';
import { type ConversationStore, SupabaseConversationStore } from './store.ts';
import type { AgentSettings, ToolSpec } from './types.ts';

export const MAX_MESSAGE_CHARS = 10_000;
export const MAX_FILES_PER_MESSAGE = 10;
/** A turn (all rounds, tools and render waits) ends after this long. */
export const TURN_TIMEOUT_MS = 5 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ChatRequestBody {
  message: string;
  conversation_id?: string;
  file_ids: string[];
}

export class BadRequest extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Validates `{message, conversation_id?, file_ids?}` (spec §4.4 limits). */
export function parseChatBody(body: unknown): ChatRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('invalid_body', 'The body must be a JSON object.');
  }
  const { message, conversation_id, file_ids } = body as Record<string, unknown>;
  if (typeof message !== 'string' || !message.trim()) {
    throw new BadRequest('invalid_message', 'message must be a non-blank string.');
  }
  if (message.length > MAX_MESSAGE_CHARS) {
    throw new BadRequest(
      'message_too_long',
      `message has ${message.length} characters; at most ${MAX_MESSAGE_CHARS} are accepted.`,
    );
  }
  if (
    conversation_id !== undefined && conversation_id !== null &&
    (typeof conversation_id !== 'string' || !UUID.test(conversation_id))
  ) {
    throw new BadRequest('invalid_conversation_id', 'conversation_id must be a UUID.');
  }
  let ids: string[] = [];
  if (file_ids !== undefined && file_ids !== null) {
    if (
      !Array.isArray(file_ids) || file_ids.some((id) => typeof id !== 'string' || !UUID.test(id))
    ) {
      throw new BadRequest('invalid_file_ids', 'file_ids must be an array of file ids (UUIDs).');
    }
    if (file_ids.length > MAX_FILES_PER_MESSAGE) {
      throw new BadRequest(
        'too_many_files',
        `${file_ids.length} files attached; at most ${MAX_FILES_PER_MESSAGE} per message.`,
      );
    }
    ids = [...new Set(file_ids as string[])];
  }
  return {
    message,
    ...(conversation_id ? { conversation_id: conversation_id as string } : {}),
    file_ids: ids,
  };
}

export interface ChatServiceOptions {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** null: no API key configured (the turn answers no_llm_configured). */
  provider: ChatProvider | null;
  images: ImageGenerator | null;
  settings?: Partial<AgentSettings>;
  tools?: ToolSpec[];
  uploadLimitBytes?: number;
  /** For tests: a store other than Postgres. */
  store?: (db: SupabaseClient) => ConversationStore;
}

/** `{ settings }` from CHAT_RENDER_WAIT_SECONDS (default 60) and CHAT_RENDER_POLL_MS (750). */
export function settingsFromEnv(env: { get(name: string): string | undefined } = Deno.env) {
  const number = (name: string, fallback: number) => {
    const value = Number(env.get(name));
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    renderWaitMs: number('CHAT_RENDER_WAIT_SECONDS', 60) * 1000,
    renderPollMs: number('CHAT_RENDER_POLL_MS', 750),
  };
}

export function createChatHandler(
  options: ChatServiceOptions,
): (req: Request) => Promise<Response> {
  const core = createAgentCore(options);
  const wanted = core.permissions;
  const callerClient = core.userClient;

  async function chatTurn(req: Request, userId: string, db: SupabaseClient): Promise<Response> {
    let body: ChatRequestBody;
    try {
      body = parseChatBody(
        await req.json().catch(() => {
          throw new BadRequest('invalid_json', 'The body is not valid JSON.');
        }),
      );
    } catch (e) {
      if (e instanceof BadRequest) return errorResponse(400, e.code, e.message);
      throw e;
    }
    const store = options.store?.(db) ?? new SupabaseConversationStore(db);
    const title = body.message.trim().split('\n')[0].slice(0, 80);
    // Everything the turn needs first, at once. A new conversation is started alongside: its
    // insert policy already requires sales:chat:use, so it cannot exist for someone refused.
    const [caller, found, attachments] = await Promise.all([
      loadCallerAccess(db, wanted).catch((e: Error) => e),
      body.conversation_id
        ? store.findConversation(body.conversation_id)
        : store.createConversation(title, 'web').catch((e: Error) => e),
      loadAttachments(db, body.file_ids).catch((e: Error) => e),
    ]);
    // Do not leave an empty conversation behind for a message that goes no further (best
    // effort: when the database is away, the delete fails like the rest).
    const dropNew = async () => {
      if (!body.conversation_id && found && !(found instanceof Error)) {
        await db.from('conversations').delete().eq('id', found.id);
      }
    };
    if (caller instanceof Error) {
      await dropNew().catch(() => {});
      throw caller;
    }
    if (!caller.held.has('sales:chat:use')) {
      return errorResponse(
        403,
        'chat_not_allowed',
        'Using the chat needs the sales:chat:use permission.',
      );
    }
    if (found instanceof Error) throw found;
    if (attachments instanceof Error) {
      await dropNew();
      throw attachments;
    }
    if (!found) return errorResponse(404, 'conversation_not_found', 'No such conversation.');
    if (found.owner_id !== userId) {
      return errorResponse(
        403,
        'not_your_conversation',
        'You can read this conversation but not write to it.',
      );
    }
    const conversation = found;

    const { channel, response } = createSseChannel();
    // Not req.signal: Deno aborts it once the response is under way. A person who leaves is
    // noticed through the channel (closed) between rounds.
    const signal = AbortSignal.timeout(TURN_TIMEOUT_MS);
    const requestId = req.headers.get('x-request-id') ?? crypto.randomUUID();
    core.turn({
      db,
      caller,
      channel,
      signal,
      store,
      requestId,
      conversationId: conversation.id,
      text: body.message,
      attachments,
    }).catch(async (e) => {
      const unavailable = isDatabaseUnavailable(e);
      if (unavailable) console.warn('chat turn ended: database unavailable', (e as Error).message);
      else console.error('chat turn failed', e);
      await channel.send({
        type: 'error',
        error: unavailable
          ? { code: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE }
          : {
            code: 'internal_error',
            message: 'Something went wrong on our side; please try again.',
          },
      });
      await channel.send({ type: 'done', message_id: null });
    }).finally(() => channel.close());
    return response;
  }

  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
    const route = new URL(req.url).pathname.replace(/^\/chat/, '').replace(/\/+$/, '');
    if (route !== '' && route !== '/upload') {
      return errorResponse(404, 'not_found', 'Routes: POST /chat, POST /chat/upload.');
    }
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.');
    const claims = jwtClaims(req);
    if (!claims || claims.role !== 'authenticated' || typeof claims.sub !== 'string') {
      return errorResponse(401, 'not_signed_in', "Sign in first: send the user's access token.");
    }
    const db = callerClient(req.headers.get('Authorization')!);
    try {
      if (route === '/upload') {
        return await handleUpload(req, {
          db,
          userId: claims.sub,
          limitBytes: options.uploadLimitBytes,
        });
      }
      return await chatTurn(req, claims.sub, db);
    } catch (e) {
      if (e instanceof AccessError) return errorResponse(e.status, e.code, e.message);
      if (e instanceof AttachmentNotFound) return errorResponse(404, 'file_not_found', e.message);
      if (isDatabaseUnavailable(e)) {
        console.warn('chat request refused: database unavailable', (e as Error).message);
        return databaseUnavailableResponse();
      }
      console.error('chat request failed', e);
      return errorResponse(500, 'internal_error', 'Something went wrong on our side.');
    }
  };
}
