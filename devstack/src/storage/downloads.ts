// Serving object bytes: stored content headers, conditional requests, single byte ranges,
// `?download` attachments, and the info document of GET /object/info/….
import type { IncomingMessage, ServerResponse } from 'node:http';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Gateway } from '../gateway/context.ts';
import { errors } from './errors.ts';
import { baseName, objectFilePath } from './object-paths.ts';
import type { ObjectRow } from './objects.ts';

function parseRange(header: string, size: number): { start: number; end: number } | 'invalid' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // unsupported forms: send everything
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

/** Types a browser would render as a document with scripts. */
const ACTIVE_CONTENT = /^\s*(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)\b/i;

function contentDisposition(download: string, key: string): string {
  const name = download === '' ? baseName(key) : download;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Streams an object's file with its stored content headers (HEAD: headers only). */
export async function serveObject(
  gw: Gateway,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  row: ObjectRow,
): Promise<void> {
  const file = objectFilePath(gw.cfg.storageDir, row.bucket_id, row.name);
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch {
    throw errors.objectNotFound();
  }
  let handedOff = false;
  try {
    const size = (await fh.stat()).size;
    const meta = row.metadata ?? {};
    const headers: Record<string, string> = {
      'content-type': meta.mimetype || 'application/octet-stream',
      'cache-control': meta.cacheControl || 'no-cache',
      'last-modified': new Date(row.updated_at).toUTCString(),
      'accept-ranges': 'bytes',
    };
    if (meta.eTag) headers.etag = meta.eTag;
    // The gateway serves the web app from this same origin: uploaded markup must never run as it.
    if (ACTIVE_CONTENT.test(headers['content-type'])) headers['content-security-policy'] = 'sandbox';
    const download = url.searchParams.get('download');
    if (download !== null) headers['content-disposition'] = contentDisposition(download, row.name);

    if (meta.eTag && req.headers['if-none-match'] === meta.eTag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let status = 200;
    let start = 0;
    let end = size - 1;
    const rangeHeader = req.headers.range;
    if (rangeHeader && size > 0) {
      const range = parseRange(rangeHeader, size);
      if (range === 'invalid') throw errors.invalidRange(size);
      if (range) {
        status = 206;
        ({ start, end } = range);
        headers['content-range'] = `bytes ${start}-${end}/${size}`;
      }
    }
    headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    handedOff = true;
    await pipeline(fh.createReadStream({ start, end }), res).catch(() => res.destroy());
  } finally {
    if (!handedOff) await fh.close().catch(() => {});
  }
}

/** The body of GET /object/info/…: the object as storage-js's `info()` expects it. */
export function objectInfo(row: ObjectRow) {
  const meta = row.metadata ?? {};
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: meta.size ?? null,
    content_type: meta.mimetype ?? null,
    cache_control: meta.cacheControl ?? null,
    content_encoding: null,
    etag: meta.eTag ?? null,
    metadata: row.user_metadata ?? null,
    last_modified: row.updated_at,
    created_at: row.created_at,
  };
}
