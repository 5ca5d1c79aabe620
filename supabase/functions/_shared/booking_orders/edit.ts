// A coordinator's message about a booking order (spec §3.6), from the web or a Slack thread:
// the model turns it into {action, fields, message}; `edit` goes to public.edit_booking_order
// as a JSON patch (SQL validates and recalculates; a refusal is explained in plain words and
// nothing changes), `execute` applies any last fields and calls public.resubmit_booking_order,
// `view` is answered from the order as SQL computed it — never from the model's arithmetic.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { AiCallType, ChatProvider, UsageEvent } from '../llm/mod.ts';
import { BookingOrderError, type DbError, plainWords } from './errors.ts';
import { editPrompt } from './prompts.ts';
import { EDIT_ACTIONS, type EditAction, editFormat } from './schema.ts';

/** Coordinator-stage states in which SQL accepts edits. */
export const EDITABLE_STATUSES = ['pending', 'editing', 'hos_rejected'];
/** States in which the order is being corrected (after a rejection): the Slack editing thread. */
export const CORRECTION_STATUSES = ['editing', 'hos_rejected'];

export interface EditDeps {
  /** supabase-js with the coordinator's JWT. */
  db: SupabaseClient;
  provider: ChatProvider;
  recordCost(usage: UsageEvent, callType: AiCallType, company: string | null): Promise<void>;
  /** bo_edit (web) or coordinator_thread (Slack). */
  callType: AiCallType;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface EditOutcome {
  action: EditAction;
  message: string;
  order: Record<string, any>;
}

async function rpc<T>(db: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await db.rpc(fn, args);
  if (error) throw fromDb(error as DbError);
  return data as T;
}

function fromDb(error: DbError): BookingOrderError {
  switch (error.code) {
    case 'P0002':
      return new BookingOrderError(
        404,
        'booking_order_not_found',
        'No such booking order that you can see.',
      );
    case '42501':
      return new BookingOrderError(403, 'not_coordinator', error.message);
    case '55000':
      return new BookingOrderError(409, 'not_editable', error.message);
    case '22023':
      return new BookingOrderError(
        422,
        'edit_rejected',
        `${plainWords(error.message)} Nothing was changed.`,
      );
    default:
      return new BookingOrderError(
        502,
        'database_error',
        `The booking order could not be updated: ${error.message}`,
      );
  }
}

/** The order, if the caller may see it. */
export function loadOrder(db: SupabaseClient, id: string): Promise<Record<string, any>> {
  return rpc(db, 'get_booking_order', { booking_order_id: id });
}

export function isEditable(order: Record<string, any>, statuses = EDITABLE_STATUSES): boolean {
  return order.stage === 'coordinator' && statuses.includes(order.status);
}

/** Whether the caller is a coordinator of this order now (pending_booking_orders offers "edit"). */
export async function canCoordinate(db: SupabaseClient, id: string): Promise<boolean> {
  const { data, error } = await db.rpc('pending_booking_orders').eq('booking_order_id', id);
  if (error) throw fromDb(error as DbError);
  return ((data ?? []) as Array<{ actions: string[] }>).some((row) => row.actions.includes('edit'));
}

/** 404 / 409 / 403 before any model call. */
export async function assertCoordinatorEdit(
  db: SupabaseClient,
  id: string,
  statuses = EDITABLE_STATUSES,
): Promise<Record<string, any>> {
  const order = await loadOrder(db, id);
  if (!isEditable(order, statuses)) {
    throw new BookingOrderError(
      409,
      'not_editable',
      `Booking order ${
        order.bo_ref ?? order.id
      } is ${order.stage}/${order.status}; it can be edited only ` +
        'while it is with the coordinator.',
    );
  }
  if (!(await canCoordinate(db, id))) {
    throw new BookingOrderError(
      403,
      'not_coordinator',
      `Only a coordinator of ${order.company} may edit this booking order.`,
    );
  }
  return order;
}

const money = (order: Record<string, any>, key: string) => order.display?.[key] ?? '—';

/** The order in a few plain lines (the §3.6 `view`). */
export function orderSummary(order: Record<string, any>): string {
  const f = order.fields ?? {};
  const items = (order.items ?? []) as Array<Record<string, any>>;
  const lines = [
    `Client: ${f.client ?? '—'}`,
    `Campaign: ${f.brand_campaign ?? '—'}`,
    `BO number: ${f.bo_number ?? '—'}${
      order.display?.bo_date ? ` (${order.display.bo_date})` : ''
    }`,
    `Net (pre-VAT): ${money(order, 'net_pre_vat')}`,
    `VAT: ${money(order, 'vat_amount')}`,
    `Gross: ${money(order, 'gross_amount')}`,
    `Agency: ${f.agency ?? '—'}`,
    `Sales person: ${f.sales_person ?? '—'}`,
  ];
  if (items.length) {
    lines.push('Locations:');
    for (const item of items.slice(0, 3)) {
      lines.push(
        `- ${item.name ?? item.asset ?? '?'}: ${item.start_date_display ?? '?'} to ${
          item.end_date_display ?? '?'
        }`,
      );
    }
    if (items.length > 3) lines.push(`- …and ${items.length - 3} more`);
  }
  lines.push(`Warnings: ${order.warnings?.length ?? 0}`);
  if (order.missing_fields?.length) lines.push(`Missing: ${order.missing_fields.join(', ')}`);
  return lines.join('\n');
}

function figuresLine(order: Record<string, any>): string {
  const warnings = order.warnings?.length
    ? ` ${order.warnings.length} warning${order.warnings.length === 1 ? '' : 's'}: ${
      order.warnings.join('; ')
    }`
    : '';
  return `Now: net ${money(order, 'net_pre_vat')}, VAT ${money(order, 'vat_amount')}, gross ` +
    `${money(order, 'gross_amount')}.${warnings}`;
}

function historyLines(events: Array<Record<string, any>>): string[] {
  return events.slice(-10).map((e) => {
    const when = String(e.created_at ?? '').slice(0, 16).replace('T', ' ');
    const who = e.actor_name ?? 'someone';
    if (e.event_type === 'edited') {
      const changed = Object.keys(e.data?.changes ?? {}).join(', ') || 'nothing';
      return `${when} ${who} edited: ${changed}`;
    }
    return `${when} ${who}: ${e.event_type}${e.reason ? ` — ${e.reason}` : ''}`;
  });
}

/** Runs one coordinator message; throws BookingOrderError (nothing changes on a refusal). */
export async function editByMessage(
  deps: EditDeps,
  bookingOrderId: string,
  message: string,
  options: { statuses?: string[] } = {},
): Promise<EditOutcome> {
  const text = message.trim();
  if (!text) {
    throw new BookingOrderError(400, 'invalid_message', 'message must be a non-blank string.');
  }
  if (text.length > 10_000) {
    throw new BookingOrderError(400, 'message_too_long', 'message: at most 10,000 characters.');
  }
  const order = await assertCoordinatorEdit(deps.db, bookingOrderId, options.statuses);
  const history = await rpc<Array<Record<string, any>>>(deps.db, 'booking_order_history', {
    booking_order_id: bookingOrderId,
  });
  const result = await deps.provider.structured({
    system: editPrompt({
      order,
      history: historyLines(history),
      today: (deps.now?.() ?? new Date()).toLocaleDateString('en-CA', { timeZone: 'Asia/Dubai' }),
    }),
    messages: [{ role: 'user', content: text }],
    format: editFormat(),
    reasoningEffort: 'low',
  }, deps.signal);
  if (result.usage) await deps.recordCost(result.usage, deps.callType, order.company);
  if (!result.ok) {
    throw new BookingOrderError(
      502,
      result.error.code === 'invalid_json' ? 'model_output_invalid' : 'model_unavailable',
      `The AI model could not read that request (${result.error.message}). Nothing was changed; please try again.`,
    );
  }
  const action = EDIT_ACTIONS.find((a) => a === result.value.action);
  const fields = result.value.fields;
  if (
    !action ||
    (fields !== undefined && fields !== null &&
      (typeof fields !== 'object' || Array.isArray(fields)))
  ) {
    throw new BookingOrderError(
      502,
      'model_output_invalid',
      'The AI model answered outside the expected shape. Nothing was changed; please rephrase.',
    );
  }
  const patch = (fields ?? {}) as Record<string, unknown>;
  const said = typeof result.value.message === 'string' ? result.value.message.trim() : '';

  if (action === 'view') {
    return { action, message: orderSummary(order), order };
  }
  if (action === 'edit') {
    if (!Object.keys(patch).length) {
      return {
        action,
        message: said || 'I did not find a change in that message. What should be different?',
        order,
      };
    }
    const edited = await rpc<Record<string, any>>(deps.db, 'edit_booking_order', {
      booking_order_id: bookingOrderId,
      patch,
    });
    return { action, message: `${said || 'Done.'}\n${figuresLine(edited)}`, order: edited };
  }
  // execute
  let current = order;
  if (Object.keys(patch).length) {
    current = await rpc(deps.db, 'edit_booking_order', { booking_order_id: bookingOrderId, patch });
  }
  if (current.status === 'pending') {
    return {
      action,
      message: `${
        said ? `${said}\n` : ''
      }It is already waiting for approval — use Approve or Reject.`,
      order: current,
    };
  }
  const resubmitted = await rpc<Record<string, any>>(deps.db, 'resubmit_booking_order', {
    booking_order_id: bookingOrderId,
  });
  return {
    action,
    message: `${said || 'Sent back for approval.'}\n${figuresLine(resubmitted)}`,
    order: resubmitted,
  };
}
