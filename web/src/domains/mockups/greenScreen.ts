// Green-screen frame detection for mockup setup (spec §2.10), run in the browser on the photo's
// canvas pixels. The spec's own method (colour distance, then the extreme pixels by x+y and
// x−y) finds one face and fails on faces turned near 45°; this finds every large green face:
//   1. HSV threshold around the target colour's hue (lighting changes brightness and
//      saturation much more than hue, so a shaded or night-lit screen still matches);
//   2. connected components (4-neighbour), ignoring pixels inside frames already drawn;
//   3. per large component, the convex hull of its pixels, reduced to the smallest enclosing
//      quadrilateral by repeatedly cutting the hull edge whose removal adds the least area
//      (the neighbouring edges are extended to meet) — exact for a rectangle in perspective.
// Components that fill too little of their quad (foliage, a green car) are dropped.
// renderer/src/mockup/frames.ts keeps the spec's single-face variant for server-side use.
// (Imports end in .js so the Node tests in web/e2e can load this module as well.)
import { isConvexQuad, orderCorners, type Point, polygonArea, pointInConvex, type Quad } from './geometry.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, as in a canvas ImageData. */
  data: Uint8ClampedArray | Uint8Array;
}

export interface GreenScreenOptions {
  /** Screen colour; default #1CFF1C. */
  target?: [number, number, number];
  /** 10–100, default 40: wider hue window and lower saturation floor as it grows. */
  tolerance?: number;
  /** Frames already on the photo (in this image's coordinates); their pixels are skipped. */
  exclude?: readonly Quad[];
  /** Smallest face in pixels; default 0.25 % of the image, at least 400. */
  minPixels?: number;
  /** At most this many faces, largest first; default 8. */
  maxScreens?: number;
}

export interface DetectedScreen {
  points: Quad;
  /** Matching pixels in the component. */
  pixels: number;
  /** pixels / quad area: how solidly green the face is. */
  fill: number;
}

export interface GreenScreenResult {
  screens: DetectedScreen[];
  /** Pixels that matched the colour at all (for "nothing found" messages). */
  matchedPixels: number;
}

export const GREEN_SCREEN_DEFAULTS = { target: [0x1c, 0xff, 0x1c] as [number, number, number], tolerance: 40 };
const MIN_FILL = 0.5;

/** Hue in degrees, saturation and value 0–1. */
export function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    h *= 60;
    if (h < 0) h += 360;
  }
  return [h, max === 0 ? 0 : d / max, max / 255];
}

export function hexToRgb(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}

/** The pixels that look like the screen colour, 1 per match. */
export function greenMask(image: RgbaImage, options: GreenScreenOptions = {}): { mask: Uint8Array; count: number } {
  const { width, height, data } = image;
  const [targetHue] = rgbToHsv(...(options.target ?? GREEN_SCREEN_DEFAULTS.target));
  const tolerance = Math.min(100, Math.max(10, options.tolerance ?? GREEN_SCREEN_DEFAULTS.tolerance));
  const hueWindow = tolerance * 0.75;
  const minSaturation = Math.max(0.15, 0.55 - tolerance / 200);
  const minValue = 0.2;
  const exclude = (options.exclude ?? []).map((q) => ({ q, box: bounds(q) }));
  const mask = new Uint8Array(width * height);
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [h, s, v] = rgbToHsv(data[i], data[i + 1], data[i + 2]);
      if (s < minSaturation || v < minValue) continue;
      const dh = Math.abs(h - targetHue);
      if (Math.min(dh, 360 - dh) > hueWindow) continue;
      const c: Point = [x + 0.5, y + 0.5];
      if (exclude.some(({ q, box }) => c[0] >= box[0] && c[0] <= box[2] && c[1] >= box[1] && c[1] <= box[3] && pointInConvex(q, c))) continue;
      mask[y * width + x] = 1;
      count++;
    }
  }
  return { mask, count };
}

