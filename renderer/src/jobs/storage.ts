// Storage access for jobs with the service-role client, turning Storage errors into job
// verdicts: a missing object or a refused upload is final, a 5xx or a network error is not.
import type { SupabaseClient } from '@supabase/supabase-js';
import { JobError } from './errors.ts';

export interface StoredObject {
  bucket: string;
  path: string;
}

function statusOf(error: unknown): number {
  const e = error as { status?: unknown; statusCode?: unknown };
  // Storage reports some errors (a missing object) as HTTP 400 with statusCode "404".
  const fromBody = Number(e.statusCode);
  if (Number.isInteger(fromBody) && fromBody > 0) return fromBody;
  return typeof e.status === 'number' ? e.status : 0;
}

function storageFailure(action: string, error: unknown): JobError {
  const status = statusOf(error);
  const message = (error as Error)?.message ?? String(error);
  // 0: no HTTP answer at all. 409 only arises for a name taken in the same second; a later
  // attempt gets a new name.
  const retryable = status === 0 || status === 409 || status === 429 || status >= 500;
  return new JobError(`${action}: ${message}${status ? ` (HTTP ${status})` : ''}`, retryable);
}

export async function downloadObject(supabase: SupabaseClient, bucket: string, path: string, what: string): Promise<Buffer> {
  const { data, error } = await supabase.storage.from(bucket).download(path);
  if (error || !data) {
    if (statusOf(error) === 404) throw new JobError(`${what} is missing from storage (${bucket}/${path})`, false);
    throw storageFailure(`could not download ${what} (${bucket}/${path})`, error ?? new Error('no data'));
  }
  return Buffer.from(await data.arrayBuffer());
}

export async function uploadObject(
  supabase: SupabaseClient,
  object: StoredObject,
  bytes: Buffer,
  contentType: string,
  { upsert = false } = {},
): Promise<void> {
  const { error } = await supabase.storage.from(object.bucket).upload(object.path, bytes, { contentType, upsert });
  if (error) throw storageFailure(`could not upload ${object.bucket}/${object.path}`, error);
}

/** Removes what a failed job uploaded; returns the objects that could not be removed. */
export async function removeObjects(supabase: SupabaseClient, objects: readonly StoredObject[]): Promise<StoredObject[]> {
  const left: StoredObject[] = [];
  const buckets = [...new Set(objects.map((o) => o.bucket))];
  for (const bucket of buckets) {
    const mine = objects.filter((o) => o.bucket === bucket);
    const { error } = await supabase.storage.from(bucket).remove(mine.map((o) => o.path));
    if (error) left.push(...mine);
  }
  return left;
}
