// Upload rules for chat attachments (spec §8): an extension allowlist, a size limit, and the
// bytes must really be the kind of file the extension says. One place for these rules.
import { ooxmlKind, sniffType } from './sniff.ts';

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** Extension → canonical MIME type and how the bytes must look. */
const ALLOWED: Record<string, { mime: string; sniff: (b: Uint8Array) => boolean }> = {
  jpg: { mime: 'image/jpeg', sniff: (b) => sniffType(b) === 'image/jpeg' },
  jpeg: { mime: 'image/jpeg', sniff: (b) => sniffType(b) === 'image/jpeg' },
  png: { mime: 'image/png', sniff: (b) => sniffType(b) === 'image/png' },
  gif: { mime: 'image/gif', sniff: (b) => sniffType(b) === 'image/gif' },
  bmp: { mime: 'image/bmp', sniff: (b) => sniffType(b) === 'image/bmp' },
  webp: { mime: 'image/webp', sniff: (b) => sniffType(b) === 'image/webp' },
  pdf: { mime: 'application/pdf', sniff: (b) => sniffType(b) === 'application/pdf' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', sniff: (b) => ooxmlKind(b) === 'xlsx' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', sniff: (b) => ooxmlKind(b) === 'docx' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', sniff: (b) => ooxmlKind(b) === 'pptx' },
  xls: { mime: 'application/vnd.ms-excel', sniff: (b) => sniffType(b) === 'application/x-ole-storage' },
  doc: { mime: 'application/msword', sniff: (b) => sniffType(b) === 'application/x-ole-storage' },
  ppt: { mime: 'application/vnd.ms-powerpoint', sniff: (b) => sniffType(b) === 'application/x-ole-storage' },
  csv: { mime: 'text/csv', sniff: (b) => sniffType(b) === 'text/plain' },
  txt: { mime: 'text/plain', sniff: (b) => sniffType(b) === 'text/plain' },
};

export const ALLOWED_EXTENSIONS = Object.keys(ALLOWED);

export class UploadRejected extends Error {
  constructor(readonly code: 'empty_file' | 'file_too_large' | 'file_type_not_allowed' | 'content_mismatch' | 'bad_file_name', message: string) {
    super(message);
  }
}

export interface AcceptedUpload {
  fileName: string;
  extension: string;
  mime: string;
  kind: 'image' | 'document';
}

/** Safe file name: letters, digits, `._-`; everything else becomes `_` (spec §8). */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(-120);
  return cleaned || 'file';
}

/**
 * Checks an upload. `head` is the first bytes of the file (≥ 4 KiB, or all of a small file);
 * for OOXML files pass the whole file so its parts can be listed.
 */
export function validateUpload(fileName: string, size: number, head: Uint8Array): AcceptedUpload {
  if (!fileName || fileName.length > 255 || fileName.includes('\0')) {
    throw new UploadRejected('bad_file_name', 'The file name is missing or invalid.');
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const rule = ALLOWED[extension];
  if (!rule) {
    throw new UploadRejected('file_type_not_allowed',
      `Files of type ".${extension || '?'}" are not accepted. Allowed: ${ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(' ')}.`);
  }
  if (size <= 0 || head.length === 0) throw new UploadRejected('empty_file', 'The file is empty.');
  if (size > MAX_UPLOAD_BYTES) {
    throw new UploadRejected('file_too_large', `The file is ${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1048576} MB.`);
  }
  if (!rule.sniff(head)) {
    throw new UploadRejected('content_mismatch', `The file's content is not a valid .${extension} file.`);
  }
  return { fileName: safeFileName(fileName), extension, mime: rule.mime, kind: rule.mime.startsWith('image/') ? 'image' : 'document' };
}
