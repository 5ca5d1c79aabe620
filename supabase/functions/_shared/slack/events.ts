// The slack-events function (Events API and interactivity on one URL), kept out of index.ts so
// tests drive it without a server. Per request, in this order:
//   1. read the raw body once and verify the v0 signature (401/403 otherwise) — nothing is
//      parsed before that;
//   2. url_verification → echo the challenge;
//   3. drop what is not for us (bot messages, other subtypes, channel chatter) without a claim;
//   4. claim the delivery key in slack_events_seen — a retry (X-Slack-Retry-Num) or a duplicate
//      finds it taken and is acknowledged without running again; with the database away the
//      claim fails, the answer is 503 and Slack's retry is the first delivery;
//   5. answer 200 and continue in the background (background.ts): identity, then the work.
// The one synchronous exception is a modal submission: Slack shows validation errors only in the
// answer to that request, so the reason is checked and the action run (under a time budget) first.
//
// Identity never fails open (§11.9): every message and click is resolved to the platform user
// whose users.slack_user_id matches; unknown or deactivated members get the linking message and
// nothing else runs. Actions run in SQL as that user (public.slack_act).
import type { WebClient } from '@slack/web-api';
import { databaseUnavailableResponse, isDatabaseUnavailable } from '../database_unavailable.ts';
import { errorResponse, json } from '../http.ts';
import { type BackgroundRunner, createBackgroundRunner } from './background.ts';
import {
  BUTTON_ACTIONS,
  type ButtonAction,
  decisionMessage,
  decisionStatus,
  decodeModalMetadata,
  INACTIVE_ACCOUNT_TEXT,
  isUuid,
  LINK_ACCOUNT_TEXT,
  originalSummary,
  REASON_BLOCK,
  REASON_INPUT,
  REASON_MAX_CHARS,
  reasonModal,
  refusalText,
} from './booking_orders.ts';
import { respond } from './client.ts';
import { readVerifiedBody, signatureErrorResponse, SlackSignatureError } from './signature.ts';
import { DatabaseError, type SlackIdentity, type SlackStore } from './store.ts';

