// pg_net contract: a trigger calling net.http_post reaches an HTTP server after commit, the
// response is recorded in net._http_response, and a rolled-back transaction sends nothing.
// Only meaningful where the database can reach this process (the local stack).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { isLocalStack, sql } from './env.ts';

describe('pg_net', { skip: !isLocalStack && 'the database cannot reach a loopback server of the test' }, () => {
  let server: Server;
  const received: { body: any; headers: Record<string, unknown> }[] = [];
  let port = 0;

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ body: JSON.parse(body || '{}'), headers: req.headers });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"accepted":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    await sql(`drop table if exists public.contract_jobs cascade;
      create table public.contract_jobs (id serial primary key, kind text not null);
      create function public.contract_jobs_dispatch() returns trigger language plpgsql as $$
      begin
        perform net.http_post(
          url := current_setting('contract.hook_url'),
          body := jsonb_build_object('job_id', new.id, 'kind', new.kind),
          headers := '{"Content-Type": "application/json", "X-Hook-Secret": "s3cret"}'::jsonb,
          timeout_milliseconds := 2000);
        return new;
      end $$;
      create trigger contract_jobs_dispatch after insert on public.contract_jobs
        for each row execute function public.contract_jobs_dispatch();`);
  });
  after(async () => {
    await sql('drop table if exists public.contract_jobs cascade; drop function if exists public.contract_jobs_dispatch()');
    server.close();
  });

  async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const v = await fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  }

  it('delivers the POST made by a trigger and stores the response', async () => {
    const [{ id }] = await sql<{ id: number }>(
      `with s as (select set_config('contract.hook_url', $1, true))
       insert into public.contract_jobs (kind) select 'proposal' from s returning id`, [`http://127.0.0.1:${port}/hook`]);
    const hit = await waitFor(() => Promise.resolve(received.find((r) => r.body.job_id === id)));
    assert.equal(hit.body.kind, 'proposal');
    assert.equal(hit.headers['x-hook-secret'], 's3cret');
    const resp = await waitFor(async () => (await sql(`select status_code, content from net._http_response where content like '%accepted%' order by created desc limit 1`))[0]);
    assert.equal(resp.status_code, 202);
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const before = received.length;
    await sql(`begin;
      select set_config('contract.hook_url', 'http://127.0.0.1:${port}/hook', true);
      insert into public.contract_jobs (kind) values ('rolled-back');
      rollback;`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(received.filter((r) => r.body.kind === 'rolled-back').length, 0, 'a rolled-back request must never be sent');
    assert.ok(received.length >= before);
  });

  it('records a timeout as pg_net does', async () => {
    const silent = createServer(() => { /* never answers */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const p = (silent.address() as { port: number }).port;
    const [{ id }] = await sql<{ id: string }>(`select net.http_post('http://127.0.0.1:${p}/slow', '{}'::jsonb, timeout_milliseconds := 300) as id`);
    const resp = await waitFor(async () => (await sql('select timed_out, error_msg from net._http_response where id = $1', [id]))[0]);
    assert.equal(resp.timed_out, true);
    silent.closeAllConnections();
    silent.close();
  });
});
