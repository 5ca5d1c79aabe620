// Uploads (POST), overwrites (PUT) and upserts (POST + x-upsert). Order of checks, cheapest
// first and nothing on disk until the caller is known to be allowed:
//   key → bucket → declared size / MIME (raw bodies) → RLS probe in a rolled-back transaction →
//   body streamed to a staging file with a byte counter → row written and file renamed into
//   place in one transaction.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Gateway } from '../gateway/context.ts';
import { readBody } from '../http.ts';
import { assertMimeAllowed, type BucketSettings, findBucket, sizeLimit } from './bucket-settings.ts';
import type { StorageCaller } from './caller.ts';
import { discard, type StagedFile, stageBuffer, stageStream } from './disk.ts';
import { errors } from './errors.ts';
import { assertValidKey } from './object-paths.ts';
import { INSERT_OBJECT, inTransactionWithDisk, objectMetadata, ON_CONFLICT_UPDATE } from './objects.ts';

/** create: new object only (409 if it exists); upsert: create or replace; update: replace only. */
export type UploadMode = 'create' | 'upsert' | 'update';

/** Room for the form fields and part headers around the file in a multipart body. */
const MULTIPART_OVERHEAD = 1024 * 1024;

// Takes the INSERT_OBJECT parameters without the leading id.
const UPDATE_OBJECT = `update storage.objects
    set owner = $3, owner_id = $4, metadata = $5, user_metadata = $6::jsonb, version = $7,
        updated_at = now(), last_accessed_at = now()
  where bucket_id = $1 and name = $2`;

interface ReceivedUpload {
  staged: StagedFile;
  contentType: string;
  cacheControl: string;
  userMetadata: unknown;
}

class ProbePassed extends Error {}

function parseUserMetadata(text: string | undefined, base64: boolean): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(base64 ? Buffer.from(text, 'base64').toString('utf8') : text);
  } catch {
    throw errors.invalidRequest('Invalid metadata: it must be JSON');
  }
}

function declaredLength(req: IncomingMessage): number | undefined {
  const v = req.headers['content-length'];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function rowParams(
  id: string,
  bucket: string,
  key: string,
  caller: StorageCaller,
  metadata: unknown,
  userMetadata: unknown,
): unknown[] {
  return [
    id,
    bucket,
    key,
    caller.ownerUuid,
    caller.sub,
    metadata,
    userMetadata === null || userMetadata === undefined ? null : JSON.stringify(userMetadata),
    randomUUID(),
  ];
}

/**
 * Asks the database whether the caller may write this row before any byte is stored: the same
 * statement the upload will run, in a transaction that is always rolled back. RLS denials (403),
 * an existing object without upsert (409) and a missing object on update (404) surface here.
 */
export async function probeWrite(gw: Gateway, caller: StorageCaller, bucket: string, key: string, mode: UploadMode) {
  try {
    await gw.db.asCaller(caller.identity, {}, async (c) => {
      const params = rowParams(randomUUID(), bucket, key, caller, null, null);
      if (mode === 'update') {
        const { rowCount } = await c.query(UPDATE_OBJECT, params.slice(1));
        if (!rowCount) throw errors.objectNotFound();
      } else {
        await c.query(mode === 'upsert' ? `${INSERT_OBJECT} ${ON_CONFLICT_UPDATE}` : INSERT_OBJECT, params);
      }
      throw new ProbePassed();
    });
  } catch (e) {
    if (e instanceof ProbePassed) return;
    throw e;
  }
}

/** Reads a multipart body (buffered, bounded by the size limit) and stages its first file. */
async function receiveMultipart(
  gw: Gateway,
  req: IncomingMessage,
  bucket: BucketSettings,
  limit: number,
): Promise<ReceivedUpload> {
  const raw = await readBody(req, limit + MULTIPART_OVERHEAD, () => errors.entityTooLarge());
  let form: FormData;
  try {
    form = await new Request('http://storage.local/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type']) },
      body: new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength),
    }).formData();
  } catch {
    throw errors.invalidRequest('The multipart body could not be read');
  }
  let file: Blob | undefined;
  for (const [, value] of form) {
    if (typeof value !== 'string') {
      file = value;
      break;
    }
  }
  if (!file) throw errors.invalidRequest('No content provided');
  if (file.size > limit) throw errors.entityTooLarge();
  const contentType = file.type || 'application/octet-stream';
  assertMimeAllowed(bucket, contentType);
  const cacheField = form.get('cacheControl');
  const cacheControl = typeof cacheField === 'string' && cacheField !== ''
    ? (/^\d+$/.test(cacheField) ? `max-age=${cacheField}` : cacheField)
    : 'no-cache';
  const metaField = form.get('metadata') ?? form.get('userMetadata');
  const userMetadata = parseUserMetadata(typeof metaField === 'string' ? metaField : undefined, false);
  const staged = await stageBuffer(gw.cfg.storageDir, new Uint8Array(await file.arrayBuffer()));
  return { staged, contentType, cacheControl, userMetadata };
}

/**
 * Stores one object from the request body and returns its id. `caller` decides RLS (the gateway's
 * service identity for signed upload URLs).
 */
export async function storeObject(
  gw: Gateway,
  req: IncomingMessage,
  caller: StorageCaller,
  bucketId: string,
  key: string,
  mode: UploadMode,
): Promise<string> {
  assertValidKey(key);
  const bucket = await findBucket(gw, bucketId);
  const limit = sizeLimit(gw, bucket);
  const requestType = String(req.headers['content-type'] ?? '');
  const multipart = /^multipart\/form-data/i.test(requestType);
  const declared = declaredLength(req);

  let rawType = '';
  if (multipart) {
    if (declared !== undefined && declared > limit + MULTIPART_OVERHEAD) throw errors.entityTooLarge();
  } else {
    rawType = requestType || 'application/octet-stream';
    assertMimeAllowed(bucket, rawType);
    if (declared !== undefined && declared > limit) throw errors.entityTooLarge();
  }

  await probeWrite(gw, caller, bucketId, key, mode);

  let upload: ReceivedUpload;
  if (multipart) {
    upload = await receiveMultipart(gw, req, bucket, limit);
  } else {
    const cacheHeader = req.headers['cache-control'];
    const metaHeader = req.headers['x-metadata'];
    upload = {
      staged: await stageStream(gw.cfg.storageDir, req, limit),
      contentType: rawType,
      cacheControl: typeof cacheHeader === 'string' && cacheHeader !== '' ? cacheHeader : 'no-cache',
      userMetadata: parseUserMetadata(typeof metaHeader === 'string' ? metaHeader : undefined, true),
    };
  }

  const { staged } = upload;
  try {
    const metadata = objectMetadata(staged.size, staged.eTag, upload.contentType, upload.cacheControl);
    return await inTransactionWithDisk(gw, caller.identity, async (c, disk) => {
      const newId = randomUUID();
      const params = rowParams(newId, bucketId, key, caller, metadata, upload.userMetadata);
      let id: string = newId;
      if (mode === 'create') {
        await c.query(INSERT_OBJECT, params);
      } else {
        const { rows } = mode === 'upsert'
          ? await c.query<{ id: string }>(`${INSERT_OBJECT} ${ON_CONFLICT_UPDATE} returning id`, params)
          : await c.query<{ id: string }>(`${UPDATE_OBJECT} returning id`, params.slice(1));
        if (rows.length === 0) throw errors.objectNotFound();
        id = rows[0].id;
      }
      await disk.place(staged.path, bucketId, key);
      return id;
    });
  } finally {
    await discard(staged.path);
  }
}
