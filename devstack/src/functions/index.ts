// `/functions/v1/<name>`: verify_jwt as configured in config.toml, then proxy the request —
// streaming both ways, so SSE answers arrive as they are written — to the function's worker.
// The function sees the path `/<name>/…`, as on hosted Supabase, and the gateway's
// x-request-id header (with the other request headers), so its log lines join the gateway's.
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '../config.ts';
import { type ApiHandler, type Gateway, noteUser } from '../gateway/context.ts';
import { apiError } from '../http.ts';
import { JwtError, verifyJwt } from '../jwt.ts';
import { readEnvFile } from './env-file.ts';
import { FunctionWorkers } from './workers.ts';

const FUNCTION_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** Edge function bodies above this answer 413; chat uploads of up to 200 MB pass, the function checks the exact limit. */
export const FUNCTION_BODY_LIMIT = 210 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export function functionEnv(gw: Gateway): Record<string, string> {
  return {
    ...readEnvFile(join(repoRoot, '.env')),
    ...readEnvFile(join(repoRoot, 'supabase/functions/.env')),
    SUPABASE_URL: gw.cfg.apiUrl,
    SUPABASE_ANON_KEY: gw.keys.anon,
    SUPABASE_SERVICE_ROLE_KEY: gw.keys.serviceRole,
    SUPABASE_DB_URL: gw.cfg.dbUrl,
  };
}

export function createFunctionsHandler(gw: Gateway, workers: FunctionWorkers): ApiHandler {
  return async (req, res, path, url) => {
    const [, name = '', ...rest] = path.split('/');
    if (!FUNCTION_NAME.test(name) || !workers.entryOf(name)) {
      throw apiError(404, 'function_not_found', `Function "${name}" does not exist`);
    }
    if (gw.cfg.functionsVerifyJwt[name] !== false) {
      const h = req.headers.authorization;
      const token = h && /^Bearer\s+(.+)$/i.exec(h)?.[1];
      try {
        noteUser(await verifyJwt(gw.cfg.jwtSecret, token));
      } catch (e) {
        if (e instanceof JwtError) {
          throw apiError(401, e.reason === 'missing' ? 'missing_authorization' : 'invalid_jwt',
            e.reason === 'missing' ? 'Missing authorization header' : e.message);
        }
        throw e;
      }
    }
    if (Number(req.headers['content-length'] ?? 0) > FUNCTION_BODY_LIMIT) {
      req.resume();
      throw apiError(413, 'payload_too_large', `Request body exceeds ${FUNCTION_BODY_LIMIT} bytes`);
    }
    let worker;
    try {
      worker = await workers.get(name);
    } catch (e) {
      throw apiError(503, 'function_unavailable', (e as Error).message);
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    if (req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest({
        host: '127.0.0.1',
        port: worker.port,
        method: req.method,
        path: `/${[name, ...rest].join('/')}${url.search}`,
        headers,
      }, (up) => {
        const outHeaders: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== 'connection') outHeaders[k] = v;
        res.writeHead(up.statusCode ?? 502, outHeaders);
        res.flushHeaders();
        up.pipe(res);
        up.once('end', resolve);
        up.once('error', reject);
      });
      upstream.once('error', (e) => reject(apiError(502, 'function_failed', `Function ${name} failed: ${e.message}`)));
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > FUNCTION_BODY_LIMIT) {
          upstream.destroy();
          reject(apiError(413, 'payload_too_large', `Request body exceeds ${FUNCTION_BODY_LIMIT} bytes`));
        }
      });
      req.pipe(upstream);
      // A client that goes away mid-stream stops the function's response too.
      res.once('close', () => upstream.destroy());
    });
  };
}
