// The client's original booking order as PDF pages (spec §3.9): a PDF as it is, an image on an
// A4 page of its own orientation, a spreadsheet through LibreOffice. What the file is comes
// from its bytes — the stored MIME type and name only decide between OOXML containers — so a
// renamed file is still read for what it is, and anything else is refused by name.
import { PDFDocument } from 'pdf-lib';
import { encodePng } from '../proposal/brand.ts';
import { decodeGif } from './gif.ts';
import { loadAddon } from '../mockup/native.ts';
import { convertOfficeToPdf, type ConvertOptions, PdfConversionError } from '../proposal/pdf.ts';

export class OriginalDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OriginalDocumentError';
  }
}

export type OriginalKind = 'pdf' | 'png' | 'jpeg' | 'gif' | 'other-image' | 'xlsx' | 'xls';

const starts = (bytes: Buffer, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

/** What an uploaded original is, by its first bytes; null when it is none of §3.1's kinds. */
export function sniffOriginal(bytes: Buffer): OriginalKind | null {
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts(bytes, [0x42, 0x4d]) || (starts(bytes, [0x52, 0x49, 0x46, 0x46]) && starts(bytes, [0x57, 0x45, 0x42, 0x50], 8))) {
    return 'other-image'; // BMP, WebP
  }
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'xls';
  // Entry names of a ZIP are stored as plain text: a workbook has xl/workbook.xml.
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04]) && bytes.includes('xl/workbook.xml')) return 'xlsx';
  return null;
}

/**
 * Pixels an image original may declare (as the GIF decoder's limit). Its header is read before
 * anything is decoded: a few KB of PNG or an empty BMP body can stand for gigabytes of pixels,
 * which pdf-lib or OpenCV would allocate in the renderer's own process.
 */
export const MAX_ORIGINAL_PIXELS = 50_000_000;

/** Width and height an image header declares (PNG, BMP, WebP); null when it cannot tell. */
export function declaredImageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length >= 24 && starts(bytes, [0x89, 0x50, 0x4e, 0x47])) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 26 && starts(bytes, [0x42, 0x4d])) {
    // BITMAPINFOHEADER and later: signed 32-bit sizes (a negative height is a top-down image);
    // the old 12-byte core header has 16-bit sizes.
    return bytes.readUInt32LE(14) === 12
      ? { width: bytes.readUInt16LE(18), height: bytes.readUInt16LE(20) }
      : { width: Math.abs(bytes.readInt32LE(18)), height: Math.abs(bytes.readInt32LE(22)) };
  }
  if (bytes.length >= 30 && starts(bytes, [0x52, 0x49, 0x46, 0x46]) && starts(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    const format = bytes.toString('latin1', 12, 16);
    if (format === 'VP8X') return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
    if (format === 'VP8L') {
      const bits = bytes.readUInt32LE(21);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
    }
    if (format === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  }
  return null;
}

function assertImageSize(bytes: Buffer, filename: string): void {
  const size = declaredImageSize(bytes);
  if (size && size.width * size.height > MAX_ORIGINAL_PIXELS) {
    throw new OriginalDocumentError(`the original booking order "${filename}" is too large an image: ` +
      `${size.width} × ${size.height} pixels (at most ${MAX_ORIGINAL_PIXELS / 1_000_000} million pixels)`);
  }
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN_PT = 28.35; // 10 mm

/** One A4 page, portrait or landscape as the image is, with the image fitted inside 10 mm margins. */
async function imagePage(png: Buffer | null, jpeg: Buffer | null): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const image = png ? await doc.embedPng(png) : await doc.embedJpg(jpeg!);
  const [w, h] = image.width > image.height ? [A4[1], A4[0]] : A4;
  const scale = Math.min((w - 2 * MARGIN_PT) / image.width, (h - 2 * MARGIN_PT) / image.height);
  const page = doc.addPage([w, h]);
  const width = image.width * scale;
  const height = image.height * scale;
  page.drawImage(image, { x: (w - width) / 2, y: (h - height) / 2, width, height });
  return Buffer.from(await doc.save());
}

export interface OriginalOptions {
  convert?: typeof convertOfficeToPdf;
  convertOptions?: ConvertOptions;
}

/** The original as PDF bytes, ready to be appended after the workbook. */
export async function originalToPdf(bytes: Buffer, filename: string, options: OriginalOptions = {}): Promise<Buffer> {
  const convert = options.convert ?? convertOfficeToPdf;
  const kind = sniffOriginal(bytes);
  if (kind === 'png' || kind === 'other-image') assertImageSize(bytes, filename);
  try {
    switch (kind) {
      case 'pdf':
        await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
        return bytes;
      case 'png':
        return await imagePage(bytes, null);
      case 'jpeg':
        return await imagePage(null, bytes);
      case 'gif': {
        const decoded = decodeGif(bytes);
        return await imagePage(encodePng(decoded.width, decoded.height, decoded.data), null);
      }
      case 'other-image': {
        // BMP and WebP: pdf-lib embeds only PNG and JPEG, so OpenCV decodes them first.
        const decoded = await loadAddon().decodeRgb(bytes);
        return await imagePage(encodePng(decoded.width, decoded.height, decoded.data), null);
      }
      case 'xlsx':
      case 'xls':
        return await convert(bytes, kind, options.convertOptions);
      default:
        throw new OriginalDocumentError(
          `the original booking order "${filename}" is not a PDF, an image (JPEG, PNG, GIF, BMP, WebP) or an Excel workbook`);
    }
  } catch (e) {
    if (e instanceof OriginalDocumentError || e instanceof PdfConversionError) throw e;
    throw new OriginalDocumentError(`the original booking order "${filename}" could not be read: ${(e as Error).message}`);
  }
}
