// Files attached to a chat message: resolved from `documents` under the caller's RLS (a file
// id the caller cannot read is "not found" — no signed URL or content for someone else's file,
// §11.7), then turned into what the model reads: images as image parts (base64), documents as
// extracted text, or a note saying why their content is not included.
import type { SupabaseClient } from '@supabase/supabase-js';
import { extractDocumentText } from '../files/extract.ts';
import type { UserContentPart } from '../llm/mod.ts';
import type { AttachmentRef } from './store.ts';
import type { Attachment } from './types.ts';

/** Image types every supported model accepts as input. */
const MODEL_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
/** OpenAI's per-image input limit. */
export const MAX_IMAGE_PART_BYTES = 20 * 1024 * 1024;

export class AttachmentNotFound extends Error {
  constructor(readonly fileIds: string[]) {
    super(`no file with id ${fileIds.join(', ')} that you can read`);
  }
}

/** The documents rows of `fileIds`, in the order given; throws AttachmentNotFound. */
export async function loadAttachments(
  db: SupabaseClient,
  fileIds: string[],
): Promise<Attachment[]> {
  if (!fileIds.length) return [];
  const { data, error } = await db.from('documents')
    .select('id,bucket,storage_path,original_filename,mime_type,size_bytes,deleted_at')
    .in('id', fileIds);
  if (error) throw new Error(`could not read the attached files: ${error.message}`);
  const rows = new Map(
    (data as Record<string, any>[]).filter((r) => !r.deleted_at).map((r) => [r.id, r]),
  );
  const missing = fileIds.filter((id) => !rows.has(id));
  if (missing.length) throw new AttachmentNotFound(missing);
  return fileIds.map((id) => {
    const row = rows.get(id)!;
    const mimeType = row.mime_type ?? 'application/octet-stream';
    return {
      documentId: id,
      bucket: row.bucket,
      path: row.storage_path,
      filename: row.original_filename,
      mimeType,
      sizeBytes: Number(row.size_bytes ?? 0),
      kind: mimeType.startsWith('image/') ? 'image' : 'document',
    };
  });
}

export function attachmentRefs(attachments: Attachment[]): AttachmentRef[] {
  return attachments.map((a) => ({
    document_id: a.documentId,
    bucket: a.bucket,
    path: a.path,
    filename: a.filename,
    mime_type: a.mimeType,
    size_bytes: a.sizeBytes,
  }));
}

function extensionOf(name: string): string {
  return /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function download(db: SupabaseClient, file: Attachment): Promise<Uint8Array> {
  const { data, error } = await db.storage.from(file.bucket).download(file.path);
  if (error || !data) throw new Error(error?.message ?? 'no content');
  return new Uint8Array(await data.arrayBuffer());
}

/** What the model is given for each attachment, in order. Never throws: problems become notes. */
export async function attachmentParts(
  db: SupabaseClient,
  attachments: Attachment[],
): Promise<UserContentPart[]> {
  const parts = await Promise.all(attachments.map(async (file): Promise<UserContentPart[]> => {
    const label = `${file.filename}, ${file.sizeBytes} bytes`;
    if (file.kind === 'image') {
      if (!MODEL_IMAGE_TYPES.has(file.mimeType) || file.sizeBytes > MAX_IMAGE_PART_BYTES) {
        return [{
          type: 'text',
          text: `[Attached image: ${label} — not shown to you (${file.mimeType}, ` +
            `models take JPEG, PNG, WebP or GIF up to 20 MB); it can still be used as a creative]`,
        }];
      }
      try {
        const bytes = await download(db, file);
        return [
          { type: 'text', text: `[Attached image: ${file.filename} (file id ${file.documentId})]` },
          { type: 'image', mimeType: file.mimeType, base64: base64(bytes) },
        ];
      } catch (e) {
        return [{
          type: 'text',
          text: `[Attached image: ${label} — could not be read: ${(e as Error).message}]`,
        }];
      }
    }
    const kind = extensionOf(file.filename).toUpperCase() || 'document';
    try {
      const extracted = await extractDocumentText(
        extensionOf(file.filename),
        await download(db, file),
      );
      if (!extracted) {
        return [{
          type: 'text',
          text: `[Attached ${kind}: ${label} — text extraction unavailable for this type]`,
        }];
      }
      return [{
        type: 'text',
        text:
          `[Attached ${kind}: ${file.filename} (file id ${file.documentId}), ${extracted.detail}` +
          `${
            extracted.truncated ? ', text cut to fit' : ''
          }]\n${extracted.text}\n[End of ${file.filename}]`,
      }];
    } catch (e) {
      return [{
        type: 'text',
        text: `[Attached ${kind}: ${label} — text extraction failed: ${(e as Error).message}]`,
      }];
    }
  }));
  return parts.flat();
}
