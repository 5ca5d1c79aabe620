// The gateway's /metrics (Prometheus text, prom-client): requests by route template and status,
// pg_net deliveries, process memory, and the database figures shared with the renderer (render
// queue, pg_net queue, LLM calls/tokens/cost — renderer/src/metrics.ts). Those are read at
// scrape time on a pool of their own with short connection and statement timeouts, so a slow or
// absent database makes /metrics answer quickly with mmg_operations_stats_up 0.
import pg from 'pg';
import { Counter, Histogram, type Registry } from 'prom-client';
import {
  createRegistry, type HttpMetrics, OPERATIONS_STATS_TIMEOUT_MS, type OperationsStats, registerHttpMetrics,
  registerOperationsMetrics,
} from '../../renderer/src/metrics.ts';
import type { StackConfig } from './config.ts';
import { RouteLabels } from './metrics-routes.ts';

export type DeliveryOutcome = 'ok' | 'http_error' | 'timeout' | 'error';

export interface StackMetrics {
  registry: Registry;
  http: HttpMetrics;
  routes: RouteLabels;
  /** One pg_net delivery: its outcome (2xx/3xx = ok) and how long the call took. */
  netDelivery(outcome: DeliveryOutcome, seconds: number): void;
  close(): Promise<void>;
}

export function createStackMetrics(cfg: StackConfig): StackMetrics {
  const registry = createRegistry('gateway');
  const pool = new pg.Pool({
    connectionString: cfg.dbUrl,
    max: 1,
    application_name: 'gateway-metrics',
    connectionTimeoutMillis: OPERATIONS_STATS_TIMEOUT_MS,
    statement_timeout: OPERATIONS_STATS_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => {});
  registerOperationsMetrics(registry, async () => {
    const { rows } = await pool.query<{ stats: OperationsStats }>('select public.operations_metrics() as stats');
    return rows[0].stats;
  });

  const deliveries = new Counter({
    name: 'mmg_pg_net_deliveries_total',
    help: 'HTTP calls the pg_net worker made, by outcome (ok = 2xx/3xx, http_error = 4xx/5xx, timeout, error = no answer).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deliveryTime = new Histogram({
    name: 'mmg_pg_net_delivery_duration_seconds',
    help: 'Duration of the pg_net worker\'s HTTP calls, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  for (const outcome of ['ok', 'http_error', 'timeout', 'error']) deliveries.inc({ outcome }, 0);

  return {
    registry,
    http: registerHttpMetrics(registry),
    routes: new RouteLabels(),
    netDelivery(outcome, seconds) {
      deliveries.inc({ outcome });
      deliveryTime.observe({ outcome }, seconds);
    },
    close: () => pool.end().catch(() => {}),
  };
}
