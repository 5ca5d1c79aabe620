import assert from 'node:assert/strict';
import { createBackgroundRunner } from './background.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test('background: at most `concurrency` tasks run at once, all of them in the end', async () => {
  const run = createBackgroundRunner({ concurrency: 2 });
  let running = 0;
  let peak = 0;
  let finished = 0;
  for (let i = 0; i < 6; i++) {
    run(`t${i}`, async () => {
      peak = Math.max(peak, ++running);
      await sleep(10);
      running--;
      finished++;
    });
  }
  assert.equal(running, 0, 'nothing starts before the current request has answered');
  await sleep(80);
  assert.equal(finished, 6);
  assert.equal(peak, 2);
});

Deno.test('background: waits while requests are being acknowledged, but not forever', async () => {
  let busy = true;
  const run = createBackgroundRunner({ busy: () => busy, maxDeferMs: 60 });
  let started = 0;
  run('deferred', () => {
    started++;
    return Promise.resolve();
  });
  await sleep(30);
  assert.equal(started, 0, 'held back during the burst');
  busy = false;
  await sleep(20);
  assert.equal(started, 1, 'started once the burst was answered');

  busy = true;
  run('starving', () => {
    started++;
    return Promise.resolve();
  });
  await sleep(100);
  assert.equal(started, 2, 'started after maxDeferMs even though requests kept coming');
});

Deno.test('background: a failing task is logged and does not stop the queue', async () => {
  const run = createBackgroundRunner({ concurrency: 1 });
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    let ran = false;
    run('fails', () => Promise.reject(new Error('boom')));
    run('then this', () => {
      ran = true;
      return Promise.resolve();
    });
    await sleep(20);
    assert.equal(ran, true);
    assert.equal(errors.length, 1);
  } finally {
    console.error = original;
  }
});
