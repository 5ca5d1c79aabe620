// The first frame of a GIF as packed RGB (spec §3.1 accepts .gif originals). pdf-lib embeds only
// PNG and JPEG and the OpenCV build of the mockup addon cannot read GIF, so this small decoder
// (LZW, global/local palettes, interlacing, a transparent colour shown as white paper) fills
// the gap.

export interface RgbImage {
  width: number;
  height: number;
  data: Buffer;
}

export class GifError extends Error {
  constructor(message: string) {
    super(`GIF: ${message}`);
    this.name = 'GifError';
  }
}

/** Pixels a GIF may declare; a larger one is refused rather than allocated. */
const MAX_PIXELS = 50_000_000;

class Reader {
  pos = 0;
  constructor(readonly bytes: Buffer) {}
  byte(): number {
    if (this.pos >= this.bytes.length) throw new GifError('the file ends too early');
    return this.bytes[this.pos++];
  }
  word(): number {
    return this.byte() | (this.byte() << 8);
  }
  take(n: number): Buffer {
    if (this.pos + n > this.bytes.length) throw new GifError('the file ends too early');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Concatenated data sub-blocks up to the zero-length terminator. */
  subBlocks(): Buffer {
    const parts: Buffer[] = [];
    for (let size = this.byte(); size > 0; size = this.byte()) parts.push(this.take(size));
    return Buffer.concat(parts);
  }
}

function lzwDecode(data: Buffer, minCodeSize: number, pixelCount: number): Uint8Array {
  if (minCodeSize < 2 || minCodeSize > 8) throw new GifError(`invalid LZW code size ${minCodeSize}`);
  const out = new Uint8Array(pixelCount);
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const stack = new Uint8Array(4097);
  for (let i = 0; i < clear; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    first[i] = i;
  }
  let codeSize = minCodeSize + 1;
  let next = end + 1;
  let previous = -1;
  let written = 0;
  let bits = 0;
  let bitCount = 0;
  for (let i = 0; i < data.length && written < pixelCount;) {
    while (bitCount < codeSize && i < data.length) {
      bits |= data[i++] << bitCount;
      bitCount += 8;
    }
    if (bitCount < codeSize) break;
    const code = bits & ((1 << codeSize) - 1);
    bits >>>= codeSize;
    bitCount -= codeSize;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      next = end + 1;
      previous = -1;
      continue;
    }
    if (code === end) break;
    let current = code;
    let top = 0;
    if (previous === -1) {
      if (code >= clear) throw new GifError('corrupt LZW data');
      out[written++] = code;
      previous = code;
      continue;
    }
    if (code > next || (code === next && next >= 4096)) throw new GifError('corrupt LZW data');
    if (code === next) {
      stack[top++] = first[previous];
      current = previous;
    }
    while (current >= clear) {
      stack[top++] = suffix[current];
      current = prefix[current];
    }
    stack[top++] = current;
    if (next < 4096) {
      prefix[next] = previous;
      suffix[next] = current;
      first[next] = first[previous];
      next++;
      if (next === 1 << codeSize && codeSize < 12) codeSize++;
    }
    while (top > 0 && written < pixelCount) out[written++] = stack[--top];
    previous = code;
  }
  return out;
}

function palette(reader: Reader, packed: number): Buffer {
  return reader.take(3 * (1 << ((packed & 0x07) + 1)));
}

/** Row order of an interlaced frame: every 8th from 0, every 8th from 4, every 4th from 2, every 2nd from 1. */
function interlacedRows(height: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]]) for (let y = start; y < height; y += step) rows.push(y);
  return rows;
}

export function decodeGif(bytes: Buffer): RgbImage {
  const reader = new Reader(bytes);
  const signature = reader.take(6).toString('latin1');
  if (signature !== 'GIF87a' && signature !== 'GIF89a') throw new GifError('not a GIF file');
  const width = reader.word();
  const height = reader.word();
  const packed = reader.byte();
  reader.take(2); // background colour index, pixel aspect ratio
  if (width < 1 || height < 1 || width * height > MAX_PIXELS) throw new GifError(`unsupported size ${width}×${height}`);
  const globalPalette = packed & 0x80 ? palette(reader, packed) : null;
  let transparent = -1;

  for (;;) {
    const block = reader.byte();
    if (block === 0x3b) throw new GifError('the file has no image');
    if (block === 0x21) {
      const label = reader.byte();
      const data = reader.subBlocks();
      if (label === 0xf9 && data.length >= 4 && data[0] & 0x01) transparent = data[3];
      continue;
    }
    if (block !== 0x2c) throw new GifError(`unexpected block 0x${block.toString(16)}`);
    const left = reader.word();
    const top = reader.word();
    const frameWidth = reader.word();
    const frameHeight = reader.word();
    const framePacked = reader.byte();
    const colours = framePacked & 0x80 ? palette(reader, framePacked) : globalPalette;
    if (!colours) throw new GifError('the image has no colour table');
    const minCodeSize = reader.byte();
    const indices = lzwDecode(reader.subBlocks(), minCodeSize, frameWidth * frameHeight);
    const rows = framePacked & 0x40 ? interlacedRows(frameHeight) : null;

    const data = Buffer.alloc(width * height * 3, 0xff); // paper white where the frame does not paint
    for (let row = 0; row < frameHeight; row++) {
      const y = top + (rows ? rows[row] : row);
      if (y >= height) continue;
      for (let col = 0; col < frameWidth; col++) {
        const x = left + col;
        const index = indices[row * frameWidth + col];
        if (x >= width || index === transparent || index * 3 + 2 >= colours.length) continue;
        const at = (y * width + x) * 3;
        data[at] = colours[index * 3];
        data[at + 1] = colours[index * 3 + 1];
        data[at + 2] = colours[index * 3 + 2];
      }
    }
    return { width, height, data };
  }
}
