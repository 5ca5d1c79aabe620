// Real LibreOffice conversions. At most 3 run at once (the machine is shared).
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { buildDeck, type Deck } from '../src/proposal/deck.ts';
import { parseQuote, type Quote } from '../src/proposal/quote.ts';
import { photosFor } from './fixtures/photos.ts';
import { combinedEur, separateAed, separateUsd } from './fixtures/quotes.ts';

// Three conversions at once are the point of one test: the gate must let them all through.
process.env.PDF_CONVERT_CONCURRENCY = '3';
delete process.env.GOTENBERG_URL;
const { convertPptxToPdf, PdfConversionError, pdfConversions } = await import('../src/proposal/pdf.ts');

const deckOf = async (quote: Quote): Promise<Deck> => {
  const q = parseQuote(JSON.parse(JSON.stringify(quote)));
  return await buildDeck(q, photosFor(q));
};

let workRoot: string;
before(async () => {
  workRoot = await mkdtemp(join(tmpdir(), 'mmg-pdf-test-'));
});
after(async () => {
  await rm(workRoot, { recursive: true, force: true });
});

const leftovers = async () => await readdir(workRoot);

describe('PPTX → PDF with LibreOffice', () => {
  it('gives a 16:9 PDF with one page per slide', async () => {
    const deck = await deckOf(separateUsd);
    const pdf = await convertPptxToPdf(deck.pptx, { expectedPages: deck.slides.length, workRoot });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const doc = await PDFDocument.load(pdf);
    assert.equal(doc.getPageCount(), 6);
    const { width, height } = doc.getPage(0).getSize();
    assert.ok(Math.abs(width - 960) < 1 && Math.abs(height - 540) < 1, `13.333 × 7.5 in, got ${width} × ${height} pt`);
    assert.deepEqual(await leftovers(), [], 'the conversion directory is removed');
  });

  it('runs three conversions at once, each in its own profile, and every one yields its own PDF', async () => {
    const decks = await Promise.all([deckOf(separateUsd), deckOf(combinedEur), deckOf(separateAed)]);
    const pdfs = await Promise.all(decks.map((d) => convertPptxToPdf(d.pptx, { expectedPages: d.slides.length, workRoot })));
    assert.equal(pdfConversions.peak, 3, 'all three ran at the same time');
    const docs = await Promise.all(pdfs.map((p) => PDFDocument.load(p)));
    assert.deepEqual(docs.map((d) => d.getPageCount()), [6, 6, 4]);
    assert.deepEqual(docs.map((d) => d.getTitle()), ['Proposal for emirates NBD', 'Proposal for Café Société Group', 'Proposal for client']);
    assert.deepEqual(await leftovers(), []);
  });

  it('fails loudly on a damaged deck and leaves no file behind', async () => {
    const deck = await deckOf(separateAed);
    const damaged = deck.pptx.subarray(0, Math.floor(deck.pptx.length / 3));
    await assert.rejects(
      convertPptxToPdf(damaged, { expectedPages: 4, workRoot }),
      (e: unknown) => e instanceof PdfConversionError && /LibreOffice produced no PDF/.test(e.message) && /could not be loaded/.test(e.message),
    );
    assert.deepEqual(await leftovers(), []);
  });

  it('refuses bytes that are not a PPTX before starting LibreOffice', async () => {
    await assert.rejects(
      convertPptxToPdf(Buffer.from('hello, I am plain text'), { workRoot }),
      (e: unknown) => e instanceof PdfConversionError && !e.retryable && /not a PPTX/.test(e.message),
    );
  });

  it('kills a conversion that runs past its time-out', async () => {
    const deck = await deckOf(separateAed);
    await assert.rejects(
      convertPptxToPdf(deck.pptx, { timeoutMs: 30, workRoot }),
      (e: unknown) => e instanceof PdfConversionError && e.retryable && /did not finish within 30 ms/.test(e.message),
    );
    assert.deepEqual(await leftovers(), []);
  });

  it('reports a missing LibreOffice', async () => {
    const deck = await deckOf(separateAed);
    await assert.rejects(convertPptxToPdf(deck.pptx, { sofficePath: '/nonexistent/soffice', workRoot }), /LibreOffice could not be started/);
  });

  it('rejects a PDF whose page count differs from the deck', async () => {
    const deck = await deckOf(separateAed);
    await assert.rejects(convertPptxToPdf(deck.pptx, { expectedPages: 5, workRoot }), /the PDF has 4 pages, the deck 5 slides/);
  });
});
