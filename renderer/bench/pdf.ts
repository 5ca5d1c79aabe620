// `npm run bench:pdf`: proposal deck build time (pptxgenjs), PPTX → PDF conversion time
// (p50 of 5) for a 2-location separate deck and a 10-location combined deck, and the wall time
// of 3 conversions at once. Uses GOTENBERG_URL when set, else LibreOffice. Prints figures only.
import { availableParallelism } from 'node:os';
import { parseQuote, type Quote } from '../src/proposal/quote.ts';
import { combinedOf, separateUsd } from '../test/fixtures/quotes.ts';
import { photosFor } from '../test/fixtures/photos.ts';

process.env.PDF_CONVERT_CONCURRENCY ??= '3'; // so the 3-at-once figure measures 3 processes
const { buildDeck } = await import('../src/proposal/deck.ts');
const { convertPptxToPdf, pdfConversions, pdfEngine } = await import('../src/proposal/pdf.ts');

const RUNS = 5;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

const cases: Array<[string, Quote]> = [['separate, 2 locations', separateUsd], ['combined, 10 locations', combinedOf(10)]];
console.log(`PDF engine: ${pdfEngine()}; ${availableParallelism()} CPUs; PDF_CONVERT_CONCURRENCY=${pdfConversions.limit}`);

let sample: Buffer | undefined;
let samplePages = 0;
for (const [name, raw] of cases) {
  const quote = parseQuote(JSON.parse(JSON.stringify(raw)));
  const photos = photosFor(quote);
  await buildDeck(quote, photos); // warm-up
  const builds: number[] = [];
  let deck!: Awaited<ReturnType<typeof buildDeck>>;
  for (let i = 0; i < RUNS; i++) {
    const [d, t] = await timed(() => buildDeck(quote, photos));
    deck = d;
    builds.push(t);
  }
  const conversions: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [, t] = await timed(() => convertPptxToPdf(deck.pptx, { expectedPages: deck.slides.length }));
    conversions.push(t);
  }
  console.log(`${name} (${deck.slides.length} slides, ${(deck.pptx.length / 1024).toFixed(0)} KiB PPTX):`);
  console.log(`  PPTX build  p50 ${ms(p50(builds))}   (${builds.map(ms).join(', ')})`);
  console.log(`  PDF convert p50 ${ms(p50(conversions))}   (${conversions.map(ms).join(', ')})`);
  if (!sample) {
    sample = deck.pptx;
    samplePages = deck.slides.length;
  }
}

const [, single] = await timed(() => convertPptxToPdf(sample!, { expectedPages: samplePages }));
const [, wall] = await timed(() => Promise.all([0, 1, 2].map(() => convertPptxToPdf(sample!, { expectedPages: samplePages }))));
console.log(`3 conversions at once (separate deck): wall ${ms(wall)} vs ${ms(single)} for one; peak ${pdfConversions.peak} at once`);
console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
