// Frames of a mockup template (spec §2.2, §2.3, §2.10): validation, corner ordering, which
// creative goes on which frame, and green-screen detection of a frame in a photo.
// Dependency-free (no Node APIs) so the SPA's setup screen can run the same rules.
import { type EffectConfigLayer, parseEffectConfig } from './effect-config.ts';
import { MockupInputError } from './errors.ts';

export type Point = [number, number];
/** Corners in the order the compositor uses: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

/** A frame as stored in `frames_data`: four points in any order plus optional overrides. */
export interface FrameInput {
  points: unknown;
  config?: unknown;
}

/** A validated frame: ordered corners inside the photo and a parsed (unclamped) config layer. */
export interface Frame {
  points: Quad;
  config: EffectConfigLayer;
}

/** Twice the signed area; positive when the corners run clockwise on screen (y grows down). */
function doubleSignedArea(q: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < q.length; i++) {
    const [x1, y1] = q[i];
    const [x2, y2] = q[(i + 1) % q.length];
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

function extreme(points: readonly Point[], score: (p: Point) => number, pickLargest: boolean): Point {
  let best = points[0];
  for (const p of points) {
    if (pickLargest ? score(p) > score(best) : score(p) < score(best)) best = p;
  }
  return best;
}

/** Every turn goes the same (clockwise) way and no corner is repeated or collinear. */
function isStrictlyConvexClockwise(q: readonly Point[]): boolean {
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i];
    const [bx, by] = q[(i + 1) % 4];
    const [cx, cy] = q[(i + 2) % 4];
    if ((bx - ax) * (cy - by) - (by - ay) * (cx - bx) <= 0) return false;
  }
  return true;
}

/**
 * Orders four corners TL, TR, BR, BL (§2.2): TL = min(x+y), BR = max(x+y), TR = min(y−x),
 * BL = max(y−x); a counter-clockwise result gets TR and BL swapped. Quads turned near 45°
 * make those picks collide (one point chosen twice); then the corners are taken clockwise
 * around their centroid, starting from min(x+y) — the same answer whenever the picks work.
 */
export function orderPoints(points: readonly Point[]): Quad {
  if (points.length !== 4) throw new MockupInputError(`a frame needs exactly 4 points, got ${points.length}`);
  const tl = extreme(points, ([x, y]) => x + y, false);
  const br = extreme(points, ([x, y]) => x + y, true);
  const tr = extreme(points, ([x, y]) => y - x, false);
  const bl = extreme(points, ([x, y]) => y - x, true);
  let quad: Quad = [tl, tr, br, bl];
  if (doubleSignedArea(quad) < 0) quad = [tl, bl, br, tr];
  if (new Set(quad).size === 4 && isStrictlyConvexClockwise(quad)) return clone(quad);

  const cx = points.reduce((s, p) => s + p[0], 0) / 4;
  const cy = points.reduce((s, p) => s + p[1], 0) / 4;
  // atan2 grows clockwise on screen because y points down.
  const around = [...points].sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx));
  const start = around.indexOf(tl);
  return clone([0, 1, 2, 3].map((i) => around[(start + i) % 4]) as Quad);
}

function clone(q: Quad): Quad {
  return q.map(([x, y]) => [x, y]) as Quad;
}

/**
 * Validates `frames_data` against the photo it belongs to: a non-empty list of frames, each
 * with exactly 4 non-negative finite points inside the photo (0 ≤ x ≤ width, 0 ≤ y ≤ height)
 * forming a convex quadrilateral, and a valid config layer. Returns the frames with ordered
 * corners. A self-intersecting or degenerate quad cannot be the image of a rectangle, so it is
 * rejected rather than rendered as a bow tie.
 */
