// The PDFs as a reader sees them: real LibreOffice conversions of a separate and a combined
// deck, read back with poppler's `pdftotext -layout` (Debian poppler-utils) and `pdfinfo`.
// Every label and amount of the §1.6 table must be text on the right page, and each money row
// must carry its own amounts on its own line.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { buildDeck } from '../src/proposal/deck.ts';
import { parseQuote, type Quote } from '../src/proposal/quote.ts';
import { photosFor } from './fixtures/photos.ts';
import { combinedEur, separateUsd } from './fixtures/quotes.ts';

delete process.env.GOTENBERG_URL;
const { convertPptxToPdf } = await import('../src/proposal/pdf.ts');

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

interface ReadPdf {
  pages: number;
  /** pdftotext -layout of one page (1-based). */
  page(n: number): Promise<string>;
  all: string;
}

let dir: string;
const read = new Map<string, ReadPdf>();

async function convertAndRead(name: string, quote: Quote): Promise<ReadPdf> {
  const q = parseQuote(JSON.parse(JSON.stringify(quote)));
  const deck = await buildDeck(q, photosFor(q));
  const pdf = await convertPptxToPdf(deck.pptx, { expectedPages: deck.slides.length });
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, pdf);
  const info = await run('pdfinfo', [file]);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  assert.equal((await PDFDocument.load(pdf)).getPageCount(), pages, 'pdfinfo and pdf-lib agree on the page count');
  return {
    pages,
    page: (n) => run('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', String(n), '-l', String(n), file, '-']),
    all: await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']),
  };
}

/** The one line of the page's text that holds `label`, with runs of spaces collapsed. */
function lineWith(text: string, label: string): string {
  const lines = text.split('\n').filter((l) => l.includes(label));
  assert.equal(lines.length, 1, `exactly one line holds ${JSON.stringify(label)}:\n${text}`);
  return lines[0].trim().replace(/\s+/g, ' ');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmg-pdftotext-'));
  const [separate, combined] = await Promise.all([convertAndRead('separate', separateUsd), convertAndRead('combined', combinedEur)]);
  read.set('separate', separate).set('combined', combined);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LABELS = ['Location:', 'Start/End Date:', 'Duration:', 'Net Rate:', 'Municipality Fee:', 'VAT 5% :', 'Total:'];

describe('PDF text (pdftotext): separate proposal, USD, two locations', () => {
  it('has one page per slide: intro, photo + financial per location, outro', () => {
    assert.equal(read.get('separate')!.pages, 6);
  });

  it('puts the first location\'s §1.6 table on page 3, each amount on its row', async () => {
    const text = await read.get('separate')!.page(3);
    assert.match(text, /Emirates NBD Investment Sheet/);
    for (const label of [...LABELS, 'Upload Fee:']) assert.ok(text.includes(label), `label ${label}`);
    assert.equal(lineWith(text, 'Duration:'), 'Duration: 4 Weeks 8 Weeks');
    assert.equal(lineWith(text, 'Net Rate:'), 'Net Rate: $340,367.60 $626,276.38');
    assert.equal(lineWith(text, 'Upload Fee:'), 'Upload Fee: $816.88');
    assert.equal(lineWith(text, 'Municipality Fee:'), 'Municipality Fee: $141.59 Per Image/Message');
    assert.equal(lineWith(text, 'VAT 5% :'), 'VAT 5% : $17,066.30 $31,361.74');
    assert.equal(lineWith(text, 'Total:'), 'Total: $358,392.38 $658,596.60');
    assert.match(text, /1st December 2026 - 29th December 2026\s+1st December 2026 - 26th January 2027/);
    assert.match(text, /Proposal valid until 22nd of December, 2026\./);
    assert.match(text, /Proposal Date: 22\/11\/2026/);
  });

  it('puts the static location\'s table on page 5 with its production fee', async () => {
    const text = await read.get('separate')!.page(5);
    assert.equal(lineWith(text, 'Net Rate:'), 'Net Rate: $122,532.33');
    assert.equal(lineWith(text, 'Production Fee:'), 'Production Fee: $4,084.41');
    assert.equal(lineWith(text, 'VAT 5% :'), 'VAT 5% : $6,337.92');
    assert.equal(lineWith(text, 'Total:'), 'Total: $133,096.26');
    assert.ok(!text.includes('Upload Fee:'), 'a static location has no upload fee');
  });

  it('names each location on its photo slide with its §1.7 line', async () => {
    assert.match(await read.get('separate')!.page(2), /The Dubai Gateway[\s\S]*16\.7% SOV - 96 seconds loop/);
    assert.match(await read.get('separate')!.page(4), /Sheikh Zayed Road Unipole - Size \(12m x 4m\) - 2 faces/);
  });
});

describe('PDF text (pdftotext): combined proposal, EUR, three locations', () => {
  it('has one page per slide: intro, a photo page per location, the package table, outro', () => {
    assert.equal(read.get('combined')!.pages, 6);
  });

  it('keeps the client name with its accents on the intro page', async () => {
    assert.match(await read.get('combined')!.page(1), /Café Société Group/);
  });

  it('puts the package table on page 5: one column per location, package money once', async () => {
    const text = await read.get('combined')!.page(5);
    assert.match(text, /Café Société Group Investment Sheet/);
    for (const label of [...LABELS, 'Upload/Production Fee:']) assert.ok(text.includes(label), `label ${label}`);
    assert.equal(lineWith(text, 'Duration:'), 'Duration: 4 Weeks 8 Weeks 1 Week');
    assert.equal(lineWith(text, 'Net Rate:'), 'Net Rate: €453,400.50');
    assert.equal(lineWith(text, 'Upload/Production Fee:'), 'Upload/Production Fee: €755.67 €3,778.34 €503.78');
    assert.equal(lineWith(text, 'Municipality Fee:'), 'Municipality Fee: €130.98 Per Image/Message');
    assert.equal(lineWith(text, 'VAT 5% :'), 'VAT 5% : €22,928.46');
    assert.equal(lineWith(text, 'Total:'), 'Total: €481,497.73');
    assert.match(text, /Amounts are shown in EUR/);
  });

  it('has no per-location money: the package total appears once in the whole PDF', () => {
    const all = read.get('combined')!.all;
    assert.equal(all.split('€481,497.73').length - 1, 1);
    assert.ok(!/Upload Fee:|Production Fee:/.test(all.replaceAll('Upload/Production Fee:', '')), 'only the package fee row');
  });

  it('shows each location on its own photo page, in the quote\'s order', async () => {
    const pages = await Promise.all([2, 3, 4].map((n) => read.get('combined')!.page(n)));
    assert.match(pages[0], /The Dubai Gateway/);
    assert.match(pages[1], /Sheikh Zayed Road Unipole/);
    assert.match(pages[2], /Mall Screens Network/);
  });
});
