// Draws a believable demo "location photo": sky, skyline, road and a billboard whose face is
// painted in the green-screen colour the mockup setup detects (#1CFF1C), seen at an angle.
// Returns the image and the face's four corners, which the seed stores as the mockup frame.
import { encodePng } from './png.ts';

export type Point = [number, number];

export interface PhotoSpec {
  seed: number;
  timeOfDay: 'day' | 'night';
  width?: number;
  height?: number;
  /** Landscape billboards are wider than tall; portrait ones (unipoles, towers) the reverse. */
  orientation?: 'landscape' | 'portrait';
}

export interface BillboardPhoto {
  png: Buffer;
  width: number;
  height: number;
  face: Point[];
}

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function insideConvex(quad: Point[], x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < quad.length; i++) {
    const [x1, y1] = quad[i];
    const [x2, y2] = quad[(i + 1) % quad.length];
    const cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
    if (cross !== 0) {
      if (sign === 0) sign = Math.sign(cross);
      else if (Math.sign(cross) !== sign) return false;
    }
  }
  return true;
}

export function renderBillboardPhoto(spec: PhotoSpec): BillboardPhoto {
  const width = spec.width ?? 1200;
  const height = spec.height ?? 800;
  const rand = prng(spec.seed);
  const night = spec.timeOfDay === 'night';
  const px = new Uint8Array(width * height * 3);
  const set = (x: number, y: number, r: number, g: number, b: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    px[i] = r;
    px[i + 1] = g;
    px[i + 2] = b;
  };
  const horizon = Math.round(height * (0.55 + rand() * 0.1));

  // Sky gradient, then ground.
  for (let y = 0; y < height; y++) {
    const t = y / horizon;
    for (let x = 0; x < width; x++) {
      if (y < horizon) {
        if (night) set(x, y, 8 + 10 * t, 10 + 14 * t, 30 + 30 * t);
        else set(x, y, 110 + 80 * t, 160 + 60 * t, 230 + 20 * t);
      } else {
        const g = night ? 28 : 92 + ((x * 7 + y * 3) % 9);
        set(x, y, g, g, g + (night ? 6 : 4));
      }
    }
  }
  // Skyline with lit windows at night.
  let bx = 0;
  while (bx < width) {
    const w = 40 + Math.floor(rand() * 90);
    const h = 60 + Math.floor(rand() * horizon * 0.6);
    const shade = night ? 22 + Math.floor(rand() * 18) : 150 + Math.floor(rand() * 60);
    for (let y = horizon - h; y < horizon; y++) {
      for (let x = bx; x < Math.min(width, bx + w); x++) {
        const window = (x - bx) % 12 > 5 && (y - (horizon - h)) % 16 > 8;
        if (window && night && rand() > 0.55) set(x, y, 240, 210, 120);
        else if (window && !night) set(x, y, shade - 40, shade - 30, shade - 10);
        else set(x, y, shade, shade, shade + 8);
      }
    }
    bx += w + Math.floor(rand() * 12);
  }
  // Road markings.
  for (let x = 0; x < width; x += 60) {
    for (let y = horizon + Math.round((height - horizon) * 0.6); y < horizon + Math.round((height - horizon) * 0.6) + 6; y++) {
      for (let dx = 0; dx < 30; dx++) set(x + dx, y, 230, 230, 210);
    }
  }

  // The billboard face: a quadrilateral seen at an angle (right edge shorter = farther away).
  const portrait = spec.orientation === 'portrait';
  // The face must fit between the top margin and the poles' base at the horizon.
  const maxFaceH = horizon - Math.round(height * 0.16);
  const faceW = Math.round(portrait ? Math.min(width * 0.22, maxFaceH / 1.5) : width * 0.46);
  const faceH = Math.round(portrait ? faceW * 1.5 : faceW / 2.6);
  const left = Math.round(width * (0.18 + rand() * 0.2));
  const lift = Math.round((maxFaceH - faceH) * (0.3 + rand() * 0.5));
  const top = Math.max(Math.round(height * 0.04), horizon - faceH - Math.round(height * 0.06) - lift);
  const skew = Math.round(faceH * (0.08 + rand() * 0.1));
  const face: Point[] = [
    [left, top],
    [left + faceW, top + skew],
    [left + faceW, top + faceH - skew],
    [left, top + faceH],
  ];
  // Poles under the face.
  for (const poleX of portrait ? [left + faceW / 2] : [left + faceW * 0.25, left + faceW * 0.75]) {
    for (let y = top + faceH - skew; y < horizon + 20; y++) {
      for (let dx = -8; dx <= 8; dx++) set(Math.round(poleX) + dx, y, night ? 40 : 70, night ? 40 : 70, night ? 45 : 78);
    }
  }
  // Frame border, then the green face inside it.
  const border = 10;
  const outer: Point[] = [
    [face[0][0] - border, face[0][1] - border], [face[1][0] + border, face[1][1] - border],
    [face[2][0] + border, face[2][1] + border], [face[3][0] - border, face[3][1] + border],
  ];
  const minX = Math.min(...outer.map((p) => p[0]));
  const maxX = Math.max(...outer.map((p) => p[0]));
  const minY = Math.min(...outer.map((p) => p[1]));
  const maxY = Math.max(...outer.map((p) => p[1]));
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      if (insideConvex(face, x, y)) set(x, y, 0x1c, 0xff, 0x1c);
      else if (insideConvex(outer, x, y)) set(x, y, 35, 35, 40);
    }
  }
  return { png: encodePng(width, height, px), width, height, face };
}
