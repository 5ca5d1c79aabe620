import assert from 'node:assert/strict';
import { CheckOff, withProbes } from './probes.ts';
import { json } from './http.ts';
import { logger } from './log.ts';

/** The console lines written while fn runs. */
async function captured(fn: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (line: string) => lines.push(line);
  console.error = (line: string) => lines.push(line);
  try {
    await fn();
  } finally {
    console.log = log;
    console.error = error;
  }
  return lines.map((l) => JSON.parse(l));
}

/** A port nothing listens on: the database "is down". */
function closedPort(): number {
  const listener = Deno.listen({ hostname: '127.0.0.1', port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

const env = (values: Record<string, string>) => ({ get: (n: string) => values[n] });
const echo = (req: Request) => json({ request_id: req.headers.get('x-request-id') });

Deno.test('liveness answers under /<name>/health without touching the handler', async () => {
  let called = false;
  const serve = withProbes('demo', () => {
    called = true;
    return new Response('handler');
  }, {}, { env: env({}) });
  const res = await serve(new Request('http://fn/demo/health'));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok', service: 'function:demo' });
  assert.equal(called, false);
});

Deno.test('readiness is degraded (503) when the database is unreachable, naming the check', async () => {
  const serve = withProbes('demo', echo, {
    llm: () => Promise.reject(new CheckOff('no LLM configured')),
  }, {
    env: env({
      SUPABASE_URL: `http://127.0.0.1:${closedPort()}`,
      SUPABASE_ANON_KEY: 'anon',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
    }),
  });
  const res = await serve(new Request('http://fn/demo/ready'));
  assert.equal(res.status, 503);
  const report = await res.json();
  assert.equal(report.status, 'degraded');
  assert.equal(report.service, 'function:demo');
  assert.deepEqual(report.checks.config, { status: 'ok' });
  assert.equal(report.checks.database.status, 'failed');
  assert.match(report.checks.database.detail, /refused|connect/i);
  assert.deepEqual(report.checks.llm, { status: 'off', detail: 'no LLM configured' });
});

Deno.test('readiness names missing settings, and an "off" dependency alone does not degrade', async () => {
  const missing = await (await withProbes('demo', echo, {}, { env: env({}) })(new Request('http://fn/demo/ready'))).json();
  assert.deepEqual(missing.checks.config, {
    status: 'failed',
    detail: 'missing environment variable(s): SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY',
  });
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, () => Response.json([]));
  try {
    const serve = withProbes('demo', echo, { slack: () => Promise.reject(new CheckOff('Slack is off')) }, {
      env: env({ SUPABASE_URL: `http://127.0.0.1:${server.addr.port}`, SUPABASE_ANON_KEY: 'a', SUPABASE_SERVICE_ROLE_KEY: 's' }),
    });
    const res = await serve(new Request('http://fn/demo/ready'));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, 'ready');
  } finally {
    await server.shutdown();
  }
});

Deno.test('a well-formed request id is kept, a bad or missing one replaced, and the handler sees the same id', async () => {
  const serve = withProbes('demo', echo, {}, { env: env({}) });
  await captured(async () => {
    const kept = await serve(new Request('http://fn/demo', { headers: { 'x-request-id': 'gw-123.a:b' } }));
    assert.equal(kept.headers.get('x-request-id'), 'gw-123.a:b');
    assert.deepEqual(await kept.json(), { request_id: 'gw-123.a:b' });
    for (const bad of ['has spaces', 'x'.repeat(65), '<script>']) {
      const replaced = await serve(new Request('http://fn/demo', { headers: { 'x-request-id': bad } }));
      const id = replaced.headers.get('x-request-id')!;
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(await replaced.json(), { request_id: id });
    }
  });
});

Deno.test('each request is logged once as JSON with its request id and user, and secrets are masked', async () => {
  const token = `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify({ sub: 'user-1', role: 'authenticated' })).replace(/=+$/, '')}.sig-nature`;
  const serve = withProbes('demo', (req) => {
    logger('function:demo').info('handling', {
      authorization: req.headers.get('authorization'),
      note: `got ${req.headers.get('authorization')}`,
      input_tokens: 42,
    });
    return new Response('ok');
  }, {}, { env: env({}) });
  const lines = await captured(async () => {
    const res = await serve(new Request('http://fn/demo/run', { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'log-1' } }));
    await res.text();
  });
  assert.equal(lines.length, 2);
  for (const line of lines) {
    assert.equal(line.request_id, 'log-1');
    assert.equal(line.user_id, 'user-1');
    assert.equal(line.service, 'function:demo');
  }
  assert.deepEqual(lines.map((l) => l.message), ['handling', 'request']);
  assert.equal(lines[1].status, 200);
  assert.equal(lines[0].input_tokens, 42);
  assert.ok(!JSON.stringify(lines).includes(token.split('.')[1]), 'the JWT was printed');
});

Deno.test('an exception in the handler becomes a 500 in the platform shape, logged with its id', async () => {
  const serve = withProbes('demo', () => {
    throw new Error('boom');
  }, {}, { env: env({}) });
  const lines = await captured(async () => {
    const res = await serve(new Request('http://fn/demo', { headers: { 'x-request-id': 'err-1' } }));
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('x-request-id'), 'err-1');
    assert.equal((await res.json()).error.code, 'internal_error');
  });
  assert.deepEqual(lines.map((l) => [l.level, l.message, l.request_id]), [['error', 'unhandled error', 'err-1'], ['info', 'request', 'err-1']]);
});
