// What every API handler of the gateway receives, and the one place a caller is identified.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StackConfig } from '../config.ts';
import type { Db, RequestIdentity } from '../db.ts';
import { type Claims, verifyJwt } from '../jwt.ts';
import { bearerToken } from '../http.ts';
import { currentLogContext } from '../log.ts';

export interface Gateway {
  cfg: StackConfig;
  db: Db;
  keys: { anon: string; serviceRole: string };
}

/** A handler for one API prefix; `path` is the part after the prefix, e.g. `/users?x=1` → `/users`. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, path: string, url: URL) => Promise<void>;

export interface Caller extends RequestIdentity {
  token: string;
  claims: Claims;
}

/**
 * The JWT of a request: `Authorization: Bearer …` wins, the `apikey` header (or query param) is
 * the fallback, as behind Supabase's API gateway. Throws JwtError (missing / invalid / expired).
 */
export async function identifyCaller(req: IncomingMessage, url: URL, gw: Gateway): Promise<Caller> {
  const apikey = (req.headers.apikey as string | undefined) ?? url.searchParams.get('apikey') ?? undefined;
  const token = bearerToken(req) ?? apikey;
  const claims = await verifyJwt(gw.cfg.jwtSecret, token);
  noteUser(claims);
  return { token: token!, claims, role: typeof claims.role === 'string' ? claims.role : 'anon' };
}

/** Log lines of the rest of this request name the verified caller as their user. */
export function noteUser(claims: Claims): void {
  const ctx = currentLogContext();
  if (ctx && typeof claims.sub === 'string') ctx.userId = claims.sub;
}
