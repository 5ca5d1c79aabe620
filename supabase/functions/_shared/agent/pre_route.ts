// Spec §3.1 pre-routing for the chat: when a message carries exactly one file that could be a
// booking order and the person may submit booking orders, the file is classified first.
//   high-confidence BOOKING_ORDER  → parsed at once (parse_booking_order), the model is skipped
//   high-confidence ARTWORK/OTHER  → the model is told, and decides (mockup, question…)
//   anything less certain          → the model is told the guess, and decides
// Any failure of the pre-check leaves the message to the model unchanged.
import {
  documentParts,
  isBookingOrderFile,
  loadSourceDocument,
} from '../booking_orders/document.ts';
import { classifyDocument } from '../booking_orders/pipeline.ts';
import type { AiCallType, UsageEvent } from '../llm/mod.ts';
import type { PreRoute, TurnInput } from './loop.ts';
import { parseAttachedBookingOrder } from './tools/booking_orders.ts';
import { permits, type ToolContext, ToolError, type ToolOutcome } from './types.ts';

export const CREATE_PERMISSION = 'sales:booking_orders:create';

function answerFor(outcome: ToolOutcome, filename: string): string {
  if (!outcome.ok) {
    return `I could not submit **${filename}** as a booking order: ${outcome.error.message}`;
  }
  const d = outcome.data as Record<string, any>;
  const figures = d.figures ?? {};
  const lines = [
    `I read **${filename}** as a booking order for **${d.client ?? 'an unnamed client'}** ` +
    `(${String(d.company).toUpperCase()}) and sent it to the coordinator for review.`,
    `- Net: ${figures.net_pre_vat ?? '—'}, VAT: ${figures.vat_amount ?? '—'}, gross: ${
      figures.gross_amount ?? '—'
    }`,
  ];
  if (d.warnings?.length) lines.push(`- Warnings: ${d.warnings.join('; ')}`);
  if (d.missing_fields?.length) lines.push(`- Missing: ${d.missing_fields.join(', ')}`);
  return lines.join('\n');
}

export async function bookingOrderPreRoute(
  ctx: ToolContext,
  input: TurnInput,
): Promise<PreRoute | null> {
  const [file] = input.attachments;
  if (
    input.attachments.length !== 1 || !ctx.llm || !permits(ctx.caller, CREATE_PERMISSION) ||
    !isBookingOrderFile(file.filename)
  ) {
    return null;
  }
  let classification;
  try {
    const document = await loadSourceDocument(ctx.db, file.documentId);
    const parts = await documentParts(document);
    await ctx.status('Looking at the attached file…');
    classification = await classifyDocument(
      {
        db: ctx.db,
        provider: ctx.llm,
        companies: ctx.caller.companies,
        recordCost: async (usage: UsageEvent, callType: AiCallType) => {
          await ctx.recordCost(usage, callType, 'bo_parsing').catch((e) =>
            console.error('recording the AI cost failed', (e as Error).message)
          );
        },
        signal: ctx.signal,
      },
      parts,
      input.typedText ?? input.text,
    );
  } catch (e) {
    console.error('pre-routing: classification skipped', (e as Error).message);
    return null;
  }
  const name = file.filename;
  const notes = (input.typedText ?? input.text).trim() || undefined;
  if (classification.kind === 'BOOKING_ORDER' && classification.confidence === 'high') {
    const call = {
      id: `pre_${crypto.randomUUID().slice(0, 8)}`,
      name: 'parse_booking_order',
      arguments: { file_id: file.documentId, ...(notes ? { notes } : {}) },
    };
    let outcome: ToolOutcome;
    try {
      outcome = await parseAttachedBookingOrder(
        ctx,
        { file_id: file.documentId, notes },
        classification,
      );
    } catch (e) {
      const error = e instanceof ToolError
        ? { code: e.code, message: e.message }
        : { code: 'tool_failed', message: 'reading the booking order failed unexpectedly' };
      if (!(e instanceof ToolError)) console.error('pre-routed parse failed', e);
      outcome = { ok: false, error, summary: error.message.slice(0, 140) };
    }
    return { kind: 'handled', call, outcome, answer: answerFor(outcome, name) };
  }
  const because = classification.reasoning ? ` (${classification.reasoning})` : '';
  if (classification.confidence === 'high' && classification.kind === 'ARTWORK') {
    return {
      kind: 'note',
      text: `[Pre-check: ${name} is artwork — a creative or design${because}. Treat it as an ` +
        'image for a mockup, not as a booking order.]',
    };
  }
  if (classification.confidence === 'high' && classification.kind === 'OTHER') {
    return {
      kind: 'note',
      text: `[Pre-check: ${name} is neither a booking order nor artwork${because}.]`,
    };
  }
  return {
    kind: 'note',
    text:
      `[Pre-check: ${name} may be ${
        classification.kind === 'BOOKING_ORDER'
          ? 'a booking order'
          : classification.kind === 'ARTWORK'
          ? 'artwork'
          : 'neither a booking order nor artwork'
      } (${classification.confidence} confidence)${because}. If the person wants it submitted as a ` +
      `booking order, call parse_booking_order with file id ${file.documentId}.]`,
  };
}
