// The live preview of mockup setup: a sample creative warped into each frame with the frame's
// effect settings. This is an APPROXIMATION for judging placement and the rough look — canvas
// filters stand in for brightness, contrast, saturation and image blur, flat colour layers for
// lighting and temperature, a radial gradient for the vignette, alpha for photo show-through.
// Edge blur / smoothing, depth, edge and contact shadows, sharpening and the exact colour maths
// exist only in the renderer (renderer/src/mockup/compositor.ts, OpenCV), which composites the
// real mockup.
import type { EffectValues } from './effects';
import { applyHomography, type Point, type Quad, squareToQuad } from './geometry';

/** A generated stand-in creative (landscape, 3:2) when the user did not pick one. */
export function sampleCreative(width = 600, height = 400): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, width, height);
  g.addColorStop(0, '#2f6bff');
  g.addColorStop(0.55, '#8b5cf6');
  g.addColorStop(1, '#22d3ee');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = 'rgba(255,255,255,0.16)';
  for (let x = 0; x < width; x += width / 12) ctx.fillRect(x, 0, 2, height);
  ctx.fillStyle = '#ffffff';
  ctx.font = `700 ${Math.round(height / 6)}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('SAMPLE CREATIVE', width / 2, height / 2, width * 0.86);
  ctx.fillStyle = '#f59e0b';
  ctx.fillRect(width * 0.08, height * 0.72, width * 0.25, height * 0.12);
  return c;
}

/**
 * The creative with the colour-type effects baked in, at the source's size. `blurScale` turns
 * the renderer's kernel (in photo pixels) into creative pixels.
 */
export function styledCreative(source: CanvasImageSource & { width: number; height: number }, v: EffectValues, blurScale = 1): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = source.width;
  c.height = source.height;
  const ctx = c.getContext('2d')!;
  const blur = v.imageBlur > 0 ? ` blur(${(v.imageBlur * blurScale) / 2}px)` : '';
  ctx.filter = `brightness(${v.brightness}%) contrast(${v.contrast}%) saturate(${v.saturation}%)${blur}`;
  ctx.drawImage(source, 0, 0);
  ctx.filter = 'none';
  ctx.globalCompositeOperation = 'source-atop';
  if (v.lightingAdjustment !== 0) {
    const a = Math.min(1, (Math.abs(v.lightingAdjustment) * 2) / 255);
    ctx.fillStyle = v.lightingAdjustment > 0 ? `rgba(255,255,255,${a})` : `rgba(0,0,0,${a})`;
    ctx.fillRect(0, 0, c.width, c.height);
  }
  if (v.colorTemperature !== 0) {
    const a = Math.min(0.6, (Math.abs(v.colorTemperature) * 2) / 255);
    ctx.fillStyle = v.colorTemperature > 0 ? `rgba(255,128,0,${a})` : `rgba(0,64,255,${a})`;
    ctx.fillRect(0, 0, c.width, c.height);
  }
  if (v.vignette > 0) {
    const r = Math.hypot(c.width, c.height) / 2;
    const g = ctx.createRadialGradient(c.width / 2, c.height / 2, 0, c.width / 2, c.height / 2, r);
    g.addColorStop(0, 'rgba(0,0,0,0)');
    g.addColorStop(1, `rgba(0,0,0,${v.vignette / 100})`);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, c.width, c.height);
  }
  ctx.globalCompositeOperation = 'source-over';
  return c;
}

/** The renderer's creative weight: overlay opacity 0–100 lets up to half of the photo through. */
export function creativeAlpha(v: EffectValues): number {
  return 1 - v.overlayOpacity / 200;
}

function affineFromTriangles(s: [Point, Point, Point], d: [Point, Point, Point]): [number, number, number, number, number, number] | null {
  const [[x0, y0], [x1, y1], [x2, y2]] = s;
  const den = x0 * (y1 - y2) + x1 * (y2 - y0) + x2 * (y0 - y1);
  if (Math.abs(den) < 1e-9) return null;
  const solve = (u0: number, u1: number, u2: number) => [
    (u0 * (y1 - y2) + u1 * (y2 - y0) + u2 * (y0 - y1)) / den,
    (u0 * (x2 - x1) + u1 * (x0 - x2) + u2 * (x1 - x0)) / den,
    (u0 * (x1 * y2 - x2 * y1) + u1 * (x2 * y0 - x0 * y2) + u2 * (x0 * y1 - x1 * y0)) / den,
  ];
  const [a, c, e] = solve(d[0][0], d[1][0], d[2][0]);
  const [b, dd, f] = solve(d[0][1], d[1][1], d[2][1]);
  return [a, b, c, dd, e, f];
}

/** Grows a triangle a little around its centre so neighbouring pieces leave no hairline seams. */
function inflate(t: [Point, Point, Point], by: number): [Point, Point, Point] {
  const cx = (t[0][0] + t[1][0] + t[2][0]) / 3;
  const cy = (t[0][1] + t[1][1] + t[2][1]) / 3;
  return t.map(([x, y]) => {
    const len = Math.hypot(x - cx, y - cy) || 1;
    return [x + ((x - cx) / len) * by, y + ((y - cy) / len) * by];
  }) as [Point, Point, Point];
}

/**
 * Draws `image` projected into `quad` (TL, TR, BR, BL in canvas pixels): the unit square is cut
 * into a grid, each cell into two triangles mapped affinely — close to the true homography at
 * this grid size, and fast enough to redraw while a corner is dragged.
 */
export function drawWarped(ctx: CanvasRenderingContext2D, image: CanvasImageSource & { width: number; height: number }, quad: Quad, alpha = 1, grid = 10): void {
  if (alpha < 1) {
    // Pieces overlap by a hair; drawn translucently they would show a grid, so draw opaque
    // on a layer and blend the layer once.
    const layer = document.createElement('canvas');
    layer.width = ctx.canvas.width;
    layer.height = ctx.canvas.height;
    const lctx = layer.getContext('2d')!;
    lctx.setTransform(ctx.getTransform());
    drawWarped(lctx, image, quad, 1, grid);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = alpha;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
    return;
  }
  const h = squareToQuad(quad);
  const w = image.width;
  const ht = image.height;
  ctx.save();
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const u0 = i / grid, u1 = (i + 1) / grid, v0 = j / grid, v1 = (j + 1) / grid;
      const p00 = applyHomography(h, u0, v0), p10 = applyHomography(h, u1, v0);
      const p11 = applyHomography(h, u1, v1), p01 = applyHomography(h, u0, v1);
      const s00: Point = [u0 * w, v0 * ht], s10: Point = [u1 * w, v0 * ht], s11: Point = [u1 * w, v1 * ht], s01: Point = [u0 * w, v1 * ht];
      for (const [src, dst] of [[[s00, s10, s11], [p00, p10, p11]], [[s00, s11, s01], [p00, p11, p01]]] as [[Point, Point, Point], [Point, Point, Point]][]) {
        const m = affineFromTriangles(src, dst);
        if (!m) continue;
        const clip = inflate(dst, 0.6);
        ctx.save();
        ctx.beginPath();
        ctx.moveTo(clip[0][0], clip[0][1]);
        ctx.lineTo(clip[1][0], clip[1][1]);
        ctx.lineTo(clip[2][0], clip[2][1]);
        ctx.closePath();
        ctx.clip();
        ctx.transform(m[0], m[1], m[2], m[3], m[4], m[5]);
        ctx.drawImage(image, 0, 0);
        ctx.restore();
      }
    }
  }
  ctx.restore();
}
