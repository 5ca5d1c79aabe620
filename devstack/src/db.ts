// Database access for the gateway. API requests run exactly as PostgREST runs them: one
// transaction per request on an `authenticator` connection, `role` switched to the JWT's role
// and the request settings (`request.jwt.claims`, `request.headers`, …) set locally, so every
// RLS policy and auth.uid() call sees the caller.
import pg from 'pg';
import type { StackConfig } from './config.ts';

// int8 and numeric stay strings: money and ids must never pass through a JS float.
pg.types.setTypeParser(20, (v) => v);
pg.types.setTypeParser(1700, (v) => v);

export interface RequestIdentity {
  role: string;
  claims: Record<string, unknown>;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}

export interface Db {
  /** Connection pool logged in as `authenticator` (no privileges until a role is set). */
  api: pg.Pool;
  /** Superuser pool for the gateway's own bookkeeping (auth tables, storage buckets). */
  admin: pg.Pool;
  asCaller<T>(who: RequestIdentity, opts: { readOnly?: boolean }, fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createDb(cfg: StackConfig): Db {
  const api = new pg.Pool({ connectionString: cfg.authenticatorUrl, max: 20, application_name: 'gateway-api' });
  const admin = new pg.Pool({ connectionString: cfg.dbUrl, max: 5, application_name: 'gateway-admin' });
  // A dropped connection (e.g. Postgres restarted) must not crash the gateway: idle ones are
  // reported by the pool, checked-out ones by the client itself — between two queries of a
  // request nobody else listens, and an unheard 'error' event ends the process. The request's
  // next query fails instead, and the pool discards the broken client on release.
  for (const pool of [api, admin]) {
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
  }
  return {
    api,
    admin,
    async asCaller(who, opts, fn) {
      const client = await api.connect();
      let ok = false;
      try {
        await client.query(opts.readOnly ? 'begin read only' : 'begin');
        await client.query(
          `select set_config('role', $1, true),
                  set_config('request.jwt.claims', $2, true),
                  set_config('request.jwt.claim.sub', $3, true),
                  set_config('request.jwt.claim.role', $1, true),
                  set_config('request.headers', $4, true),
                  set_config('request.method', $5, true),
                  set_config('request.path', $6, true)`,
          [
            who.role,
            JSON.stringify(who.claims),
            typeof who.claims.sub === 'string' ? who.claims.sub : '',
            JSON.stringify(who.headers ?? {}),
            who.method ?? '',
            who.path ?? '',
          ],
        );
        const result = await fn(client);
        await client.query('commit');
        ok = true;
        return result;
      } finally {
        if (!ok) await client.query('rollback').catch(() => {});
        // A connection whose transaction state is unknown is thrown away, never reused.
        client.release(!ok && !(client as unknown as { _connected?: boolean })._connected);
      }
    },
    async close() {
      await Promise.allSettled([api.end(), admin.end()]);
    },
  };
}

/** Marks a transaction that must roll back while still returning a result (Prefer: tx=rollback). */
export class RollbackWith<T> extends Error {
  constructor(readonly value: T) {
    super('rollback requested');
  }
}

/**
 * True when an error says the database cannot be reached or is going away (not that a query was
 * wrong): a socket error, SQLSTATE class 08, shutdown or start-up (57P01–57P03), too many
 * connections (53300), or node-postgres's own words for a dropped connection. APIs answer these
 * with 503, so clients retry instead of treating them as a bug.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || /^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code))) return true;
  return /Connection terminated|not queryable|timeout exceeded when trying to connect/i.test(e.message);
}
