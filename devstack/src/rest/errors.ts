// PostgREST-shaped errors: every failure of /rest/v1 answers `{code, message, details, hint}` with
// the HTTP status PostgREST would use, so supabase-js sees the same `error` objects as in the cloud.
import { isDatabaseUnavailable } from '../db.ts';
import { HttpError } from '../http.ts';
import { JwtError } from '../jwt.ts';

export interface RestErrorBody {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

export function restError(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, { code, message, details, hint }, headers);
}

/** A request outside the supported subset: refuse loudly instead of answering something wrong. */
export function notSupported(feature: string): HttpError {
  return restError(501, 'PGRST501', `${feature} is not supported by the local stack`, null, 'See devstack/README.md');
}

/** A query string or header PostgREST would reject as unparsable. */
export function parseError(message: string, details: string | null = null): HttpError {
  return restError(400, 'PGRST100', message, details);
}

export function invalidBody(message = 'Empty or invalid json', details: string | null = null): HttpError {
  return restError(400, 'PGRST102', message, details);
}

export const bodyTooLarge = (): HttpError => restError(413, 'PGRST413', 'Request body is too large');

export function jwtErrorToHttp(e: JwtError): HttpError {
  const challenge = (desc: string) => ({
    'www-authenticate': `Bearer error="invalid_token", error_description="${desc.replace(/["\\]/g, '')}"`,
  });
  if (e.reason === 'missing') {
    return new HttpError(401, {
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    });
  }
  if (e.reason === 'expired') return restError(401, 'PGRST303', 'JWT expired', null, null, challenge('JWT expired'));
  return restError(401, 'PGRST301', e.message, null, null, challenge(e.message));
}

interface PgLikeError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

function isPgError(e: unknown): e is PgLikeError & Error {
  return e instanceof Error && typeof (e as PgLikeError).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((e as PgLikeError).code!);
}

/** PostgREST's documented SQLSTATE → HTTP status table. */
export function statusForSqlState(code: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '40001': 409,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
    '53400': 500,
    P0001: 400,
  };
  if (code in exact) return exact[code];
  const byClass: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

/**
 * `raise sqlstate 'PGRST' using message = '{"code":…,"message":…}', detail = '{"status":…,"headers":{…}}'`
 * lets SQL pick the whole HTTP response, as PostgREST allows.
 */
function customPgrstError(e: PgLikeError): HttpError {
  try {
    const body = JSON.parse(e.message ?? '') as Record<string, unknown>;
    const meta = JSON.parse(e.detail ?? '') as { status?: number; headers?: Record<string, string> };
    if (typeof meta.status !== 'number' || typeof body !== 'object' || body === null) throw new Error('shape');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta.headers ?? {})) headers[k.toLowerCase()] = String(v);
    return new HttpError(meta.status, {
      code: body.code ?? null,
      message: body.message ?? null,
      details: body.details ?? null,
      hint: body.hint ?? null,
    }, headers);
  } catch {
    return restError(
      500,
      'PGRST121',
      "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error",
      'Invalid JSON value for MESSAGE or DETAIL: ' + (e.message ?? ''),
    );
  }
}

/** Turns anything thrown while serving a request into the HttpError to send. */
export function toHttpError(e: unknown, role: string): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof JwtError) return jwtErrorToHttp(e);
  if (e instanceof Error && (e as PgLikeError).code === 'PGRST') return customPgrstError(e as PgLikeError);
  if (isPgError(e)) {
    // The database going away (shutdown, still starting, connection lost) is a 503 whatever its
    // SQLSTATE class says (57P01–57P03 sit in class 57, otherwise 500): the client should retry.
    const status = isDatabaseUnavailable(e) ? 503 : statusForSqlState(e.code!, role);
    const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
    return restError(status, e.code!, e.message, e.detail ?? null, e.hint ?? null, headers);
  }
  if (isDatabaseUnavailable(e)) {
    // Socket-level failures (ECONNREFUSED…), a connection cut mid-request: PostgREST's answer.
    return restError(503, 'PGRST000', 'Could not connect with the database', (e as Error).message, null, { 'retry-after': '1' });
  }
  // PostgREST's code for its own internal errors; PGRST000 means "could not connect" (503) only.
  return restError(500, 'PGRSTX00', 'Internal error of the local REST API', (e as Error)?.message ?? String(e));
}
