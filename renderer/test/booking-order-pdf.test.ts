// The combined booking-order PDF as a reader sees it: real LibreOffice conversions of the
// workbook, the client's original appended (PDF as is, images on a page, a workbook converted),
// read back with poppler (pdftotext, pdfinfo, pdfimages, pdftoppm). The approval stamp must be
// text on the first page of the original only, in the emptiest corner, upright on a rotated
// page — and a stamp that cannot be placed properly must never cost the PDF.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { encodePng } from '../src/proposal/brand.ts';
import { clientOrderPdf, emaarDraft, emaarFinal, gif, usdDraft } from './booking-order-fixtures.ts';

delete process.env.GOTENBERG_URL;
const { renderBookingOrder, OriginalDocumentError } = await import('../src/booking-order/index.ts');
const { buildBookingOrderWorkbook } = await import('../src/booking-order/workbook.ts');
const { cornerRect, InkMap, rasterizeFirstPage } = await import('../src/booking-order/stamp.ts');

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

let dir: string;
let n = 0;

interface ReadPdf {
  pages: number;
  page(p: number): Promise<string>;
  file: string;
}

async function read(pdf: Buffer): Promise<ReadPdf> {
  const file = join(dir, `combined-${++n}.pdf`);
  await writeFile(file, pdf);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(await run('pdfinfo', [file]))?.[1]);
  return { pages, file, page: (p) => run('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', String(p), '-l', String(p), file, '-']) };
}

/** One page of a PDF as its own single-page PDF (for rasterising it). */
async function pageOf(pdf: Buffer, index: number): Promise<Buffer> {
  const src = await PDFDocument.load(pdf);
  const out = await PDFDocument.create();
  const [page] = await out.copyPages(src, [index]);
  out.addPage(page);
  return Buffer.from(await out.save());
}

