// Runs one render job end to end (contract §4): claim it under a lease, keep the lease alive
// while working, run the handler for its kind, and report with complete_render_job or
// fail_render_job. Whatever a failed attempt uploaded is removed again, so a job leaves either
// all of its outputs or none. A claim that returns nothing (finished, or running elsewhere
// under a live lease) ends quietly: duplicate and late deliveries are harmless.
import type { SupabaseClient } from '@supabase/supabase-js';
import { currentLogContext, rendererLog } from '../log.ts';
import { convertPptxToPdf } from '../proposal/pdf.ts';
import { classifyFailure, JobError, LeaseLostError } from './errors.ts';
import { renderBookingOrderJob } from './handlers/booking-order.ts';
import { renderMockup } from './handlers/mockup.ts';
import { renderProposal } from './handlers/proposal.ts';
import { downloadObject, removeObjects, type StoredObject, uploadObject } from './storage.ts';

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  owner_id: string;
  lease_token: string;
  attempts: number;
}

export type Logger = (event: string, fields?: Record<string, unknown>) => void;

export interface JobContext {
  job: ClaimedJob;
  /** When this attempt started; output names use it. */
  startedAt: Date;
  /** Records progress (0–99) and renews the lease; throws LeaseLostError once the lease is gone. */
  progress(percent: number): Promise<void>;
  download(bucket: string, path: string, what: string): Promise<Buffer>;
  /** Uploads and remembers the object, so a failure later in the job removes it. */
  upload(object: StoredObject, bytes: Buffer, contentType: string, options?: { upsert?: boolean }): Promise<void>;
  convertPdf: typeof convertPptxToPdf;
  log: Logger;
  /** Calls a service-role RPC and resolves with its data; rejects with its error. Absent in unit tests. */
  rpc?(fn: string, args: Record<string, unknown>): Promise<unknown>;
}

/** Produces a job's outputs and returns the `result` passed to complete_render_job. */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown>>;

export const DEFAULT_HANDLERS: Readonly<Record<string, JobHandler>> = {
  proposal: renderProposal,
  mockup: renderMockup,
  booking_order: renderBookingOrderJob,
};

export interface WorkerDeps {
  /** A service-role client: the job RPCs and the buckets are closed to everyone else. */
  supabase: SupabaseClient;
  leaseSeconds?: number;
  /** Default: a quarter of the lease. */
  heartbeatMs?: number;
  handlers?: Readonly<Record<string, JobHandler>>;
  convertPdf?: typeof convertPptxToPdf;
  now?: () => Date;
  log?: Logger;
}

export type JobOutcome =
  | { status: 'skipped' }
  | { status: 'succeeded'; result: Record<string, unknown> }
  | { status: 'failed'; message: string; retryable: boolean }
  | { status: 'abandoned'; message: string };

/** One JSON line per event, with the request id of the dispatch being worked on (../log.ts). */
export const jsonLog: Logger = rendererLog;

/**
 * `claim_render_job` returns the row, or null when there is nothing to do; PostgREST may render
 * a null composite as an object of nulls, which counts as nothing too.
 */
function claimedJob(data: unknown): ClaimedJob | null {
  const row = (Array.isArray(data) ? data[0] : data) as Partial<ClaimedJob> | null | undefined;
  if (!row || typeof row !== 'object' || !row.id || !row.lease_token) return null;
  if (typeof row.owner_id !== 'string' || typeof row.kind !== 'string') {
    throw new Error(`claim_render_job returned a row without owner_id or kind for job ${row.id}`);
  }
  const payload = row.payload && typeof row.payload === 'object' && !Array.isArray(row.payload) ? row.payload : {};
  return { id: row.id, kind: row.kind, payload, owner_id: row.owner_id, lease_token: row.lease_token, attempts: Number(row.attempts ?? 0) };
}

