import assert from 'node:assert/strict';
import { safeFileName, UploadRejected, validateUpload } from './validate.ts';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj');
const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

function zipWith(entry: string): Uint8Array {
  const name = new TextEncoder().encode(entry);
  const header = new Uint8Array(30 + name.length);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(26, name.length, true);
  header.set(name, 30);
  return header;
}

function rejected(fn: () => unknown, code: string) {
  assert.throws(fn, (e: unknown) => e instanceof UploadRejected && e.code === code);
}

Deno.test('accepts a real PNG and a real PDF, reporting the canonical MIME type', () => {
  assert.deepEqual(validateUpload('Billboard Photo.PNG', 12, png), { fileName: 'Billboard_Photo.PNG', extension: 'png', mime: 'image/png', kind: 'image' });
  assert.equal(validateUpload('bo.pdf', pdf.length, pdf).mime, 'application/pdf');
});

Deno.test('a spoofed file is refused: an executable named .png, a PDF named .xlsx', () => {
  rejected(() => validateUpload('creative.png', exe.length, exe), 'content_mismatch');
  rejected(() => validateUpload('booking.xlsx', pdf.length, pdf), 'content_mismatch');
});

Deno.test('OOXML kinds are told apart by their parts, not their extension', () => {
  const xlsx = zipWith('xl/workbook.xml');
  assert.equal(validateUpload('bo.xlsx', xlsx.length, xlsx).extension, 'xlsx');
  rejected(() => validateUpload('deck.pptx', xlsx.length, xlsx), 'content_mismatch');
  const pptx = zipWith('ppt/presentation.xml');
  assert.equal(validateUpload('deck.pptx', pptx.length, pptx).kind, 'document');
});

Deno.test('disallowed types, empty and oversized files are refused with a clear code', () => {
  rejected(() => validateUpload('setup.exe', exe.length, exe), 'file_type_not_allowed');
  rejected(() => validateUpload('noextension', 10, png), 'file_type_not_allowed');
  rejected(() => validateUpload('empty.png', 0, new Uint8Array()), 'empty_file');
  rejected(() => validateUpload('huge.png', 200 * 1024 * 1024 + 1, png), 'file_too_large');
});

Deno.test('text files must be text', () => {
  const csv = new TextEncoder().encode('location,start,net\nDubai Gateway,2026-12-01,1250000\n');
  assert.equal(validateUpload('rates.csv', csv.length, csv).mime, 'text/csv');
  rejected(() => validateUpload('rates.csv', png.length, png), 'content_mismatch');
});

Deno.test('safe file names never keep path separators or traversal', () => {
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\x\\Brief (final).pdf'), 'Brief__final_.pdf');
  assert.equal(safeFileName('...'), 'file');
  assert.equal(safeFileName('Café menü.pdf'), 'Cafe_menu.pdf', 'accents folded, spaces replaced');
});
