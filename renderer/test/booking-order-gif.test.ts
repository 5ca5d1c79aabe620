// GIF originals (spec §3.1): the decoder against GIFs written by the fixtures' independent LZW
// encoder (dictionary growth, code-width changes, a full dictionary's clear code), interlaced
// and not, with a transparent colour, plus a known 1×1 GIF and broken files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeGif } from '../src/booking-order/gif.ts';
import { gif } from './booking-order-fixtures.ts';

const PALETTE = [[255, 255, 255], [200, 30, 30], [30, 160, 60], [20, 40, 200], [0, 0, 0]];

/** Diagonal stripes with long runs (so the dictionary fills and the code width grows to 12 bits). */
function stripes(width: number, height: number): Uint8Array {
  const indices = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) indices[y * width + x] = Math.floor((x + y) / 7) % PALETTE.length;
  return indices;
}

function expectedRgb(indices: Uint8Array, transparent?: number): Buffer {
  const out = Buffer.alloc(indices.length * 3);
  indices.forEach((v, i) => out.set(v === transparent ? [255, 255, 255] : PALETTE[v], i * 3));
  return out;
}

describe('GIF originals', () => {
  it('decodes an LZW-compressed image exactly, across code-width changes and dictionary resets', () => {
    const [w, h] = [300, 200];
    const indices = stripes(w, h);
    const image = decodeGif(gif(w, h, PALETTE, indices));
    assert.deepEqual([image.width, image.height], [w, h]);
    assert.ok(image.data.equals(expectedRgb(indices)), 'every pixel has its palette colour');
  });

  it('puts the rows of an interlaced image back in order', () => {
    const [w, h] = [37, 29];
    const indices = stripes(w, h);
    assert.ok(decodeGif(gif(w, h, PALETTE, indices, { interlaced: true })).data.equals(expectedRgb(indices)));
  });

  it('shows the transparent colour as white paper', () => {
    const [w, h] = [16, 16];
    const indices = stripes(w, h);
    assert.ok(decodeGif(gif(w, h, PALETTE, indices, { transparent: 4 })).data.equals(expectedRgb(indices, 4)));
  });

  it('reads a 1×1 GIF as other software writes it', () => {
    const image = decodeGif(Buffer.from('R0lGODlhAQABAIAAAAUEBAAAACwAAAAAAQABAAACAkQBADs=', 'base64'));
    assert.deepEqual([image.width, image.height, [...image.data]], [1, 1, [5, 4, 4]]);
  });

  it('refuses broken files with a GIF error', () => {
    const good = gif(8, 8, PALETTE, stripes(8, 8));
    assert.throws(() => decodeGif(Buffer.from('GIF89a')), /GIF: the file ends too early/);
    assert.throws(() => decodeGif(good.subarray(0, good.length - 12)), /GIF: /);
    assert.throws(() => decodeGif(Buffer.from('PNG not a gif at all')), /GIF: not a GIF file/);
  });
});
