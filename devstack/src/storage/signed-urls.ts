// Signed URLs: HS256 tokens made with the stack's JWT secret whose `url` claim names exactly one
// object (`{bucket}/{key}`). A download token is only handed to a caller who can select the row;
// an upload token only to one who may insert (or upsert) it. Serving a token needs no other auth.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gateway } from '../gateway/context.ts';
import { send } from '../http.ts';
import { type Claims, JwtError, signJwt, verifyJwt } from '../jwt.ts';
import { findBucket } from './bucket-settings.ts';
import { optionalInteger, readJson, requireCaller, serviceCaller } from './caller.ts';
import { errors, fromJwtError } from './errors.ts';
import { assertValidKey, keyProblem } from './object-paths.ts';
import { serveObject } from './downloads.ts';
import { findObjectRow } from './objects.ts';
import { probeWrite, storeObject } from './uploads.ts';

/** Signed upload URLs are valid for two hours, as on Supabase. */
const UPLOAD_URL_SECONDS = 2 * 3600;

function readExpiresIn(body: Record<string, unknown>): number {
  const expiresIn = optionalInteger(body, 'expiresIn', 1);
  if (expiresIn === undefined) throw errors.invalidRequest("body must have required property 'expiresIn'");
  return expiresIn;
}

function downloadUrl(bucket: string, key: string, token: string): string {
  return `/object/sign/${bucket}/${key}?token=${token}`;
}

/** POST /object/sign/{bucket}/{key} → `{ signedURL }` (relative to /storage/v1). */
export async function signOne(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
  key: string,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const body = await readJson(req);
  const expiresIn = readExpiresIn(body);
  assertValidKey(key);
  await findBucket(gw, bucket);
  await findObjectRow(gw, caller.identity, bucket, key);
  const token = await signJwt(gw.cfg.jwtSecret, { url: `${bucket}/${key}` }, expiresIn);
  send(res, 200, { signedURL: downloadUrl(bucket, key, token) });
}

/** POST /object/sign/{bucket} with `{ expiresIn, paths }` → one entry per path, errors per entry. */
export async function signMany(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const body = await readJson(req);
  const expiresIn = readExpiresIn(body);
  const paths = body.paths;
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string')) {
    throw errors.invalidRequest("body must have required property 'paths' (an array of strings)");
  }
  if (paths.length > 1000) throw errors.invalidRequest('body/paths must NOT have more than 1000 items');
  await findBucket(gw, bucket);
  const wanted = (paths as string[]).filter((p) => !keyProblem(p));
  const visible = new Set(
    await gw.db.asCaller(caller.identity, { readOnly: true }, async (c) =>
      (await c.query<{ name: string }>(
        'select name from storage.objects where bucket_id = $1 and name = any($2::text[])',
        [bucket, wanted],
      )).rows.map((r) => r.name)
    ),
  );
  const out = [];
  for (const path of paths as string[]) {
    if (keyProblem(path)) {
      out.push({ error: `Invalid key: ${path}`, path, signedURL: null });
    } else if (!visible.has(path)) {
      out.push({ error: 'Either the object does not exist or you do not have access to it', path, signedURL: null });
    } else {
      const token = await signJwt(gw.cfg.jwtSecret, { url: `${bucket}/${path}` }, expiresIn);
      out.push({ error: null, path, signedURL: downloadUrl(bucket, path, token) });
    }
  }
  send(res, 200, out);
}

/** Verifies a signed-URL token for this object; any failure is Storage's 400 InvalidJWT. */
async function verifyToken(gw: Gateway, url: URL, bucket: string, key: string, kind: 'download' | 'upload') {
  let claims: Claims;
  try {
    claims = await verifyJwt(gw.cfg.jwtSecret, url.searchParams.get('token'));
  } catch (e) {
    if (e instanceof JwtError) throw fromJwtError(e, true);
    throw e;
  }
  if (typeof claims.url !== 'string') throw errors.invalidJwt('jwt malformed');
  if ((claims.upload === true) !== (kind === 'upload')) throw errors.invalidSignature('The token is not for this operation');
  if (claims.url !== `${bucket}/${key}`) throw errors.invalidSignature('The url does not match the signature');
  return claims;
}

/** GET|HEAD /object/sign/{bucket}/{key}?token=… → the object's bytes. */
export async function serveSigned(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
  key: string,
): Promise<void> {
  await verifyToken(gw, url, bucket, key, 'download');
  assertValidKey(key);
  const row = await findObjectRow(gw, null, bucket, key);
  await serveObject(gw, req, res, url, row);
}

/** POST /object/upload/sign/{bucket}/{key} (x-upsert optional) → `{ url, token }`. */
export async function createUploadUrl(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
  key: string,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  req.resume(); // storage-js sends `{}`; nothing in it is used
  assertValidKey(key);
  await findBucket(gw, bucket);
  const upsert = String(req.headers['x-upsert'] ?? '').toLowerCase() === 'true';
  await probeWrite(gw, caller, bucket, key, upsert ? 'upsert' : 'create');
  const token = await signJwt(
    gw.cfg.jwtSecret,
    { url: `${bucket}/${key}`, owner: caller.sub ?? undefined, upsert, upload: true },
    UPLOAD_URL_SECONDS,
  );
  send(res, 200, { url: `/object/upload/sign/${bucket}/${key}?token=${token}`, token });
}

/** PUT /object/upload/sign/{bucket}/{key}?token=… → stores the body as the token's owner. */
export async function uploadWithToken(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
  key: string,
): Promise<void> {
  const claims = await verifyToken(gw, url, bucket, key, 'upload');
  const owner = typeof claims.owner === 'string' ? claims.owner : null;
  const caller = serviceCaller(req, url, owner);
  const id = await storeObject(gw, req, caller, bucket, key, claims.upsert === true ? 'upsert' : 'create');
  send(res, 200, { Id: id, Key: `${bucket}/${key}` });
}
