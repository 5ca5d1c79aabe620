// Booking orders in Slack (spec §3.5, §5): the approver DM with Approve / Reject / Cancel, the
// reason modals, the message a decision leaves behind, and what a refusal from the database
// says to the person who clicked. Who may act is never decided here — the buttons carry only
// the order id, and public.slack_act runs the workflow functions as the clicking user.
// Titles, summaries, names and reasons are plain text from the database: they are escaped
// (&, <, >), not converted as Markdown, so what people typed is never rewritten.
import { escapeMrkdwn } from './mrkdwn.ts';
import type { BookingOrderAction } from './store.ts';
import { DatabaseError } from './store.ts';

export type Stage = 'coordinator' | 'hos';
export type ButtonKind = 'approve' | 'reject' | 'cancel';

export interface ButtonAction {
  actionId: string;
  kind: ButtonKind;
  stage: Stage;
  sql: BookingOrderAction;
}

/** Action ids of §5, each bound to the workflow function it runs. */
export const BUTTON_ACTIONS: Record<string, ButtonAction> = Object.fromEntries(
  (['coordinator', 'hos'] as Stage[]).flatMap((stage) =>
    (['approve', 'reject', 'cancel'] as ButtonKind[]).map((kind) => {
      const sql = kind === 'cancel' ? 'cancel' : `${stage}_${kind}` as BookingOrderAction;
      return [`${kind}_bo_${stage}`, { actionId: `${kind}_bo_${stage}`, kind, stage, sql }];
    })
  ),
);

export const REASON_BLOCK = { reject: 'rejection_reason', cancel: 'cancellation_reason' } as const;
export const REASON_INPUT = 'reason_input';
export const REASON_MAX_CHARS = 2000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID.test(value);

type Block = Record<string, unknown>;

function section(mrkdwn: string): Block {
  // A section's text is limited to 3000 characters.
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: mrkdwn.length > 3000 ? `${mrkdwn.slice(0, 2990)}…` : mrkdwn },
  };
}

/** "Label: value" lines of the SQL summary, with the labels in bold. */
export function summaryMrkdwn(body: string): string {
  return escapeMrkdwn(body).split('\n').map((line) => {
    const m = /^([A-Za-z][A-Za-z ()%.-]{0,30}):(\s.*)?$/.exec(line);
    return m ? `*${m[1]}:*${m[2] ?? ''}` : line;
  }).join('\n');
}

/** The DM of a notification: title, summary and — when the recipient may act now — buttons. */
export function notificationMessage(input: {
  title: string;
  body: string;
  bookingOrderId: string | null;
  stage: Stage | null;
  actions: ButtonKind[];
  /** A line under the summary, e.g. that the order has moved on. */
  note?: string;
}): { text: string; blocks: Block[] } {
  const text = `*${escapeMrkdwn(input.title)}*\n${summaryMrkdwn(input.body)}`;
  const blocks: Block[] = [section(text)];
  if (input.bookingOrderId && input.stage && input.actions.length) {
    blocks.push({
      type: 'actions',
      block_id: `bo_actions_${input.stage}`,
      elements: input.actions.map((kind) => ({
        type: 'button',
        action_id: `${kind}_bo_${input.stage}`,
        text: {
          type: 'plain_text',
          text: kind === 'approve' ? 'Approve' : kind === 'reject' ? 'Reject' : 'Cancel',
          emoji: true,
        },
        value: input.bookingOrderId,
        ...(kind === 'approve'
          ? { style: 'primary' }
          : kind === 'reject'
          ? { style: 'danger' }
          : {}),
      })),
    });
  }
  if (input.note) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: input.note }] });
  }
  return { text: `${input.title}\n${input.body}`.slice(0, 3000), blocks };
}

/** The decision replacing a button message: status first, the original summary kept, no buttons. */
export function decisionMessage(
  status: string,
  original: string | null,
): { text: string; blocks: Block[] } {
  const blocks: Block[] = [section(status)];
  if (original) blocks.push(section(original));
  return { text: status, blocks };
}

export function decisionStatus(
  action: ButtonAction,
  actorName: string,
  order: Record<string, any> | undefined,
  reason?: string,
): string {
  const who = escapeMrkdwn(actorName);
  const why = reason ? `\n*Reason:* ${escapeMrkdwn(reason)}` : '';
  switch (action.sql) {
    case 'coordinator_approve':
      return `✅ *Approved by ${who}* — sent to the head of sales.`;
    case 'hos_approve':
      return `✅ *Approved by ${who}* — ${
        order?.bo_ref ? `reference *${order.bo_ref}*, ` : ''
      }finance has been notified.`;
    case 'coordinator_reject':
      return `✏️ *Rejected by ${who}* — the order is back with the coordinator for corrections.${why}`;
    case 'hos_reject':
      return `❌ *Rejected by ${who}* — sent back to the coordinator.${why}`;
    case 'cancel':
      return `🚫 *Cancelled by ${who}*${why}`;
  }
}

/**
 * What happened to an order, from a notification's data (event_type, actor_name, reason,
 * bo_ref): the line written over DMs whose buttons the event made stale.
 */