export async function processJob(jobId: string, deps: WorkerDeps): Promise<JobOutcome> {
  const { supabase } = deps;
  const log = deps.log ?? jsonLog;
  const leaseSeconds = deps.leaseSeconds ?? 120;
  const handlers = deps.handlers ?? DEFAULT_HANDLERS;

  const claim = await supabase.rpc('claim_render_job', { job_id: jobId, lease_seconds: leaseSeconds });
  if (claim.error) throw new Error(`claim_render_job(${jobId}) failed: ${claim.error.message}`);
  const job = claimedJob(claim.data);
  if (!job) {
    log('job.skipped', { job_id: jobId, reason: 'not claimable' });
    return { status: 'skipped' };
  }
  const startedAt = deps.now?.() ?? new Date();
  // The job's later log lines name its owner as their user.
  const logContext = currentLogContext();
  if (logContext) logContext.userId = job.owner_id;
  log('job.claimed', { job_id: job.id, kind: job.kind, attempt: job.attempts });

  const uploaded: StoredObject[] = [];
  let progress = 0;
  let leaseLost = false;
  const heartbeat = async () => {
    const { data, error } = await supabase.rpc('heartbeat_render_job', { job_id: job.id, lease_token: job.lease_token, progress });
    // A failed heartbeat is not fatal: the lease still runs, the next beat may get through.
    if (error) log('job.heartbeat_failed', { job_id: job.id, error: error.message });
    else if (data === false) leaseLost = true;
  };
  const stillLeased = () => {
    if (leaseLost) throw new LeaseLostError(job.id);
  };
  const timer = setInterval(() => void heartbeat().catch(() => {}), deps.heartbeatMs ?? (leaseSeconds * 1000) / 4);
  timer.unref();

  const ctx: JobContext = {
    job,
    startedAt,
    log,
    convertPdf: deps.convertPdf ?? convertPptxToPdf,
    async progress(percent) {
      stillLeased();
      progress = Math.max(progress, Math.min(99, Math.max(0, Math.round(percent))));
      await heartbeat();
      stillLeased();
    },
    download: (bucket, path, what) => downloadObject(supabase, bucket, path, what),
    async rpc(fn, args) {
      const { data, error } = await supabase.rpc(fn, args);
      if (error) throw new Error(`${fn} failed: ${error.message}`);
      return data;
    },
    async upload(object, bytes, contentType, options) {
      stillLeased();
      await uploadObject(supabase, object, bytes, contentType, options);
      uploaded.push(object);
    },
  };

  try {
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    if (!handler) throw new JobError(`the renderer does not produce ${job.kind} jobs`, false);
    const result = await handler(ctx);
    stillLeased();
    const done = await supabase.rpc('complete_render_job', { job_id: job.id, lease_token: job.lease_token, result });
    if (done.error) throw new JobError(`complete_render_job failed: ${done.error.message}`, true);
    if (done.data === false) throw new LeaseLostError(job.id);
    log('job.succeeded', { job_id: job.id, kind: job.kind, ms: Date.now() - startedAt.getTime() });
    return { status: 'succeeded', result };
  } catch (error) {
    const left = await removeObjects(supabase, uploaded).catch(() => uploaded);
    if (left.length) log('job.cleanup_failed', { job_id: job.id, objects: left });
    if (error instanceof LeaseLostError) {
      log('job.abandoned', { job_id: job.id, reason: error.message });
      return { status: 'abandoned', message: error.message };
    }
    const verdict = classifyFailure(error);
    const failed = await supabase.rpc('fail_render_job', {
      job_id: job.id, lease_token: job.lease_token, error: verdict.message, retryable: verdict.retryable,
    });
    // If even this fails, the lease expires and the sweep re-queues the job.
    if (failed.error) log('job.fail_report_failed', { job_id: job.id, error: failed.error.message });
    log('job.failed', { job_id: job.id, kind: job.kind, retryable: verdict.retryable, error: verdict.message });
    return { status: 'failed', ...verdict };
  } finally {
    clearInterval(timer);
  }
}
