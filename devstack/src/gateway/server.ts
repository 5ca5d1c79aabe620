// The gateway: one HTTP server on the API port routing each Supabase API prefix to its
// handler, like Kong in front of the Supabase services.
//
// Every request gets a request id (a well-formed incoming x-request-id, else a new UUID): it is
// returned in the response, passed on to the handler (and so to edge functions and to the
// database as request.headers), and attached to every log line written while serving it.
// Own routes: /health, /health/pg_net, /ready (../health.ts), /metrics (../metrics.ts).
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { authenticatorPassword } from '../config.ts';
import { isSecretKey, validRequestId } from '../../../supabase/functions/_shared/redact.ts';
import { createAuthHandler } from '../auth/index.ts';
import type { StackConfig } from '../config.ts';
import { createDb, isDatabaseUnavailable } from '../db.ts';
import { createFunctionsHandler, functionEnv } from '../functions/index.ts';
import { FunctionWorkers } from '../functions/workers.ts';
import { gatewayReadiness } from '../health.ts';
import { HttpError, send } from '../http.ts';
import { apiKeys } from '../jwt.ts';
import { logger, registerSecret, withLogContext } from '../log.ts';
import { createStackMetrics, type StackMetrics } from '../metrics.ts';
import { NetWorker } from '../net/worker.ts';
import { createRestHandler } from '../rest/index.ts';
import { createStorageHandler, syncBuckets } from '../storage/index.ts';
import type { ApiHandler, Gateway } from './context.ts';
import { serveSpa } from './static.ts';

const log = logger('gateway');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers':
    'authorization, apikey, content-type, x-client-info, prefer, range, range-unit, accept-profile, content-profile, x-upsert, cache-control, x-request-id, x-supabase-api-version',
  'access-control-expose-headers': 'content-range, content-location, location, preference-applied, x-request-id, x-total-count, etag, content-disposition, last-modified, content-length',
  'access-control-max-age': '86400',
};

export interface RunningGateway {
  gw: Gateway;
  server: Server;
  net: NetWorker;
  workers: FunctionWorkers;
  metrics: StackMetrics;
  close(): Promise<void>;
}

export interface GatewayOptions {
  port?: number;
  signInsPerMinute?: number;
  withNetWorker?: boolean;
  /** How long close() waits for connections still in use (default 5 s). */
  closeGraceMs?: number;
}

export async function startGateway(cfg: StackConfig, opts: GatewayOptions = {}): Promise<RunningGateway> {
  const db = createDb(cfg);
  const gw: Gateway = { cfg, db, keys: await apiKeys(cfg.jwtSecret) };
  registerStackSecrets(gw);
  await syncBuckets(gw);
  const workers = new FunctionWorkers(() => functionEnv(gw), cfg.logDir);
  const routes: [string, ApiHandler][] = [
    ['/auth/v1', createAuthHandler(gw, { signInsPerMinute: opts.signInsPerMinute })],
    ['/rest/v1', createRestHandler(gw)],
    ['/storage/v1', createStorageHandler(gw)],
    ['/functions/v1', createFunctionsHandler(gw, workers)],
  ];
  const metrics = createStackMetrics(cfg);
  const net = new NetWorker(cfg, { onDelivery: (outcome, seconds) => metrics.netDelivery(outcome, seconds) });
  const netStarted = opts.withNetWorker !== false;
  if (netStarted) await net.start();

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'OPTIONS') return send(res, 204, null);
    if (url.pathname === '/health') return send(res, 200, { status: 'ok', service: 'gateway' });
    if (url.pathname === '/health/pg_net') {
      const h = net.health();
      return send(res, h.alive ? 200 : 503, { status: h.alive ? 'ok' : 'down', service: 'pg_net', ...h });
    }
    if (url.pathname === '/ready') {
      const report = await gatewayReadiness({ gw, net, netStarted });
      return send(res, report.status === 'ready' ? 200 : 503, report, { 'cache-control': 'no-store' });
    }
    if (url.pathname === '/metrics') {
      return send(res, 200, await metrics.registry.metrics(), { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    }
    // What the SPA needs to reach this stack; only public values (the anon key is public).
    if (url.pathname === '/config.json') {
      return send(res, 200, { supabaseUrl: cfg.apiUrl, anonKey: gw.keys.anon, azureEnabled: cfg.azureEnabled }, { 'cache-control': 'no-cache' });
    }
    for (const [prefix, handler] of routes) {
      if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
        try {
          await handler(req, res, url.pathname.slice(prefix.length) || '/', url);
        } catch (e) {
          if (e instanceof HttpError) return send(res, e.status, e.body, e.headers);
          answerFailure(res, url, e);
        }
        return;
      }
    }
    if (req.method === 'GET' || req.method === 'HEAD') return serveSpa(req, res, url.pathname);
    send(res, 404, { error: { code: 'not_found', message: `No route for ${req.method} ${url.pathname}` } });
  }

  const server = createServer((req, res) => {
    const incoming = req.headers['x-request-id'];
    const requestId = validRequestId(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...CORS_HEADERS })) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const started = performance.now();
    withLogContext({ requestId }, () => {
      res.once('finish', () => {
        const seconds = (performance.now() - started) / 1000;
        const route = metrics.routes.of(url.pathname, res.statusCode);
        metrics.http.observe(req.method ?? 'GET', route, res.statusCode, seconds);
        // The path without its query: filters and the apikey parameter stay out of the log.
        log.access('request', { method: req.method, path: url.pathname, route, status: res.statusCode, ms: Math.round(seconds * 1000) });
      });
      handle(req, res, url).catch((e) => answerFailure(res, url, e));
    });
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? cfg.apiPort, '127.0.0.1', () => resolve());
  });
  return {
    gw,
    server,
    net,
    workers,
    metrics,
    async close() {
      workers.stopAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      // A pool ends only once every connection is back, and a request may hold one for good (a
      // query that never returns, a database that hangs in shutdown): stopping waits a little,
      // then leaves the rest to the process exit and Postgres's fast shutdown.
      await settleWithin(opts.closeGraceMs ?? 5_000, { 'pg_net worker': net.stop(), metrics: metrics.close(), database: db.close() });
    },
  };
}

