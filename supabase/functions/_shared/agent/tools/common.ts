// Helpers shared by the tools: database errors as tool errors the model can act on, signed
// links for produced files, and waiting for a render job.
import type { SupabaseClient } from '@supabase/supabase-js';
import { type FileEvent, type ToolContext, ToolError } from '../types.ts';

/** Generated files are linked for 24 hours (spec §8). */
export const SIGNED_URL_SECONDS = 24 * 60 * 60;

interface DbError {
  message: string;
  code?: string;
  hint?: string | null;
  details?: string | null;
}

/** A PostgREST error as a ToolError: 22023 → invalid_request, 42501 → forbidden, … */
export function toolErrorFromDb(error: DbError, doing: string): ToolError {
  const hint = error.hint ?? undefined;
  switch (error.code) {
    case '22023':
    case '22P02':
    case '23514':
      return new ToolError('invalid_request', error.message, hint);
    case '23505':
      return new ToolError('already_exists', error.message, hint);
    case '42501':
    case 'PGRST301':
      return new ToolError('forbidden', error.message, hint);
    default:
      return new ToolError('database_error', `${doing} failed: ${error.message}`, hint);
  }
}

export async function rpc<T>(
  db: SupabaseClient,
  fn: string,
  args: Record<string, unknown>,
  doing: string,
): Promise<T> {
  const { data, error } = await db.rpc(fn, args);
  if (error) throw toolErrorFromDb(error, doing);
  return data as T;
}

export function fileKind(path: string): FileEvent['kind'] {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === 'pdf') return 'pdf';
  if (extension === 'pptx') return 'pptx';
  if (extension === 'xlsx') return 'xlsx';
  if (['png', 'jpg', 'jpeg', 'webp', 'gif'].includes(extension ?? '')) return 'image';
  return 'other';
}

/** A `file` event for an object the caller can read, with a 24-hour signed link. */
export async function signedFile(
  db: SupabaseClient,
  bucket: string,
  path: string,
  title: string,
): Promise<FileEvent> {
  const { data, error } = await db.storage.from(bucket).createSignedUrl(path, SIGNED_URL_SECONDS);
  if (error || !data) {
    throw new ToolError(
      'file_unavailable',
      `the file was produced but cannot be linked: ${error?.message ?? 'no URL'}`,
    );
  }
  return {
    bucket,
    path,
    url: data.signedUrl,
    filename: path.split('/').pop() ?? path,
    title,
    kind: fileKind(path),
  };
}

export interface RenderJobState {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  error: string | null;
  result: Record<string, unknown> | null;
}

export type RenderWait =
  | { state: 'succeeded'; job: RenderJobState }
  | { state: 'failed'; job: RenderJobState }
  | { state: 'pending'; job: RenderJobState; waitedMs: number };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * Polls the job (under the caller's RLS: owners read their jobs) until it finishes or
 * `settings.renderWaitMs` passes, reporting progress as `status` events. A job nobody picks up
 * (no renderer running) ends as `pending` after the wait instead of hanging the turn.
 */
export async function waitForRenderJob(
  ctx: ToolContext,
  jobId: string,
  what: string,
): Promise<RenderWait> {
  const started = Date.now();
  let lastReported = '';
  for (;;) {
    const { data, error } = await ctx.db.from('render_jobs')
      .select('id,status,progress,error,result')
      .eq('id', jobId)
      .maybeSingle();
    if (error) throw toolErrorFromDb(error, `reading the ${what} job`);
    if (!data) throw new ToolError('job_not_found', `the ${what} job ${jobId} is not visible`);
    const job = data as RenderJobState;
    if (job.status === 'succeeded') return { state: 'succeeded', job };
    if (job.status === 'failed') return { state: 'failed', job };

    const report = job.status === 'queued'
      ? `Waiting for the renderer to start the ${what}…`
      : `Rendering the ${what}… ${job.progress}%`;
    if (report !== lastReported) {
      lastReported = report;
      await ctx.status(report);
    }
    const waited = Date.now() - started;
    if (waited >= ctx.settings.renderWaitMs || ctx.signal.aborted) {
      return { state: 'pending', job, waitedMs: waited };
    }
    await sleep(
      Math.min(ctx.settings.renderPollMs, ctx.settings.renderWaitMs - waited),
      ctx.signal,
    );
  }
}

/** What the model is told about a job that is still queued or running after the wait. */
export function pendingJobNote(wait: Extract<RenderWait, { state: 'pending' }>, what: string) {
  const seconds = Math.round(wait.waitedMs / 1000);
  return wait.job.status === 'queued'
    ? `The ${what} is saved and queued, but no renderer picked it up within ${seconds} s — the ` +
      'rendering service may not be running. It will be produced once the renderer runs; ' +
      'nothing needs to be requested again.'
    : `The ${what} is still rendering (${wait.job.progress}% after ${seconds} s). It will ` +
      'appear in the history when done; nothing needs to be requested again.';
}

/** Money input of the tool schemas: a number, or a string such as "1,250,000". */
export const MONEY_SCHEMA = {
  type: ['number', 'string'],
  description: 'Amount in AED, e.g. 1250000 or "1,250,000".',
} as const;

export const ISO_DATE_SCHEMA = {
  type: 'string',
  format: 'date',
  description: 'Date as YYYY-MM-DD.',
} as const;
