// Synthetic images for the mockup tests: PNGs drawn in memory and pixel access to results.
import { encodePng } from '../../seed/png.ts';
import { decodeImage } from '../src/mockup/compositor.ts';
import type { Point } from '../src/mockup/frames.ts';

export type Rgb = [number, number, number];

/** A PNG of one colour. */
export function solidPng(width: number, height: number, colour: Rgb): Buffer {
  const px = new Uint8Array(width * height * 3);
  for (let i = 0; i < px.length; i += 3) px.set(colour, i);
  return encodePng(width, height, px);
}

/** A PNG whose pixels come from `paint(x, y)`. */
export function paintedPng(width: number, height: number, paint: (x: number, y: number) => Rgb): Buffer {
  const px = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px.set(paint(x, y), (y * width + x) * 3);
  return encodePng(width, height, px);
}

export interface Pixels {
  width: number;
  height: number;
  at(x: number, y: number): Rgb;
}

export async function pixelsOf(image: Buffer): Promise<Pixels> {
  const { width, height, data } = await decodeImage(image);
  return {
    width,
    height,
    at(x, y) {
      const i = (Math.round(y) * width + Math.round(x)) * 3;
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

export const luma = ([r, g, b]: Rgb) => 0.299 * r + 0.587 * g + 0.114 * b;

export function centroid(points: readonly Point[]): Point {
  return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
}

/** The point at (u, v) ∈ [0,1]² of a quad ordered TL, TR, BR, BL (bilinear). */
export function inQuad(q: readonly Point[], u: number, v: number): Point {
  const top: Point = [q[0][0] + (q[1][0] - q[0][0]) * u, q[0][1] + (q[1][1] - q[0][1]) * u];
  const bottom: Point = [q[3][0] + (q[2][0] - q[3][0]) * u, q[3][1] + (q[2][1] - q[3][1]) * u];
  return [top[0] + (bottom[0] - top[0]) * v, top[1] + (bottom[1] - top[1]) * v];
}

/** Distance from p to the nearest edge of a convex quad (positive inside). */
export function insetDistance(q: readonly Point[], p: Point): number {
  let nearest = Infinity;
  for (let i = 0; i < 4; i++) {
    const [x1, y1] = q[i];
    const [x2, y2] = q[(i + 1) % 4];
    const cross = (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1);
    nearest = Math.min(nearest, cross / Math.hypot(x2 - x1, y2 - y1));
  }
  return nearest;
}