/** Share of inked ~1 mm cells in a corner of the displayed page, at the stamp's full size. */
async function cornerInk(pdf: Buffer, corner: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left', width: number, height: number, scale = 1) {
  const image = await rasterizeFirstPage(pdf, 50);
  const ink = new InkMap(image, 2);
  const r = cornerRect(corner, width, height, scale);
  const px = image.width / width;
  return ink.inkRatio(r.x * px, r.y * px, r.width * px, r.height * px);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bo-pdf-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('combined booking-order PDF (spec §3.9)', () => {
  it('is the workbook followed by every page of the original PDF; a draft carries no stamp', async () => {
    const original = await clientOrderPdf({ pages: 2 });
    const out = await renderBookingOrder(emaarDraft(), { bytes: original, filename: 'Emaar BO 118.pdf' });
    const pdf = await read(out.pdf);
    assert.equal(pdf.pages, out.workbookPages + 2);
    assert.equal(out.workbookPages, 1, 'a three-location order fits the workbook on one page');
    const first = await pdf.page(1);
    for (const text of ['Booking Order Form', 'Emaar Properties', '533,442.00 AED', '50,400.00 AED', 'Location splits excl SLA:',
      '1. The Dubai Gateway - 225,000.00 AED', 'Business Bay Crossing: 1st January 2027']) {
      assert.ok(first.includes(text), `page 1 shows ${JSON.stringify(text)}:\n${first}`);
    }
    assert.match(await pdf.page(2), /CLIENT PURCHASE ORDER page 1/);
    assert.match(await pdf.page(3), /CLIENT PURCHASE ORDER page 2/);
    for (let p = 1; p <= pdf.pages; p++) assert.ok(!(await pdf.page(p)).includes('APPROVED'), `no stamp on page ${p} of a draft`);
    assert.equal(out.stamp, null);
    assert.equal(out.fileStem, 'BO Draft - Emaar Properties - BACKLITE');
    assert.equal((await PDFDocument.load(out.pdf)).getTitle(), 'BO Draft - Emaar Properties - BACKLITE');
  });

  it('stamps the final version on the first page of the original, with the date, in the empty bottom-right corner', async () => {
    const original = await clientOrderPdf({ pages: 2 });
    const out = await renderBookingOrder(emaarFinal(), { bytes: original, filename: 'Emaar BO 118.pdf' });
    const pdf = await read(out.pdf);
    assert.equal(pdf.pages, 3);
    const stamped = await pdf.page(2);
    assert.match(stamped, /APPROVED/);
    assert.match(stamped, /22-11-2026/);
    assert.match(stamped, /BACKLITE - BO-2026-0042/);
    assert.ok(!(await pdf.page(1)).includes('APPROVED'), 'the workbook page is not stamped');
    assert.ok(!(await pdf.page(3)).includes('APPROVED'), 'only the first page of the original is stamped');
    assert.match(await pdf.page(1), /Tariq Aziz/, 'the head of sales signs the workbook');
    assert.deepEqual({ applied: out.stamp?.applied, page: out.stamp?.page, corner: out.stamp?.placement?.corner, scale: out.stamp?.placement?.scale },
      { applied: true, page: 2, corner: 'bottom-right', scale: 1 });

    assert.ok(await cornerInk(await pageOf(original, 0), 'bottom-right', 595.28, 841.89) === 0, 'the corner was empty before');
    assert.ok(await cornerInk(await pageOf(out.pdf, 1), 'bottom-right', 595.28, 841.89) > 0.05, 'and holds the stamp after');
  });

  it('moves to the next empty corner in order: bottom-right, bottom-left, top-right, top-left', async () => {
    const cases: Array<[string[], string]> = [
      [['bottom-right'], 'bottom-left'],
      [['bottom-right', 'bottom-left'], 'top-right'],
      [['bottom-right', 'bottom-left', 'top-right'], 'top-left'],
    ];
    for (const [inked, expected] of cases) {
      const original = await clientOrderPdf({ pages: 1, inkedCorners: inked });
      const out = await renderBookingOrder(emaarFinal(), { bytes: original, filename: 'order.pdf' });
      assert.equal(out.stamp?.placement?.corner, expected, `with ${inked.join(', ')} inked`);
      assert.equal(out.stamp?.placement?.empty, true);
      assert.ok(await cornerInk(await pageOf(out.pdf, 1), expected as 'top-left', 595.28, 841.89, out.stamp!.placement!.scale) > 0.05,
        `the stamp is drawn ${expected}`);
    }
  });

  it('falls back to bottom-right at 40 % when every corner holds ink, and still stamps', async () => {
    const original = await clientOrderPdf({ pages: 1, inkedCorners: ['bottom-right', 'bottom-left', 'top-right', 'top-left'] });
    const out = await renderBookingOrder(emaarFinal(), { bytes: original, filename: 'order.pdf' });
    assert.deepEqual({ corner: out.stamp?.placement?.corner, scale: out.stamp?.placement?.scale, empty: out.stamp?.placement?.empty, applied: out.stamp?.applied },
      { corner: 'bottom-right', scale: 0.4, empty: false, applied: true });
    assert.match(await (await read(out.pdf)).page(2), /APPROVED/);
  });

  it('keeps the stamp upright in the displayed bottom-right corner of a rotated page', async () => {
    const original = await clientOrderPdf({ pages: 1, rotate: 90 });
    const out = await renderBookingOrder(emaarFinal(), { bytes: original, filename: 'landscape.pdf' });
    assert.equal(out.stamp?.placement?.corner, 'bottom-right');
    const page = await pageOf(out.pdf, 1);
    // Displayed landscape: 841.89 wide, 595.28 high.
    assert.ok(await cornerInk(page, 'bottom-right', 841.89, 595.28) > 0.05, 'ink in the displayed bottom-right corner');
    assert.equal(await cornerInk(page, 'top-left', 841.89, 595.28), 0, 'none in the displayed top-left');
    const text = await (await read(out.pdf)).page(2);
    assert.match(text, /APPROVED/, 'pdftotext reads the stamp as a horizontal word');
  });

  it('never fails over the stamp: a page that cannot be analysed is stamped in the last-resort corner', async () => {
    const original = await clientOrderPdf({ pages: 1 });
    const out = await renderBookingOrder(emaarFinal(), { bytes: original, filename: 'order.pdf' }, {
      rasterize: () => Promise.reject(new Error('pdftoppm is missing')),
    });
    assert.equal(out.stamp?.applied, true);
    assert.deepEqual([out.stamp?.placement?.corner, out.stamp?.placement?.scale], ['bottom-right', 0.4]);
    assert.match(out.stamp?.error ?? '', /pdftoppm is missing/);
    assert.match(await (await read(out.pdf)).page(2), /APPROVED/);
  });

  it('stamps the workbook page when the order has no original', async () => {
    const out = await renderBookingOrder(emaarFinal(), null);
    const pdf = await read(out.pdf);
    assert.equal(pdf.pages, 1);
    assert.equal(out.stamp?.page, 1);
    assert.match(await pdf.page(1), /APPROVED/);
  });

  it('puts an image original on a page of its own: PNG directly, GIF decoded here, BMP through OpenCV', async () => {
    const [w, h] = [120, 80];
    const rgb = Buffer.alloc(w * h * 3, 0xff);
    for (let i = 0; i < w * 20 * 3; i++) rgb[i] = 0x20;
    const png = encodePng(w, h, rgb);
    const bmp = bmp24(w, h, rgb);
    const indices = new Uint8Array(w * h).map((_, i) => (i < w * 20 ? 1 : 0));
    const gifBytes = gif(w, h, [[255, 255, 255], [32, 32, 32]], indices);
    for (const [name, bytes] of [['scan.png', png], ['scan.gif', gifBytes], ['scan.bmp', bmp]] as const) {
      const out = await renderBookingOrder(emaarDraft(), { bytes, filename: name });
      const pdf = await read(out.pdf);
      assert.equal(pdf.pages, out.workbookPages + 1, name);
      const images = await run('pdfimages', ['-list', '-f', String(pdf.pages), '-l', String(pdf.pages), pdf.file]);
      assert.match(images, new RegExp(`^\\s*${pdf.pages}\\s+\\d+\\s+image\\s+${w}\\s+${h}\\s`, 'm'), `${name}: the image is on the last page:\n${images}`);
      const page = (await PDFDocument.load(out.pdf)).getPage(pdf.pages - 1);
      assert.ok(page.getWidth() > page.getHeight(), `${name}: a landscape image gets a landscape page`);
    }
  });

  it('converts an Excel original with LibreOffice', async () => {
    const original = await buildBookingOrderWorkbook(usdDraft());
    const out = await renderBookingOrder(emaarDraft(), { bytes: original, filename: 'order.xlsx' });
    const pdf = await read(out.pdf);
    assert.equal(pdf.pages, out.workbookPages + out.originalPages);
    assert.ok(out.originalPages >= 1);
    assert.match(await pdf.page(out.workbookPages + 1), /\$29,597\.28/);
  });

  it('refuses an original that is no PDF, image or workbook, naming it', async () => {
    await assert.rejects(
      renderBookingOrder(emaarDraft(), { bytes: Buffer.from('Dear team, please book the boards.'), filename: 'email.txt' }),
      (e: unknown) => e instanceof OriginalDocumentError && /"email\.txt" is not a PDF, an image/.test((e as Error).message),
    );
  });
});

/** A 24-bit bottom-up BMP of packed RGB pixels. */
function bmp24(width: number, height: number, rgb: Buffer): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      out[row + x * 3] = rgb[i + 2];
      out[row + x * 3 + 1] = rgb[i + 1];
      out[row + x * 3 + 2] = rgb[i];
    }
  }
  return out;
}
