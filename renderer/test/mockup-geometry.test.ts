// Mockup geometry (issue 4, "Mockup geometry"): the warped creative's corners land within a
// pixel of the frame points, the photo beyond the soft edge is left exactly as it was, and a
// small reviewed golden image guards the look of the whole pipeline.
//
// Regenerate the golden image only after a deliberate change to the pipeline, and look at it:
//   UPDATE_GOLDEN=1 npx tsx --test renderer/test/mockup-geometry.test.ts
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { composite, decodeImage } from '../src/mockup/compositor.ts';
import type { Point } from '../src/mockup/frames.ts';
import { centroid, inQuad, insetDistance, luma, paintedPng, pixelsOf, type Rgb, solidPng } from './images.ts';

const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const YELLOW: Rgb = [255, 255, 0];
const BLUE: Rgb = [80, 80, 255];
/** No edge effect at all: coverage of the 3× supersampled polygon is the only alpha. */
const EFFECTS_OFF = { edgeBlur: 1, edgeSmoother: 3 };

/** A creative whose four quadrants have distinct colours: red TL, green TR, yellow BR, blue BL. */
const quadrants = paintedPng(240, 120, (x, y) => (y < 60 ? (x < 120 ? RED : GREEN) : x < 120 ? BLUE : YELLOW));
const black = solidPng(640, 420, [0, 0, 0]);
/** A billboard seen from the left: the right edge is shorter, no edge is axis-aligned. */
const frame: Point[] = [[130.5, 90.25], [500.75, 121.5], [480.25, 331], [150, 360.5]];

const close = (a: Rgb, b: Rgb, tolerance: number) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

/** Least-squares line v = a·u + b through the points (u, v). */
function fitLine(points: Array<[number, number]>): { a: number; b: number; residual: number } {
  const n = points.length;
  const su = points.reduce((s, p) => s + p[0], 0), sv = points.reduce((s, p) => s + p[1], 0);
  const suu = points.reduce((s, p) => s + p[0] * p[0], 0), suv = points.reduce((s, p) => s + p[0] * p[1], 0);
  const a = (n * suv - su * sv) / (n * suu - su * su);
  const b = (sv - a * su) / n;
  const residual = Math.max(...points.map(([u, v]) => Math.abs(a * u + b - v)));
  return { a, b, residual };
}

/**
 * Where the creative's luma falls to half of its value inside, scanning from `inside` towards
 * `outside` along one row or column (the photo is black, so luma ∝ coverage).
 */
function halfCrossing(sample: (t: number) => number, inside: number, outside: number): number {
  const full = sample(inside);
  const step = outside > inside ? 1 : -1;
  let previous = 1;
  for (let t = inside + step; t !== outside + step; t += step) {
    const level = sample(t) / full;
    if (level < 0.5) return t - step + step * ((previous - 0.5) / (previous - level));
    previous = level;
  }
  throw new Error('no edge between the two positions');
}

