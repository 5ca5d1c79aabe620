// A booking_order job (payload {booking_order_id, version, final}, queued by the database on
// submission, on edits that change what the documents show, and at final approval): read that
// version's content, render the workbook and the combined PDF, store both in the version's own
// folder. A version that is no longer current renders nothing and reports {stale: true}: the
// database records paths only for the current version anyway, so nothing is wasted on it.
import {
  BookingOrderDocumentError,
  documentFolder,
  OriginalDocumentError,
  parseBookingOrderDocument,
  renderBookingOrder,
  type RenderOptions,
} from '../../booking-order/index.ts';
import { isUuid } from '../../proposal/file-names.ts';
import { JobError } from '../errors.ts';
import type { JobContext } from '../worker.ts';

export const BOOKING_ORDER_BUCKET = 'booking-orders';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface RenderInput {
  current_version: number | null;
  document: unknown;
}

async function renderInput(ctx: JobContext, bookingOrderId: string, version: number): Promise<RenderInput> {
  if (!ctx.rpc) throw new JobError('booking-order jobs need the database (no rpc in this context)', false);
  const input = await ctx.rpc('booking_order_render_input', { booking_order_id: bookingOrderId, version });
  if (typeof input !== 'object' || input === null) throw new JobError('booking_order_render_input returned nothing', true);
  return input as RenderInput;
}

export function bookingOrderHandler(options: RenderOptions = {}) {
  return async function renderBookingOrderJob(ctx: JobContext): Promise<Record<string, unknown>> {
    const { booking_order_id: bookingOrderId, version } = ctx.job.payload;
    if (!isUuid(bookingOrderId)) throw new JobError('booking_order job payload has no valid booking_order_id', false);
    if (!Number.isInteger(version) || (version as number) < 1) throw new JobError('booking_order job payload has no valid version', false);
    const id = bookingOrderId.toLowerCase();
    const stale = (current: number | null) => ({ booking_order_id: id, version, stale: true, current_version: current });

    const input = await renderInput(ctx, id, version as number);
    if (input.document === null || input.document === undefined) {
      ctx.log('booking_order.stale', { job_id: ctx.job.id, booking_order_id: id, version, current_version: input.current_version });
      return stale(input.current_version);
    }
    let rendered;
    try {
      const doc = parseBookingOrderDocument(input.document);
      await ctx.progress(5);
      const source = doc.source_document;
      const original = source
        ? { bytes: await ctx.download(source.bucket, source.path, `the original booking order "${source.filename}"`), filename: source.filename }
        : null;
      await ctx.progress(10);
      rendered = { doc, output: await renderBookingOrder(doc, original, { ...options, progress: (p) => ctx.progress(p) }) };
    } catch (e) {
      if (e instanceof BookingOrderDocumentError || e instanceof OriginalDocumentError) throw new JobError(e.message, false);
      throw e;
    }
    const { doc, output } = rendered;

    // Rendering takes seconds; an edit in the meantime makes this version stale before upload.
    const again = await renderInput(ctx, id, version as number);
    if (again.document === null || again.document === undefined) return stale(again.current_version);

    const folder = documentFolder(doc, version as number);
    const excelPath = `${folder}${output.fileStem}.xlsx`;
    const pdfPath = `${folder}${output.fileStem}.pdf`;
    // Same version, same content: a retry after a half-finished attempt may replace its files.
    await ctx.upload({ bucket: BOOKING_ORDER_BUCKET, path: excelPath }, output.xlsx, XLSX_TYPE, { upsert: true });
    await ctx.upload({ bucket: BOOKING_ORDER_BUCKET, path: pdfPath }, output.pdf, 'application/pdf', { upsert: true });
    await ctx.progress(95);
    if (output.stamp && !output.stamp.applied) ctx.log('booking_order.stamp_failed', { job_id: ctx.job.id, error: output.stamp.error });

    return {
      booking_order_id: id,
      version,
      final: doc.final,
      bucket: BOOKING_ORDER_BUCKET,
      excel_path: excelPath,
      combined_pdf_path: pdfPath,
      pages: { workbook: output.workbookPages, original: output.originalPages },
      stamp: output.stamp
        ? { applied: output.stamp.applied, page: output.stamp.page, corner: output.stamp.placement?.corner ?? null,
            scale: output.stamp.placement?.scale ?? null, empty_corner: output.stamp.placement?.empty ?? null,
            ...(output.stamp.error ? { error: output.stamp.error } : {}) }
        : null,
      ms: Object.fromEntries(Object.entries(output.timings).map(([k, v]) => [k, Math.round(v)])),
    };
  };
}

export const renderBookingOrderJob = bookingOrderHandler();
