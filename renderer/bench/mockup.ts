// `npm run bench:mockup`: milliseconds per composite (p50/p95) of the native mockup compositor
// on a 1200×800 demo photo with a 1536×1024 creative (the AI generator's landscape size), for 1
// and 3 frames at the default config and at edge blur 21, plus the process's peak RSS.
// Prints figures only; nothing here passes or fails.
import { availableParallelism } from 'node:os';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { encodePng } from '../../seed/png.ts';
import { composite, type CompositeRequest } from '../src/mockup/compositor.ts';
import type { Point } from '../src/mockup/frames.ts';
import { loadAddon } from '../src/mockup/native.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;

function creativePng(width: number, height: number): Buffer {
  const px = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const check = ((x >> 5) + (y >> 5)) & 1;
      px[i] = check ? 230 : 40;
      px[i + 1] = (x * 255) / width;
      px[i + 2] = (y * 255) / height;
    }
  }
  return encodePng(width, height, px);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(request: CompositeRequest): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await composite(request);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await composite(request);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const demo = renderBillboardPhoto({ seed: 1, timeOfDay: 'night', width: 1200, height: 800 });
const creative = creativePng(1536, 1024);
const extraFrames: Point[][] = [
  [[40, 520], [300, 540], [295, 700], [45, 690]],
  [[900, 500], [1160, 480], [1150, 760], [910, 740]],
];
const cases = [
  { frames: [demo.face], label: 'default', config: {} },
  { frames: [demo.face], label: 'edge_blur 21', config: { edge_blur: 21 } },
  { frames: [demo.face, ...extraFrames], label: 'default', config: {} },
  { frames: [demo.face, ...extraFrames], label: 'edge_blur 21', config: { edge_blur: 21 } },
];

console.log(`mockup compositor: ${demo.width}x${demo.height} PNG photo, 1536x1024 PNG creative, ${RUNS} runs per case`);
console.log(`OpenCV ${loadAddon().opencvVersion}, Node ${process.version}, ${availableParallelism()} cores`);
console.log('frames  config          p50 ms   p95 ms');
for (const c of cases) {
  const { p50, p95 } = await measure({
    photo: demo.png,
    creatives: [creative],
    frames: c.frames.map((points) => ({ points })),
    config: c.config,
    timeOfDay: 'night',
  });
  console.log(`${String(c.frames.length).padStart(6)}  ${c.label.padEnd(14)} ${p50.toFixed(1).padStart(7)}  ${p95.toFixed(1).padStart(7)}`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
