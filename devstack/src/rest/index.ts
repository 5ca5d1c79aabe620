// /rest/v1: the subset of PostgREST that supabase-js uses, served from the caller's own
// transaction (role + JWT claims set locally), so Postgres RLS is the real gate. See README.md.
import type { ApiHandler, Gateway } from '../gateway/context.ts';
import { identifyCaller } from '../gateway/context.ts';
import { HttpError, send } from '../http.ts';
import { logger } from '../log.ts';
import { createCatalog } from './catalog.ts';
import { invalidBody, notSupported, restError, toHttpError } from './errors.ts';
import { checkContentType, negotiateMedia, preferencesOf, schemaOf } from './headers.ts';
import type { RestRequest, RestResult } from './request.ts';
import { handleRpc } from './rpc.ts';
import { handleTable } from './table.ts';

const log = logger('rest');

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE']);

export type RestTarget = { kind: 'table'; name: string } | { kind: 'rpc'; name: string };

/** `/proposals` → table, `/rpc/my_fn` → function. Names are URL-decoded, never trusted as SQL. */
export function parseTarget(path: string): RestTarget {
  let segments: string[];
  try {
    segments = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/').map(decodeURIComponent);
  } catch {
    throw restError(400, 'PGRST125', 'Invalid path specified in request URL');
  }
  if (segments.length === 1 && segments[0] === '') throw notSupported('The OpenAPI root endpoint');
  if (segments.length === 1) return { kind: 'table', name: segments[0] };
  if (segments.length === 2 && segments[0] === 'rpc' && segments[1] !== '') return { kind: 'rpc', name: segments[1] };
  throw restError(404, 'PGRST125', 'Invalid path specified in request URL');
}

export function createRestHandler(gw: Gateway): ApiHandler {
  const catalog = createCatalog(gw.db.admin);
  return async (req, res, path, url) => {
    const method = (req.method ?? 'GET').toUpperCase();
    let role = 'anon';
    try {
      if (method === 'OPTIONS') {
        send(res, 200, null, { allow: [...METHODS, 'OPTIONS'].join(', ') });
        return;
      }
      const caller = await identifyCaller(req, url, gw);
      role = caller.role;
      if (!METHODS.has(method)) throw restError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
      const target = parseTarget(path);
      const r: RestRequest = {
        gw,
        catalog,
        req,
        url,
        method,
        path,
        caller,
        schema: schemaOf(req, method, gw.cfg.exposedSchemas),
        media: negotiateMedia(req.headers.accept),
        prefs: preferencesOf(req),
      };
      if (method !== 'GET' && method !== 'HEAD') checkContentType(req);
      const result = target.kind === 'rpc' ? await handleRpc(r, target.name) : await handleTable(r, target.name);
      write(res, method, result);
    } catch (e) {
      // A body that broke off fails its read with a socket error: the client's doing, not an outage.
      const err = req.readableAborted && !(e instanceof HttpError) ? invalidBody('The request body was cut short') : toHttpError(e, role);
      // Postgres errors are the caller's business; anything else here is a bug worth a log line.
      if (!(e instanceof HttpError) && err.status === 500 && (err.body as { code?: string }).code === 'PGRSTX00') {
        log.error('unexpected error', { path, error: (e as Error)?.stack ?? String(e) });
      }
      if (method === 'HEAD') send(res, err.status, null, err.headers);
      else send(res, err.status, err.body, err.headers);
    }
  };
}

function write(res: Parameters<ApiHandler>[1], method: string, result: RestResult): void {
  if (res.headersSent) return;
  const body = method === 'HEAD' ? undefined : result.body;
  res.writeHead(result.status, result.headers);
  res.end(body);
}
