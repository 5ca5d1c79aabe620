import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectGreenScreen, type PixelImage, type Point, type Quad } from '../src/mockup/frames.ts';

const GREEN: [number, number, number] = [0x1c, 0xff, 0x1c];

function inside(q: readonly Point[], x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const [x1, y1] = q[i];
    const [x2, y2] = q[(i + 1) % 4];
    if ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) < 0) return false;
  }
  return true;
}

/** A noisy street-ish background with quads painted in `colour` (RGB or RGBA). */
function scene(width: number, height: number, quads: Quad[], colour = GREEN, channels: 3 | 4 = 3): PixelImage {
  const data = new Uint8Array(width * height * channels);
  let s = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const noise = s >>> 27;
      const i = (y * width + x) * channels;
      const c = quads.some((q) => inside(q, x, y)) ? colour : [90 + noise, 110 + noise, 140 + noise];
      data.set(c, i);
      if (channels === 4) data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

const near = (a: Point, b: Point, px: number) => Math.hypot(a[0] - b[0], a[1] - b[1]) <= px;

describe('green-screen detection (spec §2.10)', () => {
  // Mild perspective (side ratios within 0.9–1.1), so no correction applies.
  const face: Quad = [[100, 60], [300, 66], [298, 200], [102, 206]];

  it('finds the corners of a green quad within a few pixels', () => {
    const r = detectGreenScreen(scene(400, 300, [face]));
    assert.ok(r.found, 'a green screen was found');
    for (let i = 0; i < 4; i++) assert.ok(near(r.points[i], face[i], 5), `corner ${i}: ${r.points[i]} vs ${face[i]}`);
  });

  it('reads canvas ImageData (RGBA) the same as packed RGB', () => {
    const rgb = detectGreenScreen(scene(400, 300, [face]));
    const rgba = detectGreenScreen(scene(400, 300, [face], GREEN, 4));
    assert.deepEqual(rgba, rgb);
  });

  it('says "no green screen detected" for fewer than 1000 matching pixels', () => {
    const small: Quad = [[10, 10], [40, 10], [40, 40], [10, 40]]; // 31×31 = 961 px
    const r = detectGreenScreen(scene(200, 150, [small]));
    assert.equal(r.found, false);
    assert.ok(!r.found && r.reason === 'no green screen detected');
  });

  it('matches within the tolerance and not beyond it', () => {
    const offGreen: [number, number, number] = [50, 235, 45]; // ≈ 38 from #1CFF1C
    assert.equal(detectGreenScreen(scene(400, 300, [face], offGreen), { tolerance: 40 }).found, true);
    assert.equal(detectGreenScreen(scene(400, 300, [face], offGreen), { tolerance: 10 }).found, false);
  });

  it('ignores pixels inside frames already defined, so a second screen can be found', () => {
    const second: Quad = [[320, 200], [390, 200], [390, 290], [320, 290]];
    const r = detectGreenScreen(scene(400, 300, [face, second]), { exclude: [face] });
    assert.ok(r.found);
    for (let i = 0; i < 4; i++) assert.ok(near(r.points[i], second[i], 5), `corner ${i}: ${r.points[i]} vs ${second[i]}`);
  });

  it('pushes the corners of the shorter (farther) side outward to correct perspective', () => {
    // Left side 200 px tall, right side 120 px: ratio 1.67 → right corners move right by floor(0.67·15) = 10.
    const angled: Quad = [[60, 40], [320, 80], [320, 200], [60, 240]];
    const r = detectGreenScreen(scene(400, 300, [angled]));
    assert.ok(r.found);
    assert.ok(r.points[1][0] >= 320 + 10 && r.points[2][0] >= 320 + 10, `right corners moved right: ${r.points[1]}, ${r.points[2]}`);
    assert.ok(near(r.points[0], angled[0], 5) && near(r.points[3], angled[3], 5), 'left corners stay');
  });

  it('keeps corrected corners inside the image', () => {
    const atEdge: Quad = [[0, 0], [399, 60], [399, 240], [0, 299]];
    const r = detectGreenScreen(scene(400, 300, [atEdge]));
    assert.ok(r.found);
    for (const [x, y] of r.points) assert.ok(x >= 0 && x <= 399 && y >= 0 && y <= 299, `${x},${y} inside`);
  });
});
