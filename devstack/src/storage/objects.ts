// Object rows: their shape and metadata, lookup under the caller's RLS, and deletion. Writes go
// through `inTransactionWithDisk` so a row and its file change together or not at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { RequestIdentity } from '../db.ts';
import type { Gateway } from '../gateway/context.ts';
import { send } from '../http.ts';
import { findBucket } from './bucket-settings.ts';
import { readJson, requireCaller } from './caller.ts';
import { DiskChanges } from './disk.ts';
import { errors } from './errors.ts';
import { assertValidKey } from './object-paths.ts';

export interface ObjectMetadata {
  eTag?: string;
  size?: number;
  mimetype?: string;
  cacheControl?: string;
  lastModified?: string;
  contentLength?: number;
  httpStatusCode?: number;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
  metadata: ObjectMetadata | null;
  user_metadata: unknown;
}

export const OBJECT_COLUMNS =
  'id, bucket_id, name, owner, owner_id, version, created_at, updated_at, last_accessed_at, metadata, user_metadata';

/** The `metadata` jsonb Storage keeps for every object. */
export function objectMetadata(
  size: number,
  eTag: string,
  mimetype: string,
  cacheControl: string,
  lastModified = new Date(),
): ObjectMetadata {
  return {
    eTag,
    size,
    mimetype,
    cacheControl,
    lastModified: lastModified.toISOString(),
    contentLength: size,
    httpStatusCode: 200,
  };
}

/** Runs row changes and file moves together: both commit, or both are undone. */
export async function inTransactionWithDisk<T>(
  gw: Gateway,
  who: RequestIdentity,
  fn: (c: pg.PoolClient, disk: DiskChanges) => Promise<T>,
): Promise<T> {
  const disk = new DiskChanges(gw.cfg.storageDir);
  let result: T;
  try {
    result = await gw.db.asCaller(who, {}, (c) => fn(c, disk));
  } catch (e) {
    await disk.rollback();
    throw e;
  }
  await disk.commit();
  return result;
}

/** One object's row as the caller may see it (RLS), or as the gateway sees it (who = null). */
export async function findObjectRow(
  gw: Gateway,
  who: RequestIdentity | null,
  bucket: string,
  key: string,
): Promise<ObjectRow> {
  const sql = `select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`;
  const rows = who
    ? await gw.db.asCaller(who, { readOnly: true }, async (c) => (await c.query<ObjectRow>(sql, [bucket, key])).rows)
    : (await gw.db.admin.query<ObjectRow>(sql, [bucket, key])).rows;
  if (rows.length === 0) throw errors.objectNotFound();
  return rows[0];
}

/**
 * Deletes the named objects of a bucket (all of them when `names` is null) that RLS lets the
 * caller delete, moving their files aside in the same transaction. Returns the deleted rows.
 */
export async function deleteObjectRows(
  gw: Gateway,
  who: RequestIdentity,
  bucket: string,
  names: string[] | null,
): Promise<ObjectRow[]> {
  return await inTransactionWithDisk(gw, who, async (c, disk) => {
    const { rows } = names === null
      ? await c.query<ObjectRow>(`delete from storage.objects where bucket_id = $1 returning ${OBJECT_COLUMNS}`, [bucket])
      : await c.query<ObjectRow>(
        `delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning ${OBJECT_COLUMNS}`,
        [bucket, names],
      );
    for (const row of rows) await disk.remove(row.bucket_id, row.name);
    return rows;
  });
}

/** DELETE /object/{bucket} with `{prefixes: [...]}`: the deleted rows (only those RLS allowed). */
export async function removeObjects(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const body = await readJson(req);
  const prefixes = body.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0) {
    throw errors.invalidRequest("body must have required property 'prefixes'");
  }
  if (prefixes.length > 1000) throw errors.invalidRequest('body/prefixes must NOT have more than 1000 items');
  const names = prefixes.map((p) => {
    if (typeof p === 'string') return p;
    if (p && typeof p === 'object' && typeof (p as { path?: unknown }).path === 'string') {
      return (p as { path: string }).path;
    }
    throw errors.invalidRequest('body/prefixes must be an array of paths');
  });
  await findBucket(gw, bucket);
  const rows = await deleteObjectRows(gw, caller.identity, bucket, names);
  send(res, 200, rows);
}

/** DELETE /object/{bucket}/{key}: one object. */
export async function removeObject(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
  key: string,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  assertValidKey(key);
  await findBucket(gw, bucket);
  const rows = await deleteObjectRows(gw, caller.identity, bucket, [key]);
  if (rows.length === 0) throw errors.objectNotFound();
  send(res, 200, { message: 'Successfully deleted' });
}

/** The row write every upload, upsert and copy shares ($1 id … $8 version). */
export const INSERT_OBJECT = `insert into storage.objects
    (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
  values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`;

export const ON_CONFLICT_UPDATE = `on conflict (bucket_id, name) do update
     set owner = excluded.owner,
         owner_id = excluded.owner_id,
         metadata = excluded.metadata,
         user_metadata = excluded.user_metadata,
         version = excluded.version,
         updated_at = now(),
         last_accessed_at = now()`;
