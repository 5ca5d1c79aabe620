// The combined PDF (spec §3.9): the workbook's pages, then the client's original. A final
// version carries the approval stamp on the first page of the original (on the workbook's first
// page when the order has no original). Stamping is best effort: whatever goes wrong there is
// reported in the outcome and the PDF is delivered without it, never failing the job.
import { PDFDocument } from 'pdf-lib';
import { drawStamp, findStampPlacement, rasterizeFirstPage, type StampPlacement, type StampText, visualSize } from './stamp.ts';

export interface StampOutcome {
  applied: boolean;
  /** 1-based page of the combined PDF. */
  page: number;
  placement: StampPlacement | null;
  /** Why the page could not be analysed (the last-resort corner was used) or why no stamp was drawn. */
  error?: string;
}

export interface CombinedPdf {
  pdf: Buffer;
  workbookPages: number;
  originalPages: number;
  stamp: StampOutcome | null;
}

export interface CombineOptions {
  title: string;
  /** Given for the final version. */
  stamp?: StampText;
  rasterize?: typeof rasterizeFirstPage;
}

export async function combinePdf(workbookPdf: Buffer, originalPdf: Buffer | null, options: CombineOptions): Promise<CombinedPdf> {
  const out = await PDFDocument.create();
  const workbook = await PDFDocument.load(workbookPdf, { updateMetadata: false });
  for (const page of await out.copyPages(workbook, workbook.getPageIndices())) out.addPage(page);
  let originalPages = 0;
  if (originalPdf) {
    const original = await PDFDocument.load(originalPdf, { ignoreEncryption: true, updateMetadata: false });
    originalPages = original.getPageCount();
    for (const page of await out.copyPages(original, original.getPageIndices())) out.addPage(page);
  }
  out.setTitle(options.title);
  out.setProducer('MMG sales platform');

  let stamp: StampOutcome | null = null;
  let unstamped: Uint8Array | null = null;
  if (options.stamp) {
    unstamped = await out.save(); // what is delivered if drawing fails half-way
    const index = originalPages > 0 ? workbook.getPageCount() : 0;
    stamp = { applied: false, page: index + 1, placement: null };
    try {
      const page = out.getPage(index);
      const { width, height } = visualSize(page);
      let image = null;
      try {
        image = await (options.rasterize ?? rasterizeFirstPage)(originalPages > 0 ? originalPdf! : workbookPdf);
      } catch (e) {
        stamp.error = `page not analysed, stamped in the last-resort corner: ${(e as Error).message}`;
      }
      stamp.placement = findStampPlacement(image, width, height);
      await drawStamp(out, page, stamp.placement.rect, options.stamp);
      stamp.applied = true;
    } catch (e) {
      stamp.error = `not stamped: ${(e as Error).message}`;
    }
  }
  const pdf = stamp && !stamp.applied && unstamped ? unstamped : await out.save();
  return { pdf: Buffer.from(pdf), workbookPages: workbook.getPageCount(), originalPages, stamp };
}
