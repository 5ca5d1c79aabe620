// Who is calling, as the database will see them, and the small request-body helpers of the API.
import type { IncomingMessage } from 'node:http';
import type { RequestIdentity } from '../db.ts';
import { type Gateway, identifyCaller } from '../gateway/context.ts';
import { headerRecord, readBody } from '../http.ts';
import { JwtError } from '../jwt.ts';
import { errors, fromJwtError } from './errors.ts';

export interface StorageCaller {
  identity: RequestIdentity;
  /** The JWT's `sub`, or null for API keys (anon, service_role). */
  sub: string | null;
  /** `sub` when it is a UUID (the type of storage.objects.owner), else null. */
  ownerUuid: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function callerFromClaims(
  req: IncomingMessage,
  url: URL,
  role: string,
  claims: Record<string, unknown>,
): StorageCaller {
  const sub = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null;
  return {
    identity: { role, claims, headers: headerRecord(req), method: req.method ?? 'GET', path: url.pathname },
    sub,
    ownerUuid: sub && UUID.test(sub) ? sub : null,
  };
}

/** The verified caller of a request; a missing, bad or expired JWT answers Storage's 400/403. */
export async function requireCaller(req: IncomingMessage, url: URL, gw: Gateway): Promise<StorageCaller> {
  try {
    const caller = await identifyCaller(req, url, gw);
    return callerFromClaims(req, url, caller.role, caller.claims);
  } catch (e) {
    if (e instanceof JwtError) throw fromJwtError(e);
    throw e;
  }
}

/** The gateway itself acting for a verified signed-upload token: RLS was checked at signing. */
export function serviceCaller(req: IncomingMessage, url: URL, sub: string | null): StorageCaller {
  const claims: Record<string, unknown> = { role: 'service_role' };
  if (sub) claims.sub = sub;
  return callerFromClaims(req, url, 'service_role', claims);
}

const JSON_BODY_LIMIT = 1024 * 1024;

/** Reads a small JSON request body (list, sign, delete, bucket calls); empty reads as {}. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, JSON_BODY_LIMIT, () => errors.entityTooLarge());
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw errors.invalidRequest('Body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.invalidRequest('Body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.invalidRequest(`body/${field} must be string`);
  return v;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const v = optionalString(body, field);
  if (v === undefined || v === '') throw errors.invalidRequest(`body must have required property '${field}'`);
  return v;
}

export function optionalInteger(body: Record<string, unknown>, field: string, min: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw errors.invalidRequest(`body/${field} must be an integer >= ${min}`);
  }
  return n;
}
