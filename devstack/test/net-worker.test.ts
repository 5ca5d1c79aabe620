// The pg_net worker's LISTEN connection across a database restart. The worker reaches the test
// stack's Postgres through a TCP proxy that plays the restart (./db-proxy.ts). However long
// the outage, the worker must come back with exactly one listener, having retried about once a
// second — never a reconnect loop that multiplies (which once opened a connection storm).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { NetWorker } from '../src/net/worker.ts';
import { RestartableProxy, viaProxy } from './db-proxy.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pg_net worker: the LISTEN connection across a restart', () => {
  const cfg = loadConfig();
  const target = new URL(cfg.dbUrl);
  const proxy = new RestartableProxy({ host: target.hostname, port: Number(target.port) });
  const admin = new pg.Client({ connectionString: cfg.dbUrl });
  let worker: NetWorker;

  before(async () => {
    await proxy.start();
    await admin.connect();
    worker = new NetWorker({ ...cfg, dbUrl: viaProxy(cfg.dbUrl, proxy) });
  });
  after(async () => {
    await worker.stop();
    await proxy.close();
    await admin.end();
  });

  /** The worker's listener sessions that are open in Postgres now. */
  const listeners = async () => {
    const { rows } = await admin.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where application_name = 'pg_net-listener' and client_port = any($1::int[])`,
      [[...proxy.upstreamPorts]],
    );
    return rows[0].n;
  };

  async function waitForListening(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!worker.health().listening) {
      assert.ok(Date.now() < deadline, `the worker listens again within ${ms} ms`);
      await sleep(50);
    }
  }

  const listenAttempts = () => proxy.attempts.filter((a) => a === 'pg_net-listener').length;

  it('comes back with exactly one listener after each outage, retrying about once a second', async () => {
    await worker.start();
    assert.equal(worker.health().listening, true);
    assert.equal(await listeners(), 1);

    for (const downMs of [3_500, 1_200]) {
      const before = listenAttempts();
      proxy.down();
      await sleep(downMs);
      proxy.up();
      await waitForListening(5_000);
      // Retries left over from the outage, if any, would land in this window.
      await sleep(2_500);
      assert.equal(await listeners(), 1, `one listener after ${downMs} ms down`);
      assert.equal(worker.health().listening, true);
      // About one retry a second while down, then the one that succeeds; a doubling loop makes
      // 2^seconds of them.
      const tries = listenAttempts() - before;
      assert.ok(tries >= 1 && tries <= Math.ceil(downMs / 1000) + 2, `${tries} listen attempts for ${downMs} ms down`);
    }
  });

  it('stopped while the database is down: no retry outlives stop()', async () => {
    proxy.down();
    await sleep(1_500);
    await worker.stop();
    proxy.up();
    const before = proxy.attempts.length;
    await sleep(2_500);
    assert.equal(proxy.attempts.length, before, 'no connection attempt after stop()');
    assert.equal(await listeners(), 0);
  });
});
