// Names of the rendered booking-order files (spec §3.5 messages, §8 safe names, §11.10):
// a draft is "BO Draft - <client> - <BRAND>", a final one is named after the client's BO number
// (or our reference when there is none). Names go into object paths, so what comes from a
// document is reduced to characters Storage and every download keeps as they are.
import type { BookingOrderDocument } from './document.ts';

const NAME_MAX = 80;

/** Accents folded, anything but letters, digits, space, '.', '_', '-', '(', ')' replaced by '_'. */
export function readableName(value: string): string {
  const cleaned = value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/&/g, ' and ')
    .replace(/[^A-Za-z0-9 ._()-]+/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .slice(0, NAME_MAX)
    .trim();
  return cleaned;
}

/** Spec §8: every character but letters, digits, '.', '_' and '-' becomes '_'. */
export function safeFileName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, NAME_MAX);
}

/** File name without extension: final `<bo_number or bo_ref>`, draft `BO Draft - <client> - <BRAND>`. */
export function documentFileStem(doc: BookingOrderDocument): string {
  if (doc.final) {
    const fromNumber = doc.fields.bo_number ? safeFileName(doc.fields.bo_number) : '';
    if (/[A-Za-z0-9]/.test(fromNumber)) return fromNumber;
    return safeFileName(doc.bo_ref ?? doc.booking_order_id);
  }
  const client = readableName(doc.fields.client ?? '') || 'Unknown client';
  const brand = readableName(doc.company.brand).toUpperCase() || 'COMPANY';
  return `BO Draft - ${client} - ${brand}`;
}

/**
 * `<company>/<order id>/v<version>/`: one folder per version, outside every user's own folder
 * (nobody can write there through the API), so a late job never replaces a newer file.
 */
export function documentFolder(doc: Pick<BookingOrderDocument, 'company' | 'booking_order_id'>, version: number): string {
  if (!/^[a-z][a-z0-9_]{1,40}$/.test(doc.company.slug)) throw new RangeError(`not a company slug: ${JSON.stringify(doc.company.slug)}`);
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`version must be a whole number ≥ 1, got ${version}`);
  return `${doc.company.slug}/${doc.booking_order_id}/v${version}/`;
}
