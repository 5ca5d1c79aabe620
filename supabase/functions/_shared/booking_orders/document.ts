// The uploaded order as the model reads it: PDFs, Excel workbooks and Word files as their text
// (extracted here — edge functions have no LibreOffice to render pages), photos and scans as
// images. A file with nothing to read (a scanned PDF without a text layer) is refused clearly
// instead of letting the model guess.
import type { SupabaseClient } from '@supabase/supabase-js';
import { extractDocumentText } from '../files/extract.ts';
import type { UserContentPart } from '../llm/mod.ts';
import { BookingOrderError } from './errors.ts';

/** Extensions a booking order is read from (spec §3.1: Excel, PDF, images; Word as text). */
export const BOOKING_ORDER_EXTENSIONS = [
  'pdf',
  'xlsx',
  'docx',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
];
const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};
/** Enough for a long order; the model's context is the limit. */
export const MAX_DOCUMENT_CHARS = 60_000;

export interface SourceDocument {
  /** documents.id, passed to create_booking_order as source_document_id. */
  id: string;
  filename: string;
  bytes: Uint8Array;
}

export function extensionOf(name: string): string {
  return /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
}

export function isBookingOrderFile(name: string): boolean {
  return BOOKING_ORDER_EXTENSIONS.includes(extensionOf(name));
}

export function unsupportedFileMessage(name: string): string {
  const extension = extensionOf(name);
  return `Booking orders are read from PDF, Excel (.xlsx), Word (.docx) or image files, not ` +
    `.${extension || '?'}${extension === 'xls' ? ' — save the workbook as .xlsx' : ''}.`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** What the model is given for the document. Throws BookingOrderError 415/422. */
export async function documentParts(doc: SourceDocument): Promise<UserContentPart[]> {
  const extension = extensionOf(doc.filename);
  if (!isBookingOrderFile(doc.filename)) {
    throw new BookingOrderError(415, 'file_type_not_allowed', unsupportedFileMessage(doc.filename));
  }
  const image = IMAGE_TYPES[extension];
  if (image) {
    return [
      { type: 'text', text: `[Attached image: ${doc.filename}]` },
      { type: 'image', mimeType: image, base64: base64(doc.bytes) },
    ];
  }
  let extracted;
  try {
    extracted = await extractDocumentText(extension, doc.bytes, MAX_DOCUMENT_CHARS);
  } catch (e) {
    throw new BookingOrderError(
      422,
      'document_unreadable',
      `${doc.filename} could not be read (${(e as Error).message}). Is the file damaged?`,
    );
  }
  if (!extracted || !extracted.text.replace(/--- (page|sheet)[^\n]*---/g, '').trim()) {
    throw new BookingOrderError(
      422,
      'document_unreadable',
      `${doc.filename} contains no readable text (a scanned PDF?). Upload the original PDF or ` +
        'Excel file, or a photo of the order.',
    );
  }
  return [{
    type: 'text',
    text: `[Attached ${extension.toUpperCase()}: ${doc.filename}, ${extracted.detail}` +
      `${
        extracted.truncated ? ', text cut to fit' : ''
      }]\n${extracted.text}\n[End of ${doc.filename}]`,
  }];
}

/** A documents row the caller can read, with its bytes (under the caller's RLS). */
export async function loadSourceDocument(
  db: SupabaseClient,
  documentId: string,
): Promise<SourceDocument> {
  const { data, error } = await db.from('documents')
    .select('id,bucket,storage_path,original_filename,deleted_at')
    .eq('id', documentId)
    .maybeSingle();
  if (error) {
    throw new BookingOrderError(
      502,
      'file_unavailable',
      `reading the file failed: ${error.message}`,
    );
  }
  if (!data || data.deleted_at) {
    throw new BookingOrderError(
      404,
      'file_not_found',
      `no file with id ${documentId} that you can read`,
    );
  }
  const download = await db.storage.from(data.bucket).download(data.storage_path);
  if (download.error || !download.data) {
    throw new BookingOrderError(
      502,
      'file_unavailable',
      `the file ${data.original_filename} could not be downloaded: ${
        download.error?.message ?? 'no content'
      }`,
    );
  }
  return {
    id: data.id,
    filename: data.original_filename,
    bytes: new Uint8Array(await download.data.arrayBuffer()),
  };
}
