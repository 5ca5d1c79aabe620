// Health, metrics and logs of the local stack (issue 8): the gateway's probes when its
// dependencies are there and when they are not, /metrics as valid Prometheus text whose counters
// move and whose route labels stay bounded, a slow database that cannot hang /metrics, the
// request id from the gateway through an edge function and back, and log lines that never
// carry a secret even when handed one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig, type StackConfig } from '../src/config.ts';
import { createDb } from '../src/db.ts';
import { type RunningGateway, startGateway } from '../src/gateway/server.ts';
import { gatewayReadiness } from '../src/health.ts';
import { addLogSink, type LogLine, logger, registerSecret, withLogContext } from '../src/log.ts';
import { createStackMetrics } from '../src/metrics.ts';
import { RouteLabels, routeTemplate } from '../src/metrics-routes.ts';
import { NetWorker } from '../src/net/worker.ts';

const demo = JSON.parse(readFileSync(join(import.meta.dirname, '../../seed/users.json'), 'utf8')).users as { email: string; password: string }[];

/**
 * Parses the Prometheus text exposition format (0.0.4) strictly: every sample belongs to a
 * family declared by # TYPE, names and labels are well-formed, values are numbers.
 */
function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      assert.ok(!types.has(type[1]), `${type[1]} is declared once`);
      types.set(type[1], type[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?)|[Nn]a[Nn]|[+-]Inf)( \d+)?$/.exec(line);
    assert.ok(m, `not a valid sample line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
      let at = 0;
      while (at < m[3].length) {
        re.lastIndex = at;
        const l = re.exec(m[3]);
        assert.ok(l, `bad labels in ${line}`);
        labels[l[1]] = l[2];
        at = re.lastIndex;
      }
    }
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(m[1]) || types.has(family), `${m[1]} has a # TYPE line`);
    samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return samples;
}

function value(samples: ReturnType<typeof parsePrometheus>, name: string, labels: Record<string, string>): number {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s ? s.value : 0;
}

