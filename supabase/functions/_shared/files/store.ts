// Stores a file in the caller's uploads folder and tracks it in `documents` (spec §8):
// `uploads/<user_id>/<YYYY>/<MM>/<DD>/<uuid>_<safe name>`, SHA-256 for de-duplication, all with
// the caller's JWT so the storage policy (owner folder) and the documents policies decide.
import { isDatabaseUnavailable } from '../database_unavailable.ts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { safeFileName } from './validate.ts';

export type DocumentType =
  | 'creative'
  | 'bo_pdf'
  | 'bo_image'
  | 'bo_excel'
  | 'contract'
  | 'invoice'
  | 'other';

export interface StoredFile {
  file_id: string;
  bucket: 'uploads';
  path: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  document_type: DocumentType;
  /** True when the same content was already stored by this user; nothing new was written. */
  duplicate: boolean;
}

export class FileStoreError extends Error {
  constructor(
    readonly code: 'storage_failed' | 'record_failed',
    message: string,
    /** The database or API was unreachable: worth a retry (503), not a fault of ours (502). */
    readonly unavailable = false,
  ) {
    super(message);
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `<user_id>/<YYYY>/<MM>/<DD>/<uuid>_<safe name>` (UTC date). */
export function uploadPath(userId: string, fileName: string, now: Date, id: string): string {
  const day = now.toISOString().slice(0, 10).split('-').join('/');
  return `${userId}/${day}/${id}_${safeFileName(fileName)}`;
}

export interface StoreFileInput {
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  mimeType: string;
  documentType: DocumentType;
  metadata?: Record<string, unknown>;
  now?: Date;
}

const DOCUMENT_COLUMNS =
  'id,storage_path,original_filename,mime_type,size_bytes,sha256,document_type';

function describe(row: Record<string, any>, duplicate: boolean): StoredFile {
  return {
    file_id: row.id,
    bucket: 'uploads',
    path: row.storage_path,
    filename: row.original_filename,
    mime_type: row.mime_type,
    size_bytes: Number(row.size_bytes),
    sha256: row.sha256,
    document_type: row.document_type,
    duplicate,
  };
}

export async function storeUserFile(
  db: SupabaseClient,
  input: StoreFileInput,
): Promise<StoredFile> {
  const sha256 = await sha256Hex(input.bytes);
  // The same bytes uploaded again by the same person: hand back the file already stored.
  const existing = await db.from('documents')
    .select(DOCUMENT_COLUMNS)
    .eq('owner_id', input.userId)
    .eq('bucket', 'uploads')
    .eq('sha256', sha256)
    .is('deleted_at', null)
    .limit(1);
  if (!existing.error && existing.data?.length) return describe(existing.data[0], true);

  const id = crypto.randomUUID();
  const path = uploadPath(input.userId, input.fileName, input.now ?? new Date(), id);
  const upload = await db.storage.from('uploads').upload(path, input.bytes, {
    contentType: input.mimeType,
    upsert: false,
  });
  if (upload.error) {
    const status = (upload.error as { status?: number; statusCode?: string }).status ??
      Number((upload.error as { statusCode?: string }).statusCode);
    throw new FileStoreError(
      'storage_failed',
      `could not store the file: ${upload.error.message}`,
      isDatabaseUnavailable(upload.error, status),
    );
  }
  const { data, error, status } = await db.from('documents').insert({
    id,
    bucket: 'uploads',
    storage_path: path,
    original_filename: input.fileName.slice(0, 255),
    mime_type: input.mimeType,
    size_bytes: input.bytes.length,
    sha256,
    document_type: input.documentType,
    metadata: input.metadata ?? {},
  }).select(DOCUMENT_COLUMNS).single();
  if (error) {
    // No object without its documents row.
    await db.storage.from('uploads').remove([path]);
    throw new FileStoreError(
      'record_failed',
      `could not record the file: ${error.message}`,
      isDatabaseUnavailable(error, status),
    );
  }
  return describe(data, false);
}
