import assert from 'node:assert/strict';
import { extractDocumentText, extractPdfText, extractXlsxText } from './extract.ts';
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
