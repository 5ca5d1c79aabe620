// The render-job lifecycle against the running stack (issue 4, "Job lifecycle"): a duplicated
// delivery is processed once; a renderer killed in the middle of a job leaves it to the sweep,
// which re-leases it to another renderer that finishes it exactly once; a PDF engine that keeps
// failing ends the job after max_attempts with a readable error and no files.
//
// The extra renderers are started here (`node --import tsx renderer/src/main.ts`, the same code
// the stack runs) on ports of their own, with the stack's keys and the secret from
// private.app_settings. While a test needs one of them, app_settings.renderer_url points at it;
// it is restored afterwards. No test hook exists in the renderer: a 10-location combined
// proposal is simply slow enough to be caught mid-job.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { repoRoot } from '../../devstack/src/config.ts';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { anonKey, serviceKey, sql, url } from '../contract/env.ts';

const demo = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users as { email: string; password: string }[];

async function signIn(email: string): Promise<{ client: SupabaseClient; id: string }> {
  const user = demo.find((u) => u.email === email)!;
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signInWithPassword({ email, password: user.password });
  if (error) throw error;
  return { client, id: data.user.id };
}

type JobRow = {
  id: string;
  status: string;
  attempts: number;
  max_attempts: number;
  progress: number;
  error: string | null;
  result: Record<string, string> | null;
  started_at: Date | null;
  finished_at: Date | null;
};

const job = async (id: string): Promise<JobRow> =>
  (await sql<JobRow>('select id, status, attempts, max_attempts, progress, error, result, started_at, finished_at from public.render_jobs where id = $1', [id]))[0];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 90_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

const finished = (id: string, timeoutMs = 120_000) =>
  waitFor(`job ${id} to finish`, async () => {
    const j = await job(id);
    return (j.status === 'succeeded' || j.status === 'failed') && j;
  }, timeoutMs, 250);

/** Objects in the proposals bucket written for one client (file names start with its slug). */
const proposalObjects = async (ownerId: string, slug: string) =>
  (await sql<{ name: string }>(
    `select name from storage.objects where bucket_id = 'proposals' and name like $1 and split_part(name, '/', 4) like $2 order by name`,
    [`${ownerId}/%`, `${slug}\\_%`],
  )).map((r) => r.name);

const setting = async (key: string) => (await sql<{ value: string }>('select value from private.app_settings where key = $1', [key]))[0]?.value;
async function setRendererUrl(value: string | null): Promise<void> {
  if (value === null) await sql(`delete from private.app_settings where key = 'renderer_url'`);
  else {
    await sql(`insert into private.app_settings (key, value) values ('renderer_url', $1)
               on conflict (key) do update set value = excluded.value, updated_at = now()`, [value]);
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Direct children of a process (by parent id). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

interface Renderer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: the renderer and the LibreOffice process groups it started, nothing else; then
   *  removes the conversion directories those left behind. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Another renderer process with the stack's keys and secret; resolves once /health answers. */
async function startRenderer(secret: string, env: Record<string, string> = {}): Promise<Renderer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'renderer/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      SUPABASE_URL: url,
      SUPABASE_SERVICE_ROLE_KEY: serviceKey,
      RENDERER_SECRET: secret,
      RENDERER_PORT: String(port),
      RENDERER_HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`the renderer on port ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`the renderer exited with ${child.exitCode}:\n${output}`);
    return await fetch(`${base}/health`).then((r) => r.ok, () => false);
  }, 30_000, 100);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const children = childrenOf(child.pid!);
    // Each LibreOffice run works in a directory of its own (…/mmg-pdf-XXXXXX/profile).
    const workDirs = children.flatMap((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const profile = args.find((a) => a.startsWith('-env:UserInstallation=file://'));
        return profile ? [dirname(fileURLToPath(profile.slice('-env:UserInstallation='.length)))] : [];
      } catch {
        return [];
      }
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    // LibreOffice runs in a process group of its own (pdf.ts spawns it detached).
    for (const pid of children) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch { /* gone */ }
      }
    }
    await exited;
    await Promise.all(workDirs.filter((d) => /\/mmg-pdf-[^/]+$/.test(d)).map((d) => rm(d, { recursive: true, force: true })));
  };
  return {
    url: base,
    child,
    output: () => output,
    kill,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => kill())]);
    },
  };
}

const dispatch = (rendererUrl: string, secret: string, jobId: string, kind: string) =>
  fetch(`${rendererUrl.replace(/\/+$/, '')}/jobs/dispatch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, 'X-Request-Id': jobId },
    body: JSON.stringify({ job_id: jobId, kind }),
  });

