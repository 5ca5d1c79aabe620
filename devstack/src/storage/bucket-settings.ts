// Bucket settings that uploads are checked against (size limit, MIME types, public flag), read
// with the admin pool as Storage reads them as its superuser, and the sync of config.toml's buckets.
import type { Gateway } from '../gateway/context.ts';
import { errors } from './errors.ts';
import { assertValidBucketName } from './object-paths.ts';

export interface BucketSettings {
  id: string;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
}

/** A bucket's upload settings, or Storage's "Bucket not found". */
export async function findBucket(gw: Gateway, id: string): Promise<BucketSettings> {
  const { rows } = await gw.db.admin.query<
    { id: string; public: boolean; file_size_limit: string | null; allowed_mime_types: string[] | null }
  >(
    'select id, public, file_size_limit, allowed_mime_types from storage.buckets where id = $1',
    [id],
  );
  if (rows.length === 0) throw errors.bucketNotFound();
  const row = rows[0];
  return {
    id: row.id,
    public: row.public === true,
    fileSizeLimit: row.file_size_limit === null ? null : Number(row.file_size_limit),
    allowedMimeTypes: row.allowed_mime_types,
  };
}

/** The effective size limit of a bucket: its own limit, never above the stack-wide one. */
export function sizeLimit(gw: Gateway, bucket: BucketSettings): number {
  const global = gw.cfg.storageFileSizeLimit;
  return bucket.fileSizeLimit === null || bucket.fileSizeLimit <= 0 ? global : Math.min(bucket.fileSizeLimit, global);
}

/** `text/plain; charset=UTF-8` → `text/plain`. */
export function bareMimeType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** Checks a content type against the bucket's allowed list (entries may be `image/*`). */
export function assertMimeAllowed(bucket: BucketSettings, contentType: string): void {
  const allowed = bucket.allowedMimeTypes;
  if (!allowed || allowed.length === 0) return;
  const mime = bareMimeType(contentType);
  const [type] = mime.split('/');
  const ok = allowed.some((entry) => {
    const want = entry.trim().toLowerCase();
    if (want === '*/*' || want === '*') return true;
    if (want.endsWith('/*')) return want.slice(0, -2) === type;
    return want === mime;
  });
  if (!ok) throw errors.invalidMimeType(contentType);
}

/** Upserts the buckets of supabase/config.toml into storage.buckets. */
export async function syncBuckets(gw: Gateway): Promise<void> {
  for (const b of gw.cfg.buckets) {
    assertValidBucketName(b.id);
    await gw.db.admin.query(
      `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
       values ($1, $1, $2, $3, $4)
       on conflict (id) do update
         set public = excluded.public,
             file_size_limit = excluded.file_size_limit,
             allowed_mime_types = excluded.allowed_mime_types,
             updated_at = now()
       where (storage.buckets.public, storage.buckets.file_size_limit, storage.buckets.allowed_mime_types)
             is distinct from (excluded.public, excluded.file_size_limit, excluded.allowed_mime_types)`,
      [b.id, b.public, b.fileSizeLimit, b.allowedMimeTypes],
    );
  }
}