/** A TCP server that accepts connections and never says a word: a database that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function withDbPort(cfg: StackConfig, port: number): StackConfig {
  const moved = (u: string) => u.replace(/@127\.0\.0\.1:\d+\//, `@127.0.0.1:${port}/`);
  return { ...cfg, dbUrl: moved(cfg.dbUrl), authenticatorUrl: moved(cfg.authenticatorUrl) };
}

describe('route labels', () => {
  it('take ids, keys and query strings out of paths', () => {
    assert.equal(routeTemplate('/rest/v1/proposals'), '/rest/v1/proposals');
    assert.equal(routeTemplate('/rest/v1/rpc/request_proposal'), '/rest/v1/rpc/request_proposal');
    assert.equal(routeTemplate(`/auth/v1/admin/users/${randomUUID()}`), '/auth/v1/admin/users/:id');
    assert.equal(routeTemplate('/storage/v1/object/sign/proposals/u1/2026/deck.pdf'), '/storage/v1/object/sign/:bucket/*');
    assert.equal(routeTemplate('/storage/v1/object/proposals/u1/deck.pdf'), '/storage/v1/object/:bucket/*');
    assert.equal(routeTemplate('/storage/v1/bucket/mockups'), '/storage/v1/bucket/:bucket');
    assert.equal(routeTemplate('/functions/v1/chat/upload'), '/functions/v1/chat/upload');
    assert.equal(routeTemplate('/functions/v1/chat/12345'), '/functions/v1/chat/:id');
    assert.equal(routeTemplate('/assets/index-3f9a.js'), '/static');
    assert.equal(routeTemplate('/ready'), '/ready');
  });

  it('stay bounded: a 404 counts under its API only, and past the cap everything is "other"', () => {
    const labels = new RouteLabels(3);
    assert.equal(labels.of('/rest/v1/no_such_table_1', 404), '/rest/v1/:not_found');
    assert.equal(labels.of('/rest/v1/a', 200), '/rest/v1/a');
    assert.equal(labels.of('/rest/v1/b', 200), '/rest/v1/b');
    assert.equal(labels.of('/rest/v1/c', 200), 'other');
    assert.equal(labels.of('/rest/v1/a', 200), '/rest/v1/a', 'routes seen before keep their label');
  });
});

describe('gateway probes and metrics', () => {
  let gw: RunningGateway;
  let base: string;
  const lines: LogLine[] = [];
  let removeSink: () => void;
  before(async () => {
    removeSink = addLogSink((l) => lines.push(l));
    // This gateway shares the test stack's database; the stack's own pg_net worker drains the queue.
    gw = await startGateway(loadConfig(), { port: 0, withNetWorker: false });
    base = `http://127.0.0.1:${(gw.server.address() as { port: number }).port}`;
  });
  after(async () => {
    removeSink();
    await gw.close();
  });

  it('is ready when the database and Storage are there, and reports the pg_net worker it does not run as off', async () => {
    const res = await fetch(`${base}/ready`);
    assert.equal(res.status, 200);
    const report = await res.json();
    assert.equal(report.status, 'ready');
    assert.equal(report.service, 'gateway');
    assert.deepEqual(report.checks.database, { status: 'ok' });
    assert.deepEqual(report.checks.storage, { status: 'ok' });
    assert.equal(report.checks.pg_net.status, 'off');
    assert.deepEqual(report.checks.functions_runtime, { status: 'ok' });
    assert.equal((await fetch(`${base}/health/pg_net`)).status, 503, 'the worker is not running here');
  });

  it('serves Prometheus text whose request counters move, with bounded routes and the database figures', async () => {
    const before = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
    const key = gw.gw.keys.serviceRole;
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${base}/rest/v1/companies?select=slug&slug=eq.${randomUUID()}`, { headers: { apikey: key } });
      assert.equal(r.status, 200);
    }
    assert.equal((await fetch(`${base}/rest/v1/no_such_table_${randomUUID().slice(0, 8)}`, { headers: { apikey: key } })).status, 404);
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4; charset=utf-8/);
    const text = await res.text();
    const after = parsePrometheus(text);
    const route = { service: 'gateway', method: 'GET', route: '/rest/v1/companies', status: '200' };
    assert.equal(value(after, 'mmg_http_requests_total', route) - value(before, 'mmg_http_requests_total', route), 3);
    assert.equal(value(after, 'mmg_http_request_duration_seconds_count', route) - value(before, 'mmg_http_request_duration_seconds_count', route), 3);
    assert.ok(value(after, 'mmg_http_requests_total', { route: '/rest/v1/:not_found', status: '404' }) >= 1);
    assert.ok(!/no_such_table|slug=eq/.test(text), 'no path text or query reaches a label');
    assert.equal(value(after, 'mmg_operations_stats_up', {}), 1);
    assert.ok(after.some((s) => s.name === 'mmg_pg_net_queue_requests'), 'the pg_net queue depth is exported');
    assert.ok(after.some((s) => s.name === 'mmg_render_queue_jobs' && s.labels.kind === 'proposal' && s.labels.status === 'queued'));
    assert.ok(value(after, 'process_resident_memory_bytes', {}) > 0, 'process memory is exported');
  });

  it('exports LLM calls, tokens and cost by model from ai_costs', async () => {
    const model = `t-obs-${randomUUID().slice(0, 8)}`;
    const owner = (await gw.gw.db.admin.query(`select id from auth.users where email = $1`, [demo[0].email])).rows[0].id;
    await gw.gw.db.admin.query(
      `insert into public.ai_costs (owner_id, model, input_tokens, output_tokens, total_tokens, total_cost)
       values ($1, $2, 1000, 250, 1250, 0.5), ($1, $2, 10, 5, 15, 0.25)`, [owner, model]);
    try {
      const samples = parsePrometheus(await (await fetch(`${base}/metrics`)).text());
      assert.equal(value(samples, 'mmg_llm_calls_total', { model }), 2);
      assert.equal(value(samples, 'mmg_llm_tokens_total', { model, direction: 'input' }), 1010);
      assert.equal(value(samples, 'mmg_llm_tokens_total', { model, direction: 'output' }), 255);
      assert.equal(value(samples, 'mmg_llm_cost_usd_total', { model }), 0.75);
    } finally {
      await gw.gw.db.admin.query('delete from public.ai_costs where model = $1', [model]);
    }
  });

  it('logs each request once with its request id and verified user, and no credentials', async () => {
    const user = demo.find((u) => u.email === 'dubai.rep1@mmg.demo')!;
    const requestId = `obs-${randomUUID()}`;
    const signIn = await fetch(`${base}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: gw.gw.keys.anon, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    assert.equal(signIn.status, 200);
    const session = await signIn.json();
    const asUser = await fetch(`${base}/rest/v1/proposals?select=id&limit=1&apikey=${gw.gw.keys.anon}`, {
      headers: { authorization: `Bearer ${session.access_token}`, 'x-request-id': `${requestId}-2` },
    });
    assert.equal(asUser.status, 200);
    assert.equal(asUser.headers.get('x-request-id'), `${requestId}-2`);
    await new Promise((r) => setTimeout(r, 50));
    const mine = lines.filter((l) => l.request_id?.startsWith(requestId));
    assert.deepEqual(mine.map((l) => [l.service, l.message, l.fields.status]), [['gateway', 'request', 200], ['gateway', 'request', 200]]);
    assert.equal(mine[1].user_id, session.user.id, 'the verified caller is the user of the line');
    const printed = JSON.stringify(lines);
    for (const secret of [user.password, session.access_token, session.refresh_token, gw.gw.keys.anon, gw.gw.keys.serviceRole]) {
      assert.ok(!printed.includes(secret), 'a credential reached the log');
    }
  });
});

describe('probes and metrics when the database is not there', () => {
  it('reports the gateway degraded, naming the database and the stopped pg_net worker', async () => {
    const closed = await silentServer();
    await closed.close(); // the port is now refused
    const cfg = withDbPort(loadConfig(), closed.port);
    const db = createDb(cfg);
    try {
      const report = await gatewayReadiness({ gw: { cfg, db, keys: { anon: 'x', serviceRole: 'y' } }, net: new NetWorker(cfg), netStarted: true });
      assert.equal(report.status, 'degraded');
      assert.equal(report.checks.database.status, 'failed');
      assert.match(report.checks.database.detail ?? '', /ECONNREFUSED|connect/);
      assert.deepEqual(report.checks.pg_net, { status: 'failed', detail: 'the worker is stopped' });
      assert.equal(report.checks.storage.status, 'ok', 'a healthy dependency still says ok');
    } finally {
      await db.close();
    }
  });

  it('answers /metrics without the database figures when the database hangs, instead of hanging', async () => {
    const hanging = await silentServer();
    const metrics = createStackMetrics(withDbPort(loadConfig(), hanging.port));
    try {
      const text = await Promise.race([
        metrics.registry.metrics(),
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error('/metrics hung on a silent database')), 15_000)),
      ]);
      const samples = parsePrometheus(text);
      assert.equal(value(samples, 'mmg_operations_stats_up', {}), 0);
      assert.ok(Number.isNaN(value(samples, 'mmg_pg_net_queue_requests', {})), 'the queue depth is unknown, not an invented 0');
      assert.ok(!samples.some((s) => s.name === 'mmg_render_queue_jobs' || s.name === 'mmg_llm_calls_total'), 'no stale figures');
      assert.ok(samples.some((s) => s.name === 'process_resident_memory_bytes'), 'the rest is still there');
    } finally {
      await metrics.close();
      await hanging.close();
    }
  });
});

describe('log lines', () => {
  it('mask secrets in fields, messages, nested values and errors, and carry the request context', () => {
    const lines: LogLine[] = [];
    const remove = addLogSink((l) => lines.push(l));
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXZhbHVl';
    const shared = `shared-${randomUUID()}`;
    registerSecret(shared);
    try {
      withLogContext({ requestId: 'ctx-1', userId: 'u1' }, () => {
        logger('test').warn(`token ${jwt} and ${shared} in a message`, {
          password: 'hunter2-password',
          headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-slack-signature': 'v0=abc', cookie: 'sb=1' },
          note: `Bearer opaque-token-123 xoxb-1234-5678-abcdef`,
          error: new Error(`failed with ${shared}`),
          level: 'not a level',
          input_tokens: 1200,
        });
      });
    } finally {
      remove();
    }
    const [line] = lines;
    assert.equal(line.request_id, 'ctx-1');
    assert.equal(line.user_id, 'u1');
    assert.equal(line.level, 'warn');
    assert.equal(line.fields.field_level, 'not a level', 'a field cannot overwrite a fixed key');
    assert.equal(line.fields.input_tokens, 1200, 'token counts are not secrets');
    const text = JSON.stringify(line);
    for (const secret of [jwt, shared, 'hunter2-password', 'dXNlcjpwYXNz', 'v0=abc', 'opaque-token-123', 'xoxb-1234']) {
      assert.ok(!text.includes(secret), `${secret} was printed: ${text}`);
    }
  });
});

describe('request ids through the running stack', () => {
  const cfg = loadConfig();
  const url = process.env.SUPABASE_URL ?? cfg.apiUrl;

  async function logLines(file: string, requestId: string, timeoutMs = 15_000): Promise<Record<string, unknown>[]> {
    const path = join(cfg.logDir, file);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = existsSync(path)
        ? readFileSync(path, 'utf8').split('\n').filter((l) => l.includes(requestId)).map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
      if (found.length || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('keeps a caller\'s request id from the gateway through an edge function and back, in both logs', async () => {
    const user = demo.find((u) => u.email === 'dubai.rep2@mmg.demo')!;
    const anonKey = process.env.SUPABASE_ANON_KEY!;
    const session = await (await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    })).json();
    const requestId = `rt-${randomUUID()}`;
    const res = await fetch(`${url}/functions/v1/health`, { headers: { authorization: `Bearer ${session.access_token}`, 'x-request-id': requestId } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), requestId, 'the response carries the id');
    assert.equal((await res.json()).request_id, requestId, 'the function received the id');

    const [fn] = await logLines('function-health.log', requestId);
    assert.ok(fn, 'the function logged the request');
    assert.deepEqual([fn.service, fn.message, fn.user_id, fn.status], ['function:health', 'request', session.user.id, 200]);
    const [gateway] = await logLines('stack.log', requestId);
    assert.ok(gateway, 'the gateway logged the request');
    assert.deepEqual([gateway.service, gateway.route, gateway.user_id], ['gateway', '/functions/v1/health', session.user.id]);
  });

  it('gives a request without a usable id a fresh one, which the function sees too', async () => {
    const res = await fetch(`${url}/functions/v1/health`, {
      headers: { authorization: `Bearer ${process.env.SUPABASE_ANON_KEY}`, 'x-request-id': 'spaces and\ttabs are refused' },
    });
    const id = res.headers.get('x-request-id')!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal((await res.json()).request_id, id);
  });

  it('answers every edge function\'s liveness and readiness probes', async () => {
    for (const name of ['health', 'chat', 'slack-notify']) {
      const headers = { authorization: `Bearer ${process.env.SUPABASE_ANON_KEY}` };
      const live = await fetch(`${url}/functions/v1/${name}/health`, { headers });
      assert.deepEqual([live.status, await live.json()], [200, { status: 'ok', service: `function:${name}` }]);
      const ready = await fetch(`${url}/functions/v1/${name}/ready`, { headers });
      const report = await ready.json();
      assert.equal(ready.status, 200, `${name}: ${JSON.stringify(report)}`);
      assert.deepEqual([report.status, report.checks.database, report.checks.config], ['ready', { status: 'ok' }, { status: 'ok' }]);
    }
  });
});