export function validateFrames(frames: unknown, photo: { width: number; height: number }): Frame[] {
  if (!Array.isArray(frames) || frames.length === 0) throw new MockupInputError('frames must be a non-empty list');
  return frames.map((frame: unknown, index) => {
    const name = `frame ${index + 1}`;
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      throw new MockupInputError(`${name} must be an object with points`);
    }
    const { points, config, ...rest } = frame as FrameInput & Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) throw new MockupInputError(`${name}: unknown field(s) ${extra.join(', ')}; a frame has points and config`);
    if (!Array.isArray(points) || points.length !== 4) {
      throw new MockupInputError(`${name} needs exactly 4 points, got ${Array.isArray(points) ? points.length : 'none'}`);
    }
    const checked = points.map((p: unknown, i): Point => {
      const ok = Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
      if (!ok) throw new MockupInputError(`${name}, point ${i + 1}: expected [x, y] with two finite numbers`);
      const [x, y] = p as Point;
      if (x < 0 || y < 0) throw new MockupInputError(`${name}, point ${i + 1}: coordinates must not be negative (got ${x}, ${y})`);
      if (x > photo.width || y > photo.height) {
        throw new MockupInputError(`${name}, point ${i + 1}: (${x}, ${y}) lies outside the ${photo.width}x${photo.height} photo`);
      }
      return [x, y];
    });
    const quad = orderPoints(checked);
    if (!isStrictlyConvexClockwise(quad) || doubleSignedArea(quad) < 2) {
      throw new MockupInputError(`${name} is not a convex quadrilateral (its points cross, repeat or lie on a line)`);
    }
    return { points: quad, config: parseEffectConfig(config, `${name} config`) };
  });
}

/**
 * Which creative goes on each frame (§2.3): one creative is repeated on every frame, N
 * creatives need exactly N frames (creative i → frame i); anything else is an error.
 */
export function creativeForEachFrame(creativeCount: number, frameCount: number): number[] {
  if (creativeCount === 1) return Array.from({ length: frameCount }, () => 0);
  if (creativeCount === frameCount && frameCount > 0) return Array.from({ length: frameCount }, (_, i) => i);
  const allowed = frameCount === 1 ? '1' : `1 or ${frameCount}`;
  throw new MockupInputError(`Creative count mismatch: provided ${creativeCount}, but location requires ${allowed} frame(s)`);
}

// ---------------------------------------------------------------------------------------------
// Green-screen detection (§2.10)

/** Pixels as in a canvas ImageData (RGBA) or packed RGB; channels inferred from the length. */
export interface PixelImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export interface GreenScreenOptions {
  /** Screen colour, default #1CFF1C. */
  target?: [number, number, number];
  /** RGB distance accepted as a match, 10–100, default 40. */
  tolerance?: number;
  /** Perspective correction strength, default 15. */
  depth?: number;
  /** Frames already defined on this photo; their pixels are not matched again. */
  exclude?: readonly Quad[];
}

export type GreenScreenResult =
  | { found: true; points: Quad; matchedPixels: number }
  | { found: false; reason: string; matchedPixels: number };

export const GREEN_SCREEN_DEFAULTS = { target: [0x1c, 0xff, 0x1c] as [number, number, number], tolerance: 40, depth: 15 };
const MIN_MATCHED_PIXELS = 1000;
const DILATE_PX = 3;

function insideQuad(q: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const [x1, y1] = q[i];
    const [x2, y2] = q[(i + 1) % 4];
    const cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
    if (cross !== 0) {
      if (sign === 0) sign = Math.sign(cross);
      else if (Math.sign(cross) !== sign) return false;
    }
  }
  return true;
}

/**
 * Finds a green-screen billboard face: pixels within `tolerance` of the target colour
 * (outside already defined frames), at least 1000 of them, dilated by 3 px; the outermost
 * boundary pixels by x+y and x−y give the corners, which are then pushed out on the side that
 * looks farther away, by `depth`, to make up for perspective (clamped to the image).
 */
