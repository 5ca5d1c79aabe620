// "Same inputs → same bytes" (issue 4): a mockup with every effect on is composited again and
// again — one after another, several at once on libuv's pool, in two worker threads that load
// their own instance of the addon, and in a process whose OpenCV runs on a single thread — and
// every JPEG must be byte-identical.
//
// Scope: the bytes are a function of the inputs, the addon build and the CPU's instruction set.
// OpenCV dispatches some kernels to AVX2 where the CPU has it, and those round differently from
// the SSE paths (OPENCV_CPU_DISABLE=AVX2,FP16,AVX changes the bytes, about 15 % slower); a
// renderer on a CPU without AVX2 gives slightly different, equally deterministic bytes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { composite, type CompositeRequest, planComposite } from '../src/mockup/compositor.ts';
import { addonPath } from '../src/mockup/native.ts';
import { paintedPng, solidPng } from './images.ts';

const EVERY_EFFECT = {
  edgeBlur: 21, // the widest edge: border extension with inpainting, feather, choke/spread, contact shadow, bleed prevention
  edgeSmoother: 8,
  imageBlur: 3,
  brightness: 110,
  contrast: 105,
  saturation: 120,
  lightingAdjustment: 10,
  colorTemperature: 20,
  depthMultiplier: 25,
  vignette: 30,
  shadowIntensity: 40,
  overlayOpacity: 10,
  sharpening: 50,
};

const scene = renderBillboardPhoto({ seed: 4, timeOfDay: 'night', width: 960, height: 640 });
/** Texture with fine detail, so resampling and blur differences would show. */
const creative = paintedPng(700, 350, (x, y) => [(x * 3 + y) & 255, ((x >> 3) ^ (y >> 3)) & 1 ? 220 : 30, (y * 5) & 255]);
const second = solidPng(300, 200, [20, 90, 200]);
const sideFrame: [number, number][] = [[40, 420], [260, 440], [255, 600], [45, 590]];

const requests: Array<[string, CompositeRequest]> = [
  ['night, one frame', { photo: scene.png, creatives: [creative], frames: [{ points: scene.face }], config: EVERY_EFFECT, timeOfDay: 'night' }],
  ['day, two frames with a creative each', {
    photo: scene.png,
    creatives: [creative, second],
    frames: [{ points: scene.face }, { points: sideFrame, config: { vignette: 0, brightness: 90 } }],
    config: { ...EVERY_EFFECT, vignette: undefined },
    timeOfDay: 'day',
  }],
];
// JSON drops the undefined override, as the job payload would.
for (const [, r] of requests) r.config = JSON.parse(JSON.stringify(r.config));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** Fresh copies of every input Buffer, so nothing can depend on buffer identity or reuse. */
const copyOf = (r: CompositeRequest): CompositeRequest => ({ ...r, photo: Buffer.from(r.photo), creatives: r.creatives.map((c) => Buffer.from(c)) });

/** What compositor.ts hands the addon, for callers that load the addon themselves. */
function nativeCall(r: CompositeRequest) {
  const plan = planComposite(r);
  return {
    photo: r.photo,
    creatives: r.creatives,
    frames: plan.frames.map((f) => ({ quad: f.points.flat(), creative: f.creative, config: f.config })),
    options: { night: plan.timeOfDay === 'night', jpegQuality: plan.jpegQuality, width: plan.photo.width, height: plan.photo.height },
  };
}

// Plain CommonJS, so neither a worker nor a child process needs the TypeScript loader.
const RUN_ADDON = `
const addon = require(${JSON.stringify(addonPath)});
async function run(call) {
  const out = await addon.composite(Buffer.from(call.photo), call.creatives.map((c) => Buffer.from(c)), call.frames, call.options);
  return out;
}`;

function inWorker(call: ReturnType<typeof nativeCall>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(
      `${RUN_ADDON}
      const { parentPort, workerData } = require('node:worker_threads');
      run(workerData).then((out) => parentPort.postMessage(out), (e) => { throw e; });`,
      { eval: true, workerData: call },
    );
    worker.once('message', (bytes: Uint8Array) => {
      resolve(Buffer.from(bytes));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmg-determinism-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the addon in a separate node process with the given environment; resolves with the JPEG. */
async function inProcess(call: ReturnType<typeof nativeCall>, env: Record<string, string>): Promise<Buffer> {
  const input = join(dir, `call-${sha(call.photo).slice(0, 8)}-${call.frames.length}.json`);
  await writeFile(input, JSON.stringify({ ...call, photo: call.photo.toString('base64'), creatives: call.creatives.map((c) => c.toString('base64')) }));
  const script = `${RUN_ADDON}
  const call = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(input)}, 'utf8'));
  call.photo = Buffer.from(call.photo, 'base64');
  call.creatives = call.creatives.map((c) => Buffer.from(c, 'base64'));
  run(call).then((out) => process.stdout.write(out.toString('base64')));`;
  return await new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(Buffer.from(stdout, 'base64'));
    });
  });
}

describe('mockup determinism: same inputs, same bytes', () => {
  for (const [name, request] of requests) {
    describe(name, () => {
      let reference: Buffer;
      before(async () => {
        reference = await composite(copyOf(request));
        assert.deepEqual([...reference.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
      });

      it('gives identical bytes when composited again', async () => {
        const again = await composite(copyOf(request));
        assert.equal(sha(again), sha(reference));
        assert.ok(again.equals(reference));
      });

      it('gives identical bytes for four composites running at once on the worker pool', async () => {
        const together = await Promise.all([0, 1, 2, 3].map(() => composite(copyOf(request))));
        together.forEach((out, i) => assert.equal(sha(out), sha(reference), `composite ${i + 1} of 4`));
      });

      it('gives identical bytes from two worker threads, each with its own instance of the addon', async () => {
        const call = nativeCall(copyOf(request));
        const [a, b] = await Promise.all([inWorker(call), inWorker(call)]);
        assert.equal(sha(a), sha(reference), 'worker 1');
        assert.equal(sha(b), sha(reference), 'worker 2');
      });

      it('gives identical bytes when OpenCV runs single-threaded in another process', async () => {
        const out = await inProcess(nativeCall(copyOf(request)), { OPENCV_FOR_THREADS_NUM: '1' });
        assert.equal(sha(out), sha(reference));
      });
    });
  }

  it('changes the bytes when an input changes (the comparison can fail)', async () => {
    const [, request] = requests[0];
    const a = await composite(copyOf(request));
    const b = await composite({ ...copyOf(request), config: { ...EVERY_EFFECT, sharpening: 51 } });
    assert.notEqual(sha(a), sha(b));
  });
});
