// One version of a booking order's documents, from its document JSON and the original's bytes:
// the workbook (.xlsx), the workbook as PDF (LibreOffice, or Gotenberg when configured), and the
// combined PDF with the original after it — stamped when the version is final.
import { convertOfficeToPdf, type ConvertOptions } from '../proposal/pdf.ts';
import { combinePdf, type StampOutcome } from './combined.ts';
import type { BookingOrderDocument } from './document.ts';
import { documentFileStem } from './file-names.ts';
import { originalToPdf } from './original.ts';
import type { rasterizeFirstPage } from './stamp.ts';
import { buildBookingOrderWorkbook } from './workbook.ts';

export { BookingOrderDocumentError, parseBookingOrderDocument, type BookingOrderDocument } from './document.ts';
export { documentFileStem, documentFolder } from './file-names.ts';
export { OriginalDocumentError } from './original.ts';

export interface RenderedBookingOrder {
  /** File name without extension, shared by both files. */
  fileStem: string;
  xlsx: Buffer;
  pdf: Buffer;
  workbookPages: number;
  originalPages: number;
  stamp: StampOutcome | null;
  /** Milliseconds spent per step, for logs and the bench. */
  timings: { workbook: number; workbookPdf: number; original: number; combine: number };
}

export interface RenderOptions {
  convert?: typeof convertOfficeToPdf;
  convertOptions?: ConvertOptions;
  rasterize?: typeof rasterizeFirstPage;
  /** Called between steps with a percentage, so a job can report progress and renew its lease. */
  progress?: (percent: number) => Promise<void>;
}

export async function renderBookingOrder(
  doc: BookingOrderDocument,
  original: { bytes: Buffer; filename: string } | null,
  options: RenderOptions = {},
): Promise<RenderedBookingOrder> {
  const convert = options.convert ?? convertOfficeToPdf;
  const progress = options.progress ?? (() => Promise.resolve());
  const clock = () => performance.now();

  let t = clock();
  const xlsx = await buildBookingOrderWorkbook(doc);
  const workbook = clock() - t;
  await progress(20);

  t = clock();
  const workbookPdf = await convert(xlsx, 'xlsx', options.convertOptions);
  const workbookPdfMs = clock() - t;
  await progress(50);

  t = clock();
  const originalPdf = original ? await originalToPdf(original.bytes, original.filename, { convert, convertOptions: options.convertOptions }) : null;
  const originalMs = clock() - t;
  await progress(70);

  t = clock();
  const fileStem = documentFileStem(doc);
  const combined = await combinePdf(workbookPdf, originalPdf, {
    title: fileStem,
    stamp: doc.final && doc.approval
      ? { date: doc.approval.approved_on, reference: doc.bo_ref, brand: doc.company.brand_name }
      : undefined,
    rasterize: options.rasterize,
  });
  const combineMs = clock() - t;
  await progress(85);

  return {
    fileStem,
    xlsx,
    pdf: combined.pdf,
    workbookPages: combined.workbookPages,
    originalPages: combined.originalPages,
    stamp: combined.stamp,
    timings: { workbook, workbookPdf: workbookPdfMs, original: originalMs, combine: combineMs },
  };
}
