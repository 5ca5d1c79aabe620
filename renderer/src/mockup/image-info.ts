// Format and size of an image from its header, before anything is decoded: frames are checked
// against the photo's size, oversized images are refused before they can allocate gigabytes,
// and only JPEG, PNG and WebP ever reach OpenCV's decoders (Debian's build links many more —
// GDAL, OpenEXR, JPEG 2000 — which have no business parsing uploads).
import { MockupInputError } from './errors.ts';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export interface ImageInfo {
  format: ImageFormat;
  /** As displayed: JPEG EXIF orientations 5–8 swap width and height, as browsers and OpenCV do. */
  width: number;
  height: number;
}

/** Larger images are refused (issue 4, bad input). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export function readImageInfo(bytes: Uint8Array, what: string): ImageInfo {
  const info = sniff(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), what);
  if (info.width < 1 || info.height < 1) throw new MockupInputError(`${what} has no pixels (${info.width}x${info.height})`);
  if (info.width * info.height > MAX_IMAGE_PIXELS) {
    const mp = ((info.width * info.height) / 1e6).toFixed(1);
    throw new MockupInputError(`${what} is ${info.width}x${info.height} (${mp} megapixels); the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
  }
  return info;
}

function sniff(b: Buffer, what: string): ImageInfo {
  const truncated = () => new MockupInputError(`${what} could not be decoded: the file is truncated`);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    const info = jpegInfo(b);
    if (!info) throw truncated();
    return info;
  }
  if (b.length >= 16 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    const info = webpInfo(b);
    if (!info) throw truncated();
    return info;
  }
  const kind = b.length >= 6 && b.toString('latin1', 0, 3) === 'GIF' ? 'a GIF' : 'not an image we read';
  throw new MockupInputError(`${what} could not be decoded: it is ${kind}; use JPEG, PNG or WebP`);
}

// Walks the marker segments up to the first frame header (SOFn), noting the EXIF orientation.
function jpegInfo(b: Buffer): ImageInfo | null {
  let orientation = 1;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2; // markers without a length
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    const body = i + 4;
    if (marker === 0xe1 && body + 6 <= b.length && b.toString('latin1', body, body + 6) === 'Exif\0\0') {
      orientation = exifOrientation(b.subarray(body + 6, Math.min(b.length, i + 2 + length))) ?? orientation;
    }
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrameHeader) {
      if (body + 5 > b.length) return null;
      const height = b.readUInt16BE(body + 1);
      const width = b.readUInt16BE(body + 3);
      return orientation >= 5 && orientation <= 8 ? { format: 'jpeg', width: height, height: width } : { format: 'jpeg', width, height };
    }
    if (marker === 0xda) return null; // scan data before any frame header
    i += 2 + length;
  }
  return null;
}

// TIFF header → IFD0 → tag 0x0112 (orientation, SHORT).
function exifOrientation(tiff: Buffer): number | null {
  if (tiff.length < 8) return null;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return null;
  const entries = u16(ifd);
  for (let e = 0; e < entries; e++) {
    const at = ifd + 2 + e * 12;
    if (at + 12 > tiff.length) return null;
    if (u16(at) === 0x0112) return u16(at + 8);
  }
  return null;
}

function webpInfo(b: Buffer): ImageInfo | null {
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && b.length >= 30) {
    return { format: 'webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b.readUInt32LE(21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X' && b.length >= 30) {
    return { format: 'webp', width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  }
  return null;
}
