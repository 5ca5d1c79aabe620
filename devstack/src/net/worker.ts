// The pg_net stand-in: drains net.http_request_queue after commit (woken by NOTIFY, with a
// sweep as a safety net), performs each call with its timeout and stores the outcome in
// net._http_response as pg_net does. Like pg_net, delivery is at most once; callers that need
// more (render jobs) keep their own durable state and re-dispatch.
//
// Each delivery is logged (access level) under the request id it carries in X-Request-Id, so
// the log of a render job's dispatch joins the API request that queued it.
import { validRequestId } from '../../../supabase/functions/_shared/redact.ts';
import type { StackConfig } from '../config.ts';
import { logger, withLogContext } from '../log.ts';
import type { DeliveryOutcome } from '../metrics.ts';
import pg from 'pg';

const log = logger('pg_net');
const BATCH = 20;
const SWEEP_MS = 1000;
const RELISTEN_MS = 1000;
const RESPONSE_TTL = '6 hours';

/** A sweep runs every second; a worker whose last drain is older than this is stuck. */
const STALE_AFTER_MS = 10_000;

export interface NetWorkerHealth {
  running: boolean;
  listening: boolean;
  /** Milliseconds since the last completed drain (null before the first). */
  sinceLastDrainMs: number | null;
  lastError: string | null;
  delivered: number;
}

export interface NetWorkerHooks {
  onDelivery?(outcome: DeliveryOutcome, seconds: number): void;
}

interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  timeout_milliseconds: number;
}

export class NetWorker {
  private listener?: pg.Client;
  /** The client of the latest listen attempt: only its failure schedules a retry. */
  private attempt?: pg.Client;
  private relistenTimer?: NodeJS.Timeout;
  private pool: pg.Pool;
  private timer?: NodeJS.Timeout;
  private draining = false;
  private again = false;
  private stopped = false;
  private inFlight = new Set<Promise<void>>();
  private started = false;
  private lastDrainAt: number | null = null;
  private lastError: string | null = null;
  delivered = 0;

  constructor(private readonly cfg: StackConfig, private readonly hooks: NetWorkerHooks = {}) {
    this.pool = new pg.Pool({ connectionString: cfg.dbUrl, max: 4, application_name: 'pg_net-worker' });
    this.pool.on('error', () => {});
  }

  async start(): Promise<void> {
    this.started = true;
    await this.listen();
    this.timer = setInterval(() => void this.drain(), SWEEP_MS);
    void this.drain();
  }

  /**
   * Opens the LISTEN connection. Only the latest attempt may schedule the next one, and only one
   * retry timer exists at a time: a failed connect both throws and emits 'end', and a retry per
   * path doubled the reconnect loops every second while Postgres was down (a connection storm
   * that ran the gateway out of file descriptors).
   */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.cfg.dbUrl, application_name: 'pg_net-listener' });
    this.attempt = client;
    client.on('error', () => {});
    client.on('end', () => {
      if (this.listener === client) this.listener = undefined;
      // Postgres restarted: reconnect, the sweep covers anything queued meanwhile.
      if (this.attempt === client) this.relisten();
    });
    client.on('notification', () => void this.drain());
    try {
      await client.connect();
      await client.query('listen net_http_request');
      if (this.stopped || this.attempt !== client) throw new Error('superseded');
      this.listener = client;
    } catch {
      // A connection that came up but could not LISTEN is closed, never left open beside the next.
      void client.end().catch(() => {});
      if (this.attempt === client) this.relisten();
    }
  }

  /** Schedules the next listen attempt unless one is already scheduled. */
  private relisten(): void {
    if (this.stopped || this.relistenTimer) return;
    this.relistenTimer = setTimeout(() => {
      this.relistenTimer = undefined;
      void this.listen();
    }, RELISTEN_MS);
  }

  async drain(): Promise<void> {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.again = false;
        const { rows } = await this.pool.query<QueuedRequest>(
          `delete from net.http_request_queue
            where id in (select id from net.http_request_queue order by id limit $1 for update skip locked)
            returning id, method, url, headers, body, timeout_milliseconds`, [BATCH]);
        for (const r of rows) {
          const p = this.perform(r).finally(() => this.inFlight.delete(p));
          this.inFlight.add(p);
        }
        if (rows.length === BATCH) this.again = true;
      } while (this.again && !this.stopped);
      await this.pool.query(`delete from net._http_response where created < now() - interval '${RESPONSE_TTL}'`);
      this.lastDrainAt = Date.now();
      this.lastError = null;
    } catch (e) {
      this.lastError = (e as Error).message;
      log.warn('queue drain failed', { error: (e as Error).message });
    } finally {
      this.draining = false;
    }
  }

  private perform(r: QueuedRequest): Promise<void> {
    const given = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
    return withLogContext({ requestId: validRequestId(given) ? given : `pg_net-${r.id}` }, () => this.deliver(r));
  }

  private async deliver(r: QueuedRequest): Promise<void> {
    const started = performance.now();
    let status: number | null = null;
    let contentType: string | null = null;
    let headers: Record<string, string> | null = null;
    let content: string | null = null;
    let timedOut = false;
    let errorMsg: string | null = null;
    try {
      const resp = await fetch(r.url, {
        method: r.method,
        headers: r.headers,
        body: r.method === 'POST' && r.body ? new Uint8Array(r.body) : undefined,
        signal: AbortSignal.timeout(r.timeout_milliseconds),
      });
      status = resp.status;
      contentType = resp.headers.get('content-type');
      headers = Object.fromEntries(resp.headers.entries());
      content = await resp.text();
    } catch (e) {
      const err = e as Error;
      timedOut = err.name === 'TimeoutError';
      errorMsg = timedOut ? `Timeout of ${r.timeout_milliseconds} ms reached` : (err.cause as Error | undefined)?.message ?? err.message;
    }
    this.delivered += 1;
    const seconds = (performance.now() - started) / 1000;
    const outcome: DeliveryOutcome = status === null ? (timedOut ? 'timeout' : 'error') : status < 400 ? 'ok' : 'http_error';
    this.hooks.onDelivery?.(outcome, seconds);
    // Only origin and path: a query string may carry a key.
    const target = URL.canParse(r.url) ? `${new URL(r.url).origin}${new URL(r.url).pathname}` : 'invalid url';
    const fields = { id: r.id, method: r.method, url: target, status, outcome, ms: Math.round(seconds * 1000), error: errorMsg };
    if (outcome === 'ok') log.access('delivered', fields);
    else log.warn('delivery failed', fields);
    await this.pool.query(
      `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [r.id, status, contentType, headers, content, timedOut, errorMsg],
    ).catch((e) => log.warn('could not store response', { id: r.id, error: (e as Error).message }));
  }

  /** Liveness of the worker: started, listening for NOTIFY, and draining on schedule. */
  health(): NetWorkerHealth & { alive: boolean } {
    const sinceLastDrainMs = this.lastDrainAt === null ? null : Date.now() - this.lastDrainAt;
    const running = this.started && !this.stopped;
    return {
      alive: running && sinceLastDrainMs !== null && sinceLastDrainMs < STALE_AFTER_MS,
      running,
      listening: this.listener !== undefined,
      sinceLastDrainMs,
      lastError: this.lastError,
      delivered: this.delivered,
    };
  }

  async queueDepth(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('select count(*)::int as n from net.http_request_queue');
    return rows[0].n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    clearTimeout(this.relistenTimer);
    await Promise.allSettled(this.inFlight);
    await this.attempt?.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
