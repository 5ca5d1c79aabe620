// The gateway as a whole, on its own port against the test stack's database: routing, CORS,
// error shapes for bad input, and the sign-in rate limit (started here with a small budget).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { type RunningGateway, startGateway } from '../src/gateway/server.ts';

describe('gateway', () => {
  let gw: RunningGateway;
  let base: string;
  let anon: string;
  before(async () => {
    const cfg = loadConfig();
    gw = await startGateway(cfg, { port: 0, signInsPerMinute: 3, withNetWorker: false });
    base = `http://127.0.0.1:${(gw.server.address() as { port: number }).port}`;
    anon = gw.gw.keys.anon;
  });
  after(async () => {
    await gw.close();
  });

  it('answers liveness and serves the web app (or its placeholder) at /', async () => {
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: 'ok', service: 'gateway' });
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  });

  it('serves the SPA its public settings and never the service-role key', async () => {
    const r = await fetch(`${base}/config.json`);
    const body = await r.json();
    assert.equal(body.anonKey, anon);
    assert.equal(typeof body.supabaseUrl, 'string');
    assert.ok(!JSON.stringify(body).includes(gw.gw.keys.serviceRole), 'the service-role key must never reach the browser');
  });

  it('answers CORS preflight and sets security headers and a request id', async () => {
    const r = await fetch(`${base}/rest/v1/anything`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /apikey/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('x-request-id'));
  });

  it('keeps a well-formed incoming request id and replaces a hostile one', async () => {
    const kept = await fetch(`${base}/health`, { headers: { 'x-request-id': 'req-123' } });
    assert.equal(kept.headers.get('x-request-id'), 'req-123');
    const replaced = await fetch(`${base}/health`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    assert.notEqual(replaced.headers.get('x-request-id'), 'bad id\twith spaces');
  });

  it('limits password sign-ins per IP and answers 429 in GoTrue\'s shape', async () => {
    const attempt = () => fetch(`${base}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anon, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong-password' }),
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    const body = await (await attempt()).json();
    assert.equal(body.error_code, 'over_request_rate_limit');
  });

  it('answers 404 with the error shape for unknown functions and unknown API paths', async () => {
    const shared = await fetch(`${base}/functions/v1/_shared`, { headers: { Authorization: `Bearer ${anon}` } });
    assert.equal(shared.status, 404, 'shared code is never invokable as a function');
    const badName = await fetch(`${base}/functions/v1/Health;rm`, { headers: { Authorization: `Bearer ${anon}` } });
    assert.equal(badName.status, 404);
    const unknown = await fetch(`${base}/functions/v1/does-not-exist`, { headers: { Authorization: `Bearer ${anon}` } });
    assert.equal(unknown.status, 404);
    assert.deepEqual(Object.keys((await unknown.json()).error).sort(), ['code', 'message']);
    const post = await fetch(`${base}/nothing-here`, { method: 'POST' });
    assert.equal(post.status, 404);
  });

  it('answers 413 for an auth request body over the limit', async () => {
    const r = await fetch(`${base}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anon, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(11 * 1024 * 1024) }),
    });
    assert.equal(r.status, 413);
  });

  it('answers a body shorter than its Content-Length with a JSON 400, not a bare one', async () => {
    const { port } = gw.server.address() as { port: number };
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /auth/v1/token?grant_type=password HTTP/1.1\r\nHost: x\r\napikey: ${anon}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"email":"a@b.c"');
        socket.end(); // the rest of the body never comes
      });
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = answer.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 400 /);
    assert.match(head, /content-type: application\/json/i);
    const error = JSON.parse(body).error;
    assert.equal(error.code, 'incomplete_body');
    assert.match(error.message, /Content-Length/);
  });

  it('answers 400 for malformed JSON on auth', async () => {
    const r = await fetch(`${base}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST', headers: { apikey: anon, 'content-type': 'application/json' }, body: '{not json',
    });
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error_code, 'bad_json');
  });
});

describe('gateway shutdown', () => {
  it('stops even while a request holds a database connection for good', async () => {
    const gw = await startGateway(loadConfig(), { port: 0, withNetWorker: false, closeGraceMs: 300 });
    // A connection checked out and never released: the pool alone would wait for it forever.
    const held = await gw.gw.db.api.connect();
    const closed = await Promise.race([
      gw.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000).unref()),
    ]);
    held.release(true);
    assert.equal(closed, 'closed');
  });
});
