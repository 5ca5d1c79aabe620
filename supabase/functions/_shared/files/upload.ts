// POST …/upload: one file as multipart/form-data (field `file`) into the caller's uploads
// folder. The size limit holds whatever the client claims: a Content-Length over it is refused
// before reading, and a body that streams past it (chunked, or a lying header) is cut off. The
// type comes from the bytes (validate.ts), never from the client's Content-Type.
import { databaseUnavailableResponse } from '../database_unavailable.ts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { errorResponse, json } from '../http.ts';
import { FileStoreError, storeUserFile } from './store.ts';
import {
  type AcceptedUpload,
  MAX_UPLOAD_BYTES,
  UploadRejected,
  validateUpload,
} from './validate.ts';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

class BodyTooLarge extends Error {}

/** Passes bytes through and errors the stream once more than `limit` went by. */
export function limitedStream(
  body: ReadableStream<Uint8Array>,
  limit: number,
): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new BodyTooLarge(`body exceeds ${limit} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** The boundary named in a multipart Content-Type (quoted or not), or null. */
export function multipartBoundary(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

/** How much of the end of a body is kept to find the closing delimiter (and a short epilogue). */
const TAIL_BYTES = 4096;

/** Passes bytes through and keeps the last TAIL_BYTES of them for `tail()`. */
function keepingTail(body: ReadableStream<Uint8Array>) {
  let tail = new Uint8Array(0);
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const keep = Math.max(0, Math.min(tail.length, TAIL_BYTES - chunk.length));
        const next = new Uint8Array(keep + Math.min(chunk.length, TAIL_BYTES));
        next.set(tail.subarray(tail.length - keep));
        next.set(chunk.subarray(Math.max(0, chunk.length - TAIL_BYTES)), keep);
        tail = next;
        controller.enqueue(chunk);
      },
    }),
  );
  return { stream, tail: () => tail };
}

/**
 * True when the body ends with the multipart close delimiter ("--boundary--", then at most a
 * short epilogue). A body cut short lacks it — and a lenient parser would return the parts
 * before the cut as if nothing were missing.
 */
export function endsWithCloseDelimiter(tail: Uint8Array, boundary: string): boolean {
  // The boundary is ASCII; whatever the file's bytes decode to does not move it.
  const text = new TextDecoder().decode(tail);
  const at = text.lastIndexOf(`--${boundary}`);
  return at >= 0 && text.startsWith('--', at + 2 + boundary.length);
}

function tooLarge(limit: number): Response {
  return errorResponse(
    413,
    'file_too_large',
    `The file is larger than the limit of ${Math.round(limit / 1048576)} MB.`,
  );
}

const REJECTION_STATUS: Record<UploadRejected['code'], number> = {
  empty_file: 400,
  bad_file_name: 400,
  file_too_large: 413,
  file_type_not_allowed: 415,
  content_mismatch: 415,
};

export interface UploadOptions {
  db: SupabaseClient;
  userId: string;
  /** Default MAX_UPLOAD_BYTES (200 MB, spec §8). */
  limitBytes?: number;
}

export interface ReceivedUpload {
  file: File;
  bytes: Uint8Array;
  accepted: AcceptedUpload;
  /** The whole form, for fields sent beside the file. */
  form: FormData;
}

/**
 * Reads and checks the one file of a multipart/form-data request (field `file`): size limit,
 * allowlisted extension, type sniffed from the bytes. A refusal comes back as the Response to
 * send (400 / 413 / 415 with {error:{code,message}}).
 */
export async function receiveUpload(
  req: Request,
  limitBytes: number = MAX_UPLOAD_BYTES,
): Promise<ReceivedUpload | Response> {
  const limit = limitBytes;
  const contentType = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    return errorResponse(
      415,
      'multipart_required',
      'Send the file as multipart/form-data in the field "file".',
    );
  }
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit + MULTIPART_OVERHEAD) {
    await req.body?.cancel().catch(() => {});
    return tooLarge(limit);
  }
  if (!req.body) return errorResponse(400, 'file_missing', 'The request has no body.');
  const boundary = multipartBoundary(contentType);
  if (!boundary) {
    await req.body.cancel().catch(() => {});
    return errorResponse(400, 'bad_multipart', 'The multipart Content-Type names no boundary.');
  }

  let form: FormData;
  const body = keepingTail(limitedStream(req.body, limit + MULTIPART_OVERHEAD));
  try {
    form = await new Request(req.url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: body.stream,
    })
      .formData();
  } catch (e) {
    if (e instanceof BodyTooLarge || (e as Error)?.message?.includes('exceeds')) {
      return tooLarge(limit);
    }
    return errorResponse(
      400,
      'bad_multipart',
      `The upload could not be read: ${(e as Error).message}`,
    );
  }
  if (!endsWithCloseDelimiter(body.tail(), boundary)) {
    return errorResponse(
      400,
      'bad_multipart',
      'The upload was cut short: the multipart body ends before its closing boundary. Send it again.',
    );
  }
  const files = form.getAll('file');
  const file = files[0];
  if (!(file instanceof File)) {
    return errorResponse(400, 'file_missing', 'Put the file in the form field "file".');
  }
  if (files.length > 1) return errorResponse(400, 'one_file_only', 'Upload one file per request.');
  if (file.size > limit) return tooLarge(limit);

  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return { file, bytes, accepted: validateUpload(file.name, bytes.length, bytes), form };
  } catch (e) {
    if (e instanceof UploadRejected) {
      return errorResponse(REJECTION_STATUS[e.code], e.code, e.message);
    }
    throw e;
  }
}

export async function handleUpload(req: Request, options: UploadOptions): Promise<Response> {
  const received = await receiveUpload(req, options.limitBytes);
  if (received instanceof Response) return received;
  const { file, bytes, accepted } = received;
  try {
    const stored = await storeUserFile(options.db, {
      userId: options.userId,
      fileName: file.name,
      bytes,
      mimeType: accepted.mime,
      documentType: accepted.kind === 'image' ? 'creative' : 'other',
    });
    return json({ ...stored, kind: accepted.kind }, stored.duplicate ? 200 : 201);
  } catch (e) {
    if (e instanceof FileStoreError) {
      return e.unavailable ? databaseUnavailableResponse() : errorResponse(502, e.code, e.message);
    }
    throw e;
  }
}
