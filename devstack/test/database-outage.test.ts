// The gateway while its database is away: a gateway of its own reaches the test stack's Postgres
// through a proxy that plays an outage (./db-proxy.ts) — connections cut, then refused the way a
// stopped server and a starting one refuse them. Auth, REST and Storage must answer 503 with a
// readable error in their own shape (never a 500), the gateway must keep running, and every API
// must serve again once the database is back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { type RunningGateway, startGateway } from '../src/gateway/server.ts';
import { RestartableProxy, viaProxy } from './db-proxy.ts';

const demo = JSON.parse(readFileSync(join(import.meta.dirname, '../../seed/users.json'), 'utf8')).users as { email: string; password: string }[];

interface Probe {
  api: string;
  status: number;
  body: string;
}

/** The message of a 503's error body in the platform's, PostgREST's or Storage's shape, else null. */
function readable503(p: Probe): string | null {
  if (p.status !== 503) return null;
  const body = JSON.parse(p.body);
  const e = typeof body.error === 'object' ? body.error : body;
  const code = e.code ?? body.statusCode;
  return typeof e.message === 'string' && e.message.length > 5 && typeof code === 'string' ? `${code}: ${e.message}` : null;
}

describe('gateway: the database away and back', () => {
  const cfg = loadConfig();
  const target = new URL(cfg.dbUrl);
  const proxy = new RestartableProxy({ host: target.hostname, port: Number(target.port) });
  let gw: RunningGateway;
  let base: string;
  let anon: string;
  let token: string;
  let userId: string;

  before(async () => {
    await proxy.start();
    gw = await startGateway({ ...cfg, dbUrl: viaProxy(cfg.dbUrl, proxy), authenticatorUrl: viaProxy(cfg.authenticatorUrl, proxy) }, {
      port: 0,
      withNetWorker: false,
    });
    base = `http://127.0.0.1:${(gw.server.address() as { port: number }).port}`;
    anon = gw.gw.keys.anon;
    const rep = demo.find((u) => u.email === 'dubai.rep1@mmg.demo')!;
    const session = await (await fetch(`${base}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anon, 'content-type': 'application/json' },
      body: JSON.stringify({ email: rep.email, password: rep.password }),
    })).json();
    token = session.access_token;
    userId = session.user.id;
  });
  after(async () => {
    proxy.up();
    await gw.close();
    await proxy.close();
  });

  /** One request to each API, as the signed-in rep. */
  function probeAll(n: string): Promise<Probe[]> {
    const headers = { apikey: anon, Authorization: `Bearer ${token}` };
    const requests: Array<[string, Promise<Response>]> = [
      ['auth user', fetch(`${base}/auth/v1/user`, { headers })],
      ['auth sign-in', fetch(`${base}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: anon, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'dubai.rep1@mmg.demo', password: demo.find((u) => u.email === 'dubai.rep1@mmg.demo')!.password }),
      })],
      ['rest read', fetch(`${base}/rest/v1/conversations?select=id&limit=1`, { headers })],
      ['rest rpc', fetch(`${base}/rest/v1/rpc/my_context`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' })],
      ['storage upload', fetch(`${base}/storage/v1/object/uploads/${userId}/outage-test/${n}.txt`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain', 'x-upsert': 'true' },
        body: `written while the database was ${n}`,
      })],
    ];
    return Promise.all(requests.map(async ([api, r]) => {
      const res = await r;
      return { api, status: res.status, body: await res.text() };
    }));
  }

  it('answers 503 with a readable error from every API while the database is away, then serves again', async () => {
    const healthy = await probeAll('up');
    for (const p of healthy) assert.ok(p.status < 300, `${p.api} serves before the outage: ${p.status} ${p.body.slice(0, 200)}`);

    for (const how of ['cut', 'starting'] as const) {
      proxy.down(how);
      for (const p of await probeAll(how)) {
        assert.ok(readable503(p), `${p.api} with the database ${how === 'cut' ? 'gone' : 'starting up'}: a 503 with a readable error, got ${p.status} ${p.body.slice(0, 300)}`);
      }
      proxy.up();
      const back = await probeAll(`back-${how}`);
      for (const p of back) {
        assert.equal(p.status, healthy.find((h) => h.api === p.api)!.status, `${p.api} serves again: ${p.body.slice(0, 200)}`);
      }
    }
    const live = await fetch(`${base}/health`);
    assert.equal(live.status, 200, 'the gateway kept running');
  });
});
