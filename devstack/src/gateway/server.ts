// The gateway: one HTTP server on the API port routing each Supabase API prefix to its
// handler, like Kong in front of the Supabase services.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createAuthHandler } from '../auth/index.ts';
import type { StackConfig } from '../config.ts';
import { createDb } from '../db.ts';
import { createFunctionsHandler, functionEnv } from '../functions/index.ts';
import { FunctionWorkers } from '../functions/workers.ts';
import { HttpError, send } from '../http.ts';
import { apiKeys } from '../jwt.ts';
import { logger } from '../log.ts';
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
  close(): Promise<void>;
}

export interface GatewayOptions {
  port?: number;
  signInsPerMinute?: number;
  withNetWorker?: boolean;
}

export async function startGateway(cfg: StackConfig, opts: GatewayOptions = {}): Promise<RunningGateway> {
  const db = createDb(cfg);
  const gw: Gateway = { cfg, db, keys: await apiKeys(cfg.jwtSecret) };
  await syncBuckets(gw);
  const workers = new FunctionWorkers(() => functionEnv(gw), cfg.logDir);
  const routes: [string, ApiHandler][] = [
    ['/auth/v1', createAuthHandler(gw, { signInsPerMinute: opts.signInsPerMinute })],
    ['/rest/v1', createRestHandler(gw)],
    ['/storage/v1', createStorageHandler(gw)],
    ['/functions/v1', createFunctionsHandler(gw, workers)],
  ];
  const net = new NetWorker(cfg);
  if (opts.withNetWorker !== false) await net.start();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,80}$/.test(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...CORS_HEADERS })) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const started = performance.now();
    res.once('finish', () => {
      log.debug('request', { requestId, method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) });
    });
    if (req.method === 'OPTIONS') return send(res, 204, null);
    if (url.pathname === '/health') return send(res, 200, { status: 'ok', service: 'gateway' });
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
          log.error('unhandled error', { requestId, path: url.pathname, error: (e as Error).stack ?? String(e) });
          if (!res.headersSent) send(res, 500, { error: { code: 'internal_error', message: 'Internal error; see the gateway log' } });
          else res.destroy();
        }
        return;
      }
    }
    if (req.method === 'GET' || req.method === 'HEAD') return serveSpa(req, res, url.pathname);
    send(res, 404, { error: { code: 'not_found', message: `No route for ${req.method} ${url.pathname}` } });
  }

  const server = createServer((req, res) => void handle(req, res));
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
    async close() {
      workers.stopAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await net.stop();
      await db.close();
    },
  };
}
