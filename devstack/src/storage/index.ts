// `/storage/v1`: the subset of Supabase Storage's HTTP API that storage-js uses, backed by the
// storage schema (rows, under the caller's RLS) and plain files under cfg.storageDir (bytes).
//
// Supported: buckets (list, get, create, update, empty, delete — all under storage.buckets RLS),
// object upload (raw or multipart; x-upsert), update, download (authenticated, public, signed;
// HEAD, ranges, ?download), info, list, delete (one or many), move, copy, signed download URLs
// (one or many) and signed upload URLs. Not supported (501): image transformation (/render),
// resumable (TUS) uploads, list-v2, CDN purge.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiHandler, Gateway } from '../gateway/context.ts';
import { send } from '../http.ts';
import { logger } from '../log.ts';
import { findBucket } from './bucket-settings.ts';
import { handleBucketRoute } from './buckets.ts';
import { requireCaller } from './caller.ts';
import { errors, sendStorageError, StorageError, toStorageError } from './errors.ts';
import { assertValidKey, decodeKey, decodePiece, rawApiPath, rawSegments } from './object-paths.ts';
import { objectInfo, serveObject } from './downloads.ts';
import { listObjects } from './list.ts';
import { findObjectRow, removeObject, removeObjects } from './objects.ts';
import { copyObject, moveObject } from './transfer.ts';
import { createUploadUrl, serveSigned, signMany, signOne, uploadWithToken } from './signed-urls.ts';
import { storeObject, type UploadMode } from './uploads.ts';

export { syncBuckets } from './bucket-settings.ts';

const log = logger('storage');

/** Bodies left unread after an error are drained by Node unless large; large ones close the connection. */
const DRAIN_LIMIT = 64 * 1024;

type Access = 'authenticated' | 'public';

async function download(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  access: Access,
  bucketId: string,
  key: string,
  infoOnly: boolean,
): Promise<void> {
  const caller = access === 'authenticated' ? await requireCaller(req, url, gw) : null;
  assertValidKey(key);
  const bucket = await findBucket(gw, bucketId);
  if (access === 'public' && !bucket.public) throw errors.bucketNotFound();
  const row = await findObjectRow(gw, caller ? caller.identity : null, bucketId, key);
  if (infoOnly) send(res, 200, objectInfo(row));
  else await serveObject(gw, req, res, url, row);
}

async function upload(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bucket: string,
  key: string,
  mode: UploadMode,
): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const id = await storeObject(gw, req, caller, bucket, key, mode);
  send(res, 200, { Id: id, Key: `${bucket}/${key}` });
}

/** Dispatches one request; throws (synchronously or not) Storage errors for the caller to send. */
function route(gw: Gateway, req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const read = method === 'GET' || method === 'HEAD';
  const seg = rawSegments(rawApiPath(req, path));
  const notFound = () => errors.routeNotFound(method, url.pathname);

  if (seg[0] === 'bucket') return handleBucketRoute(gw, req, res, url, seg.slice(1).map(decodePiece));
  if (seg[0] === 'render') throw errors.notImplemented('Image transformation');
  if (seg[0] === 'upload') throw errors.notImplemented('Resumable (TUS) upload');
  if (seg[0] === 'cdn') throw errors.notImplemented('CDN cache purge');
  if (seg[0] !== 'object' || seg.length < 2) throw notFound();

  const [, second] = seg;
  // `/object/<word>/<bucket>/<key…>`: the bucket and key after a keyword segment.
  const at = (i: number) => ({ bucket: decodePiece(seg[i] ?? ''), key: decodeKey(seg.slice(i + 1)) });

  switch (second) {
    case 'list':
      if (method === 'POST' && seg.length === 3) return listObjects(gw, req, res, url, decodePiece(seg[2]));
      throw notFound();
    case 'list-v2':
      throw errors.notImplemented('list-v2');
    case 'move':
      if (method === 'POST' && seg.length === 2) return moveObject(gw, req, res, url);
      throw notFound();
    case 'copy':
      if (method === 'POST' && seg.length === 2) return copyObject(gw, req, res, url);
      throw notFound();
    case 'sign': {
      if (seg.length < 3) throw notFound();
      if (method === 'POST' && seg.length === 3) return signMany(gw, req, res, url, decodePiece(seg[2]));
      const { bucket, key } = at(2);
      if (method === 'POST') return signOne(gw, req, res, url, bucket, key);
      if (read) return serveSigned(gw, req, res, url, bucket, key);
      throw notFound();
    }
    case 'upload': {
      if (seg[2] !== 'sign' || seg.length < 5) throw errors.notImplemented('Resumable (TUS) upload');
      const { bucket, key } = at(3);
      if (method === 'POST') return createUploadUrl(gw, req, res, url, bucket, key);
      if (method === 'PUT') return uploadWithToken(gw, req, res, url, bucket, key);
      throw notFound();
    }
    case 'public':
    case 'authenticated': {
      if (!read || seg.length < 4) throw notFound();
      const { bucket, key } = at(2);
      return download(gw, req, res, url, second, bucket, key, false);
    }
    case 'info': {
      if (!read || seg.length < 4) throw notFound();
      const access: Access = seg[2] === 'public' ? 'public' : 'authenticated';
      const first = seg[2] === 'public' || seg[2] === 'authenticated' ? 3 : 2;
      if (seg.length < first + 2) throw notFound();
      const { bucket, key } = at(first);
      return download(gw, req, res, url, access, bucket, key, true);
    }
  }

  // `/object/<bucket>` and `/object/<bucket>/<key…>`
  const { bucket, key } = at(1);
  if (seg.length === 2) {
    if (method === 'DELETE') return removeObjects(gw, req, res, url, bucket);
    throw notFound();
  }
  switch (method) {
    case 'POST': {
      const upsert = String(req.headers['x-upsert'] ?? '').toLowerCase() === 'true';
      return upload(gw, req, res, url, bucket, key, upsert ? 'upsert' : 'create');
    }
    case 'PUT':
      return upload(gw, req, res, url, bucket, key, 'update');
    case 'GET':
    case 'HEAD':
      return download(gw, req, res, url, 'authenticated', bucket, key, false);
    case 'DELETE':
      return removeObject(gw, req, res, url, bucket, key);
    default:
      throw notFound();
  }
}

/** The `/storage/v1` API; `path` is what follows `/storage/v1`. */
export function createStorageHandler(gw: Gateway): ApiHandler {
  return async (req, res, path, url) => {
    try {
      await route(gw, req, res, path, url);
    } catch (e) {
      // A body that broke off fails its read with a socket error: the client's doing, not an outage.
      const err = req.readableAborted && !(e instanceof StorageError) ? errors.invalidRequest('The request was aborted') : toStorageError(e);
      // The database being away is an outage to note, not a bug to chase.
      if (err.status === 503) log.warn('storage request refused', { method: req.method, path: url.pathname, error: String(e) });
      else if (err.status >= 500 && err.status !== 501) {
        log.error('storage request failed', { method: req.method, path: url.pathname, error: String(e) });
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (!req.complete) {
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (!(declared <= DRAIN_LIMIT)) err.headers.connection = 'close';
        req.resume();
      }
      sendStorageError(res, err);
    }
  };
}
