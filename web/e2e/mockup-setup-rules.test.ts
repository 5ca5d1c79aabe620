// The rules the setup screen runs in the browser, checked in Node against the renderer's own:
// the effect sliders have exactly the renderer's parameters, defaults and clamps; a frame the
// screen accepts is one the renderer accepts, with the same corner order; green-screen
// detection finds the painted face of the demo photos to within a pixel or two, also when the
// face is turned 45°, several faces share a photo, or a face is already framed.
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { EFFECT_PARAMETERS as RENDERER_PARAMETERS } from '../../renderer/src/mockup/effect-config.ts';
import { orderPoints, validateFrames } from '../../renderer/src/mockup/frames.ts';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { EFFECT_PARAMETERS, effectOverrides, readEffectConfig, DEFAULT_EFFECTS } from '../src/domains/mockups/effects.ts';
import { applyHomography, isConvexQuad, orderCorners, pointInConvex, type Point, type Quad, squareToQuad } from '../src/domains/mockups/geometry.ts';
import { detectGreenScreens, type RgbaImage } from '../src/domains/mockups/greenScreen.ts';

/** RGBA pixels of a PNG written by seed/png.ts (8-bit RGB, filter 0 on every row). */
function decodeSeedPng(png: Buffer, width: number, height: number): RgbaImage {
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    if (png.toString('ascii', off + 4, off + 8) === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 3 + 1)], 0, 'seed PNG rows are unfiltered');
    for (let x = 0; x < width; x++) {
      const s = y * (width * 3 + 1) + 1 + x * 3;
      data.set([raw[s], raw[s + 1], raw[s + 2], 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** A grey image with green convex faces painted in. */
function paint(width: number, height: number, faces: Point[][], green: [number, number, number] = [40, 200, 50]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inFace = faces.some((f) => pointInConvex(f, [x + 0.5, y + 0.5]));
      data.set(inFace ? [...green, 255] : [120, 112, 104, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

function near(a: Point, b: Point, tolerance: number): boolean {
  return Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance;
}

function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('mockup setup rules (no stack needed)', () => {
  it('offers exactly the renderer\'s effect parameters with its defaults and clamps', () => {
    assert.deepEqual(
      EFFECT_PARAMETERS.map((p) => ({ key: p.key, snake: p.snake, default: p.default, min: p.min, max: p.max })),
      RENDERER_PARAMETERS.map((p) => ({ key: p.key, snake: p.snake, default: p.default, min: p.min, max: p.max })),
    );
  });

  it('stores only changed effects and reads either spelling back', () => {
    const base = readEffectConfig({ edge_blur: 5 }).values;
    assert.equal(base.edgeBlur, 5);
    const { values, other } = readEffectConfig({ brightness: 130, image_blur: 2, enable_feathering: false }, base);
    assert.deepEqual(effectOverrides(values, base, other), { brightness: 130, imageBlur: 2, enable_feathering: false });
    assert.deepEqual(effectOverrides({ ...DEFAULT_EFFECTS }), {});
    assert.equal(readEffectConfig({ brightness: 900 }).values.brightness, 200, 'out-of-range values are clamped for the slider');
  });

  it('accepts the frames the renderer accepts, in the renderer\'s corner order', () => {
    const rand = prng(42);
    let convex = 0;
    for (let n = 0; n < 2000; n++) {
      const pts: Point[] = Array.from({ length: 4 }, () => [Math.round(rand() * 400), Math.round(rand() * 300)] as Point);
      let renderer: Point[] | null = null;
      try {
        renderer = validateFrames([{ points: pts }], { width: 400, height: 300 })[0].points;
      } catch {
        renderer = null;
      }
      assert.equal(isConvexQuad(pts), renderer !== null, `same verdict for ${JSON.stringify(pts)}`);
      if (renderer) {
        convex++;
        assert.deepEqual(orderCorners(pts), renderer, `same order for ${JSON.stringify(pts)}`);
        assert.deepEqual(orderCorners(pts), orderPoints(pts));
      }
    }
    assert.ok(convex > 200, `enough convex samples (${convex})`);
  });

  it('maps the unit square onto the frame\'s corners', () => {
    const q: Quad = [[10, 10], [200, 20], [210, 120], [5, 110]];
    const h = squareToQuad(q);
    ([[0, 0], [1, 0], [1, 1], [0, 1]] as Point[]).forEach(([u, v], i) => assert.ok(near(applyHomography(h, u, v), q[i], 1e-9)));
  });

  it('finds the green face of the demo photos, day and night, landscape and portrait', () => {
    for (const [seed, timeOfDay, orientation] of [[1000, 'day', 'landscape'], [1001, 'night', 'landscape'], [1040, 'day', 'portrait'], [1071, 'night', 'portrait']] as const) {
      const photo = renderBillboardPhoto({ seed, timeOfDay, orientation });
      const { screens } = detectGreenScreens(decodeSeedPng(photo.png, photo.width, photo.height));
      assert.equal(screens.length, 1, `one face in photo ${seed}`);
      screens[0].points.forEach((p, i) => assert.ok(near(p, photo.face[i] as Point, 2), `photo ${seed} corner ${i + 1}: ${p} vs ${photo.face[i]}`));
    }
  });

  it('finds a face turned 45°, several faces, and skips faces already framed', () => {
    const diamond: Point[] = [[150, 50], [250, 150], [150, 250], [50, 150]];
    const panel: Point[] = [[350, 100], [560, 120], [550, 330], [360, 300]];
    const image = paint(600, 400, [diamond, panel]);
    const { screens } = detectGreenScreens(image);
    assert.equal(screens.length, 2);
    const byX = [...screens].sort((a, b) => a.points[0][0] - b.points[0][0]);
    assert.ok(byX[0].points.every((p) => diamond.some((d) => near(p, d, 2))), `diamond: ${JSON.stringify(byX[0].points)}`);
    assert.ok(byX[1].points.every((p) => panel.some((d) => near(p, d, 2))), `panel: ${JSON.stringify(byX[1].points)}`);
    const again = detectGreenScreens(image, { exclude: [orderCorners(panel)] });
    assert.equal(again.screens.length, 1, 'the framed panel is not found again');
  });

  it('reports nothing for a photo without a green face or with only scattered green', () => {
    const none = detectGreenScreens(paint(300, 200, []));
    assert.deepEqual(none, { screens: [], matchedPixels: 0 });
    const rand = prng(7);
    const speckles = Array.from({ length: 300 }, () => {
      const x = Math.floor(rand() * 290), y = Math.floor(rand() * 190);
      return [[x, y], [x + 3, y], [x + 3, y + 3], [x, y + 3]] as Point[];
    });
    const scattered = detectGreenScreens(paint(300, 200, speckles));
    assert.equal(scattered.screens.length, 0);
    assert.ok(scattered.matchedPixels > 0);
  });
});
