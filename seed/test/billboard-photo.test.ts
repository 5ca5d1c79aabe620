import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { renderBillboardPhoto } from '../billboard-photo.ts';
import { crc32 } from '../png.ts';

function decodeRgb(png: Buffer): { width: number; height: number; at: (x: number, y: number) => number[] } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat = png.indexOf('IDAT');
  const len = png.readUInt32BE(idat - 4);
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + len));
  return { width, height, at: (x, y) => [...raw.subarray(y * (width * 3 + 1) + 1 + x * 3, y * (width * 3 + 1) + 4 + x * 3)] };
}

describe('demo billboard photos', () => {
  it('writes a valid PNG whose chunks carry correct CRCs', () => {
    const { png, width, height } = renderBillboardPhoto({ seed: 7, timeOfDay: 'day', width: 300, height: 200 });
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const ihdrCrc = png.readUInt32BE(8 + 8 + 13);
    assert.equal(ihdrCrc, crc32(png.subarray(12, 12 + 4 + 13)));
    assert.equal(decodeRgb(png).width, width);
    assert.equal(decodeRgb(png).height, height);
  });

  it('paints the returned face in green-screen green, and the frame around it is not green', () => {
    const { png, face } = renderBillboardPhoto({ seed: 11, timeOfDay: 'night', width: 600, height: 400 });
    const img = decodeRgb(png);
    const cx = Math.round(face.reduce((s, p) => s + p[0], 0) / 4);
    const cy = Math.round(face.reduce((s, p) => s + p[1], 0) / 4);
    assert.deepEqual(img.at(cx, cy), [0x1c, 0xff, 0x1c]);
    assert.notDeepEqual(img.at(face[0][0] - 5, face[0][1] - 5), [0x1c, 0xff, 0x1c]);
    for (const [x, y] of face) assert.ok(x >= 0 && y >= 0 && x < 600 && y < 400, 'corners inside the image');
  });

  it('keeps portrait faces inside the image for many seeds', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { face, width, height } = renderBillboardPhoto({ seed, timeOfDay: 'day', orientation: seed % 2 ? 'portrait' : 'landscape', width: 300, height: 200 });
      for (const [x, y] of face) assert.ok(x >= 10 && y >= 5 && x < width - 10 && y < height, `seed ${seed}: corner ${x},${y} inside`);
    }
  });

  it('is deterministic for a seed, so re-seeding gives the same files', () => {
    const a = renderBillboardPhoto({ seed: 3, timeOfDay: 'day', width: 120, height: 80 });
    const b = renderBillboardPhoto({ seed: 3, timeOfDay: 'day', width: 120, height: 80 });
    assert.ok(a.png.equals(b.png));
  });
});
