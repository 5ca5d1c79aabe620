// Prometheus metrics (prom-client) of the renderer, and the database-side figures that the
// renderer and the local stack's gateway both export: render queue depth, pg_net queue depth
// and LLM calls/tokens/cost, read from public.operations_metrics() at scrape time.
//
// Names: mmg_<what>_<unit>, counters end in _total. Every series carries `service`.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What public.operations_metrics() returns. */
export interface OperationsStats {
  render_jobs: { kind: string; status: string; jobs: number }[];
  llm: { model: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: string }[];
  pg_net_queue: number | null;
}

/** Reads the figures; rejects when the database cannot be asked. */
export type OperationsStatsSource = () => Promise<OperationsStats>;

export const OPERATIONS_STATS_TIMEOUT_MS = 2000;

/** Request latency buckets (seconds): fast API calls up to slow uploads and SSE turns. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Job latency buckets (seconds): a mockup takes about a second, a big deck with PDF a minute. */
const JOB_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // process_resident_memory_bytes, nodejs_heap_size_used_bytes, event-loop lag, …
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface HttpMetrics {
  observe(method: string, route: string, status: number, seconds: number): void;
}

export function registerHttpMetrics(registry: Registry): HttpMetrics {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'mmg_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mmg_http_request_duration_seconds',
    help: 'Time from request to the end of the response, by method, route template and status code.',
    labelNames,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return {
    observe(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Gauges and counters filled from the database at scrape time. All of them share one read per
 * scrape; when it fails or times out, mmg_operations_stats_up is 0 and the others are absent
 * or NaN (never stale values).
 */
export function registerOperationsMetrics(registry: Registry, source: OperationsStatsSource, timeoutMs = OPERATIONS_STATS_TIMEOUT_MS): void {
  // prom-client runs all collectors of a scrape at once: they share the read that is in flight.
  let inFlight: Promise<OperationsStats | null> | null = null;
  const snapshot = (): Promise<OperationsStats | null> => {
    inFlight ??= withTimeout(source(), timeoutMs).catch(() => null).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  new Gauge({
    name: 'mmg_operations_stats_up',
    help: '1 when the database figures (render queue, pg_net queue, LLM usage) could be read for this scrape, else 0.',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mmg_render_queue_jobs',
    help: 'Render jobs waiting (status queued) or being worked on (status running), by kind.',
    labelNames: ['kind', 'status'],
    registers: [registry],
    async collect() {
      const stats = await snapshot();
      this.reset();
      for (const row of stats?.render_jobs ?? []) this.set({ kind: row.kind, status: row.status }, Number(row.jobs));
      // Zero rather than absent for the common kinds, so an empty queue still draws a line.
      if (stats) {
        for (const kind of ['proposal', 'mockup', 'booking_order']) {
          for (const status of ['queued', 'running']) {
            if (!stats.render_jobs.some((r) => r.kind === kind && r.status === status)) this.set({ kind, status }, 0);
          }
        }
      }
    },
  });
  new Gauge({
    name: 'mmg_pg_net_queue_requests',
    help: 'HTTP requests queued by pg_net (net.http_request_queue) and not yet sent; NaN when unknown (no database or no pg_net).',
    registers: [registry],
    async collect() {
      const stats = await snapshot();
      // An unlabelled gauge is always printed: NaN says "unknown" where 0 would claim an empty queue.
      this.set(stats && stats.pg_net_queue !== null ? Number(stats.pg_net_queue) : NaN);
    },
  });
  // Totals kept by the database: the counters are re-read from it at every scrape.
  new Counter({
    name: 'mmg_llm_calls_total',
    help: 'LLM and image-model calls recorded in public.ai_costs, by model.',
    labelNames: ['model'],
    registers: [registry],
    async collect() {
      const stats = await snapshot();
      this.reset();
      for (const row of stats?.llm ?? []) this.inc({ model: row.model }, Number(row.calls));
    },
  });
  new Counter({
    name: 'mmg_llm_tokens_total',
    help: 'Tokens of recorded LLM calls, by model and direction (input includes cached input).',
    labelNames: ['model', 'direction'],
    registers: [registry],
    async collect() {
      const stats = await snapshot();
      this.reset();
      for (const row of stats?.llm ?? []) {
        this.inc({ model: row.model, direction: 'input' }, Number(row.input_tokens));
        this.inc({ model: row.model, direction: 'output' }, Number(row.output_tokens));
      }
    },
  });
  new Counter({
    name: 'mmg_llm_cost_usd_total',
    help: 'USD cost of recorded LLM calls, by model (a float for graphs; public.ai_costs holds the exact decimals).',
    labelNames: ['model'],
    registers: [registry],
    async collect() {
      const stats = await snapshot();
      this.reset();
      for (const row of stats?.llm ?? []) this.inc({ model: row.model }, Number(row.cost_usd));
    },
  });
}

export type JobOutcomeLabel = 'succeeded' | 'failed' | 'abandoned' | 'skipped' | 'error';

export interface JobMetrics {
  /** A job that finished (or was skipped) after running for `seconds`. */
  finished(kind: string, outcome: JobOutcomeLabel, seconds: number): void;
}

export function registerJobMetrics(registry: Registry, load: () => { running: number; waiting: number }): JobMetrics {
  const jobs = new Counter({
    name: 'mmg_render_jobs_total',
    help: 'Render jobs this renderer handled, by kind and outcome (succeeded, failed, abandoned = lease lost, skipped = not claimable, error = could not be run).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'mmg_render_job_duration_seconds',
    help: 'Time from claiming a render job to its outcome, by kind and outcome.',
    labelNames: ['kind', 'outcome'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'mmg_render_jobs_in_progress',
    help: 'Dispatched jobs this renderer is running now.',
    registers: [registry],
    collect() {
      this.set(load().running);
    },
  });
  new Gauge({
    name: 'mmg_render_jobs_waiting',
    help: 'Dispatched jobs this renderer accepted that wait for a free slot (RENDER_CONCURRENCY).',
    registers: [registry],
    collect() {
      this.set(load().waiting);
    },
  });
  return {
    finished(kind, outcome, seconds) {
      jobs.inc({ kind, outcome });
      if (outcome !== 'skipped') duration.observe({ kind, outcome }, seconds);
    },
  };
}

/**
 * Reads the figures through PostgREST with the service role (the renderer has no SQL access);
 * null when the environment names no project (unit tests).
 */
export function operationsStatsFromEnv(env: NodeJS.ProcessEnv = process.env, timeoutMs = OPERATIONS_STATS_TIMEOUT_MS): OperationsStatsSource | null {
  const url = env.SUPABASE_URL?.trim();
  const key = env.SUPABASE_SERVICE_ROLE_KEY?.trim();
  if (!url || !key) return null;
  return async () => {
    const res = await fetch(`${url.replace(/\/+$/, '')}/rest/v1/rpc/operations_metrics`, {
      method: 'POST',
      headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`operations_metrics answered ${res.status}`);
    return (await res.json()) as OperationsStats;
  };
}
