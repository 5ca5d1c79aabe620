// Helpers for tests that drive render jobs through a running stack: demo sign-ins, the job row
// as the database sees it, waiting for a job to end, the files it left in Storage, and extra
// renderer processes (the same code the stack runs) that can be killed mid-job together with the
// LibreOffice processes they started. Used by the job-lifecycle e2e test and the fault suite.
//
// The stack comes from SUPABASE_URL, the API keys and SUPABASE_DB_URL (tests/contract/env.ts),
// read when this module is first imported.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { repoRoot } from '../../devstack/src/config.ts';
import { anonKey, serviceKey, sql, url } from '../contract/env.ts';

export interface DemoUser { email: string; password: string; profile?: string }
export const demoUsers = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users as DemoUser[];

export async function signIn(email: string): Promise<{ client: SupabaseClient; id: string; token: string }> {
  const user = demoUsers.find((u) => u.email === email);
  if (!user) throw new Error(`${email} is not a demo user of seed/users.json`);
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signInWithPassword({ email, password: user.password });
  if (error) throw error;
  return { client, id: data.user.id, token: data.session.access_token };
}

export type JobRow = {
  id: string;
  status: string;
  attempts: number;
  max_attempts: number;
  progress: number;
  error: string | null;
  result: Record<string, string> | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
};

export const job = async (id: string): Promise<JobRow> =>
  (await sql<JobRow>(
    'select id, status, attempts, max_attempts, progress, error, result, started_at, finished_at, created_at from public.render_jobs where id = $1',
    [id],
  ))[0];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 90_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The job once it succeeded or failed for good. */
export const finished = (id: string, timeoutMs = 120_000) =>
  waitFor(`job ${id} to finish`, async () => {
    const j = await job(id);
    return (j.status === 'succeeded' || j.status === 'failed') && j;
  }, timeoutMs, 250);

/** The slug proposal files of a client start with (`Acme Corp` → `acme-corp`). */
export const clientSlug = (client: string) => client.toLowerCase().replace(/ /g, '-');

/** Objects in the proposals bucket written for one client (file names start with its slug). */
export const proposalObjects = async (ownerId: string, slug: string) =>
  (await sql<{ name: string }>(
    `select name from storage.objects where bucket_id = 'proposals' and name like $1 and split_part(name, '/', 4) like $2 order by name`,
    [`${ownerId}/%`, `${slug}\\_%`],
  )).map((r) => r.name);

export const setting = async (key: string) => (await sql<{ value: string }>('select value from private.app_settings where key = $1', [key]))[0]?.value;

/** Points the dispatch trigger (and the sweep) at another renderer; null queues jobs undispatched. */
export async function setRendererUrl(value: string | null): Promise<void> {
  if (value === null) await sql(`delete from private.app_settings where key = 'renderer_url'`);
  else {
    await sql(`insert into private.app_settings (key, value) values ('renderer_url', $1)
               on conflict (key) do update set value = excluded.value, updated_at = now()`, [value]);
  }
}

/** Ends the lease of a running job as if it had run out, and lets the sweep re-queue and re-dispatch it. */
export async function expireLeaseAndSweep(jobId: string): Promise<{ requeued: number; dispatched: number }> {
  await sql(`update public.render_jobs set lease_expires_at = now() - interval '1 second', last_dispatched_at = now() - interval '1 minute' where id = $1`, [jobId]);
  return (await sql<{ sweep: { requeued: number; dispatched: number } }>('select private.sweep_render_jobs() as sweep'))[0].sweep;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Direct children of a process (by parent id). */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** The LibreOffice conversion directories (…/mmg-pdf-XXXXXX) that child processes work in. */
function conversionDirs(children: number[]): string[] {
  return children.flatMap((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const profile = args.find((a) => a.startsWith('-env:UserInstallation=file://'));
      const dir = profile ? dirname(fileURLToPath(profile.slice('-env:UserInstallation='.length))) : '';
      return /\/mmg-pdf-[^/]+$/.test(dir) ? [dir] : [];
    } catch {
      return [];
    }
  });
}

/**
 * SIGKILL for a renderer process and the LibreOffice process groups it started, nothing else
 * (pdf.ts spawns LibreOffice detached, in a group of its own); then removes the conversion
 * directories those left behind. Resolves once the renderer has exited.
 */
export async function killRendererProcess(pid: number, exited: Promise<unknown>): Promise<void> {
  const children = childrenOf(pid);
  const dirs = conversionDirs(children);
  try {
    process.kill(pid, 'SIGKILL');
  } catch { /* already gone */ }
  for (const child of children) {
    try {
      process.kill(-child, 'SIGKILL');
    } catch {
      try {
        process.kill(child, 'SIGKILL');
      } catch { /* gone */ }
    }
  }
  await exited;
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

export interface Renderer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, with its LibreOffice processes (killRendererProcess). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Another renderer process with the stack's keys and secret; resolves once /health answers. */
export async function startRenderer(secret: string, env: Record<string, string> = {}): Promise<Renderer> {
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
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async () => {
    if (gone()) return;
    await killRendererProcess(child.pid!, new Promise((r) => child.once('exit', r)));
  };
  return {
    url: base,
    child,
    output: () => output,
    kill,
    stop: async () => {
      if (gone()) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000).then(() => kill())]);
    },
  };
}

