// Storage object names for rendered outputs (contract §5). The client name comes from a chat
// or a form, so it is reduced to a slug before it reaches a path (spec §11.10): no separators,
// no dots, nothing outside lower-case ASCII letters, digits and '-'.

const SLUG_MAX = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Emirates NBD" → "emirates-nbd", "Café Société" → "cafe-societe", "../../etc" → "etc".
 * Accents are folded to their base letters; a name with no ASCII letter or digit left becomes
 * "client".
 */
export function clientSlug(clientName: string): string {
  const slug = clientName
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug || 'client';
}

/**
 * ISO 8601 basic format in UTC to the second, "20261122T101530Z": sortable and free of the
 * colons that break downloads on some systems.
 */
export function isoBasicTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `<client-slug>_<ISO time>`, the file name of a proposal without its extension. */
export function proposalFileStem(clientName: string, at: Date): string {
  return `${clientSlug(clientName)}_${isoBasicTime(at)}`;
}

/** Proposals bucket: `<owner_id>/<YYYY>/<MM>/<client-slug>_<ISO time>.<ext>` (UTC). */
export function proposalObjectPath(ownerId: string, clientName: string, at: Date, extension: 'pdf' | 'pptx'): string {
  const year = String(at.getUTCFullYear());
  const month = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${checkedUuid(ownerId, 'owner id')}/${year}/${month}/${proposalFileStem(clientName, at)}.${extension}`;
}

/** Mockups bucket: `<owner_id>/<mockup_id>.jpg`. */
export function mockupObjectPath(ownerId: string, mockupId: string): string {
  return `${checkedUuid(ownerId, 'owner id')}/${checkedUuid(mockupId, 'mockup id')}.jpg`;
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function checkedUuid(value: string, what: string): string {
  if (!isUuid(value)) throw new RangeError(`${what} must be a UUID, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}
