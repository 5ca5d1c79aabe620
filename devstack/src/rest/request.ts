// Everything one /rest/v1 request carries into the database, and the single transaction it runs in.
import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { RollbackWith } from '../db.ts';
import type { Caller, Gateway } from '../gateway/context.ts';
import { headerRecord, readBody } from '../http.ts';
import type { Catalog } from './catalog.ts';
import { bodyTooLarge, invalidBody } from './errors.ts';
import type { MediaKind, Preferences } from './headers.ts';
import { ident } from './sql.ts';

export interface RestRequest {
  gw: Gateway;
  catalog: Catalog;
  req: IncomingMessage;
  url: URL;
  method: string;
  /** The part after /rest/v1, e.g. `/proposals`. */
  path: string;
  caller: Caller;
  schema: string;
  media: MediaKind;
  prefs: Preferences;
}

/** What the handlers produce; index.ts writes it out (HEAD drops the body). */
export interface RestResult {
  status: number;
  body?: string;
  headers: Record<string, string>;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const OBJECT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';

/** Raw body text (kept as text so big numbers reach Postgres unrounded) plus its parsed value. */
export interface JsonBody {
  text: string;
  value: unknown;
}

export async function readJsonBody(r: RestRequest, emptyAs?: string): Promise<JsonBody> {
  const buf = await readBody(r.req, r.gw.cfg.maxBodyBytes, bodyTooLarge);
  let text = buf.toString('utf8');
  if (text.trim() === '') {
    if (emptyAs === undefined) throw invalidBody();
    text = emptyAs;
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    throw invalidBody();
  }
}

/**
 * Runs `fn` in the caller's transaction: role and JWT claims set locally by db.asCaller, so RLS
 * and auth.uid() see the caller. `Prefer: tx=rollback` keeps the result but undoes the writes.
 */
export async function inCallerTransaction<T>(
  r: RestRequest,
  readOnly: boolean,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const who = {
    role: r.caller.role,
    claims: r.caller.claims,
    headers: headerRecord(r.req),
    method: r.method,
    path: r.path,
  };
  try {
    return await r.gw.db.asCaller(who, { readOnly }, async (client) => {
      // As PostgREST: the requested schema first, then the extra search path of config.toml.
      const searchPath = [r.schema, ...r.gw.cfg.extraSearchPath.filter((s) => s !== r.schema)].map(ident).join(', ');
      if (r.prefs.timezone) {
        await client.query(`select set_config('search_path', $1, true), set_config('timezone', $2, true)`, [
          searchPath,
          r.prefs.timezone,
        ]);
      } else {
        await client.query(`select set_config('search_path', $1, true)`, [searchPath]);
      }
      const value = await fn(client);
      if (r.prefs.tx === 'rollback') throw new RollbackWith(value);
      return value;
    });
  } catch (e) {
    if (e instanceof RollbackWith) return e.value as T;
    throw e;
  }
}

/** `Preference-Applied`: tells the client which of its preferences were honoured. */
export function preferenceApplied(prefs: Preferences, extra: string[] = []): Record<string, string> {
  const applied = [...extra];
  if (prefs.count) applied.push('count=exact');
  if (prefs.tx) applied.push(`tx=${prefs.tx}`);
  if (prefs.timezone) applied.push(`timezone=${prefs.timezone}`);
  return applied.length ? { 'preference-applied': applied.join(', ') } : {};
}
