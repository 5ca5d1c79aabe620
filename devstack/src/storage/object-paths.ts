// Object keys, bucket names and where they live on disk. Every key coming from a request is
// validated here before any file or row is touched, and every disk path is re-checked to lie
// inside its bucket directory, so no key (valid or not) can reach a file elsewhere.
import type { IncomingMessage } from 'node:http';
import { resolve, sep } from 'node:path';
import { errors } from './errors.ts';

export const API_PREFIX = '/storage/v1';

/** Longest key Storage accepts (S3's limit), and the longest single path segment a disk allows. */
const MAX_KEY_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;

// Characters Supabase allows in bucket names. `~` is not among them, which keeps the staging
// directory below (`~staging`) from ever colliding with a bucket directory.
const BUCKET_NAME = /^[\w!\-.*'() &$@=;:+,?]+$/;
export const STAGING_DIR_NAME = '~staging';

// deno-lint-ignore no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Why a key is refused, or undefined when it is acceptable. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'empty key';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return 'key too long';
  if (CONTROL_CHARS.test(key)) return 'control character';
  if (key.includes('\\')) return 'backslash';
  if (key.startsWith('/')) return 'leading slash';
  if (key.endsWith('/')) return 'trailing slash';
  for (const segment of key.split('/')) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return 'relative path segment';
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return 'path segment too long';
  }
  return undefined;
}

/** Throws Storage's InvalidKey error for a key that must never be stored. */
export function assertValidKey(key: string): string {
  if (keyProblem(key)) throw errors.invalidKey(printable(key));
  return key;
}

export function isValidBucketName(name: string): boolean {
  return name.length > 0 && name.length <= 100 && BUCKET_NAME.test(name) && name !== '.' && name !== '..';
}

export function assertValidBucketName(name: string): string {
  if (!isValidBucketName(name)) throw errors.invalidBucketName(printable(name));
  return name;
}

/** A key as it may be echoed in an error message: control characters escaped. */
function printable(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The path of the request below `/storage/v1`, exactly as the client sent it (still
 * percent-encoded). The gateway's `path` comes from a WHATWG URL, which silently resolves `..`
 * and `%2e%2e` segments and turns `\` into `/`; the raw request target keeps them so they can be
 * refused instead of reinterpreted.
 */
export function rawApiPath(req: IncomingMessage, fallback: string): string {
  const target = (req.url ?? '').split('?')[0].split('#')[0];
  if (target === API_PREFIX || target.startsWith(`${API_PREFIX}/`)) return target.slice(API_PREFIX.length);
  return fallback;
}

/** Splits a raw path into its still-encoded segments (`/object/b/x%20y` → ['object','b','x%20y']). */
export function rawSegments(rawPath: string): string[] {
  const trimmed = rawPath.replace(/^\/+/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/** Decodes one percent-encoded piece of a path; malformed escapes are an invalid key. */
export function decodePiece(piece: string): string {
  try {
    return decodeURIComponent(piece);
  } catch {
    throw errors.invalidKey(piece);
  }
}

/** Decodes the key made of the given raw segments, keeping `/` between them. */
export function decodeKey(segments: string[]): string {
  return segments.map(decodePiece).join('/');
}

/** The directory holding one bucket's files, guaranteed to be a direct child of storageDir. */
export function bucketDirectory(storageDir: string, bucket: string): string {
  assertValidBucketName(bucket);
  const root = resolve(storageDir);
  const dir = resolve(root, bucket);
  if (dir === root || !dir.startsWith(root + sep) || dir.slice(root.length + 1).includes(sep)) {
    throw errors.invalidBucketName(bucket);
  }
  return dir;
}

/** The file of one object. Validates the key and proves the result stays inside the bucket. */
export function objectFilePath(storageDir: string, bucket: string, key: string): string {
  assertValidKey(key);
  const dir = bucketDirectory(storageDir, bucket);
  const file = resolve(dir, ...key.split('/'));
  if (!file.startsWith(dir + sep)) throw errors.invalidKey(key);
  return file;
}

export function stagingDirectory(storageDir: string): string {
  return resolve(storageDir, STAGING_DIR_NAME);
}

/** The last segment of a key (for Content-Disposition). */
export function baseName(key: string): string {
  const i = key.lastIndexOf('/');
  return i === -1 ? key : key.slice(i + 1);
}

/** Normalises a list prefix: no leading/trailing or doubled slashes. */
export function normalizePrefix(prefix: string): string {
  return prefix.split('/').filter((s) => s !== '').join('/');
}
