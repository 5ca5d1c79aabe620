// Recognises a file's real type from its first bytes. Uploads are judged by what they are,
// never by the extension or Content-Type a client claims (spec §8, §11.7).
export type SniffedType =
  | 'image/jpeg' | 'image/png' | 'image/gif' | 'image/bmp' | 'image/webp'
  | 'application/pdf'
  | 'application/zip' // OOXML containers (xlsx, docx, pptx) before their parts are checked
  | 'application/x-ole-storage' // legacy Office (xls, doc, ppt)
  | 'text/plain'
  | 'unknown';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** True when the bytes decode as UTF-8 text without control characters other than tab/CR/LF. */
function looksLikeText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  let text: string;
  try {
    // A cut in the middle of a multi-byte sequence at the end of the sample is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, Math.max(0, b.length - 3)));
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

export function sniffType(head: Uint8Array): SniffedType {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(head, [0x42, 0x4d]) && head.length >= 26) return 'image/bmp';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole-storage';
  if (looksLikeText(head)) return 'text/plain';
  return 'unknown';
}

/**
 * For an OOXML zip, which Office document it is: the first entry names of the archive reveal
 * the main part (`xl/`, `word/`, `ppt/`). Reads local file headers only — no decompression.
 */
export function ooxmlKind(bytes: Uint8Array): 'xlsx' | 'docx' | 'pptx' | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const decoder = new TextDecoder();
  for (let n = 0; n < 64 && offset + 30 <= bytes.length; n++) {
    if (view.getUint32(offset, true) !== 0x04034b50) break;
    const compressed = view.getUint32(offset + 18, true);
    const nameLen = view.getUint16(offset + 26, true);
    const extraLen = view.getUint16(offset + 28, true);
    const name = decoder.decode(bytes.subarray(offset + 30, offset + 30 + nameLen));
    if (name.startsWith('xl/')) return 'xlsx';
    if (name.startsWith('word/')) return 'docx';
    if (name.startsWith('ppt/')) return 'pptx';
    const flags = view.getUint16(offset + 6, true);
    // With a data descriptor the size is only known after the data; stop rather than guess.
    if (flags & 0x08) break;
    offset += 30 + nameLen + extraLen + compressed;
  }
  return null;
}
