// The renderer's HTTP face (contract §5). pg_net's AFTER INSERT trigger POSTs {job_id, kind} to
// /jobs/dispatch with the shared secret; the answer is 202 at once and the job runs in the
// background, at most RENDER_CONCURRENCY at a time. pg_net delivers at most once and the sweep
// re-dispatches, so a dispatch is only a wake-up call: the claim decides who works.
//
// Probes: GET /health (alive), GET /ready (200 ready / 503 degraded, with every check's result).
// GET /metrics: Prometheus text (../metrics.ts). A dispatch's X-Request-Id (the id of the API
// request that queued the job) is attached to every log line of that job.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { withLogContext } from '../log.ts';
import {
  createRegistry, type JobOutcomeLabel, type OperationsStatsSource, operationsStatsFromEnv, registerHttpMetrics,
  registerJobMetrics, registerOperationsMetrics,
} from '../metrics.ts';
import { type Readiness } from '../../../supabase/functions/_shared/readiness.ts';
import { isUuid } from '../proposal/file-names.ts';
import { validRequestId } from '../../../supabase/functions/_shared/redact.ts';
import { Semaphore } from '../semaphore.ts';
import { jsonLog, type Logger } from './worker.ts';

export interface DispatchedJob {
  job_id: string;
  kind: string;
}

export interface RenderServerOptions {
  secret: string;
  /** Runs one dispatched job; in production `(job) => processJob(job.job_id, deps)`. */
  process: (job: DispatchedJob) => Promise<unknown>;
  /** Jobs at once; default 2. */
  concurrency?: number;
  /** The /ready report (supabase/functions/_shared/readiness.ts); without it the renderer reports ready with no checks. */
  ready?: () => Promise<Readiness>;
  log?: Logger;
  /**
   * Where /metrics reads the database figures (render and pg_net queues, LLM usage). Default:
   * public.operations_metrics() through SUPABASE_URL with the service-role key, when set.
   */
  operationsStats?: OperationsStatsSource | null;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>` (else 401). */
  metricsToken?: string | null;
}

export interface RenderServer {
  server: Server;
  /** Jobs accepted and not yet finished (running or waiting for a slot). */
  pending(): number;
  /** Resolves when every accepted job has finished. */
  drain(): Promise<void>;
}

export const DISPATCHABLE_KINDS: readonly string[] = ['proposal', 'mockup', 'booking_order'];
const MAX_BODY_BYTES = 16 * 1024;
const ROUTES = new Set(['/health', '/ready', '/metrics', '/jobs/dispatch']);

const JOB_OUTCOMES: readonly string[] = ['succeeded', 'failed', 'abandoned', 'skipped'];

/** The metrics label of what options.process resolved with (a JobOutcome in production). */
function outcomeOf(result: unknown): JobOutcomeLabel {
  const status = (result as { status?: unknown } | null)?.status;
  return typeof status === 'string' && JOB_OUTCOMES.includes(status) ? status as JobOutcomeLabel : 'succeeded';
}

/**
 * Constant-time check of `Authorization: Bearer <secret>`: both sides are hashed first, so
 * timingSafeEqual always compares equal-length buffers and the length of the secret leaks nothing.
 */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const token = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1];
  const given = createHash('sha256').update(token ?? '').digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected) && token !== undefined && secret.length > 0;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'payload_too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'the body is not JSON');
  }
}

function dispatchedJob(body: unknown): DispatchedJob {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'bad_request', 'the body must be {"job_id", "kind"}');
  const { job_id: jobId, kind } = body as Record<string, unknown>;
  if (!isUuid(jobId)) throw new HttpError(400, 'bad_request', 'job_id must be a UUID');
  if (typeof kind !== 'string' || !DISPATCHABLE_KINDS.includes(kind)) {
    throw new HttpError(400, 'bad_request', `kind must be one of ${DISPATCHABLE_KINDS.join(', ')}`);
  }
  return { job_id: jobId.toLowerCase(), kind };
}

export function createRenderServer(options: RenderServerOptions): RenderServer {
  if (!options.secret) throw new Error('the render server needs a secret');
  const log = options.log ?? jsonLog;
  const slots = new Semaphore(options.concurrency ?? 2);
  /** Job ids accepted here and not finished: a repeated dispatch of one of them is a no-op. */
  const accepted = new Map<string, Promise<void>>();
  let running = 0;

  const registry = createRegistry('renderer');
  const http = registerHttpMetrics(registry);
  const jobs = registerJobMetrics(registry, () => ({ running, waiting: accepted.size - running }));
  const stats = options.operationsStats === undefined ? operationsStatsFromEnv() : options.operationsStats;
  if (stats) registerOperationsMetrics(registry, stats);

  /** Runs one job in a slot, timing it and counting its outcome by kind. */
  const runJob = async (job: DispatchedJob): Promise<void> => {
    running += 1;
    const started = performance.now();
    try {
      const result = await options.process(job);
      jobs.finished(job.kind, outcomeOf(result), (performance.now() - started) / 1000);
    } catch (e) {
      jobs.finished(job.kind, 'error', (performance.now() - started) / 1000);
      throw e;
    } finally {
      running -= 1;
    }
  };

  const accept = (job: DispatchedJob, requestId: string): boolean => {
    if (accepted.has(job.job_id)) return false;
    const run = withLogContext({ requestId }, () => slots
      .run(() => runJob(job))
      .then(
        () => undefined,
        (e: unknown) => log('job.error', { job_id: job.job_id, error: e instanceof Error ? e.message : String(e) }),
      ))
      .finally(() => accepted.delete(job.job_id));
    accepted.set(job.job_id, run);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://renderer').pathname;
    if (path === '/health') {
      if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
      return send(res, 200, { status: 'ok' });
    }
    if (path === '/ready') {
      if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
      const report: Readiness = options.ready ? await options.ready() : { status: 'ready', service: 'renderer', checks: {} };
      return send(res, report.status === 'ready' ? 200 : 503, report);
    }
    if (path === '/metrics') {
      if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
      if (options.metricsToken && !bearerMatches(req.headers.authorization, options.metricsToken)) {
        throw new HttpError(401, 'unauthorized', 'this renderer wants its METRICS_TOKEN as a Bearer token for /metrics');
      }
      const text = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
      res.end(text);
      return;
    }
    if (path === '/jobs/dispatch') {
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
      if (!bearerMatches(req.headers.authorization, options.secret)) {
        req.resume();
        throw new HttpError(401, 'unauthorized', 'a valid Bearer secret is required');
      }
      const job = dispatchedJob(await readJson(req));
      const given = req.headers['x-request-id'];
      const requestId = validRequestId(given) ? given : job.job_id;
      const fresh = accept(job, requestId);
      withLogContext({ requestId }, () => log('job.dispatched', { job_id: job.job_id, kind: job.kind, duplicate: !fresh }));
      return send(res, 202, { job_id: job.job_id, accepted: true, duplicate: !fresh });
    }
    throw new HttpError(404, 'not_found', `no route ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const path = new URL(req.url ?? '/', 'http://renderer').pathname;
      http.observe(req.method ?? 'GET', ROUTES.has(path) ? path : 'other', res.statusCode, (performance.now() - started) / 1000);
    });
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HttpError) return send(res, e.status, { error: { code: e.code, message: e.message } });
      log('http.error', { error: e instanceof Error ? e.message : String(e) });
      send(res, 500, { error: { code: 'internal_error', message: 'the renderer could not handle the request' } });
    });
  });

  return {
    server,
    pending: () => accepted.size,
    drain: async () => {
      while (accepted.size) await Promise.all([...accepted.values()]);
    },
  };
}
