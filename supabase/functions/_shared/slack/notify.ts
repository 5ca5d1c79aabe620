// The slack-notify function: the receiver of the notifications webhook
// (docs/contracts/booking-orders-and-notifications.md §4). The database posts
// {"notification_id": "<uuid>"} with `Authorization: Bearer <notifications_webhook_secret>`
// after each notification commits; this handler
//   1. compares the bearer secret in constant time with NOTIFICATIONS_WEBHOOK_SECRET when the
//      env sets it, else with private.app_settings.notifications_webhook_secret (read through a
//      service-role-only RPC, cached for a minute) — no secret configured anywhere → 503,
//      nothing is ever posted for an unauthenticated caller;
//   2. claims notification:<id> so two deliveries of one notification DM once;
//   3. reads the notification, its recipient's Slack link and the buttons the recipient may
//      press NOW (public.slack_notification); no Slack link → skipped (the web inbox has it);
//   4. opens the DM (conversations.open) and posts the summary with the buttons
//      (chat.postMessage), and records channel/ts/delivered_at — or the error, releasing the
//      claim so a later delivery may retry.
// It answers after the post (well within the webhook's 5 s timeout) so net._http_response shows
// what happened: {status: delivered | skipped | duplicate | already_delivered}.
import type { WebClient } from '@slack/web-api';
import { errorResponse, json } from '../http.ts';
import { eventStatusLine, isUuid, notificationMessage } from './booking_orders.ts';
import { timingSafeEqual } from './signature.ts';
import { DatabaseError, type SlackNotification, type SlackStore } from './store.ts';

export interface SlackNotifyOptions {
  store: SlackStore;
  slack: WebClient | null;
  /** NOTIFICATIONS_WEBHOOK_SECRET; when unset the database's setting is used. */
  webhookSecret?: string | null;
  /** How long the database's secret is cached. */
  secretCacheMs?: number;
}

const encoder = new TextEncoder();

export function createSlackNotifyHandler(
  options: SlackNotifyOptions,
): (req: Request) => Promise<Response> {
  const { store } = options;
  const cacheMs = options.secretCacheMs ?? 60_000;
  let cached: { secret: string | null; until: number } | null = null;

  async function expectedSecret(fresh = false): Promise<string | null> {
    if (options.webhookSecret) return options.webhookSecret;
    if (fresh || !cached?.secret || cached.until < Date.now()) {
      cached = { secret: await store.webhookSecret(), until: Date.now() + cacheMs };
    }
    return cached.secret;
  }

  async function matches(secret: string | null, given: string): Promise<boolean> {
    if (!secret || !given) return false;
    const [a, b] = await Promise.all([
      crypto.subtle.digest('SHA-256', encoder.encode(secret)),
      crypto.subtle.digest('SHA-256', encoder.encode(given)),
    ]);
    // Digests first, so the comparison's length never depends on the secret's.
    return timingSafeEqual(new Uint8Array(a), new Uint8Array(b));
  }

  /**
   * The first delivery of an event rewrites the order's earlier to-review DMs: the event's
   * outcome on top, the buttons their recipient may press now (often none). Failures are
   * logged; they never fail the delivery itself.
   */
  async function refreshEarlierMessages(n: SlackNotification): Promise<void> {
    const eventId = Number(n.data.event_id);
    const order = n.booking_order;
    if (!options.slack || !order || !Number.isFinite(eventId)) return;
    if (!(await store.claim(`booking_order_messages:${eventId}`, 'booking_order_messages'))) return;
    const status = eventStatusLine(n.data);
    for (const earlier of await store.bookingOrderMessages(order.id, eventId)) {
      const message = notificationMessage({
        title: earlier.title,
        body: earlier.body,
        bookingOrderId: order.id,
        stage: earlier.action_stage,
        actions: earlier.actions,
        note: status,
      });
      await options.slack.chat.update({
        channel: earlier.slack_channel,
        ts: earlier.slack_ts!,
        text: `${status}\n${message.text}`.slice(0, 3000),
        blocks: message.blocks as never,
      }).catch((e) =>
        console.error('slack-notify: refreshing an earlier DM failed', earlier.id, e)
      );
    }
  }

  async function deliver(id: string): Promise<Response> {
    if (!(await store.claim(`notification:${id}`, 'notification'))) {
      return json({ status: 'duplicate' });
    }
    let claimed = true;
    try {
      const n = await store.notification(id);
      if (n.slack_ts) return json({ status: 'already_delivered', ts: n.slack_ts });
      await refreshEarlierMessages(n).catch((e) =>
        console.error('slack-notify: refreshing earlier DMs failed', id, e)
      );
      if (!n.recipient.slack_user_id || !n.recipient.is_active) {
        const reason = n.recipient.slack_user_id
          ? 'recipient is deactivated'
          : 'recipient has no Slack link';
        await store.recordDelivery(id, { error: reason });
        return json({ status: 'skipped', reason });
      }
      if (!options.slack) {
        await store.recordDelivery(id, { error: 'SLACK_BOT_TOKEN is not set' });
        await store.release(`notification:${id}`);
        claimed = false;
        return errorResponse(503, 'slack_not_configured', 'SLACK_BOT_TOKEN is not set');
      }
      const stale = n.kind === 'booking_order_to_review' && n.actions.length === 0 &&
        n.booking_order;
      const message = notificationMessage({
        title: n.title,
        body: n.body,
        bookingOrderId: n.booking_order?.id ?? null,
        stage: n.action_stage,
        actions: n.actions,
        note: stale
          ? `ℹ️ No action needed from you any more: the order is now ${n.booking_order!.stage} / ${
            n.booking_order!.status
          }.`
          : undefined,
      });
      const dm = await options.slack.conversations.open({ users: n.recipient.slack_user_id });
      const channel = dm.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      const posted = await options.slack.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
      });
      await store.recordDelivery(id, { channel, ts: posted.ts });
      return json({ status: 'delivered', channel, ts: posted.ts });
    } catch (e) {
      if (e instanceof DatabaseError && e.code === 'P0002') {
        return errorResponse(404, 'notification_not_found', e.message);
      }
      const message = (e as Error).message ?? String(e);
      console.error('slack-notify delivery failed', id, e);
      await store.recordDelivery(id, { error: message.slice(0, 1000) }).catch(() => {});
      if (claimed) await store.release(`notification:${id}`).catch(() => {});
      return errorResponse(502, 'slack_delivery_failed', message);
    }
  }

  return async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.');
    let secret: string | null;
    try {
      secret = await expectedSecret();
    } catch (e) {
      console.error('slack-notify cannot read the webhook secret', e);
      return errorResponse(503, 'secret_unavailable', 'The webhook secret could not be read.');
    }
    if (!secret) {
      return errorResponse(
        503,
        'webhook_secret_not_set',
        'Set notifications_webhook_secret in private.app_settings (or NOTIFICATIONS_WEBHOOK_SECRET).',
      );
    }
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
    // A secret rotated in the database within the cache period: read it again before refusing.
    const accepted = await matches(secret, given) ||
      (!options.webhookSecret && given !== '' &&
        await matches(await expectedSecret(true).catch(() => null), given));
    if (!accepted) {
      return errorResponse(401, 'invalid_webhook_secret', 'The bearer secret does not match.');
    }
    const body = await req.json().catch(() => null) as { notification_id?: unknown } | null;
    const id = body?.notification_id ?? req.headers.get('x-notification-id');
    if (!isUuid(id)) {
      return errorResponse(
        400,
        'invalid_notification_id',
        'Expected {"notification_id": "<uuid>"}.',
      );
    }
    return await deliver(id);
  };
}
