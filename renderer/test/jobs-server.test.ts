// The dispatch endpoint with an injected `process(job)`: the seam where production plugs in
// processJob. No database is involved.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { bearerMatches, createRenderServer, type DispatchedJob, type RenderServer, type RenderServerOptions } from '../src/jobs/server.ts';
import { CheckOff, readiness } from '../../supabase/functions/_shared/readiness.ts';
import { Semaphore } from '../src/semaphore.ts';

const SECRET = 'test-secret-0123456789abcdef';
const JOB = '5b3c9a4e-2f6b-4c1d-9a8e-1f2d3c4b5a69';
const OTHER = '9d2e5f1a-7b3c-4e8d-a1f0-2c4b6d8e0f13';

let running: RenderServer | undefined;

async function start(overrides: Partial<RenderServerOptions> = {}) {
  const calls: DispatchedJob[] = [];
  const renderer = createRenderServer({
    secret: SECRET,
    process: (job) => {
      calls.push(job);
      return Promise.resolve();
    },
    log: () => {},
    ...overrides,
  });
  running = renderer;
  await new Promise<void>((resolve) => renderer.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(renderer.server.address() as AddressInfo).port}`;
  const dispatch = (body: unknown, authorization: string | null = `Bearer ${SECRET}`) =>
    fetch(`${base}/jobs/dispatch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(authorization === null ? {} : { Authorization: authorization }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { renderer, base, calls, dispatch };
}

afterEach(async () => {
  if (!running) return;
  running.server.closeAllConnections();
  await new Promise((resolve) => running!.server.close(resolve));
  running = undefined;
});

async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(typeof body.error.message, 'string');
  return { status: res.status, code: body.error.code };
}

describe('POST /jobs/dispatch', () => {
  it('answers 401 without the right Bearer secret and runs nothing', async () => {
    const { dispatch, calls } = await start();
    const body = { job_id: JOB, kind: 'proposal' };
    assert.deepEqual(await errorOf(await dispatch(body, null)), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await errorOf(await dispatch(body, 'Bearer wrong')), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await errorOf(await dispatch(body, `Bearer ${SECRET}x`)), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await errorOf(await dispatch(body, SECRET)), { status: 401, code: 'unauthorized' });
    assert.equal(calls.length, 0);
  });

  it('answers 400 to a body that is not {job_id, kind}', async () => {
    const { dispatch, calls } = await start();
    for (const body of ['not json', '[]', { kind: 'proposal' }, { job_id: 'job-1', kind: 'proposal' }, { job_id: JOB }, { job_id: JOB, kind: 'other' }]) {
      assert.deepEqual(await errorOf(await dispatch(body)), { status: 400, code: 'bad_request' }, JSON.stringify(body));
    }
    assert.equal(calls.length, 0);
  });

  it('answers 202 at once and runs the job once in the background', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: DispatchedJob[] = [];
    const { dispatch, renderer } = await start({
      process: async (job) => {
        calls.push(job);
        await gate;
      },
    });
    const res = await dispatch({ job_id: JOB.toUpperCase(), kind: 'proposal' });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { job_id: JOB, accepted: true, duplicate: false });
    assert.equal(renderer.pending(), 1, 'accepted before the job finished');
    // pg_net or the sweep may deliver again while it runs: still one run.
    const again = await dispatch({ job_id: JOB, kind: 'proposal' });
    assert.equal(again.status, 202);
    assert.equal(((await again.json()) as { duplicate: boolean }).duplicate, true);
    release();
    await renderer.drain();
    assert.deepEqual(calls, [{ job_id: JOB, kind: 'proposal' }]);
    assert.equal(renderer.pending(), 0);
  });

  it('runs at most `concurrency` jobs at a time and survives a job that throws', async () => {
    let active = 0;
    let peak = 0;
    const { dispatch, renderer } = await start({
      concurrency: 1,
      process: async (job) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
        if (job.job_id === JOB) throw new Error('boom');
      },
    });
    assert.equal((await dispatch({ job_id: JOB, kind: 'mockup' })).status, 202);
    assert.equal((await dispatch({ job_id: OTHER, kind: 'proposal' })).status, 202);
    await renderer.drain();
    assert.equal(peak, 1);
  });

  it('answers 405 to other methods and 404 to other paths', async () => {
    const { base } = await start();
    assert.deepEqual(await errorOf(await fetch(`${base}/jobs/dispatch`)), { status: 405, code: 'method_not_allowed' });
    assert.deepEqual(await errorOf(await fetch(`${base}/jobs`)), { status: 404, code: 'not_found' });
  });
});