export function detectGreenScreen(image: PixelImage, options: GreenScreenOptions = {}): GreenScreenResult {
  const { width, height, data } = image;
  const channels = data.length / (width * height);
  if (channels !== 3 && channels !== 4) throw new MockupInputError('image data must hold 3 (RGB) or 4 (RGBA) bytes per pixel');
  const [tr, tg, tb] = options.target ?? GREEN_SCREEN_DEFAULTS.target;
  const tolerance = Math.min(100, Math.max(10, options.tolerance ?? GREEN_SCREEN_DEFAULTS.tolerance));
  const depth = options.depth ?? GREEN_SCREEN_DEFAULTS.depth;
  const exclude = options.exclude ?? [];

  const matched = new Uint8Array(width * height);
  let count = 0;
  let minX = width, minY = height, maxX = -1, maxY = -1;
  const tol2 = tolerance * tolerance;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const dr = data[i] - tr, dg = data[i + 1] - tg, db = data[i + 2] - tb;
      if (dr * dr + dg * dg + db * db > tol2) continue;
      if (exclude.some((q) => insideQuad(q, x, y))) continue;
      matched[y * width + x] = 1;
      count++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (count < MIN_MATCHED_PIXELS) return { found: false, reason: 'no green screen detected', matchedPixels: count };

  // Dilate (square, separable) inside the matched box grown by the dilation radius.
  const x0 = Math.max(0, minX - DILATE_PX), x1 = Math.min(width - 1, maxX + DILATE_PX);
  const y0 = Math.max(0, minY - DILATE_PX), y1 = Math.min(height - 1, maxY + DILATE_PX);
  const rows = new Uint8Array(width * height);
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      if (!matched[y * width + x]) continue;
      for (let dx = Math.max(x0, x - DILATE_PX); dx <= Math.min(x1, x + DILATE_PX); dx++) rows[y * width + dx] = 1;
    }
  }
  const mask = new Uint8Array(width * height);
  for (let y = minY; y <= maxY; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!rows[y * width + x]) continue;
      for (let dy = Math.max(y0, y - DILATE_PX); dy <= Math.min(y1, y + DILATE_PX); dy++) mask[dy * width + x] = 1;
    }
  }

  // Corners from boundary pixels: in the mask, with a 4-neighbour outside it or off the image.
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] === 1;
  let tl: Point | null = null, trc: Point | null = null, br: Point | null = null, bl: Point | null = null;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!on(x, y) || (on(x - 1, y) && on(x + 1, y) && on(x, y - 1) && on(x, y + 1))) continue;
      if (!tl || x + y < tl[0] + tl[1]) tl = [x, y];
      if (!br || x + y > br[0] + br[1]) br = [x, y];
      if (!trc || x - y > trc[0] - trc[1]) trc = [x, y];
      if (!bl || x - y < bl[0] - bl[1]) bl = [x, y];
    }
  }
  const quad: Quad = [tl!, trc!, br!, bl!];
  correctPerspective(quad, depth);
  for (const p of quad) {
    p[0] = Math.min(width - 1, Math.max(0, p[0]));
    p[1] = Math.min(height - 1, Math.max(0, p[1]));
  }
  return { found: true, points: quad, matchedPixels: count };
}

/** The shorter side of the face is the farther one; its neighbours' corners move outward. */
function correctPerspective(q: Quad, depth: number): void {
  const [tl, tr, br, bl] = q;
  const len = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const topOverBottom = len(tl, tr) / len(bl, br);
  if (topOverBottom > 1.1) {
    const shift = Math.floor((topOverBottom - 1) * depth);
    bl[1] += shift;
    br[1] += shift;
  } else if (topOverBottom < 0.9) {
    const shift = Math.floor((1 / topOverBottom - 1) * depth);
    tl[1] -= shift;
    tr[1] -= shift;
  }
  const leftOverRight = len(tl, bl) / len(tr, br);
  if (leftOverRight > 1.1) {
    const shift = Math.floor((leftOverRight - 1) * depth);
    tr[0] += shift;
    br[0] += shift;
  } else if (leftOverRight < 0.9) {
    const shift = Math.floor((1 / leftOverRight - 1) * depth);
    tl[0] -= shift;
    bl[0] -= shift;
  }
}
