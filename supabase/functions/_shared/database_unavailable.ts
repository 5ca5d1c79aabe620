// One rule for every edge function: does this error say the database — or the API in front of
// it — cannot be reached right now (a restart, a lost connection), rather than that a request
// was wrong? Such failures answer 503 `database_unavailable`, so clients and Slack retry instead
// of reporting a bug. The gateway applies the same rule to its own connections
// (devstack/src/db.ts); this one also reads what supabase-js reports.
import { json } from './http.ts';

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is unavailable right now; please try again in a moment.';

/** SQLSTATEs of a server shutting down or starting up, or out of connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** PostgREST's "could not connect with the database" family (always 503 there). */
const UNAVAILABLE_POSTGREST_CODES = new Set(['PGRST000', 'PGRST001', 'PGRST002', 'PGRST003']);
/** node-postgres's and fetch's own words for a connection that failed or was cut. */
const LOST_CONNECTION =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|error sending request|fetch failed|connection refused/i;

/**
 * True when `e` (an Error, a DatabaseError, a PostgREST error object) says the database or the
 * API is unavailable. `status` is the HTTP status of a failed supabase-js call, when known: 503
 * and 504 come from a database that is away, 0 from an API that could not be reached at all.
 */
export function isDatabaseUnavailable(e: unknown, status?: number): boolean {
  if (status === 0 || status === 503 || status === 504) return true;
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // SQLSTATE class 08 (connection exception), socket errors (ECONNREFUSED, ECONNRESET, EPIPE…).
    if (/^08[0-9A-Z]{3}$/.test(code) || /^E[A-Z]+$/.test(code)) return true;
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_POSTGREST_CODES.has(code)) return true;
  }
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

/** The answer while the database is unavailable: 503 in the platform's error shape. */
export function databaseUnavailableResponse(message = DATABASE_UNAVAILABLE_MESSAGE): Response {
  return json({ error: { code: 'database_unavailable', message } }, 503, { 'Retry-After': '1' });
}