/** Waits until every piece of `work` has settled, or `ms` have passed; logs what was left. */
async function settleWithin(ms: number, work: Record<string, Promise<unknown>>): Promise<void> {
  const pending = new Set(Object.keys(work));
  let timer: NodeJS.Timeout | undefined;
  const settled = Promise.allSettled(Object.entries(work).map(([name, p]) => p.finally(() => pending.delete(name))));
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
  const outcome = await Promise.race([settled, late]);
  clearTimeout(timer);
  if (outcome === 'late') log.warn('stopped without waiting any longer', { pending: [...pending], waitedMs: ms });
}

/**
 * The answer to an error no API handler turned into a response. The database being unreachable
 * or restarting is not a bug: 503, so clients retry. Anything else is a 500 with the details in
 * the log only.
 */
function answerFailure(res: ServerResponse, url: URL, e: unknown): void {
  if (res.req.readableAborted) {
    // The request broke off (the client left, or its body was short and got its 400 already):
    // reading it failed, which says nothing about the database or a bug.
    res.destroy();
    return;
  }
  if (isDatabaseUnavailable(e)) {
    log.warn('database unavailable', { path: url.pathname, error: (e as Error).message });
    if (!res.headersSent) {
      send(res, 503, { error: { code: 'database_unavailable', message: 'The database is unavailable; try again in a moment' } }, { 'retry-after': '1' });
    } else res.destroy();
    return;
  }
  log.error('unhandled error', { path: url.pathname, error: (e as Error).stack ?? String(e) });
  if (!res.headersSent) send(res, 500, { error: { code: 'internal_error', message: 'Internal error; see the gateway log' } });
  else res.destroy();
}

/** What Node's HTTP parser reports, as status, code and message for the client. */
function clientErrorAnswer(e: NodeJS.ErrnoException): [number, string, string] {
  switch (e.code) {
    case 'HPE_INVALID_EOF_STATE':
      return [400, 'incomplete_body', 'The request ended before its body was complete (shorter than its Content-Length)'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'headers_too_large', 'The request headers are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'request_timeout', 'The request was not received in time'];
    default:
      return [400, 'bad_request', `The request could not be parsed as HTTP (${e.code ?? 'parse error'})`];
  }
}

/**
 * Requests Node's parser refuses (a body shorter than its Content-Length, malformed HTTP) get the
 * gateway's JSON error instead of Node's bare "400 Bad Request". The handler of such a request
 * may already run; it sees the body abort and stores nothing.
 */
function answerClientError(e: NodeJS.ErrnoException, socket: Duplex): void {
  const answered = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (e.code === 'ECONNRESET' || !socket.writable || answered) {
    socket.destroy();
    return;
  }
  const [status, code, message] = clientErrorAnswer(e);
  const body = JSON.stringify({ error: { code, message } });
  socket.end([
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`),
    ...Object.entries(CORS_HEADERS).map(([k, v]) => `${k}: ${v}`),
    '',
    body,
  ].join('\r\n'));
}

/**
 * Every key and shared secret the stack holds is masked in log lines wherever it appears: the
 * JWT secret, the API keys, the database password, the renderer secret, and each secret-named
 * variable the edge functions receive (Slack signing secret and token, LLM keys, …).
 */
function registerStackSecrets(gw: Gateway): void {
  for (const value of [gw.cfg.jwtSecret, gw.keys.anon, gw.keys.serviceRole, authenticatorPassword(gw.cfg), gw.cfg.rendererSecret]) {
    registerSecret(value);
  }
  for (const [name, value] of Object.entries({ ...process.env, ...functionEnv(gw) })) {
    if (isSecretKey(name) || /_KEY$/.test(name)) registerSecret(value);
  }
}