function bounds(q: readonly Point[]): [number, number, number, number] {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

interface Component {
  pixels: number;
  /** Outline points: the corners of each row's first and last pixel. */
  outline: Point[];
}

/** 4-connected components of the mask, each with its row extents (enough for the hull). */
export function components(mask: Uint8Array, width: number, height: number, minPixels: number): Component[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const rowMin = new Int32Array(height);
  const rowMax = new Int32Array(height);
  const rowOwner = new Int32Array(height).fill(-1);
  const out: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let pixels = 0;
    const rows: number[] = [];
    while (top > 0) {
      const i = stack[--top];
      const x = i % width;
      const y = (i - x) / width;
      pixels++;
      if (rowOwner[y] !== start) {
        rowOwner[y] = start;
        rows.push(y);
        rowMin[y] = x;
        rowMax[y] = x;
      } else {
        if (x < rowMin[y]) rowMin[y] = x;
        if (x > rowMax[y]) rowMax[y] = x;
      }
      if (x > 0 && mask[i - 1] && !seen[i - 1]) { seen[i - 1] = 1; stack[top++] = i - 1; }
      if (x < width - 1 && mask[i + 1] && !seen[i + 1]) { seen[i + 1] = 1; stack[top++] = i + 1; }
      if (y > 0 && mask[i - width] && !seen[i - width]) { seen[i - width] = 1; stack[top++] = i - width; }
      if (y < height - 1 && mask[i + width] && !seen[i + width]) { seen[i + width] = 1; stack[top++] = i + width; }
    }
    if (pixels < minPixels) continue;
    const outline: Point[] = [];
    for (const y of rows) outline.push([rowMin[y], y], [rowMax[y] + 1, y], [rowMin[y], y + 1], [rowMax[y] + 1, y + 1]);
    out.push({ pixels, outline });
  }
  return out;
}

/** Andrew's monotone chain; clockwise on screen (y down), no collinear points. */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const turn = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && turn(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && turn(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

function lineIntersection(a: Point, b: Point, c: Point, d: Point): { p: Point; t: number; s: number } | null {
  const rx = b[0] - a[0], ry = b[1] - a[1];
  const sx = c[0] - d[0], sy = c[1] - d[1];
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-9) return null;
  const qx = d[0] - a[0], qy = d[1] - a[1];
  const t = (qx * sy - qy * sx) / den;
  const s = (qx * ry - qy * rx) / den;
  return { p: [a[0] + t * rx, a[1] + t * ry], t, s };
}

function triangleArea(a: Point, b: Point, c: Point): number {
  return Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2;
}

/**
 * Reduces a convex polygon to 4 corners enclosing it: each step removes the edge b–c whose
 * neighbours a–b and d–c, extended, meet at the point adding the smallest triangle. When no
 * edge can be cut that way, the vertex adding least is dropped instead (an inscribed step).
 */
export function enclosingQuad(hull: readonly Point[]): Point[] {
  let poly = [...hull];
  while (poly.length > 4) {
    const n = poly.length;
    let best = -1;
    let bestArea = Infinity;
    let bestPoint: Point | null = null;
    for (let i = 0; i < n; i++) {
      const a = poly[(i - 1 + n) % n], b = poly[i], c = poly[(i + 1) % n], d = poly[(i + 2) % n];
      const hit = lineIntersection(a, b, c, d);
      if (!hit || hit.t < 1 || hit.s < 1) continue;
      const area = triangleArea(b, hit.p, c);
      if (area < bestArea) {
        bestArea = area;
        best = i;
        bestPoint = hit.p;
      }
    }
    if (best >= 0 && bestPoint) {
      const next = (best + 1) % n;
      poly = poly.filter((_, j) => j !== next).map((p, j) => (j === (next < best ? best - 1 : best) ? bestPoint! : p));
      continue;
    }
    let drop = 0;
    let dropArea = Infinity;
    for (let i = 0; i < n; i++) {
      const area = triangleArea(poly[(i - 1 + n) % n], poly[i], poly[(i + 1) % n]);
      if (area < dropArea) {
        dropArea = area;
        drop = i;
      }
    }
    poly = poly.filter((_, j) => j !== drop);
  }
  return poly;
}

/** Every large green face of the image, largest first, as ordered corners in image pixels. */
export function detectGreenScreens(image: RgbaImage, options: GreenScreenOptions = {}): GreenScreenResult {
  const { width, height } = image;
  const { mask, count } = greenMask(image, options);
  const minPixels = options.minPixels ?? Math.max(400, Math.round(width * height * 0.0025));
  const screens: DetectedScreen[] = [];
  for (const component of components(mask, width, height, minPixels)) {
    const hull = convexHull(component.outline);
    if (hull.length < 4) continue;
    const corners = enclosingQuad(hull).map(([x, y]): Point => [
      Math.min(width, Math.max(0, Math.round(x))),
      Math.min(height, Math.max(0, Math.round(y))),
    ]);
    if (corners.length !== 4 || !isConvexQuad(corners)) continue;
    const area = polygonArea(corners);
    const fill = area > 0 ? component.pixels / area : 0;
    if (fill < MIN_FILL) continue;
    screens.push({ points: orderCorners(corners), pixels: component.pixels, fill });
  }
  screens.sort((a, b) => b.pixels - a.pixels);
  return { screens: screens.slice(0, options.maxScreens ?? 8), matchedPixels: count };
}
