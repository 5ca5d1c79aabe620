// Booking-order tools over the shared pipeline (../../booking_orders): an attached document
// becomes a booking order (parse_booking_order — classification, extraction, SQL checks and
// recalculation, the coordinator is notified), and coordinators correct orders
// (edit_booking_order — a JSON patch through public.edit_booking_order, then optionally
// public.resubmit_booking_order). Both run with the caller's JWT.
import { BookingOrderError } from '../../booking_orders/errors.ts';
import { loadSourceDocument } from '../../booking_orders/document.ts';
import {
  type Classification,
  parseBookingOrder,
  type ParsedBookingOrder,
} from '../../booking_orders/pipeline.ts';
import { BOOKING_ORDER_FIELDS } from '../../booking_orders/schema.ts';
import type { AiCallType, UsageEvent } from '../../llm/mod.ts';
import { type ToolContext, ToolError, type ToolOutcome, type ToolSpec } from '../types.ts';
import { rpc } from './common.ts';

const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

interface ParseArgs {
  file_id: string;
  company?: string;
  notes?: string;
}

/** The result the model reads (and the chat pre-routing reuses). */
export function parsedOutcome(parsed: ParsedBookingOrder, filename: string): ToolOutcome {
  const { order } = parsed;
  return {
    ok: true,
    data: {
      booking_order_id: order.id,
      file: filename,
      company: parsed.company,
      classification: {
        kind: parsed.classification.kind,
        confidence: parsed.classification.confidence,
      },
      stage: order.stage,
      status: order.status,
      client: order.fields?.client ?? null,
      bo_number: order.fields?.bo_number ?? null,
      figures: order.display ?? {},
      locations: (order.items ?? []).map((i: Record<string, unknown>) => ({
        name: i.name,
        start: i.start_date_display,
        end: i.end_date_display,
        net: i.net_amount,
      })),
      warnings: order.warnings ?? [],
      missing_fields: order.missing_fields ?? [],
      next_step: 'Sent to the coordinator for review.',
    },
    summary: `booking order for ${
      order.fields?.client ?? 'an unnamed client'
    } sent to the coordinator`,
  };
}

/** Runs the pipeline for a file the caller can read; BookingOrderError becomes a ToolError. */
export async function parseAttachedBookingOrder(
  ctx: ToolContext,
  args: ParseArgs,
  classification?: Classification,
): Promise<ToolOutcome> {
  if (!ctx.llm) {
    throw new ToolError('llm_not_configured', 'no AI model is configured to read documents');
  }
  try {
    const document = await loadSourceDocument(ctx.db, args.file_id);
    const parsed = await parseBookingOrder({
      db: ctx.db,
      provider: ctx.llm,
      companies: ctx.caller.companies,
      recordCost: async (usage: UsageEvent, callType: AiCallType) => {
        try {
          await ctx.recordCost(usage, callType, 'bo_parsing');
        } catch (e) {
          console.error('recording the AI cost failed', (e as Error).message);
        }
      },
      signal: ctx.signal,
      status: ctx.status,
      now: ctx.settings.now,
    }, { document, company: args.company, notes: args.notes, classification });
    return parsedOutcome(parsed, document.filename);
  } catch (e) {
    if (e instanceof BookingOrderError) throw new ToolError(e.code, e.message);
    throw e;
  }
}

const parseBookingOrderTool: ToolSpec<ParseArgs> = {
  name: 'parse_booking_order',
  description:
    "Read an uploaded booking order (the client's signed order: PDF, Excel, Word or photo) and " +
    'submit it into the approval workflow (coordinator → head of sales → finance). The platform ' +
    'extracts the fields, recalculates the figures and reports warnings and missing fields.',
  parameters: {
    type: 'object',
    required: ['file_id'],
    properties: {
      file_id: { type: 'string', pattern: UUID_PATTERN, description: 'File id of the attachment.' },
      company: {
        type: 'string',
        minLength: 2,
        description: 'Company slug, only when the person named the company.',
      },
      notes: {
        type: 'string',
        maxLength: 2000,
        description:
          "The person's instructions that override the document (SLA %, payment terms…).",
      },
    },
    additionalProperties: false,
  },
  permission: 'sales:booking_orders:create',
  workflow: 'bo_parsing',
  run: (ctx, args) => parseAttachedBookingOrder(ctx, args),
};

interface EditArgs {
  booking_order_id: string;
  changes?: Record<string, unknown>;
  resubmit?: boolean;
}

const editBookingOrderTool: ToolSpec<EditArgs> = {
  name: 'edit_booking_order',
  description:
    'Coordinators: correct a booking order that is with the coordinator (pending, being ' +
    'corrected, or sent back by the head of sales) and, with resubmit = true, send it back for ' +
    'approval. Only the fields that change; locations as the complete new list. Figures are ' +
    'recalculated by the platform.',
  parameters: {
    type: 'object',
    required: ['booking_order_id'],
    properties: {
      booking_order_id: { type: 'string', pattern: UUID_PATTERN },
      changes: {
        type: 'object',
        description: `Fields to change: ${BOOKING_ORDER_FIELDS.join(', ')}. Percentages as ` +
          'fractions (10 % = 0.10), dates YYYY-MM-DD.',
      },
      resubmit: { type: 'boolean', description: 'Send it back for approval after the changes.' },
    },
    additionalProperties: false,
  },
  permission: 'sales:booking_orders:coordinate',
  workflow: 'bo_editing',
  async run(ctx, args) {
    const changes = args.changes ?? {};
    if (!Object.keys(changes).length && !args.resubmit) {
      throw new ToolError('nothing_to_do', 'give the changes, resubmit = true, or both');
    }
    let order: Record<string, any> | null = null;
    if (Object.keys(changes).length) {
      order = await rpc(ctx.db, 'edit_booking_order', {
        booking_order_id: args.booking_order_id,
        patch: changes,
      }, 'editing the booking order');
    }
    if (args.resubmit) {
      order = await rpc(ctx.db, 'resubmit_booking_order', {
        booking_order_id: args.booking_order_id,
      }, 'resubmitting the booking order');
    }
    return {
      ok: true,
      data: {
        booking_order_id: args.booking_order_id,
        stage: order!.stage,
        status: order!.status,
        figures: order!.display ?? {},
        warnings: order!.warnings ?? [],
        missing_fields: order!.missing_fields ?? [],
      },
      summary: args.resubmit ? 'booking order sent back for approval' : 'booking order updated',
    };
  },
};

export const bookingOrderTools: ToolSpec[] = [parseBookingOrderTool, editBookingOrderTool];
