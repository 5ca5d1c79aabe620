// Render traffic: `jobs` render jobs requested through the same RPCs the web app and the chat
// tools call (request_proposal / request_mockup) as demo sales reps, spread evenly over the
// traffic window, alternating a one-location proposal and a mockup of an uploaded creative.
// A job's latency runs from the request to its `succeeded`.
//
// Checked: every job succeeded exactly once (one claim that finished; attempts are reported),
// its target is ready, and Storage holds exactly its files — one PDF and one PPTX for a
// proposal, the mockup image for a mockup — with one usage row per mockup attempt.
import type { SupabaseClient } from '@supabase/supabase-js';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { sql } from '../contract/env.ts';
import { assertOneDeck, finished, type JobRow, sleep } from '../support/render-jobs.ts';
import { Workload } from './workload.ts';

export interface RenderRequester { client: SupabaseClient; id: string; creativePath: string }

export interface RenderTraffic {
  requesters: RenderRequester[];
  jobs: number;
  startedAt: number;
  seconds: number;
  runId: string;
  /** How long a job may still take after the traffic window. */
  drainMs: number;
}

/** Uploads one creative per requester for the mockup jobs. */
export async function uploadCreative(client: SupabaseClient, ownerId: string, runId: string): Promise<string> {
  const png = renderBillboardPhoto({ seed: 7, timeOfDay: 'day', width: 400, height: 260 }).png;
  const path = `${ownerId}/creatives/load-${runId}.png`;
  const { error } = await client.storage.from('uploads').upload(path, png, { contentType: 'image/png' });
  if (error) throw new Error(`creative upload: ${error.message}`);
  return path;
}

/** A refused request, with the HTTP status it was answered with. */
class RpcFailed extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

interface Requested { kind: 'proposal' | 'mockup'; jobId: string; targetId: string; client: string; requester: RenderRequester }

async function request(n: number, t: RenderTraffic): Promise<Requested> {
  const requester = t.requesters[n % t.requesters.length];
  if (n % 2 === 0) {
    const client = `Load ${t.runId} ${n}`;
    const { data, error, status } = await requester.client.rpc('request_proposal', {
      request: {
        client_name: client,
        items: [{ location: 'dubai_gateway', options: [{ start_date: '2027-03-01', duration_weeks: 4, net_rate: 1_250_000 }] }],
      },
    });
    if (error) throw new RpcFailed(status, `request_proposal: ${error.code} ${error.message}`);
    return { kind: 'proposal', jobId: data.job_id, targetId: data.proposal_id, client, requester };
  }
  const { data, error, status } = await requester.client.rpc('request_mockup', {
    request: { location: 'dubai_gateway', time_of_day: n % 4 === 1 ? 'day' : 'night', side: 'gold', creative_paths: [requester.creativePath] },
  });
  if (error) throw new RpcFailed(status, `request_mockup: ${error.code} ${error.message}`);
  return { kind: 'mockup', jobId: data.job_id, targetId: data.mockup_id, client: '', requester };
}

/** What is wrong with a finished mockup job, or undefined. */
async function mockupProblem(r: Requested, done: JobRow): Promise<string | undefined> {
  const [mockup] = await sql<{ status: string; output_path: string | null }>('select status::text, output_path from public.mockups where id = $1', [r.targetId]);
  if (mockup?.status !== 'ready' || !mockup.output_path) return `mockup ${r.targetId} is ${JSON.stringify(mockup)}`;
  const objects = await sql('select 1 from storage.objects where bucket_id = $1 and name = $2', ['mockups', mockup.output_path]);
  if (objects.length !== 1) return `mockup ${r.targetId}: ${objects.length} objects at ${mockup.output_path}`;
  const usage = await sql<{ success: boolean }>('select success from public.mockup_usage where job_id = $1', [r.jobId]);
  if (usage.length !== done.attempts || !usage.some((u) => u.success)) return `mockup job ${r.jobId}: usage rows ${JSON.stringify(usage)} for ${done.attempts} attempt(s)`;
  return undefined;
}

export async function renderTraffic(t: RenderTraffic, w: Workload): Promise<void> {
  const gap = (t.seconds * 1000) / t.jobs;
  const attempts: number[] = [];
  await Promise.all(Array.from({ length: t.jobs }, async (_, n) => {
    await sleep(Math.max(0, t.startedAt + n * gap - performance.now()));
    const started = performance.now();
    let status: number | null = 200;
    let problem: string | undefined;
    try {
      const r = await request(n, t);
      const remaining = t.startedAt + t.seconds * 1000 + t.drainMs - performance.now();
      const done = await finished(r.jobId, Math.max(remaining, 30_000));
      attempts.push(done.attempts);
      if (done.status !== 'succeeded') problem = `${r.kind} job ${r.jobId} ${done.status}: ${done.error}`;
      else if (r.kind === 'mockup') problem = await mockupProblem(r, done);
      else await assertOneDeck(r.requester.id, r.client, r.targetId, done).catch((e) => (problem = `proposal job ${r.jobId}: ${(e as Error).message}`));
    } catch (e) {
      status = e instanceof RpcFailed ? e.status : null;
      problem = `render job ${n}: ${(e as Error).message}`;
    }
    w.record(started, status, problem);
  }));
  w.notes.push(`${t.jobs} jobs requested, ${w.ok} succeeded exactly once with their files; attempts per job: ${attempts.join(', ')}`);
}
