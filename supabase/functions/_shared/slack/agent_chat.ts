// Chat with the agent from Slack (spec §4.1, §5): a linked person's DM or mention runs the SAME
// agent core as the web chat (../agent/core.ts) — tools, history, pre-routing of a single file,
// costs — with the person's OWN JWT (user_session.ts), and answers through the Slack channel
// adapter (channel.ts). Before that, a message in the thread of a booking order the person
// coordinates goes to the edit path (thread_edit.ts). Files shared in the DM become their
// uploads through the same checks as the web (files.ts).
import { createClient } from '@supabase/supabase-js';
import type { WebClient } from '@slack/web-api';
import { AccessError, loadCallerAccess } from '../agent/access.ts';
import type { AgentCore } from '../agent/core.ts';
import type { Attachment } from '../agent/types.ts';
import { type AiCallType, recordAiCost, type UsageEvent } from '../llm/mod.ts';
import { INACTIVE_ACCOUNT_TEXT } from './booking_orders.ts';
import { SlackChannel } from './channel.ts';
import type { SlackChatHandler, SlackChatMessage } from './events.ts';
import { SlackFileError, storeSlackFile } from './files.ts';
import { markdownToMrkdwn } from './mrkdwn.ts';
import { handleCoordinatorThread } from './thread_edit.ts';
import { UserSessionError, type UserSessions } from './user_session.ts';

export const CHAT_PERMISSION = 'sales:chat:use';

export const CHAT_NOT_ALLOWED_TEXT =
  '💬 Your account can act on booking orders here — the Approve / Reject / Cancel buttons, and ' +
  "corrections in a booking order's thread — but chatting with the sales assistant needs the " +
  'chat permission. Ask an administrator if you need it.';

export const SIGN_IN_FAILED_TEXT =
  '❌ *Error:* I could not sign you in to the sales platform just now, so nothing was done. ' +
  'Please try again in a moment.';

/** A turn ends after this long (as on the web). */
export const SLACK_TURN_TIMEOUT_MS = 5 * 60_000;
const MAX_TEXT = 10_000;

export interface SlackAgentChatOptions {
  core: AgentCore;
  sessions: Pick<UserSessions, 'accessToken' | 'forget'>;
  supabaseUrl: string;
  serviceRoleKey: string;
  /** For downloading shared files (url_private_download). */
  botToken: string | null;
  fetch?: typeof fetch;
}

/** Conversation key: one per DM, one per thread (a mention's or a DM thread's). */
export function conversationKey(m: Pick<SlackChatMessage, 'channel' | 'threadTs'>): string {
  return m.threadTs ? `${m.channel}:${m.threadTs}` : m.channel;
}

export function createSlackAgentChat(options: SlackAgentChatOptions): SlackChatHandler {
  const service = createClient(options.supabaseUrl, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { core } = options;

  async function post(slack: WebClient, m: SlackChatMessage, text: string) {
    await slack.chat.postMessage({
      channel: m.channel,
      text,
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    });
  }

  return async (m, slack) => {
    try {
      await handle(m, slack);
    } catch (e) {
      console.error('slack chat failed', e);
      await post(
        slack,
        m,
        '❌ *Error:* something went wrong on our side; please try again in a moment.',
      )
        .catch(() => {});
    }
  };

  async function handle(m: SlackChatMessage, slack: WebClient): Promise<void> {
    const user = m.identity;
    let token: string;
    try {
      token = await options.sessions.accessToken({ user_id: user.user_id, email: user.email });
    } catch (e) {
      console.error('slack chat: sign-in failed', e instanceof UserSessionError ? e.message : e);
      await post(slack, m, SIGN_IN_FAILED_TEXT);
      return;
    }
    const db = core.userClient(`Bearer ${token}`);
    const recordCost = async (usage: UsageEvent, callType: AiCallType, company: string | null) => {
      await recordAiCost(service, usage, {
        userId: user.user_id,
        callType,
        workflow: 'bo_editing',
        company,
        context: 'slack thread',
      }).catch((e) => console.error('recording the AI cost failed', (e as Error).message));
    };
    if (await handleCoordinatorThread({ db, slack, provider: core.provider, recordCost }, m)) {
      return;
    }

    let caller;
    try {
      caller = await loadCallerAccess(db, core.permissions);
    } catch (e) {
      if (e instanceof AccessError && e.code === 'user_inactive') {
        options.sessions.forget(user.user_id);
        await post(slack, m, INACTIVE_ACCOUNT_TEXT);
        return;
      }
      throw e;
    }
    if (!caller.held.has(CHAT_PERMISSION)) {
      await post(slack, m, CHAT_NOT_ALLOWED_TEXT);
      return;
    }

    const attachments: Attachment[] = [];
    const refused: string[] = [];
    for (const file of m.files) {
      try {
        attachments.push(
          await storeSlackFile(db, caller.userId, file, {
            botToken: options.botToken,
            fetch: options.fetch,
          }),
        );
      } catch (e) {
        if (!(e instanceof SlackFileError)) throw e;
        refused.push(`${e.filename}: ${e.message}`);
      }
    }
    if (refused.length) {
      await post(slack, m, markdownToMrkdwn(`❌ **Not used:** ${refused.join('\n')}`));
    }
    const typed = m.text.trim().slice(0, MAX_TEXT);
    if (!typed && !attachments.length) return;
    const text = typed || `[Shared ${attachments.map((a) => a.filename).join(', ')}]`;

    const key = conversationKey(m);
    const { data: found, error } = await db.from('conversations')
      .select('id')
      .eq('owner_id', caller.userId)
      .eq('channel', 'slack')
      .contains('metadata', { slack_key: key })
      .order('created_at', { ascending: false })
      .limit(1);
    if (error) throw new Error(`reading the Slack conversation failed: ${error.message}`);
    let conversationId = (found ?? [])[0]?.id as string | undefined;
    if (!conversationId) {
      const created = await db.from('conversations').insert({
        title: text.split('\n')[0].slice(0, 80),
        channel: 'slack',
        metadata: { slack_key: key, slack_channel: m.channel, slack_thread_ts: m.threadTs },
      }).select('id').single();
      if (created.error) {
        throw new Error(`starting the Slack conversation failed: ${created.error.message}`);
      }
      conversationId = created.data.id as string;
    }

    const channel = new SlackChannel(
      slack,
      { channel: m.channel, threadTs: m.threadTs },
      options.fetch,
    );
    try {
      await core.turn({
        db,
        caller,
        channel,
        conversationId,
        requestId: `slack:${m.ts}`,
        text,
        typedText: typed,
        attachments,
        signal: AbortSignal.timeout(SLACK_TURN_TIMEOUT_MS),
      });
    } catch (e) {
      console.error('slack chat turn failed', e);
      await channel.send({
        type: 'error',
        error: {
          code: 'internal_error',
          message: 'Something went wrong on our side; please try again.',
        },
      });
    } finally {
      await channel.close();
    }
  }
}
