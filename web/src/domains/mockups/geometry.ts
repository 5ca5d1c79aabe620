// Plane geometry of mockup frames (spec §2.2): corner order, the convexity rule the database
// enforces (private.points_in_convex_position), point-in-frame tests and the homography the
// setup preview warps a sample creative with. Dependency-free so tests can import it in Node.

export type Point = [number, number];
/** Corners as the compositor orders them: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function extreme(points: readonly Point[], score: (p: Point) => number, largest: boolean): Point {
  let best = points[0];
  for (const p of points) if (largest ? score(p) > score(best) : score(p) < score(best)) best = p;
  return best;
}

function clockwiseConvex(q: readonly Point[]): boolean {
  for (let i = 0; i < 4; i++) if (cross(q[i], q[(i + 1) % 4], q[(i + 2) % 4]) <= 0) return false;
  return true;
}

/**
 * Orders four corners TL, TR, BR, BL exactly as the renderer does (renderer/src/mockup/
 * frames.ts orderPoints, spec §2.2): TL = min(x+y), BR = max(x+y), TR = min(y−x),
 * BL = max(y−x), swapped if counter-clockwise; when those picks collide (a frame turned near
 * 45°) the corners are taken clockwise around their centre, starting from min(x+y).
 */
export function orderCorners(points: readonly Point[]): Quad {
  if (points.length !== 4) throw new Error(`a frame needs exactly 4 points, got ${points.length}`);
  const tl = extreme(points, ([x, y]) => x + y, false);
  const br = extreme(points, ([x, y]) => x + y, true);
  const tr = extreme(points, ([x, y]) => y - x, false);
  const bl = extreme(points, ([x, y]) => y - x, true);
  let quad: Point[] = [tl, tr, br, bl];
  if (polygonSignedArea(quad) < 0) quad = [tl, bl, br, tr];
  if (new Set(quad).size !== 4 || !clockwiseConvex(quad)) {
    const cx = points.reduce((s, p) => s + p[0], 0) / 4;
    const cy = points.reduce((s, p) => s + p[1], 0) / 4;
    // atan2 grows clockwise on screen because y points down.
    const around = [...points].sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx));
    const start = around.indexOf(tl);
    quad = [0, 1, 2, 3].map((i) => around[(start + i) % 4]);
  }
  return quad.map(([x, y]) => [x, y]) as Quad;
}

function polygonSignedArea(poly: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < poly.length; i++) sum += poly[i][0] * poly[(i + 1) % poly.length][1] - poly[(i + 1) % poly.length][0] * poly[i][1];
  return sum / 2;
}

/**
 * The database's rule, order-independent: four points in convex position, no three collinear
 * (so no repeated point and no point inside the triangle of the others).
 */
export function isConvexQuad(points: readonly Point[]): boolean {
  if (points.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const others = points.filter((_, j) => j !== i);
    const [a, b, c] = others;
    const t = cross(a, b, c);
    const d1 = cross(a, b, points[i]);
    const d2 = cross(b, c, points[i]);
    const d3 = cross(c, a, points[i]);
    if (t === 0 || d1 === 0 || d2 === 0 || d3 === 0) return false;
    if ((d1 > 0 && d2 > 0 && d3 > 0) || (d1 < 0 && d2 < 0 && d3 < 0)) return false;
  }
  return true;
}

/** Inside (or on the edge of) a convex polygon given in either winding. */
export function pointInConvex(poly: readonly Point[], p: Point): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const c = cross(poly[i], poly[(i + 1) % poly.length], p);
    if (c !== 0) {
      if (sign === 0) sign = Math.sign(c);
      else if (Math.sign(c) !== sign) return false;
    }
  }
  return true;
}

export function polygonArea(poly: readonly Point[]): number {
  return Math.abs(polygonSignedArea(poly));
}

export function clampPoint([x, y]: Point, width: number, height: number): Point {
  return [Math.min(width, Math.max(0, x)), Math.min(height, Math.max(0, y))];
}

/** Whole pixels, as the frames are stored (the renderer accepts fractions, people read integers). */
export function roundPoint([x, y]: Point): Point {
  return [Math.round(x), Math.round(y)];
}

/** 3×3 projective transform as 9 numbers, row-major, h[8] = 1. */
export type Homography = number[];

/**
 * The homography taking the unit square's corners (0,0) (1,0) (1,1) (0,1) to the quad's
 * TL, TR, BR, BL — the closed form for a square source (Heckbert, "Fundamentals of Texture
 * Mapping", 1989), so no linear solver is needed.
 */
export function squareToQuad(q: Quad): Homography {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  let g = 0, h = 0;
  if (dx3 !== 0 || dy3 !== 0) {
    const den = dx1 * dy2 - dx2 * dy1;
    g = (dx3 * dy2 - dx2 * dy3) / den;
    h = (dx1 * dy3 - dx3 * dy1) / den;
  }
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

export function applyHomography(m: Homography, u: number, v: number): Point {
  const w = m[6] * u + m[7] * v + m[8];
  return [(m[0] * u + m[1] * v + m[2]) / w, (m[3] * u + m[4] * v + m[5]) / w];
}
