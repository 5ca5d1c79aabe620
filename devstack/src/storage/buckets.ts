// The /bucket API: list, get, create, update, empty and delete. These run under the caller's role,
// so storage.buckets RLS decides, as on Supabase (the service role bypasses it; with no policies
// on storage.buckets, users see no buckets). Upload checks use bucket-settings.ts instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseSize } from '../config.ts';
import type { Gateway } from '../gateway/context.ts';
import { send } from '../http.ts';
import { findBucket } from './bucket-settings.ts';
import { optionalInteger, optionalString, readJson, requireCaller } from './caller.ts';
import { removeBucketDirectory } from './disk.ts';
import { errors } from './errors.ts';
import { assertValidBucketName } from './object-paths.ts';
import { deleteObjectRows } from './objects.ts';

interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  file_size_limit: string | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

const BUCKET_COLUMNS = 'id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at';

function bucketJson(row: BucketRow) {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner ?? row.owner_id ?? '',
    public: row.public,
    type: 'STANDARD',
    file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit),
    allowed_mime_types: row.allowed_mime_types,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function sizeFromBody(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  let n: number | null;
  try {
    n = parseSize(value);
  } catch {
    throw errors.invalidRequest('Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B');
  }
  if (n !== null && (!Number.isFinite(n) || n < 0)) throw errors.invalidRequest('Invalid file size limit');
  return n;
}

function mimeListFromBody(value: unknown): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw errors.invalidRequest('body/allowed_mime_types must be an array of strings');
  }
  return value.length === 0 ? null : (value as string[]);
}

const BUCKET_SORT_COLUMNS = new Set(['id', 'name', 'created_at', 'updated_at']);

/** `/bucket…` routes; `segments` are the decoded segments after `/bucket`. */
export async function handleBucketRoute(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  segments: string[],
): Promise<void> {
  const method = req.method ?? 'GET';
  const caller = await requireCaller(req, url, gw);
  const who = caller.identity;

  if (segments.length === 0 && method === 'GET') {
    const q = url.searchParams;
    const limit = q.has('limit') ? optionalInteger({ limit: q.get('limit') }, 'limit', 0) : undefined;
    const offset = q.has('offset') ? optionalInteger({ offset: q.get('offset') }, 'offset', 0) : undefined;
    const sortColumn = q.get('sortColumn') ?? 'name';
    const sortOrder = (q.get('sortOrder') ?? 'asc').toLowerCase();
    if (!BUCKET_SORT_COLUMNS.has(sortColumn)) throw errors.invalidRequest(`Invalid sortColumn ${sortColumn}`);
    if (sortOrder !== 'asc' && sortOrder !== 'desc') throw errors.invalidRequest(`Invalid sortOrder ${sortOrder}`);
    const search = q.get('search') ?? '';
    const rows = await gw.db.asCaller(who, { readOnly: true }, async (c) =>
      (await c.query<BucketRow>(
        `select ${BUCKET_COLUMNS} from storage.buckets
          where $1 = '' or name ilike '%' || $1 || '%'
          order by ${sortColumn} ${sortOrder}
          limit $2 offset $3`,
        [search.replace(/[\\%_]/g, (m) => `\\${m}`), limit ?? null, offset ?? 0],
      )).rows
    );
    send(res, 200, rows.map(bucketJson));
    return;
  }

  if (segments.length === 0 && method === 'POST') {
    const body = await readJson(req);
    const name = optionalString(body, 'name') ?? optionalString(body, 'id');
    if (!name) throw errors.invalidRequest("body must have required property 'name'");
    const id = optionalString(body, 'id') ?? name;
    assertValidBucketName(id);
    assertValidBucketName(name);
    const isPublic = body.public === true;
    const limit = sizeFromBody(body.file_size_limit) ?? null;
    const mimes = mimeListFromBody(body.allowed_mime_types) ?? null;
    await gw.db.asCaller(who, {}, (c) =>
      c.query(
        `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [id, name, caller.ownerUuid, caller.sub, isPublic, limit, mimes],
      )
    ).catch((e) => {
      if ((e as { code?: string }).code === '23505') throw errors.bucketExists();
      throw e;
    });
    send(res, 200, { name });
    return;
  }

  if (segments.length !== 1 && !(segments.length === 2 && segments[1] === 'empty')) {
    throw errors.routeNotFound(method, url.pathname);
  }
  const id = segments[0];

  if (segments.length === 2) {
    if (method !== 'POST') throw errors.routeNotFound(method, url.pathname);
    await findBucket(gw, id);
    await deleteObjectRows(gw, who, id, null);
    send(res, 200, { message: 'Successfully emptied' });
    return;
  }

  if (method === 'GET') {
    const rows = await gw.db.asCaller(who, { readOnly: true }, async (c) =>
      (await c.query<BucketRow>(`select ${BUCKET_COLUMNS} from storage.buckets where id = $1`, [id])).rows
    );
    if (rows.length === 0) throw errors.bucketNotFound();
    send(res, 200, bucketJson(rows[0]));
    return;
  }

  if (method === 'PUT') {
    const body = await readJson(req);
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [id];
    if (typeof body.public === 'boolean') {
      params.push(body.public);
      sets.push(`public = $${params.length}`);
    }
    const limit = sizeFromBody(body.file_size_limit);
    if (limit !== undefined) {
      params.push(limit);
      sets.push(`file_size_limit = $${params.length}`);
    }
    const mimes = mimeListFromBody(body.allowed_mime_types);
    if (mimes !== undefined) {
      params.push(mimes);
      sets.push(`allowed_mime_types = $${params.length}`);
    }
    const updated = await gw.db.asCaller(who, {}, async (c) =>
      (await c.query(`update storage.buckets set ${sets.join(', ')} where id = $1`, params)).rowCount ?? 0
    );
    if (updated === 0) throw errors.bucketNotFound();
    send(res, 200, { message: 'Successfully updated' });
    return;
  }

  if (method === 'DELETE') {
    await findBucket(gw, id);
    const { rows } = await gw.db.admin.query('select 1 from storage.objects where bucket_id = $1 limit 1', [id]);
    if (rows.length > 0) throw errors.bucketNotEmpty();
    const deleted = await gw.db.asCaller(who, {}, async (c) =>
      (await c.query('delete from storage.buckets where id = $1', [id])).rowCount ?? 0
    ).catch((e) => {
      if ((e as { code?: string }).code === '23503') throw errors.bucketNotEmpty();
      throw e;
    });
    if (deleted === 0) throw errors.bucketNotFound();
    await removeBucketDirectory(gw.cfg.storageDir, id).catch(() => {});
    send(res, 200, { message: 'Successfully deleted' });
    return;
  }

  throw errors.routeNotFound(method, url.pathname);
}