describe('mockup geometry', () => {
  it('puts the warped creative\'s corners within 1 px of the frame points, in the right orientation', async () => {
    const out = await pixelsOf(await composite({ photo: black, creatives: [quadrants], frames: [{ points: frame }], config: EFFECTS_OFF, timeOfDay: 'day', jpegQuality: 100 }));
    const lumaAt = (x: number, y: number) => luma(out.at(x, y));
    // Each edge, sampled away from the corners and from the midpoint where two colours meet.
    const along = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
    const c = centroid(frame);
    // Left (side 0) and right (side 1) edges: scan rows outwards from inside the frame.
    const rowsOf = (side: 0 | 1) => along.map((v) => {
      const y = Math.round(inQuad(frame, side, v)[1]);
      const x = halfCrossing((t) => lumaAt(t, y), Math.round(c[0] + (side === 0 ? -60 : 60)), side === 0 ? 20 : 620);
      return [y, x] as [number, number];
    });
    // Top (side 0) and bottom (side 1) edges: scan columns.
    const columnsOf = (side: 0 | 1) => along.map((u) => {
      const x = Math.round(inQuad(frame, u, side)[0]);
      const y = halfCrossing((t) => lumaAt(x, t), Math.round(c[1] + (side === 0 ? -50 : 50)), side === 0 ? 10 : 410);
      return [x, y] as [number, number];
    });
    const left = fitLine(rowsOf(0)); // x = a·y + b
    const right = fitLine(rowsOf(1));
    const top = fitLine(columnsOf(0)); // y = a·x + b
    const bottom = fitLine(columnsOf(1));
    for (const [name, line] of [['left', left], ['right', right], ['top', top], ['bottom', bottom]] as const) {
      assert.ok(line.residual < 0.5, `the ${name} edge is straight (worst sample ${line.residual.toFixed(2)} px off the fitted line)`);
    }
    // Intersect x = a1·y + b1 with y = a2·x + b2.
    const corner = (vertical: typeof left, horizontal: typeof top): Point => {
      const y = (horizontal.a * vertical.b + horizontal.b) / (1 - horizontal.a * vertical.a);
      return [vertical.a * y + vertical.b, y];
    };
    const measured = [corner(left, top), corner(right, top), corner(right, bottom), corner(left, bottom)];
    measured.forEach((m, i) => {
      const error = Math.hypot(m[0] - frame[i][0], m[1] - frame[i][1]);
      assert.ok(error < 1, `corner ${['TL', 'TR', 'BR', 'BL'][i]} at ${m.map((v) => v.toFixed(2))}, frame point ${frame[i]}: ${error.toFixed(2)} px off`);
    });

    // Orientation: the quadrant colours sit in the matching corners of the frame.
    for (const [[u, v], colour, name] of [[[0.06, 0.08], RED, 'TL'], [[0.94, 0.08], GREEN, 'TR'], [[0.94, 0.92], YELLOW, 'BR'], [[0.06, 0.92], BLUE, 'BL']] as const) {
      const p = out.at(...inQuad(frame, u, v));
      assert.ok(close(p, colour as Rgb, 40), `${name} corner shows ${colour}: ${p}`);
    }
    // Outside the frame (beyond the one-pixel anti-aliased edge) the photo stays black.
    for (const [u, v] of [[0.5, -0.02], [1.02, 0.5], [0.5, 1.02], [-0.02, 0.5]]) {
      const p = inQuad(frame, u, v);
      if (insetDistance(frame, p) < -2) assert.ok(luma(out.at(...p)) < 6, `outside at ${p.map(Math.round)}: ${out.at(...p)}`);
    }
  });

  it('leaves every pixel of the photo beyond the soft edge exactly as it was, with all effects at their widest', async () => {
    // A busy photo, so any leak would show; two runs that differ only in where the frame is.
    const busy = paintedPng(640, 420, (x, y) => [(x * 7 + y * 3) & 255, (x ^ y) & 255, ((x >> 2) * (y >> 2)) & 255]);
    const creative = solidPng(300, 150, [230, 40, 90]);
    const frameA: Point[] = [[60, 60], [260, 75], [255, 200], [65, 215]];
    const frameB: Point[] = [[380, 220], [580, 235], [575, 360], [385, 375]];
    const config = { edgeBlur: 21, edgeSmoother: 20, imageBlur: 20, shadowIntensity: 100, vignette: 100, sharpening: 100, depthMultiplier: 30 };
    const render = async (points: Point[]) =>
      await decodeImage(await composite({ photo: busy, creatives: [creative], frames: [{ points }], config, timeOfDay: 'night', jpegQuality: 100 }));
    const [a, b] = await Promise.all([render(frameA), render(frameB)]);

    // Every pixel that differs between the runs lies near one of the two frames: within the
    // soft edge (≈ 14 px at edge blur 21) plus what JPEG spreads it over (16 px MCUs and the
    // decoder's chroma upsampling).
    const BEYOND = 40;
    let compared = 0;
    let farthest = 0;
    let changedNearA = 0;
    for (let y = 0; y < a.height; y++) {
      for (let x = 0; x < a.width; x++) {
        const dA = -insetDistance(frameA, [x, y]);
        const dB = -insetDistance(frameB, [x, y]);
        const i = (y * a.width + x) * 3;
        const same = a.data[i] === b.data[i] && a.data[i + 1] === b.data[i + 1] && a.data[i + 2] === b.data[i + 2];
        if (!same && dB > BEYOND && dA > 0) farthest = Math.max(farthest, dA);
        if (!same && dA > 0 && dA <= 3) changedNearA++;
        if (dA > BEYOND && dB > BEYOND) {
          compared++;
          assert.ok(same, `pixel ${x},${y} is ${dA.toFixed(1)} px outside frame A and ${dB.toFixed(1)} px outside frame B, yet differs`);
        }
      }
    }
    assert.ok(compared > 100_000, `compared ${compared} pixels`);
    assert.ok(changedNearA > 100, `the soft edge does reach just outside the frame (${changedNearA} pixels within 3 px changed)`);
    assert.ok(farthest <= BEYOND, `farthest changed pixel ${farthest.toFixed(1)} px outside the frame`);
  });

  it('matches the reviewed golden image (mean absolute difference below 1 level)', async () => {
    const out = await composite(goldenRequest());
    const path = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'mockup-night.jpg');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
      if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`golden image ${path} is missing; generate it with UPDATE_GOLDEN=1 and review it`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, out);
    }
    const [actual, golden] = await Promise.all([decodeImage(out), decodeImage(readFileSync(path))]);
    assert.deepEqual([actual.width, actual.height], [golden.width, golden.height]);
    let sum = 0;
    let large = 0;
    for (let i = 0; i < actual.data.length; i++) {
      const d = Math.abs(actual.data[i] - golden.data[i]);
      sum += d;
      if (d > 16) large++;
    }
    const mean = sum / actual.data.length;
    assert.ok(mean < 1, `mean absolute difference ${mean.toFixed(3)} levels`);
    assert.ok(large / actual.data.length < 0.002, `${large} channel values differ by more than 16 levels`);
  });
});

/**
 * The golden scene, drawn here so it does not depend on the seed's photo generator: a dusk sky,
 * a ground plane, a dark billboard with its face in perspective, and a creative with stripes,
 * a gradient and a white panel — at night with the default effects plus vignette, shadow and
 * sharpening.
 */
function goldenRequest() {
  const W = 320, H = 200;
  const face: Point[] = [[70, 40], [250, 52], [246, 128], [74, 140]];
  const photo = paintedPng(W, H, (x, y) => {
    if (y > 150) return [40 + ((x * 13) % 17), 45, 50]; // road
    const inBoard = insetDistance(face, [x, y]) > -6;
    if (inBoard) return [25, 25, 30]; // the billboard's frame and face
    if (x > 155 && x < 165 && y > 130) return [60, 60, 65]; // the pole
    return [20 + (y >> 2), 30 + (y >> 2), 80 + (y >> 1)]; // sky
  });
  const creative = paintedPng(360, 180, (x, y) => {
    if (x > 230 && x < 340 && y > 40 && y < 140) return [250, 250, 250];
    if ((x >> 4) % 2 === 0 && y < 30) return [240, 180, 20];
    return [Math.round((x / 360) * 255), 40, Math.round((y / 180) * 200) + 30];
  });
  return {
    photo,
    creatives: [creative],
    frames: [{ points: face }],
    config: { vignette: 20, shadowIntensity: 30, sharpening: 40, depthMultiplier: 22 },
    timeOfDay: 'night' as const,
  };
}
