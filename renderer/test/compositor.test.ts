import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { composite, planComposite } from '../src/mockup/compositor.ts';
import { MockupInputError } from '../src/mockup/errors.ts';
import type { Point } from '../src/mockup/frames.ts';
import { centroid, inQuad, insetDistance, luma, paintedPng, pixelsOf, type Rgb, solidPng } from './images.ts';

const GREY: Rgb = [128, 128, 128];
const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];
const photo = solidPng(400, 300, GREY);
const red = solidPng(200, 100, RED);
// A mild perspective: right side shorter, as on a billboard seen from the left.
const quad: Point[] = [[100, 80], [300, 95], [295, 215], [105, 225]];
const frames = [{ points: quad }];

const close = (actual: Rgb, expected: Rgb, tolerance: number) => actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance);
const badInput = (pattern: RegExp) => (e: unknown) => e instanceof MockupInputError && pattern.test(e.message);

describe('compositing a creative onto a frame', () => {
  it('puts the creative inside the frame and leaves the photo far outside it unchanged', async () => {
    const out = await pixelsOf(await composite({ photo, creatives: [red], frames, timeOfDay: 'day' }));
    assert.deepEqual([out.width, out.height], [400, 300]);
    const [cx, cy] = centroid(quad);
    assert.ok(close(out.at(cx, cy), RED, 12), `frame centre is red: ${out.at(cx, cy)}`);
    // Beyond every blur and feather (and JPEG's 8×8 blocks), not one pixel may change.
    for (let y = 0; y < 300; y += 3) {
      for (let x = 0; x < 400; x += 3) {
        if (insetDistance(quad, [x, y]) > -40) continue;
        assert.ok(close(out.at(x, y), GREY, 2), `pixel ${x},${y} outside the frame changed to ${out.at(x, y)}`);
      }
    }
  });

  it('blends across the frame edge: pixels on the edge lie strictly between photo and creative', async () => {
    const out = await pixelsOf(await composite({ photo, creatives: [red], frames, timeOfDay: 'day' }));
    // Walk across the left edge at mid-height, from the photo into the frame beyond the feather.
    const [ex, ey] = inQuad(quad, 0, 0.5);
    const reds = Array.from({ length: 41 }, (_, i) => out.at(ex - 10 + i, ey)[0]);
    assert.ok(reds[0] < 140 && reds[40] > 235, `ends: outside ${reds[0]}, inside ${reds[40]}`);
    const between = reds.filter((r) => r > 140 && r < 235);
    assert.ok(between.length >= 2, `soft edge, got red values ${reds.join(' ')}`);
  });

  it('fades a wide edge blur into the photo outside the frame, not into a flat halo of creative colour', async () => {
    const out = await pixelsOf(await composite({ photo, creatives: [red], frames, config: { edgeBlur: 21 }, timeOfDay: 'day' }));
    const [ex, ey] = inQuad(quad, 0, 0.5);
    // 6 px outside the polygon the creative's weight is small; the original painted the bleed
    // fill there too, turning these pixels almost fully red.
    const outside = out.at(ex - 6, ey);
    assert.ok(outside[0] < 170 && outside[1] > 90, `6 px outside the frame is mostly photo: ${outside}`);
    assert.ok(close(out.at(ex + 30, ey), RED, 20), `inside is the creative: ${out.at(ex + 30, ey)}`);
  });

  it('anti-aliases the polygon itself: with every blur off a slanted edge still has partial pixels', async () => {
    const white = solidPng(200, 100, [255, 255, 255]);
    // Edge blur 1 and smoother 3: no edge effect and no hi-res blur, only the supersampled polygon.
    const out = await pixelsOf(await composite({ photo, creatives: [white], frames, config: { edgeBlur: 1, edgeSmoother: 3 }, timeOfDay: 'day', jpegQuality: 100 }));
    // The top edge rises 15 px over 200: every column crosses it at a different sub-pixel height.
    let partial = 0;
    for (let x = 120; x < 280; x += 4) {
      const [, y] = inQuad(quad, (x - 100) / 200, 0);
      for (let dy = -2; dy <= 2; dy++) {
        const l = luma(out.at(x, Math.round(y) + dy));
        if (l > 140 && l < 243) partial++;
      }
    }
    assert.ok(partial >= 20, `anti-aliased pixels along the top edge: ${partial}`);
  });

  it('maps the creative’s corners onto the frame corners (within a pixel) in the right orientation', async () => {
    // Four coloured quadrants; an axis-aligned frame so the edge position can be read exactly.
    const quadrants = paintedPng(200, 100, (x, y) => (y < 50 ? (x < 100 ? RED : [0, 255, 0]) : x < 100 ? BLUE : [255, 255, 0]));
    const box: Point[] = [[100, 60], [300, 60], [300, 240], [100, 240]];
    const out = await pixelsOf(await composite({ photo, creatives: [quadrants], frames: [{ points: box }], config: { edgeBlur: 1, edgeSmoother: 8 }, timeOfDay: 'day', jpegQuality: 100 }));
    assert.ok(close(out.at(105, 65), RED, 30), `top-left is red: ${out.at(105, 65)}`);
    assert.ok(close(out.at(295, 65), [0, 255, 0], 30), `top-right is green: ${out.at(295, 65)}`);
    assert.ok(close(out.at(295, 235), [255, 255, 0], 30), `bottom-right is yellow: ${out.at(295, 235)}`);
    assert.ok(close(out.at(105, 235), BLUE, 40), `bottom-left is blue: ${out.at(105, 235)}`);
    // The left edge sits on x = 100: half covered there, photo one pixel left of the edge's
    // half-pixel, creative one pixel right of it.
    const lumaAt = (x: number) => luma(out.at(x, 200));
    const photoLuma = luma(GREY), creativeLuma = luma(BLUE);
    assert.ok(Math.abs(lumaAt(98) - photoLuma) < 6, `x=98 is photo: ${lumaAt(98)}`);
    assert.ok(Math.abs(lumaAt(102) - creativeLuma) < 10, `x=102 is creative: ${lumaAt(102)}`);
    const mid = (photoLuma + creativeLuma) / 2;
    assert.ok(lumaAt(99) > mid && lumaAt(101) < mid, `the 50 % crossing lies within x = 99..101: ${[99, 100, 101].map(lumaAt)}`);
  });

  it('lets the photo through at overlay opacity 100: the frame centre is a 50/50 blend', async () => {
    const out = await pixelsOf(await composite({ photo, creatives: [red], frames, config: { overlay_opacity: 100 }, timeOfDay: 'day' }));
    const [cx, cy] = centroid(quad);
    assert.ok(close(out.at(cx, cy), [191.5, 64, 64], 6), `centre is half red, half grey: ${out.at(cx, cy)}`);
  });

  it('makes brightness 200 brighter than 100 and 50 darker', async () => {
    const mid = solidPng(200, 100, [90, 90, 90]);
    const centreLuma = async (brightness: number) => {
      const out = await pixelsOf(await composite({ photo, creatives: [mid], frames, config: { brightness }, timeOfDay: 'day' }));
      return luma(out.at(...centroid(quad)));
    };
    const normal = await centreLuma(100), bright = await centreLuma(200), dark = await centreLuma(50);
    assert.ok(bright > normal + 60, `brightness 200: ${bright} vs ${normal}`);
    assert.ok(dark < normal - 30, `brightness 50: ${dark} vs ${normal}`);
  });

  it('darkens the bottom of the frame more than its top with the night depth effect, and only at night', async () => {
    const light = solidPng(200, 100, [200, 200, 200]);
    const topAndBottom = async (timeOfDay: 'day' | 'night', depthMultiplier: number) => {
      const out = await pixelsOf(await composite({ photo, creatives: [light], frames, config: { depthMultiplier }, timeOfDay }));
      return [luma(out.at(...inQuad(quad, 0.5, 0.2))), luma(out.at(...inQuad(quad, 0.5, 0.85)))];
    };
    const [top, bottom] = await topAndBottom('night', 30);
    assert.ok(bottom < top - 30, `night: bottom ${bottom} darker than top ${top}`);
    assert.ok(top > 150, `night: the top stays light (${top})`);
    const [dayTop, dayBottom] = await topAndBottom('day', 30);
    assert.ok(Math.abs(dayTop - dayBottom) < 4, `day haze has no vertical gradient: ${dayTop} vs ${dayBottom}`);
    const [offTop, offBottom] = await topAndBottom('night', 15);
    assert.ok(Math.abs(offTop - offBottom) < 3, `depth 15 is off: ${offTop} vs ${offBottom}`);
  });

  it('puts creative i on frame i when there are as many creatives as frames, and one creative on all frames', async () => {
    const left: Point[] = [[20, 40], [180, 50], [175, 250], [25, 260]];
    const right: Point[] = [[220, 50], [380, 40], [375, 260], [225, 250]];
    const blue = solidPng(120, 80, BLUE);
    const two = await pixelsOf(await composite({ photo, creatives: [red, blue], frames: [{ points: left }, { points: right }], timeOfDay: 'day' }));
    assert.ok(close(two.at(...centroid(left)), RED, 12), `frame 1 shows creative 1: ${two.at(...centroid(left))}`);
    assert.ok(close(two.at(...centroid(right)), BLUE, 12), `frame 2 shows creative 2: ${two.at(...centroid(right))}`);
    const one = await pixelsOf(await composite({ photo, creatives: [blue], frames: [{ points: left }, { points: right }], timeOfDay: 'day' }));
    assert.ok(close(one.at(...centroid(left)), BLUE, 12) && close(one.at(...centroid(right)), BLUE, 12), 'one creative on both frames');
  });

  it('applies frame configs per frame, with the request override above them', () => {
    const plan = planComposite({
      photo, creatives: [red], timeOfDay: 'night',
      photoConfig: { brightness: 110, vignette: 5 },
      frames: [{ points: quad, config: { brightness: 120 } }, { points: quad }],
      config: { vignette: 30 },
    });
    assert.deepEqual(plan.frames.map((f) => [f.config.brightness, f.config.vignette]), [[120, 30], [110, 30]]);
    assert.deepEqual(plan.frames.map((f) => f.creative), [0, 0]);
  });

  it('gives the same bytes for the same inputs', async () => {
    const request = { photo, creatives: [red], frames, config: { edgeBlur: 21, sharpening: 50, vignette: 20 }, timeOfDay: 'night' as const };
    assert.ok((await composite(request)).equals(await composite(request)));
  });

  it('gives the same bytes when several mockups render at once on the worker pool', async () => {
    const blue = solidPng(120, 80, BLUE);
    const requests = [red, blue, red, blue].map((c, i) => ({ photo, creatives: [c], frames, config: { edgeBlur: 5 + 4 * i }, timeOfDay: 'day' as const }));
    const together = await Promise.all(requests.map((r) => composite(r)));
    for (const [i, r] of requests.entries()) assert.ok(together[i].equals(await composite(r)), `request ${i + 1}`);
  });

  it('honours the JPEG quality', async () => {
    const busy = paintedPng(400, 300, (x, y) => [(x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256]);
    const q95 = await composite({ photo: busy, creatives: [red], frames, timeOfDay: 'day' });
    const q60 = await composite({ photo: busy, creatives: [red], frames, timeOfDay: 'day', jpegQuality: 60 });
    assert.ok(q60.length < q95.length * 0.8, `q60 ${q60.length} bytes vs q95 ${q95.length}`);
    assert.deepEqual([...q95.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  });

  it('runs off the JS thread: the event loop keeps turning while a large mockup renders', async () => {
    const bigPhoto = solidPng(2400, 1600, GREY);
    const bigCreative = paintedPng(1200, 800, (x, y) => [(x >> 3) & 255, (y >> 3) & 255, 128]);
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const started = turns;
    await composite({ photo: bigPhoto, creatives: [bigCreative], frames: [{ points: [[200, 200], [2200, 260], [2150, 1400], [250, 1450]] }], config: { edgeBlur: 21, edgeSmoother: 8 }, timeOfDay: 'night' });
    running = false;
    assert.ok(turns - started >= 3, `the event loop turned ${turns - started} times during the render`);
  });
});

describe('compositing the demo seed photos', () => {
  // The creative's green never exceeds 60, so a green channel above 110 that dominates the
  // pixel means at least ~25 % of the #1CFF1C screen shows through.
  const creative = paintedPng(600, 300, (x, y) => ((x >> 4) + (y >> 4)) % 2 ? [200, 30, 120] : [30, 60, 200]);
  const isScreenGreen = ([r, g, b]: Rgb) => g > 110 && g > r && g > b;
  // Inside the feather band (2 × edge blur px) the photo shows through by design, so the default
  // config is checked beyond it; at edge blur 21 bleed prevention must cover the band as well.

  for (const [seed, timeOfDay, edgeBlur, inset] of [[3, 'day', undefined, 24], [8, 'night', undefined, 24], [5, 'day', 21, 2]] as const) {
    it(`leaves no green-screen pixel inside the face (seed ${seed}, ${timeOfDay}, edge blur ${edgeBlur ?? 'default'})`, async () => {
      const demo = renderBillboardPhoto({ seed, timeOfDay });
      const config = edgeBlur ? { edgeBlur } : undefined;
      const out = await pixelsOf(await composite({ photo: demo.png, creatives: [creative], frames: [{ points: demo.face }], config, timeOfDay }));
      let checked = 0;
      for (let v = 0; v <= 1; v += 0.01) {
        for (let u = 0; u <= 1; u += 0.005) {
          const p = inQuad(demo.face, u, v);
          if (insetDistance(demo.face, p) < inset) continue;
          checked++;
          assert.ok(!isScreenGreen(out.at(...p)), `green-screen pixel left at ${p.map(Math.round)}: ${out.at(...p)}`);
        }
      }
      assert.ok(checked > 5000, `checked ${checked} pixels`);
    });
  }
});

describe('bad input', () => {
  it('rejects an undecodable photo with a clear error', async () => {
    await assert.rejects(composite({ photo: Buffer.from('definitely not a photo'), creatives: [red], frames, timeOfDay: 'day' }), badInput(/^photo could not be decoded/));
  });

  it('rejects a photo whose header is fine but whose pixels are corrupt', async () => {
    const corrupt = Buffer.from(photo);
    corrupt.fill(0x5a, 40); // keeps the PNG signature and IHDR, ruins the compressed data
    await assert.rejects(composite({ photo: corrupt, creatives: [red], frames, timeOfDay: 'day' }), badInput(/^photo could not be decoded: the file is corrupt/));
  });

  it('rejects a corrupt creative, naming which one', async () => {
    const corrupt = Buffer.from(red);
    corrupt.fill(0x5a, 40);
    await assert.rejects(composite({ photo, creatives: [red, corrupt], frames: [{ points: quad }, { points: quad }], timeOfDay: 'day' }), badInput(/^creative 2 could not be decoded/));
  });

  it('rejects a creative count that fits neither rule before rendering anything', async () => {
    await assert.rejects(composite({ photo, creatives: [red, red], frames: [{ points: quad }, { points: quad }, { points: quad }], timeOfDay: 'day' }),
      badInput(/^Creative count mismatch: provided 2, but location requires 1 or 3 frame\(s\)$/));
  });

  it('rejects a frame outside the photo, an unknown config key, a bad time of day and a bad JPEG quality', async () => {
    await assert.rejects(composite({ photo, creatives: [red], frames: [{ points: [[100, 80], [450, 95], [295, 215], [105, 225]] }], timeOfDay: 'day' }), badInput(/outside the 400x300 photo/));
    await assert.rejects(composite({ photo, creatives: [red], frames, config: { lightDirection: 'top' }, timeOfDay: 'day' }), badInput(/lightDirection/));
    await assert.rejects(composite({ photo, creatives: [red], frames, timeOfDay: 'dusk' as 'day' }), badInput(/timeOfDay must be 'day' or 'night'/));
    await assert.rejects(composite({ photo, creatives: [red], frames, timeOfDay: 'day', jpegQuality: 101 }), badInput(/jpegQuality must be a whole number from 1 to 100/));
  });
});