describe('GET /health and /ready', () => {
  it('is alive, and ready only when every dependency is, naming the failing check', async () => {
    let reachable = false;
    const ready = () => readiness('renderer', {
      database: () => reachable ? Promise.resolve() : Promise.reject(new Error('connection refused')),
      gotenberg: () => Promise.reject(new CheckOff('GOTENBERG_URL is not set')),
    });
    const { base } = await start({ ready });
    assert.equal((await fetch(`${base}/health`)).status, 200);
    const notReady = await fetch(`${base}/ready`);
    assert.equal(notReady.status, 503);
    assert.deepEqual(await notReady.json(), {
      status: 'degraded',
      service: 'renderer',
      checks: { database: { status: 'failed', detail: 'connection refused' }, gotenberg: { status: 'off', detail: 'GOTENBERG_URL is not set' } },
    });
    reachable = true;
    const nowReady = await fetch(`${base}/ready`);
    assert.equal(nowReady.status, 200, 'a dependency that is off on purpose does not degrade');
    assert.equal((await nowReady.json()).status, 'ready');
  });

  it('bounds a check that never answers', async () => {
    const report = await readiness('renderer', { database: () => new Promise(() => {}) }, 50);
    assert.deepEqual(report.checks.database, { status: 'failed', detail: 'no answer within 50 ms' });
  });
});

describe('GET /metrics', () => {
  it('speaks Prometheus text and counts requests and jobs by kind and outcome', async () => {
    const outcomes = ['succeeded', 'failed'];
    const { base, dispatch } = await start({
      process: () => Promise.resolve({ status: outcomes.shift() }),
      operationsStats: null,
    });
    assert.equal((await dispatch({ job_id: JOB, kind: 'proposal' })).status, 202);
    assert.equal((await dispatch({ job_id: OTHER, kind: 'mockup' })).status, 202);
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const sample = (name: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((p) => l.includes(p)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    assert.equal(sample('mmg_render_jobs_total', 'kind="proposal",outcome="succeeded"'), 1);
    assert.equal(sample('mmg_render_jobs_total', 'kind="mockup",outcome="failed"'), 1);
    assert.equal(sample('mmg_render_job_duration_seconds_count', 'kind="proposal",outcome="succeeded"'), 1);
    assert.equal(sample('mmg_http_requests_total', 'route="/jobs/dispatch",status="202"'), 2);
    assert.ok(sample('process_resident_memory_bytes', 'service="renderer"')! > 0, 'process memory is exported');
    await fetch(`${base}/jobs/123/anything`);
    const after = await (await fetch(`${base}/metrics`)).text();
    assert.ok(!after.includes('/jobs/123'), 'unknown paths are counted as route="other", never by their text');
  });

  it('with a METRICS_TOKEN, answers only a scraper that presents it', async () => {
    const { base } = await start({ operationsStats: null, metricsToken: 'scrape-token-0123456789' });
    const anonymous = await fetch(`${base}/metrics`);
    assert.equal(anonymous.status, 401);
    const body = await anonymous.text();
    assert.ok(!body.includes('mmg_'), 'no figure leaks with the refusal');
    assert.equal((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const scraper = await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer scrape-token-0123456789' } });
    assert.equal(scraper.status, 200);
    assert.match(await scraper.text(), /mmg_http_requests_total/);
  });
});

describe('secret comparison and the job gate', () => {
  it('accepts exactly "Bearer <secret>"', () => {
    assert.ok(bearerMatches(`Bearer ${SECRET}`, SECRET));
    assert.ok(bearerMatches(`bearer ${SECRET}`, SECRET));
    assert.ok(!bearerMatches(undefined, SECRET));
    assert.ok(!bearerMatches('Bearer ', SECRET));
    assert.ok(!bearerMatches(`Basic ${SECRET}`, SECRET));
    assert.ok(!bearerMatches('Bearer ', ''));
  });

  it('refuses to start without a secret', () => {
    assert.throws(() => createRenderServer({ secret: '', process: async () => {} }), /needs a secret/);
  });

  it('lets waiting tasks in, in arrival order, as slots free up', async () => {
    const gate = new Semaphore(2);
    const order: number[] = [];
    const task = (n: number, ms: number) => gate.run(async () => {
      await new Promise((r) => setTimeout(r, ms));
      order.push(n);
    });
    await Promise.all([task(1, 40), task(2, 10), task(3, 5), task(4, 5)]);
    assert.equal(gate.peak, 2);
    assert.deepEqual(order, [2, 3, 4, 1]);
  });
});