/** A file attached to a Slack message (the fields of Slack's file object we use). */
export interface SlackFile {
  id: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** A message for the agent, from a linked, active platform user. */
export interface SlackChatMessage {
  identity: Extract<SlackIdentity, { status: 'linked' }>;
  channel: string;
  /** im for a DM, channel (or group, mpim) for a mention. */
  channelType: string;
  text: string;
  ts: string;
  /** Where replies go: the thread of a mention, or the DM thread the person wrote in. */
  threadTs: string | null;
  files: SlackFile[];
}

export type SlackChatHandler = (message: SlackChatMessage, slack: WebClient) => Promise<void>;

export interface SlackEventsOptions {
  signingSecret: string | null | undefined;
  store: SlackStore;
  /** null when SLACK_BOT_TOKEN is not set: requests are still verified and acknowledged. */
  slack: WebClient | null;
  chat: SlackChatHandler;
  background?: BackgroundRunner;
  /** For response_url posts. */
  fetch?: typeof fetch;
  /** Seconds since the epoch (signature window). */
  now?: () => number;
  /** file_shared waits this long so the message event of the same upload (with its text) wins. */
  fileSharedGraceMs?: number;
  /** How long a modal submission may wait for the database before the modal closes anyway. */
  submissionBudgetMs?: number;
}

interface Interaction {
  type: string;
  trigger_id?: string;
  response_url?: string;
  user?: { id?: string };
  actions?: Array<{ action_id?: string; value?: string; action_ts?: string }>;
  container?: { channel_id?: string; message_ts?: string };
  channel?: { id?: string };
  message?: unknown;
  view?: {
    callback_id?: string;
    private_metadata?: string;
    state?: { values?: Record<string, Record<string, { value?: string | null }>> };
  };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createSlackEventsHandler(
  options: SlackEventsOptions,
): (req: Request) => Promise<Response> {
  const { store } = options;
  // Requests being acknowledged right now: background work waits for a burst to be answered.
  let acknowledging = 0;
  const background = options.background ??
    createBackgroundRunner({ concurrency: 8, busy: () => acknowledging > 0 });
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const fetchImpl = options.fetch ?? fetch;
  const graceMs = options.fileSharedGraceMs ?? 1_500;
  const budgetMs = options.submissionBudgetMs ?? 2_500;

  function slack(): WebClient {
    if (!options.slack) {
      throw new Error('SLACK_BOT_TOKEN is not set: cannot call the Slack Web API');
    }
    return options.slack;
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  async function reply(
    channel: string,
    text: string,
    opts: { threadTs?: string | null; ephemeralTo?: string } = {},
  ) {
    if (opts.ephemeralTo) {
      await slack().chat.postEphemeral({
        channel,
        user: opts.ephemeralTo,
        text,
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      });
    } else {
      await slack().chat.postMessage({
        channel,
        text,
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      });
    }
  }

  async function handleMessage(
    m: Omit<SlackChatMessage, 'identity'> & { user: string },
  ): Promise<void> {
    // A DM upload arrives twice (message with files, and file_shared): each file once.
    const files: SlackFile[] = [];
    for (const file of m.files) {
      if (await store.claim(`file:${file.id}`, 'file')) files.push(file);
    }
    const identity = await store.identity(m.user);
    if (identity.status !== 'linked') {
      // In a channel only the person sees it; in a DM it is the conversation anyway.
      await reply(
        m.channel,
        identity.status === 'inactive' ? INACTIVE_ACCOUNT_TEXT : LINK_ACCOUNT_TEXT,
        {
          threadTs: m.threadTs,
          ephemeralTo: m.channelType === 'im' ? undefined : m.user,
        },
      );
      return;
    }
    if (!m.text.trim() && m.files.length && !files.length) return;
    await options.chat({
      identity,
      channel: m.channel,
      channelType: m.channelType,
      text: m.text,
      ts: m.ts,
      threadTs: m.threadTs,
      files,
    }, slack());
  }

  async function handleFileShared(event: Record<string, any>): Promise<void> {
    await delay(graceMs);
    const fileId = String(event.file_id ?? event.file?.id);
    if (!(await store.claim(`file:${fileId}`, 'file_shared'))) return;
    const info = await slack().files.info({ file: fileId });
    const file = info.file as (SlackFile & { channels?: string[]; ims?: string[] }) | undefined;
    if (!file) return;
    // Only files shared in a DM with the bot are addressed to it.
    const channel: string | undefined = event.channel_id ?? file.ims?.[0];
    if (!channel?.startsWith('D')) return;
    const identity = await store.identity(String(event.user_id));
    if (identity.status !== 'linked') {
      await reply(
        channel,
        identity.status === 'inactive' ? INACTIVE_ACCOUNT_TEXT : LINK_ACCOUNT_TEXT,
      );
      return;
    }
    await options.chat({
      identity,
      channel,
      channelType: 'im',
      text: '',
      ts: String(event.event_ts ?? ''),
      threadTs: null,
      files: [file],
    }, slack());
  }

  /** The background work of an event, or null when the event is not for us. */
  function eventWork(envelope: Record<string, any>): (() => Promise<void>) | null {
    const event = envelope.event as Record<string, any> | undefined;
    if (!event || typeof event.type !== 'string') return null;
    const botUsers = new Set<string>(
      ((envelope.authorizations ?? []) as Array<{ user_id?: string; is_bot?: boolean }>)
        .filter((a) => a.is_bot && a.user_id).map((a) => a.user_id!),
    );
    const files = Array.isArray(event.files)
      ? (event.files as SlackFile[]).filter((f) => f && typeof f.id === 'string')
      : [];
    switch (event.type) {
      case 'message': {
        if (event.bot_id || !event.user || botUsers.has(event.user)) return null;
        if (event.subtype !== undefined && event.subtype !== 'file_share') return null;
        if (event.channel_type !== 'im') return null; // channel chatter; mentions come as app_mention
        return () =>
          handleMessage({
            user: event.user,
            channel: event.channel,
            channelType: 'im',
            text: String(event.text ?? ''),
            ts: String(event.ts),
            threadTs: event.thread_ts ?? null,
            files,
          });
      }
      case 'app_mention': {
        if (event.bot_id || !event.user || botUsers.has(event.user)) return null;
        return () =>
          handleMessage({
            user: event.user,
            channel: event.channel,
            channelType: 'channel',
            text: String(event.text ?? '').replace(/<@[A-Z0-9]+>/g, '').trim(),
            ts: String(event.ts),
            threadTs: event.thread_ts ?? event.ts,
            files,
          });
      }
      case 'file_shared': {
        if (!event.user_id || botUsers.has(event.user_id) || !(event.file_id ?? event.file?.id)) {
          return null;
        }
        // Files shared in channels are not addressed to the bot; DMs (D…) are.
        if (event.channel_id && !String(event.channel_id).startsWith('D')) return null;
        return () => handleFileShared(event);
      }
      default:
        return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Buttons and modals

  async function tellClicker(p: Interaction, text: string): Promise<void> {
    if (p.response_url) {
      await respond(
        p.response_url,
        { response_type: 'ephemeral', replace_original: false, text },
        fetchImpl,
      );
    } else if (p.channel?.id && p.user?.id) {
      await slack().chat.postEphemeral({ channel: p.channel.id, user: p.user.id, text });
    }
  }

  async function replaceButtons(
    target: { response_url?: string; channel?: string; ts?: string },
    message: { text: string; blocks: unknown[] },
  ) {
    if (target.response_url) {
      await respond(target.response_url, { replace_original: true, ...message }, fetchImpl);
    } else if (target.channel && target.ts) {
      await slack().chat.update({
        channel: target.channel,
        ts: target.ts,
        text: message.text,
        blocks: message.blocks as never,
      });
    }
  }

  async function handleButton(
    p: Interaction,
    action: ButtonAction,
    bookingOrderId: string,
  ): Promise<void> {
    const user = p.user!.id!;
    if (action.kind === 'approve') {
      let result;
      try {
        result = await store.act(user, action.sql, bookingOrderId);
      } catch (e) {
        if (!(e instanceof DatabaseError)) console.error('slack approve failed', e);
        await tellClicker(p, refusalText(e, action));
        return;
      }
      await replaceButtons(
        {
          response_url: p.response_url,
          channel: p.container?.channel_id,
          ts: p.container?.message_ts,
        },
        decisionMessage(
          decisionStatus(action, result.actor.name, result.booking_order),
          originalSummary(p.message),
        ),
      );
      return;
    }
    // Reject and cancel need a reason: ask only someone who may do it now.
    try {
      await store.act(user, action.sql, bookingOrderId, null, true);
    } catch (e) {
      if (!(e instanceof DatabaseError)) console.error('slack dry run failed', e);
      await tellClicker(p, refusalText(e, action));
      return;
    }
    await slack().views.open({
      trigger_id: p.trigger_id!,
      view: reasonModal(action, {
        booking_order_id: bookingOrderId,
        action_id: action.actionId,
        response_url: p.response_url,
        channel: p.container?.channel_id ?? p.channel?.id,
        ts: p.container?.message_ts,
        summary: originalSummary(p.message) ?? undefined,
      }) as never,
    });
  }

  function modalErrors(blockId: string, message: string): Response {
    // Modal errors are plain text.
    return json({
      response_action: 'errors',
      errors: { [blockId]: message.replace(/[*_]/g, '').slice(0, 300) },
    });
  }

  async function handleSubmission(p: Interaction): Promise<Response> {
    const view = p.view ?? {};
    const kind = /^(reject|cancel)_bo_(coordinator|hos)_modal$/.exec(view.callback_id ?? '');
    const metadata = decodeModalMetadata(view.private_metadata);
    if (!kind || !metadata || !p.user?.id) return new Response(null, { status: 200 });
    const action = BUTTON_ACTIONS[`${kind[1]}_bo_${kind[2]}`];
    const blockId = kind[1] === 'reject' ? REASON_BLOCK.reject : REASON_BLOCK.cancel;
    const reason = (view.state?.values?.[blockId]?.[REASON_INPUT]?.value ?? '').trim();
    if (!reason) return modalErrors(blockId, 'Please give a reason.');
    if (reason.length > REASON_MAX_CHARS) {
      return modalErrors(blockId, `At most ${REASON_MAX_CHARS} characters.`);
    }
    if (p.trigger_id && !(await store.claim(`interaction:${p.trigger_id}`, 'view_submission'))) {
      return new Response(null, { status: 200 });
    }

    const user = p.user.id;
    const target = {
      response_url: metadata.response_url,
      channel: metadata.channel,
      ts: metadata.ts,
    };
    const done = (result: Awaited<ReturnType<SlackStore['act']>>) =>
      replaceButtons(
        target,
        decisionMessage(
          decisionStatus(action, result.actor.name, result.booking_order, reason),
          metadata.summary ?? null,
        ),
      );
    const work = store.act(user, action.sql, metadata.booking_order_id, reason);
    const outcome = await Promise.race([
      work.then((result) => ({ result }), (error) => ({ error })),
      delay(budgetMs).then(() => null),
    ]);
    if (outcome === null) {
      // Slow database: close the modal now and report where the buttons were.
      background('slack submission', async () => {
        try {
          await done(await work);
        } catch (e) {
          if (metadata.response_url) {
            await respond(metadata.response_url, {
              response_type: 'ephemeral',
              replace_original: false,
              text: refusalText(e, action),
            }, fetchImpl);
          }
        }
      });
      return new Response(null, { status: 200 });
    }
    if ('error' in outcome) {
      if (!(outcome.error instanceof DatabaseError)) {
        console.error('slack submission failed', outcome.error);
      }
      return modalErrors(blockId, refusalText(outcome.error, action));
    }
    background('slack decision message', () => done(outcome.result));
    return new Response(null, { status: 200 });
  }

  async function interactivity(p: Interaction): Promise<Response> {
    if (p.type === 'view_submission') return await handleSubmission(p);
    if (p.type !== 'block_actions') return new Response(null, { status: 200 });
    const clicked = p.actions?.[0];
    const action = clicked?.action_id ? BUTTON_ACTIONS[clicked.action_id] : undefined;
    if (!action || !p.user?.id) return new Response(null, { status: 200 });
    const key = p.trigger_id
      ? `interaction:${p.trigger_id}`
      : `interaction:${p.user.id}:${clicked?.action_ts}`;
    if (!(await store.claim(key, clicked!.action_id!))) return new Response(null, { status: 200 });
    const bookingOrderId = clicked!.value;
    background(`slack ${action.actionId}`, async () => {
      if (!isUuid(bookingOrderId)) {
        await tellClicker(p, '❌ *Error:* this button does not name a booking order.');
        return;
      }
      await handleButton(p, action, bookingOrderId);
    });
    return new Response(null, { status: 200 });
  }

  // ---------------------------------------------------------------------------------------------

  async function acknowledge(req: Request): Promise<Response> {
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.');
    let raw: Uint8Array;
    try {
      raw = await readVerifiedBody(req, options.signingSecret, now());
    } catch (e) {
      if (e instanceof SlackSignatureError) return signatureErrorResponse(e);
      throw e;
    }
    const text = new TextDecoder().decode(raw);
    try {
      if ((req.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
        const payload = new URLSearchParams(text).get('payload');
        if (!payload) {
          return errorResponse(400, 'unsupported_request', 'Expected an interactivity payload.');
        }
        return await interactivity(JSON.parse(payload) as Interaction);
      }
      const envelope = JSON.parse(text) as Record<string, any>;
      if (envelope.type === 'url_verification') return json({ challenge: envelope.challenge });
      if (envelope.type !== 'event_callback' || typeof envelope.event_id !== 'string') {
        return json({ ok: true });
      }
      const work = eventWork(envelope);
      if (!work) return json({ ok: true, ignored: true });
      if (!(await store.claim(envelope.event_id, String(envelope.event?.type)))) {
        return json({ ok: true, duplicate: true });
      }
      background(`slack ${envelope.event.type} ${envelope.event_id}`, work);
      return json({ ok: true });
    } catch (e) {
      if (e instanceof SyntaxError) {
        return errorResponse(400, 'invalid_json', 'The body is not valid JSON.');
      }
      if (isDatabaseUnavailable(e)) {
        // Nothing was claimed: Slack retries a non-2xx, and the retry claims and runs it once.
        console.warn('slack-events: database unavailable', (e as Error).message);
        return databaseUnavailableResponse();
      }
      console.error('slack-events failed', e);
      return errorResponse(500, 'internal_error', 'Something went wrong on our side.');
    }
  }

  return async (req: Request): Promise<Response> => {
    acknowledging++;
    try {
      return await acknowledge(req);
    } finally {
      acknowledging--;
    }
  };
}
