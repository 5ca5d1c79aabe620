// The frames being edited on the setup screen, before they are saved: corners in photo pixels
// plus each frame's effect sliders. Pure functions, so the editor and the side panel share them.
import { DEFAULT_EFFECTS, type EffectValues, effectOverrides, readEffectConfig } from '../../domains/mockups/effects';
import { clampPoint, isConvexQuad, orderCorners, type Point, roundPoint } from '../../domains/mockups/geometry';
import type { StoredFrame } from '../../domains/mockups/setup';

export interface DraftFrame {
  id: string;
  /** 4 corners once complete, in the order TL, TR, BR, BL after each edit. */
  points: Point[];
  effects: EffectValues;
  /** Stored config entries that are not sliders (switches), kept as they were. */
  other: Record<string, unknown>;
}

export interface Selection {
  frameId: string | null;
  corner: number | null;
}

export const CORNER_NAMES = ['top-left', 'top-right', 'bottom-right', 'bottom-left'] as const;

export function newFrame(points: Point[], base: EffectValues = DEFAULT_EFFECTS): DraftFrame {
  return { id: crypto.randomUUID(), points: isConvexQuad(points) ? orderCorners(points) : points, effects: { ...base }, other: {} };
}

export function framesFromStored(frames: StoredFrame[], base: EffectValues): DraftFrame[] {
  return frames.map((f) => {
    const { values, other } = readEffectConfig(f.config, base);
    const points = (f.points ?? []).map(([x, y]) => [x, y] as Point);
    return { id: crypto.randomUUID(), points: isConvexQuad(points) ? orderCorners(points) : points, effects: values, other };
  });
}

export function framesToStored(frames: DraftFrame[], base: EffectValues, width: number, height: number): StoredFrame[] {
  return frames.map((f) => {
    const config = effectOverrides(f.effects, base, f.other);
    const points = f.points.map((p) => roundPoint(clampPoint(p, width, height)));
    return Object.keys(config).length ? { points, config } : { points };
  });
}

/** Why a frame cannot be saved, or null. */
export function frameProblem(f: DraftFrame, width: number, height: number): string | null {
  if (f.points.length !== 4) return 'needs 4 corners';
  const rounded = f.points.map((p) => roundPoint(clampPoint(p, width, height)));
  if (!isConvexQuad(rounded)) return 'its corners cross or lie on a line — drag them to the billboard’s corners';
  return null;
}

/**
 * Moves one corner. When the frame is still a proper quadrilateral the corners are re-ordered
 * (so "corner 1" stays the top-left one) and the new index of the moved corner is returned.
 */
export function moveCorner(f: DraftFrame, corner: number, to: Point, width: number, height: number): { frame: DraftFrame; corner: number } {
  const moved = clampPoint(to, width, height);
  const points = f.points.map((p, i) => (i === corner ? moved : p));
  if (points.length === 4 && isConvexQuad(points)) {
    const ordered = orderCorners(points);
    const index = ordered.findIndex((p) => p[0] === moved[0] && p[1] === moved[1]);
    return { frame: { ...f, points: ordered }, corner: index >= 0 ? index : corner };
  }
  return { frame: { ...f, points }, corner };
}

/** Moves a whole frame, stopping at the photo's edges. */
export function moveFrame(f: DraftFrame, dx: number, dy: number, width: number, height: number): DraftFrame {
  const xs = f.points.map((p) => p[0]);
  const ys = f.points.map((p) => p[1]);
  const ddx = Math.min(width - Math.max(...xs), Math.max(-Math.min(...xs), dx));
  const ddy = Math.min(height - Math.max(...ys), Math.max(-Math.min(...ys), dy));
  return { ...f, points: f.points.map(([x, y]) => [x + ddx, y + ddy] as Point) };
}

/** A rectangle in the middle of the photo: the keyboard way to start a frame. */
export function centredRectangle(width: number, height: number): Point[] {
  const w = Math.round(width * 0.4);
  const h = Math.round(height * 0.3);
  const x = Math.round((width - w) / 2);
  const y = Math.round((height - h) / 2);
  return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
}