const suffix = () => randomBytes(3).toString('hex');

describe('render job lifecycle', () => {
  let rep: { client: SupabaseClient; id: string };
  let secret: string;
  let stackRendererUrl: string;
  let locations: string[];
  const renderers: Renderer[] = [];

  before(async () => {
    rep = await signIn('dubai.rep1@mmg.demo');
    secret = await setting('renderer_secret');
    stackRendererUrl = await setting('renderer_url');
    assert.ok(secret && stackRendererUrl, 'the stack registers its renderer in private.app_settings');
    assert.ok((await fetch(`${stackRendererUrl}/health`)).ok, `the stack's renderer answers at ${stackRendererUrl}`);
    locations = (await sql<{ location_key: string }>(
      'select location_key from backlite_dubai.locations where is_active order by location_key limit 10',
    )).map((r) => r.location_key);
    assert.equal(locations.length, 10, 'the demo data has ten active Dubai locations');
  });

  after(async () => {
    await setRendererUrl(stackRendererUrl);
    await Promise.all(renderers.map((r) => r.stop()));
  });

  it('processes a job delivered three times (pg_net plus two duplicates) exactly once', async () => {
    const client = `Duplicate Delivery ${suffix()}`;
    const { data, error } = await rep.client.rpc('request_proposal', {
      request: {
        client_name: client,
        items: [{ location: 'dubai_gateway', options: [{ start_date: '2026-12-01', duration_weeks: 4, net_rate: 1250000 }] }],
      },
    });
    assert.equal(error, null);
    // The trigger has already posted the job; two more deliveries of the same dispatch follow
    // at once, as a retrying network or a second sweep would send them.
    const answers = await Promise.all([dispatch(stackRendererUrl, secret, data.job_id, 'proposal'), dispatch(stackRendererUrl, secret, data.job_id, 'proposal')]);
    assert.deepEqual(answers.map((a) => a.status), [202, 202]);
    const done = await finished(data.job_id);
    assert.equal(done.status, 'succeeded', `job error: ${done.error}`);
    assert.equal(done.attempts, 1, 'claimed once');

    // A late duplicate after the job finished changes nothing.
    assert.equal((await dispatch(stackRendererUrl, secret, data.job_id, 'proposal')).status, 202);
    await sleep(1500);
    const later = await job(data.job_id);
    assert.deepEqual([later.status, later.attempts, later.finished_at?.getTime()], ['succeeded', 1, done.finished_at?.getTime()]);
    const slug = client.toLowerCase().replace(/ /g, '-');
    const objects = await proposalObjects(rep.id, slug);
    assert.deepEqual(objects, [done.result!.pdf_path, done.result!.pptx_path].sort(), 'one PDF and one PPTX');
  });

  it('composites a duplicated mockup job once and logs one usage row for it', async () => {
    const creative = renderBillboardPhoto({ seed: 42, timeOfDay: 'day', width: 400, height: 260 }).png;
    const path = `${rep.id}/creatives/lifecycle-${suffix()}.png`;
    assert.equal((await rep.client.storage.from('uploads').upload(path, creative, { contentType: 'image/png' })).error, null);
    const { data, error } = await rep.client.rpc('request_mockup', {
      request: { location: 'dubai_gateway', time_of_day: 'night', side: 'gold', creative_paths: [path] },
    });
    assert.equal(error, null);
    await Promise.all([dispatch(stackRendererUrl, secret, data.job_id, 'mockup'), dispatch(stackRendererUrl, secret, data.job_id, 'mockup')]);
    const done = await finished(data.job_id);
    assert.equal(done.status, 'succeeded', `job error: ${done.error}`);
    assert.equal(done.attempts, 1);
    const usage = await sql(
      `select user_id::text, company, location_key, time_of_day::text, side::text, photo_path, creative_count, success, error, duration_ms
       from public.mockup_usage where job_id = $1`, [data.job_id]);
    assert.equal(usage.length, 1, 'one usage row for the one attempt');
    assert.deepEqual({ ...usage[0], duration_ms: undefined }, {
      user_id: rep.id, company: 'backlite_dubai', location_key: 'dubai_gateway', time_of_day: 'night', side: 'gold',
      photo_path: 'backlite_dubai/dubai_gateway/outdoor/night/gold/DubaiGateway_2.png', creative_count: 1, success: true, error: null,
      duration_ms: undefined,
    });
    assert.ok(usage[0].duration_ms > 0 && usage[0].duration_ms < 60_000, `duration ${usage[0].duration_ms} ms`);
  });

  it('logs a failed mockup attempt with its error, and fails the job at once (bad input is not retried)', async () => {
    const corrupt = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(200)]);
    const path = `${rep.id}/creatives/corrupt-${suffix()}.png`;
    assert.equal((await rep.client.storage.from('uploads').upload(path, corrupt, { contentType: 'image/png' })).error, null);
    const { data, error } = await rep.client.rpc('request_mockup', {
      request: { location: 'dubai_gateway', time_of_day: 'day', side: 'gold', creative_paths: [path] },
    });
    assert.equal(error, null);
    const done = await finished(data.job_id);
    assert.deepEqual([done.status, done.attempts], ['failed', 1]);
    assert.match(done.error!, /^creative 1/);
    const usage = await sql('select success, error, creative_count, time_of_day::text, side::text from public.mockup_usage where job_id = $1', [data.job_id]);
    assert.deepEqual(usage, [{ success: false, error: done.error, creative_count: 1, time_of_day: 'day', side: 'gold' }]);
    const mockup = (await sql('select status::text, output_path from public.mockups where id = $1', [data.mockup_id]))[0];
    assert.deepEqual(mockup, { status: 'failed', output_path: null });
  });

  it('re-leases the job of a renderer killed mid-job and finishes it exactly once (attempts = 2)', async () => {
    const doomed = await startRenderer(secret);
    renderers.push(doomed);
    const client = `Killed Renderer ${suffix()}`;
    let jobId: string;
    let proposalId: string;
    try {
      await setRendererUrl(doomed.url);
      const { data, error } = await rep.client.rpc('request_proposal', {
        request: {
          proposal_type: 'combined',
          client_name: client,
          combined_net_rate: 4_500_000,
          items: locations.map((location) => ({ location, options: [{ start_date: '2027-02-01', duration_weeks: 8 }] })),
        },
      });
      assert.equal(error, null);
      jobId = data.job_id;
      proposalId = data.proposal_id;
      // Claimed by the doomed renderer, deck built, PDF conversion under way (progress 40..84).
      await waitFor('the claim and the deck', async () => {
        const j = await job(jobId);
        return j.status === 'running' && j.progress >= 40 && j;
      }, 60_000, 50);
      await waitFor('LibreOffice to start on the deck', () => Promise.resolve(childrenOf(doomed.child.pid!).length > 0), 20_000, 50);
      assert.ok((await job(jobId)).progress < 85, 'still converting');
      await doomed.kill();
      assert.match(doomed.output(), new RegExp(`"job.claimed","job_id":"${jobId}"`), 'the doomed renderer had claimed the job');
    } finally {
      await setRendererUrl(stackRendererUrl);
    }

    const orphan = await job(jobId!);
    assert.deepEqual([orphan.status, orphan.attempts], ['running', 1], 'the job still holds the dead renderer\'s lease');
    assert.deepEqual(await proposalObjects(rep.id, client.toLowerCase().replace(/ /g, '-')), [], 'nothing was uploaded');

    // The lease would run for another two minutes: end it now and let the sweep do its work.
    await sql(`update public.render_jobs set lease_expires_at = now() - interval '1 second', last_dispatched_at = now() - interval '1 minute' where id = $1`, [jobId!]);
    const [{ sweep }] = await sql<{ sweep: { requeued: number; dispatched: number } }>('select private.sweep_render_jobs() as sweep');
    assert.ok(sweep.requeued >= 1 && sweep.dispatched >= 1, `the sweep re-queued and re-dispatched: ${JSON.stringify(sweep)}`);

    const done = await finished(jobId!);
    assert.equal(done.status, 'succeeded', `job error: ${done.error}`);
    assert.equal(done.attempts, 2, 'the second attempt finished it');
    const proposal = (await sql('select status::text, pdf_path, pptx_path from public.proposals where id = $1', [proposalId!]))[0];
    assert.deepEqual(proposal, { status: 'ready', pdf_path: done.result!.pdf_path, pptx_path: done.result!.pptx_path });
    assert.deepEqual(await proposalObjects(rep.id, client.toLowerCase().replace(/ /g, '-')), [done.result!.pdf_path, done.result!.pptx_path].sort(),
      'exactly one PDF and one PPTX');
    const pdf = await rep.client.storage.from('proposals').download(done.result!.pdf_path);
    assert.equal(pdf.error, null);
    assert.equal(Buffer.from(await pdf.data!.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    assert.equal(Number(done.result!.pages), 1 + 10 + 1 + 1, 'intro, ten photo slides, the package, outro');
  });

  it('fails a job after max_attempts when the PDF engine keeps failing, with a readable error and no files', async () => {
    // A Gotenberg that answers every conversion with 500, as one whose LibreOffice crashes does.
    const gotenberg: Server = createServer((req, res) => {
      req.resume();
      if (req.url === '/health') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"up"}');
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Internal Server Error');
    });
    await new Promise<void>((r) => gotenberg.listen(0, '127.0.0.1', r));
    const broken = await startRenderer(secret, { GOTENBERG_URL: `http://127.0.0.1:${(gotenberg.address() as AddressInfo).port}` });
    renderers.push(broken);
    const client = `Failing Engine ${suffix()}`;
    let jobId: string;
    let proposalId: string;
    try {
      // Queue the job undispatched, so max_attempts can be lowered before any attempt.
      await setRendererUrl(null);
      const { data, error } = await rep.client.rpc('request_proposal', {
        request: {
          client_name: client,
          items: [{ location: 'szr_unipole_north', production_fee: 8500, options: [{ start_date: '2027-01-01', duration_weeks: 4, net_rate: 195000 }] }],
        },
      });
      assert.equal(error, null);
      jobId = data.job_id;
      proposalId = data.proposal_id;
      await sql('update public.render_jobs set max_attempts = 2 where id = $1', [jobId]);
      await setRendererUrl(broken.url);

      // Attempt 1: dispatched by the sweep (the job was never dispatched), fails, is re-queued.
      await sql('select private.sweep_render_jobs()');
      const retried = await waitFor('attempt 1 to fail and re-queue', async () => {
        const j = await job(jobId);
        return j.status === 'queued' && j.attempts === 1 && j.error !== null && j;
      }, 60_000, 100);
      assert.match(retried.error ?? '', /^PDF conversion failed: Gotenberg conversion failed: .*Status: 500 Internal Server Error/);
      // Attempt 2: the sweep re-dispatches once 30 s passed since the last dispatch.
      await sql(`update public.render_jobs set last_dispatched_at = now() - interval '1 minute' where id = $1`, [jobId]);
      await sql('select private.sweep_render_jobs()');
      const done = await finished(jobId, 60_000);
      assert.equal(done.status, 'failed');
      assert.equal(done.attempts, 2);
      assert.match(done.error!, /^gave up after 2 attempts: PDF conversion failed: Gotenberg conversion failed: Gotenberg API Error: Endpoint: http:\/\/127\.0\.0\.1:\d+\/forms\/libreoffice\/convert Status: 500 Internal Server Error/);
      assert.ok(!/[\n\r]|\bat \w+ \(|<html/i.test(done.error!) && done.error!.length < 700, `one readable line: ${done.error}`);
      assert.ok(done.finished_at, 'finished');
      const ready = await fetch(`${broken.url}/ready`);
      assert.equal(ready.status, 200, 'the engine\'s /health is up: only conversions fail');
    } finally {
      await setRendererUrl(stackRendererUrl);
      await broken.stop();
      await new Promise((r) => gotenberg.close(r));
    }

    const proposal = (await sql('select status::text, pdf_path, pptx_path from public.proposals where id = $1', [proposalId!]))[0];
    assert.deepEqual(proposal, { status: 'failed', pdf_path: null, pptx_path: null });
    assert.deepEqual(await proposalObjects(rep.id, client.toLowerCase().replace(/ /g, '-')), [], 'no partial files in the proposals bucket');
    const seen = await rep.client.from('render_jobs').select('status, error, attempts').eq('id', jobId!).single();
    assert.equal(seen.data!.status, 'failed', 'the requester sees the failure through RLS');
    assert.equal(seen.data!.error, (await job(jobId!)).error);
  });
});