export function eventStatusLine(data: Record<string, unknown>): string {
  const who = escapeMrkdwn(String(data.actor_name ?? 'someone'));
  const why = data.reason ? ` — reason: ${escapeMrkdwn(String(data.reason))}` : '';
  switch (data.event_type) {
    case 'coordinator_approved':
      return `✅ Approved by ${who} — sent to the head of sales.`;
    case 'coordinator_rejected':
      return `✏️ Rejected by ${who} — being corrected by the coordinator.${why}`;
    case 'resubmitted':
      return `🔄 Corrected and resubmitted by ${who} — waiting for the coordinator's approval.`;
    case 'hos_approved':
      return `✅ Approved by ${who}${
        data.bo_ref ? ` — reference ${escapeMrkdwn(String(data.bo_ref))}` : ''
      }, finance has been notified.`;
    case 'hos_rejected':
      return `❌ Rejected by ${who} — sent back to the coordinator${why}`;
    case 'cancelled':
      return `🚫 Cancelled by ${who}${why}`;
    case 'superseded':
      return 'ℹ️ Replaced by its revision.';
    default:
      return `ℹ️ Updated by ${who}.`;
  }
}

/** The reason modal of Reject / Cancel (§3.5 T6, T7). */
export function reasonModal(action: ButtonAction, metadata: ModalMetadata): Block {
  const reject = action.kind === 'reject';
  return {
    type: 'modal',
    callback_id: `${action.kind}_bo_${action.stage}_modal`,
    private_metadata: encodeModalMetadata(metadata),
    title: { type: 'plain_text', text: reject ? 'Reject booking order' : 'Cancel booking order' },
    submit: { type: 'plain_text', text: reject ? 'Reject' : 'Confirm Cancel' },
    close: { type: 'plain_text', text: 'Go Back' },
    blocks: [
      ...(metadata.summary ? [section(metadata.summary)] : []),
      {
        type: 'input',
        block_id: reject ? REASON_BLOCK.reject : REASON_BLOCK.cancel,
        label: { type: 'plain_text', text: reject ? 'Rejection Reason' : 'Cancellation Reason' },
        element: {
          type: 'plain_text_input',
          action_id: REASON_INPUT,
          multiline: true,
          max_length: REASON_MAX_CHARS,
          placeholder: {
            type: 'plain_text',
            text: reject ? 'What needs to change?' : 'Why is this order cancelled?',
          },
        },
      },
    ],
  };
}

/** What a modal carries from the click to the submission (private_metadata, ≤ 3000 characters). */
export interface ModalMetadata {
  booking_order_id: string;
  action_id: string;
  response_url?: string;
  channel?: string;
  ts?: string;
  /** The clicked message's summary, to keep it in the decision message. */
  summary?: string;
}

export function encodeModalMetadata(metadata: ModalMetadata): string {
  let encoded = JSON.stringify(metadata);
  if (encoded.length > 3000) encoded = JSON.stringify({ ...metadata, summary: undefined });
  return encoded;
}

export function decodeModalMetadata(raw: unknown): ModalMetadata | null {
  if (typeof raw !== 'string') return null;
  try {
    const m = JSON.parse(raw) as ModalMetadata;
    return isUuid(m.booking_order_id) && typeof m.action_id === 'string' ? m : null;
  } catch {
    return null;
  }
}

export const LINK_ACCOUNT_TEXT =
  'Your Slack account is not linked to an MMG sales platform account yet, so I cannot act ' +
  'for you. Ask an administrator to add your Slack member ID to your user in *Admin → Users* ' +
  '(in Slack: your profile → ⋮ → *Copy member ID*), then try again.';

export const INACTIVE_ACCOUNT_TEXT =
  'Your MMG sales platform account is deactivated, so I cannot act for you. ' +
  'Ask an administrator if this is a mistake.';

/** What the clicking person reads when the database refused (or failed) an action. */
export function refusalText(e: unknown, action: ButtonAction): string {
  if (!(e instanceof DatabaseError)) {
    return '❌ *Error:* something went wrong on our side; please try again in a moment.';
  }
  const said = escapeMrkdwn(e.message);
  switch (e.code) {
    case '42501':
      if (e.detail === 'slack_not_linked') return LINK_ACCOUNT_TEXT;
      if (e.detail === 'user_inactive') return INACTIVE_ACCOUNT_TEXT;
      return `⛔ This is not yours to ${action.kind}: ${said}. Nothing was changed.`;
    case '55000':
      return `ℹ️ Already handled — ${said}. Nothing was changed.`;
    case 'P0002':
      return 'ℹ️ That booking order no longer exists or is not visible to you.';
    case '22023':
      return `❌ *Error:* ${said}`;
    case '23P01':
      return `❌ *Cannot approve — overbooking:* ${said}`;
    default:
      return '❌ *Error:* the booking order could not be updated; please try again in a moment.';
  }
}

/** The text of the clicked message's first section (the summary), if any. */
export function originalSummary(message: unknown): string | null {
  const blocks = (message as { blocks?: Array<Record<string, any>> } | undefined)?.blocks;
  const found = blocks?.find((b) => b.type === 'section' && typeof b.text?.text === 'string');
  return found ? String(found.text.text) : null;
}
