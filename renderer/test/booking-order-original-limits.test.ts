// Originals whose header declares an enormous picture (a "decompression bomb": a few bytes of
// zlib or an empty BMP body standing for gigabytes of pixels) are refused by their declared size
// before anything is decoded, so one upload cannot exhaust the renderer's memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { encodePng } from '../src/proposal/brand.ts';
import { originalToPdf, OriginalDocumentError } from '../src/booking-order/original.ts';

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG whose header says width × height, with one short grey row of data. */
function declaredPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 24-bit BMP header claiming width × height, without the pixels. */
function declaredBmp(width: number, height: number): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  return header;
}

/** A lossless WebP (VP8L) header claiming width × height. */
function declaredWebp(width: number, height: number): Buffer {
  const vp8l = Buffer.alloc(5);
  vp8l[0] = 0x2f;
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  vp8l.writeUInt32LE(bits >>> 0, 1);
  const body = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([25, 0, 0, 0]), vp8l, Buffer.alloc(20)]);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + body.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, body]);
}

const refusedForSize = (e: unknown) =>
  e instanceof OriginalDocumentError && /pixels/.test(e.message) && /too large/.test(e.message);

describe('original booking orders: declared picture size', () => {
  it('refuses a PNG declaring 100000 × 100000 pixels by its header', async () => {
    await assert.rejects(originalToPdf(declaredPng(100_000, 100_000), 'bomb.png'), refusedForSize);
  });

  it('refuses a PNG just above the limit', async () => {
    await assert.rejects(originalToPdf(declaredPng(10_000, 5_001), 'big.png'), refusedForSize);
  });

  it('refuses a BMP declaring 20000 × 20000 pixels before OpenCV allocates them', async () => {
    await assert.rejects(originalToPdf(declaredBmp(20_000, -20_000), 'bomb.bmp'), refusedForSize);
  });

  it('refuses a WebP declaring 16384 × 16384 pixels', async () => {
    await assert.rejects(originalToPdf(declaredWebp(16_384, 16_384), 'bomb.webp'), refusedForSize);
  });

  it('still places an ordinary PNG on a page', async () => {
    const png = encodePng(40, 30, Buffer.alloc(40 * 30 * 3, 200));
    const pdf = await originalToPdf(png, 'scan.png');
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  });
});
