// Probes, request ids and the access log for every edge function, in one wrapper:
//
//   Deno.serve(withProbes('chat', handler, { llm: llmCheck }));
//
//   GET /functions/v1/<name>/health  liveness: {"status":"ok","service":"function:<name>"}
//   GET /functions/v1/<name>/ready   readiness: {"status":"ready"|"degraded","service",
//                                    "checks":{"<check>":{"status":"ok"|"failed"|"off","detail"}}}
//                                    (200 ready, 503 degraded — the renderer and the gateway
//                                    answer the same shape)
//
// Every request gets a request id: a well-formed incoming x-request-id (the API gateway sends
// one), else a new UUID. It is returned in the x-request-id response header and attached to the
// function's log lines together with the caller's user id. Works the same on hosted Supabase,
// where the function sees the path /<name>/…; functions with verify_jwt need the anon key on
// their probes, those without (Slack) answer them openly.
import { corsHeaders, json, jwtClaims } from './http.ts';
import { llmConfigFromEnv } from './llm/mod.ts';
import { logger, REQUEST_ID, withLogContext } from './log.ts';
import { type Check, CHECK_TIMEOUT_MS, CheckOff, readiness } from './readiness.ts';

export {
  type Check,
  CHECK_TIMEOUT_MS,
  type CheckResult,
  CheckOff,
  type CheckStatus,
  type Readiness,
  readiness,
} from './readiness.ts';

type Env = { get(name: string): string | undefined };

/** The settings every function needs: where the project is and its keys. */
export function configCheck(env: Env = Deno.env): Check {
  return () => {
    const missing = ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']
      .filter((n) => !env.get(n)?.trim());
    return missing.length
      ? Promise.reject(new Error(`missing environment variable(s): ${missing.join(', ')}`))
      : Promise.resolve();
  };
}

/** The database answers through the project's REST API (PostgREST) with the service role. */
export function databaseCheck(env: Env = Deno.env): Check {
  return async () => {
    const url = env.get('SUPABASE_URL')?.replace(/\/+$/, '');
    const key = env.get('SUPABASE_SERVICE_ROLE_KEY');
    if (!url || !key) throw new Error('SUPABASE_URL or SUPABASE_SERVICE_ROLE_KEY is not set');
    const res = await fetch(`${url}/rest/v1/companies?select=slug&limit=1`, {
      headers: { apikey: key, authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`the REST API answered ${res.status}`);
  };
}

/** An optional setting: ok when set, "off" (not a failure) when not. */
export function settingCheck(names: string[], whatFor: string, env: Env = Deno.env): Check {
  return () => {
    const missing = names.filter((n) => !env.get(n)?.trim());
    return missing.length
      ? Promise.reject(new CheckOff(`${whatFor} is off: ${missing.join(', ')} not set`))
      : Promise.resolve();
  };
}

/** The LLM provider: its name and model when a key is set, "off" when none is. */
export const llmCheck: Check = () => {
  const config = llmConfigFromEnv();
  if (!config) return Promise.reject(new CheckOff('no LLM configured: set OPENAI_API_KEY or GOOGLE_API_KEY'));
  return Promise.resolve(`${config.provider} ${config.model}`);
};

type Handler = (req: Request) => Response | Promise<Response>;

function withRequestId(res: Response, requestId: string): Response {
  try {
    res.headers.set('x-request-id', requestId);
    return res;
  } catch {
    // Immutable headers (a response passed through from fetch): copy it.
    const copy = new Response(res.body, res);
    copy.headers.set('x-request-id', requestId);
    return copy;
  }
}

/**
 * Wraps a function's handler with /health and /ready under /<name>/, the request id and one
 * access-log line per request. `checks` are added to the common ones (config, database, read
 * from options.env, default Deno.env).
 */
export function withProbes(
  name: string,
  handler: Handler,
  checks: Record<string, Check> = {},
  options: { env?: Env } = {},
): (req: Request) => Promise<Response> {
  const log = logger(`function:${name}`);
  const allChecks: Record<string, Check> = {
    config: configCheck(options.env),
    database: databaseCheck(options.env),
    ...checks,
  };
  return async (incoming) => {
    const given = incoming.headers.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    // The handler sees the id the response will carry.
    let req = incoming;
    if (given !== requestId) {
      const headers = new Headers(incoming.headers);
      headers.set('x-request-id', requestId);
      req = new Request(incoming, { headers });
    }
    const claims = jwtClaims(req);
    const userId = typeof claims?.sub === 'string' ? claims.sub : undefined;
    const path = new URL(req.url).pathname;
    const started = performance.now();
    return await withLogContext({ requestId, userId }, async () => {
      let res: Response;
      if (req.method === 'GET' && path === `/${name}/health`) {
        res = json({ status: 'ok', service: `function:${name}` });
      } else if (req.method === 'GET' && path === `/${name}/ready`) {
        const report = await readiness(`function:${name}`, allChecks);
        res = json(report, report.status === 'ready' ? 200 : 503, { 'Cache-Control': 'no-store' });
      } else if (req.method === 'OPTIONS' && (path === `/${name}/health` || path === `/${name}/ready`)) {
        res = new Response(null, { status: 204, headers: corsHeaders });
      } else {
        try {
          res = await handler(req);
        } catch (e) {
          log.error('unhandled error', { path, error: e });
          res = json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
        }
      }
      log.info('request', {
        method: req.method,
        path,
        status: res.status,
        ms: Math.round(performance.now() - started),
      });
      return withRequestId(res, requestId);
    });
  };
}
