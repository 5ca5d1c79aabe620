// A proposal job (contract §2, payload {proposal_id, quote}): fetch the location photos, build
// the deck from the quote, convert it to PDF, and store both under the owner's folder.
import { buildDeck } from '../../proposal/deck.ts';
import { isUuid, proposalObjectPath } from '../../proposal/file-names.ts';
import { parseQuote } from '../../proposal/quote.ts';
import { JobError } from '../errors.ts';
import type { JobContext } from '../worker.ts';

export const PPTX_TYPE = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
export const PHOTO_BUCKET = 'location-photos';
export const PROPOSAL_BUCKET = 'proposals';

export async function renderProposal(ctx: JobContext): Promise<Record<string, unknown>> {
  const { job } = ctx;
  const proposalId = job.payload.proposal_id;
  if (!isUuid(proposalId)) throw new JobError('proposal job payload has no valid proposal_id', false);
  const quote = parseQuote(job.payload.quote);
  await ctx.progress(5);

  // Each photo once, however often its location appears.
  const wanted = new Map<string, string>();
  for (const l of quote.locations) if (l.photo_path && !wanted.has(l.photo_path)) wanted.set(l.photo_path, l.display_name);
  const photos = new Map(
    await Promise.all(
      [...wanted].map(async ([path, name]) => [path, await ctx.download(PHOTO_BUCKET, path, `the photo of ${name}`)] as const),
    ),
  );
  await ctx.progress(25);

  const deck = await buildDeck(quote, photos);
  await ctx.progress(40);
  const pdf = await ctx.convertPdf(deck.pptx, { expectedPages: deck.slides.length });
  await ctx.progress(85);

  const pptxPath = proposalObjectPath(job.owner_id, quote.client_name, ctx.startedAt, 'pptx');
  const pdfPath = proposalObjectPath(job.owner_id, quote.client_name, ctx.startedAt, 'pdf');
  await ctx.upload({ bucket: PROPOSAL_BUCKET, path: pptxPath }, deck.pptx, PPTX_TYPE);
  await ctx.upload({ bucket: PROPOSAL_BUCKET, path: pdfPath }, pdf, 'application/pdf');
  await ctx.progress(95);

  return { proposal_id: proposalId, bucket: PROPOSAL_BUCKET, pdf_path: pdfPath, pptx_path: pptxPath, pages: deck.slides.length };
}
