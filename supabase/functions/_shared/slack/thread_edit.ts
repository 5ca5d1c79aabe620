// Spec §3.6 in Slack: a coordinator's message in the thread of a booking order they were asked
// to review. While the order is being corrected (after Reject, or sent back by the head of
// sales) the message goes to the natural-language edit path (../booking_orders/edit.ts) as the
// coordinator; "execute" resubmits it and new Approve / Reject / Cancel buttons are posted in
// the thread. At any other state the thread only reminds them to use the buttons.
// The thread is recognised by its root: a notification DM to this person (read under their
// RLS — only their own notifications), of kind to-review at the coordinator stage.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { WebClient } from '@slack/web-api';
import {
  CORRECTION_STATUSES,
  editByMessage,
  isEditable,
  orderSummary,
} from '../booking_orders/edit.ts';
import { BookingOrderError } from '../booking_orders/errors.ts';
import type { AiCallType, ChatProvider, UsageEvent } from '../llm/mod.ts';
import { notificationMessage } from './booking_orders.ts';
import type { SlackChatMessage } from './events.ts';
import { markdownToMrkdwn } from './mrkdwn.ts';

export interface ThreadEditDeps {
  db: SupabaseClient;
  slack: WebClient;
  provider: ChatProvider | null;
  recordCost(usage: UsageEvent, callType: AiCallType, company: string | null): Promise<void>;
}

/** The booking order whose coordinator DM is the root of this thread, if any. */
export async function coordinatorThreadOrder(
  db: SupabaseClient,
  channel: string,
  threadTs: string,
): Promise<string | null> {
  const { data, error } = await db.from('notifications')
    .select('booking_order_id,kind,data')
    .eq('slack_channel', channel)
    .eq('slack_ts', threadTs)
    .limit(1);
  if (error) throw new Error(`reading the thread's notification failed: ${error.message}`);
  const row = (data ?? [])[0] as
    | { booking_order_id: string | null; kind: string; data: Record<string, unknown> }
    | undefined;
  if (!row?.booking_order_id || row.kind !== 'booking_order_to_review') return null;
  return row.data?.stage === 'coordinator' ? row.booking_order_id : null;
}

export const REMINDER_PENDING =
  'This booking order is waiting for your decision: use the *Approve* / *Reject* buttons above. ' +
  'To correct it, press *Reject* first — then tell me the changes here and say "execute" when it ' +
  'is ready.';

async function reply(deps: ThreadEditDeps, m: SlackChatMessage, text: string, extra = {}) {
  await deps.slack.chat.postMessage({
    channel: m.channel,
    thread_ts: m.threadTs!,
    text,
    ...extra,
  });
}

/** Handles the message when it belongs to a coordinator thread; false when it does not. */
export async function handleCoordinatorThread(
  deps: ThreadEditDeps,
  m: SlackChatMessage,
): Promise<boolean> {
  if (!m.threadTs || m.channelType !== 'im' || m.files.length || !m.text.trim()) return false;
  const id = await coordinatorThreadOrder(deps.db, m.channel, m.threadTs);
  if (!id) return false;

  const { data: order, error } = await deps.db.rpc('get_booking_order', { booking_order_id: id });
  if (error) {
    await reply(deps, m, 'ℹ️ That booking order no longer exists or is not visible to you.');
    return true;
  }
  if (!isEditable(order, CORRECTION_STATUSES)) {
    await reply(
      deps,
      m,
      order.stage === 'coordinator' && order.status === 'pending'
        ? REMINDER_PENDING
        : `ℹ️ This booking order has moved on (now ${order.stage} / ${order.status}); there is ` +
          'nothing to change here.',
    );
    return true;
  }
  if (!deps.provider) {
    await reply(
      deps,
      m,
      '❌ *Error:* no AI model is configured, so I cannot read changes. Use the web app.',
    );
    return true;
  }
  try {
    const outcome = await editByMessage(
      {
        db: deps.db,
        provider: deps.provider,
        recordCost: deps.recordCost,
        callType: 'coordinator_thread',
      },
      id,
      m.text,
      { statuses: CORRECTION_STATUSES },
    );
    await reply(deps, m, markdownToMrkdwn(outcome.message));
    if (outcome.action === 'execute' && outcome.order.status === 'pending') {
      const client = outcome.order.fields?.client ?? 'unnamed client';
      const buttons = notificationMessage({
        title: `Booking order ready for approval: ${client} (${
          String(outcome.order.company).toUpperCase()
        })`,
        body: orderSummary(outcome.order),
        bookingOrderId: id,
        stage: 'coordinator',
        actions: ['approve', 'reject', 'cancel'],
      });
      await reply(deps, m, buttons.text, { blocks: buttons.blocks });
    }
  } catch (e) {
    if (!(e instanceof BookingOrderError)) console.error('coordinator thread edit failed', e);
    const text = e instanceof BookingOrderError
      ? `❌ **Error:** ${e.message}`
      : '❌ **Error:** something went wrong on our side; nothing was changed. Please try again.';
    await reply(deps, m, markdownToMrkdwn(text));
  }
  return true;
}
