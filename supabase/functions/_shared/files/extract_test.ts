import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import {
  extractDocumentText,
  extractPdfText,
  extractXlsxText,
  MAX_UNZIPPED_BYTES,
} from './extract.ts';
import { tinyPdf, tinyXlsx } from './testing/fixtures.ts';

Deno.test('extract: text of a PDF, page by page', async () => {
  const extracted = await extractPdfText(tinyPdf('Booking order BO-2026-0042'));
  assert.equal(extracted.detail, '1 page');
  assert.match(extracted.text, /--- page 1 ---\nBooking order BO-2026-0042/);
  assert.equal(extracted.truncated, false);
});

Deno.test('extract: sheets of an xlsx as tab-separated rows with shared and inline strings', () => {
  const extracted = extractXlsxText(tinyXlsx());
  assert.equal(extracted.detail, '2 sheets');
  assert.equal(
    extracted.text,
    '--- sheet: Rates & dates ---\nLocation\tNet rate\nDubai Gateway\t\t1250000\n--- sheet: Notes ---\nPay 100% upfront',
  );
});

Deno.test('extract: long text is cut and says so; unknown types give null', async () => {
  const extracted = await extractDocumentText('txt', new TextEncoder().encode('a'.repeat(50)), 10);
  assert.deepEqual(extracted, { text: 'a'.repeat(10), detail: '1 lines', truncated: true });
  assert.equal(await extractDocumentText('ppt', new Uint8Array([1, 2, 3])), null);
});

Deno.test('extract: an xlsx whose parts unpack past the limit is refused before inflating (zip bomb)', () => {
  // 65 MB of zeros compresses to a few dozen KB: small to upload, huge to unpack.
  const bomb = zipSync({
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="S"/></sheets></workbook>'),
    'xl/worksheets/sheet1.xml': new Uint8Array(MAX_UNZIPPED_BYTES + 1024 * 1024),
  }, { level: 9 });
  assert.ok(bomb.length < 1024 * 1024, `the bomb is small (${bomb.length} bytes)`);
  assert.throws(() => extractXlsxText(bomb), /unpack to more than 64 MB/);
});
