// Errors of the local Storage API, in the body shape Supabase Storage answers with:
// `{ statusCode: '404', code: 'NoSuchKey', error: 'not_found', message: 'Object not found' }`.
//
// HTTP status vs `statusCode`: the hosted service sends most of its errors with HTTP 400 and puts
// the meaningful code in the body's `statusCode` string (a missing object is HTTP 400 with
// statusCode '404'; a bad or expired JWT is HTTP 400 with statusCode '403'). storage-js surfaces
// both (`error.status`, `error.statusCode`), so both are reproduced here. Where a client can act
// on the HTTP status itself — duplicates (409), RLS denials (403), oversized bodies (413) and
// refused MIME types (415) — the HTTP status equals `statusCode`.
import type { ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '../db.ts';
import { HttpError, send } from '../http.ts';
import { JwtError } from '../jwt.ts';

export interface StorageErrorBody {
  statusCode: string;
  code: string;
  error: string;
  message: string;
}

export class StorageError extends HttpError {
  constructor(httpStatus: number, statusCode: number, code: string, error: string, message: string, headers: Record<string, string> = {}) {
    const body: StorageErrorBody = { statusCode: String(statusCode), code, error, message };
    super(httpStatus, body, headers);
  }

  get storageBody(): StorageErrorBody {
    return this.body as StorageErrorBody;
  }
}

export const errors = {
  invalidKey: (key: string) => new StorageError(400, 400, 'InvalidKey', 'InvalidKey', `Invalid key: ${key}`),
  invalidBucketName: (name: string) =>
    new StorageError(400, 400, 'InvalidBucketName', 'Invalid Input', `Bucket name invalid: ${name}`),
  bucketNotFound: () => new StorageError(400, 404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  objectNotFound: () => new StorageError(400, 404, 'NoSuchKey', 'not_found', 'Object not found'),
  duplicate: () => new StorageError(409, 409, 'KeyAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketExists: () => new StorageError(409, 409, 'BucketAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketNotEmpty: () =>
    new StorageError(409, 409, 'ResourceNotEmpty', 'ResourceNotEmpty', 'The bucket you tried to delete is not empty'),
  entityTooLarge: () =>
    new StorageError(413, 413, 'EntityTooLarge', 'Payload too large', 'The object exceeded the maximum allowed size', {
      connection: 'close',
    }),
  invalidMimeType: (mime: string) =>
    new StorageError(415, 415, 'InvalidMimeType', 'invalid_mime_type', `mime type ${mime} is not supported`),
  rlsDenied: () =>
    new StorageError(403, 403, 'AccessDenied', 'Unauthorized', 'new row violates row-level security policy'),
  accessDenied: (message: string) => new StorageError(403, 403, 'AccessDenied', 'Unauthorized', message),
  /** A caller's JWT was missing, malformed, badly signed or expired (HTTP 400, statusCode '403'). */
  unauthorized: (message: string) => new StorageError(400, 403, 'AccessDenied', 'Unauthorized', message),
  /** A signed-URL token was missing, malformed, badly signed or expired. */
  invalidJwt: (message: string) => new StorageError(400, 400, 'InvalidJWT', 'InvalidJWT', message),
  invalidSignature: (message: string) => new StorageError(400, 400, 'InvalidSignature', 'InvalidSignature', message),
  invalidRequest: (message: string) => new StorageError(400, 400, 'InvalidRequest', 'InvalidRequest', message),
  invalidRange: (size: number) =>
    new StorageError(416, 416, 'InvalidRange', 'invalid_range', 'invalid range provided', {
      'content-range': `bytes */${size}`,
    }),
  routeNotFound: (method: string, path: string) =>
    new StorageError(404, 404, 'NotFound', 'Not Found', `Route ${method}:${path} not found`),
  notImplemented: (what: string) =>
    new StorageError(501, 501, 'NotSupported', 'not_implemented', `${what} is not supported by the local storage API`),
  internal: () => new StorageError(500, 500, 'InternalError', 'internal', 'Internal server error'),
  databaseUnavailable: () =>
    new StorageError(503, 503, 'DatabaseUnavailable', 'database_unavailable', 'The database is unavailable; try again in a moment'),
};

/** Storage's answer for a caller whose JWT did not verify (jsonwebtoken-style messages). */
export function fromJwtError(e: JwtError, forSignedUrl = false): StorageError {
  const message = e.reason === 'missing'
    ? 'jwt must be provided'
    : e.reason === 'expired'
    ? 'jwt expired'
    : /signature/i.test(e.message)
    ? 'invalid signature'
    : 'jwt malformed';
  return forSignedUrl ? errors.invalidJwt(message) : errors.unauthorized(message);
}

interface PgErrorLike {
  code?: string;
  message?: string;
  constraint?: string;
}

/** Maps a Postgres error to Storage's answer, or returns undefined for an unexpected one. */
export function fromDbError(e: unknown): StorageError | undefined {
  if (!e || typeof e !== 'object' || typeof (e as PgErrorLike).code !== 'string') return undefined;
  const pgErr = e as PgErrorLike;
  switch (pgErr.code) {
    case '42501':
      return /row-level security/i.test(pgErr.message ?? '')
        ? errors.rlsDenied()
        : errors.accessDenied(pgErr.message ?? 'permission denied');
    case '23505':
      return errors.duplicate();
    case '23503':
      return errors.bucketNotFound();
    case '22P02':
    case '22023':
    case '22007':
      return errors.invalidRequest(pgErr.message ?? 'invalid input');
    default:
      return undefined;
  }
}

/** Turns anything thrown by a storage route into Storage's error shape. */
export function toStorageError(e: unknown): StorageError {
  if (e instanceof StorageError) return e;
  if (e instanceof JwtError) return fromJwtError(e);
  const mapped = fromDbError(e);
  if (mapped) return mapped;
  if (isDatabaseUnavailable(e)) return errors.databaseUnavailable();
  if (e instanceof HttpError) {
    const status = e.status;
    const message = e.message || `HTTP ${status}`;
    return new StorageError(status, status, 'InvalidRequest', 'InvalidRequest', message, e.headers);
  }
  return errors.internal();
}

export function sendStorageError(res: ServerResponse, err: StorageError): void {
  send(res, err.status, err.body, err.headers);
}
