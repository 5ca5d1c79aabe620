// POST /object/list/{bucket}: one folder level of a bucket, as Storage's `storage.search` lists it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Gateway } from '../gateway/context.ts';
import { send } from '../http.ts';
import { findBucket } from './bucket-settings.ts';
import { optionalInteger, optionalString, readJson, requireCaller } from './caller.ts';
import { errors } from './errors.ts';
import { normalizePrefix } from './object-paths.ts';

const LIST_SORT_COLUMNS = new Set(['name', 'updated_at', 'created_at', 'last_accessed_at']);

/**
 * POST /object/list/{bucket}: the files directly under `prefix` plus one entry per sub-folder
 * (folders first, all fields but `name` null), as Storage's `storage.search` answers. `search`
 * matches the start of the remaining name, case-insensitively. Runs under the caller's RLS, so
 * folders holding only invisible objects do not appear.
 */
export async function listObjects(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const body = await readJson(req);
  await findBucket(gw, bucket);
  const prefix = normalizePrefix(optionalString(body, 'prefix') ?? '');
  const limit = optionalInteger(body, 'limit', 0) ?? 100;
  const offset = optionalInteger(body, 'offset', 0) ?? 0;
  const search = optionalString(body, 'search') ?? '';
  const sortBy = (body.sortBy ?? {}) as Record<string, unknown>;
  const column = typeof sortBy.column === 'string' ? sortBy.column : 'name';
  const order = typeof sortBy.order === 'string' ? sortBy.order.toLowerCase() : 'asc';
  if (!LIST_SORT_COLUMNS.has(column)) throw errors.invalidRequest(`Invalid sortBy column ${column}`);
  if (order !== 'asc' && order !== 'desc') throw errors.invalidRequest(`Invalid sortBy order ${order}`);

  const folderPath = prefix === '' ? '' : `${prefix}/`;
  const level = folderPath.split('/').length; // '' → 1, 'a/' → 2
  const pattern = `${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const sql = `
    with visible as (
      select id, name, updated_at, created_at, last_accessed_at, metadata, path_tokens
        from storage.objects
       where bucket_id = $1
         and starts_with(name, $2)
         and substr(name, length($2) + 1) ilike $3
    ), entries as (
      select 0 as kind, folder as name, null::uuid as id, null::timestamptz as updated_at,
             null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
        from (select distinct path_tokens[$4] as folder from visible where cardinality(path_tokens) > $4) f
      union all
      select 1, path_tokens[$4], id, updated_at, created_at, last_accessed_at, metadata
        from visible where cardinality(path_tokens) = $4
    )
    select name, id, updated_at, created_at, last_accessed_at, metadata
      from entries
     order by kind, case when kind = 0 then name end ${order}, ${column} ${order}, name ${order}
     limit $5 offset $6`;
  const rows = await gw.db.asCaller(caller.identity, { readOnly: true }, async (c) =>
    (await c.query(sql, [bucket, folderPath, pattern, level, limit, offset])).rows
  );
  send(res, 200, rows);
}