export const dispatch = (rendererUrl: string, secret: string, jobId: string, kind: string) =>
  fetch(`${rendererUrl.replace(/\/+$/, '')}/jobs/dispatch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, 'X-Request-Id': jobId },
    body: JSON.stringify({ job_id: jobId, kind }),
  });

export const suffix = () => randomBytes(3).toString('hex');

/** Ten active Dubai locations of the demo data: a combined proposal of them is slow enough to be caught mid-job. */
export const tenLocations = async () =>
  (await sql<{ location_key: string }>(
    'select location_key from backlite_dubai.locations where is_active order by location_key limit 10',
  )).map((r) => r.location_key);

/** A combined proposal over `locations`, requested as `rep`; returns its job and proposal ids. */
export async function requestCombinedProposal(rep: SupabaseClient, client: string, locations: string[]): Promise<{ jobId: string; proposalId: string }> {
  const { data, error } = await rep.rpc('request_proposal', {
    request: {
      proposal_type: 'combined',
      client_name: client,
      combined_net_rate: 4_500_000,
      items: locations.map((location) => ({ location, options: [{ start_date: '2027-02-01', duration_weeks: 8 }] })),
    },
  });
  if (error) throw new Error(`request_proposal: ${error.message}`);
  return { jobId: data.job_id, proposalId: data.proposal_id };
}

/**
 * Waits until the renderer with process id `rendererPid` has claimed the job, built the deck and
 * started LibreOffice on it (progress 40..84): the moment to kill it "mid-job".
 */
export async function convertingOn(jobId: string, rendererPid: number): Promise<void> {
  await waitFor('the claim and the deck', async () => {
    const j = await job(jobId);
    return j.status === 'running' && j.progress >= 40 && j;
  }, 60_000, 50);
  await waitFor('LibreOffice to start on the deck', () => Promise.resolve(childrenOf(rendererPid).length > 0), 20_000, 50);
  assert.ok((await job(jobId)).progress < 85, 'still converting');
}

/** A finished proposal job left exactly one PDF and one PPTX, named on the ready proposal. */
export async function assertOneDeck(ownerId: string, client: string, proposalId: string, done: JobRow): Promise<void> {
  assert.equal(done.status, 'succeeded', `job error: ${done.error}`);
  const proposal = (await sql('select status::text, pdf_path, pptx_path from public.proposals where id = $1', [proposalId]))[0];
  assert.deepEqual(proposal, { status: 'ready', pdf_path: done.result!.pdf_path, pptx_path: done.result!.pptx_path });
  assert.deepEqual(await proposalObjects(ownerId, clientSlug(client)), [done.result!.pdf_path, done.result!.pptx_path].sort(),
    'exactly one PDF and one PPTX');
}

/**
 * A one-location proposal that `rendererUrl` attempts twice (max_attempts lowered to 2 before any
 * attempt): the sweep dispatches attempt 1, and attempt 2 once the job is back in the queue.
 * Returns the job after attempt 1 (re-queued with its error) and once it has ended for good.
 * Leaves renderer_url pointing at `rendererUrl`: the caller restores it.
 */
export async function attemptTwice(rep: SupabaseClient, client: string, rendererUrl: string): Promise<{ jobId: string; proposalId: string; retried: JobRow; done: JobRow }> {
  // Queued undispatched, so max_attempts can be lowered before any attempt.
  await setRendererUrl(null);
  const { data, error } = await rep.rpc('request_proposal', {
    request: {
      client_name: client,
      items: [{ location: 'szr_unipole_north', production_fee: 8500, options: [{ start_date: '2027-01-01', duration_weeks: 4, net_rate: 195000 }] }],
    },
  });
  if (error) throw new Error(`request_proposal: ${error.message}`);
  const jobId: string = data.job_id;
  await sql('update public.render_jobs set max_attempts = 2 where id = $1', [jobId]);
  await setRendererUrl(rendererUrl);
  // Attempt 1: dispatched by the sweep (the job was never dispatched); a failure re-queues it.
  await sql('select private.sweep_render_jobs()');
  const retried = await waitFor('attempt 1 to fail and re-queue', async () => {
    const j = await job(jobId);
    return ((j.status === 'queued' && j.attempts === 1 && j.error !== null) || j.status === 'failed' || j.status === 'succeeded') && j;
  }, 60_000, 100);
  // Attempt 2: the sweep re-dispatches once 30 s passed since the last dispatch.
  await sql(`update public.render_jobs set last_dispatched_at = now() - interval '1 minute' where id = $1`, [jobId]);
  await sql('select private.sweep_render_jobs()');
  return { jobId, proposalId: data.proposal_id, retried, done: await finished(jobId, 60_000) };
}

/** A failed proposal job left no file and a failed proposal, and its requester sees the error. */
export async function assertFailedWithoutFiles(rep: { client: SupabaseClient; id: string }, client: string, proposalId: string, jobId: string): Promise<void> {
  const proposal = (await sql('select status::text, pdf_path, pptx_path from public.proposals where id = $1', [proposalId]))[0];
  assert.deepEqual(proposal, { status: 'failed', pdf_path: null, pptx_path: null });
  assert.deepEqual(await proposalObjects(rep.id, clientSlug(client)), [], 'no partial files in the proposals bucket');
  const seen = await rep.client.from('render_jobs').select('status, error, attempts').eq('id', jobId).single();
  assert.equal(seen.data?.status, 'failed', 'the requester sees the failure through RLS');
  assert.equal(seen.data?.error, (await job(jobId)).error);
}

/** A job error meant for people: one line, no stack trace or HTML, not too long. */
export function assertReadableError(error: string | null): void {
  assert.ok(error && !/[\n\r]|\bat \w+ \(|<html/i.test(error) && error.length < 700, `one readable line: ${error}`);
}
