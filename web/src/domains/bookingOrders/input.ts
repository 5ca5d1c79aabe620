// The coordinator's edit form and the 19-field input shape of booking orders (SQL:
// private.booking_order_input, migration 20261122074000). The form holds text exactly as typed;
// the patch sends only what changed, money as decimal strings (SQL rounds half away from zero
// to 2 decimals), percentages converted to the fractions SQL stores by moving the decimal
// point in the string — never through floating point. SQL checks every value again and its
// 22023 message names the field, which fieldOfError maps back to the form.

export const TEXT_FIELDS = [
  ['bo_number', 'BO number'], ['client', 'Client'], ['agency', 'Agency'], ['brand_campaign', 'Brand / campaign'],
  ['category', 'Category'], ['sales_person', 'Sales person'], ['payment_terms', 'Payment terms'],
] as const;

export const MONEY_FIELDS = [
  ['municipality_fee', 'Municipality fee'], ['production_upload_fee', 'Production / upload fee'],
  ['net_pre_vat', 'Stated net before VAT'], ['vat_value', 'Stated VAT'], ['gross_amount', 'Stated gross'],
] as const;

export const PERCENT_FIELDS = [['commission_pct', 'Agency commission'], ['sla_pct', 'SLA deduction']] as const;

type TextField = typeof TEXT_FIELDS[number][0];
type MoneyField = typeof MONEY_FIELDS[number][0];
type PercentField = typeof PERCENT_FIELDS[number][0];

export interface LocationForm {
  key: string;
  name: string;
  asset: string;
  start_date: string;
  end_date: string;
  campaign_duration: string;
  net_amount: string;
}

export type BookingOrderForm = Record<TextField | MoneyField | PercentField, string> & {
  bo_date: string;
  currency: string;
  asset: string;
  notes: string;
  locations: LocationForm[];
};

/** The order's fields as get_booking_order returns them (the 19-field shape). */
export type BookingOrderFields = Record<string, unknown>;

const text = (v: unknown): string => (v == null ? '' : String(v));

/** "0.125" → "12.5", exactly; "" for null. */
export function fractionToPercent(value: unknown): string {
  if (value == null || value === '') return '';
  return shiftDecimal(String(value), 2);
}

/** "12.5" → "0.125", exactly; null for blank; an Error for anything that is not a number. */
export function percentToFraction(value: string): string | null {
  const t = value.trim().replace(/%$/, '').trim();
  if (!t) return null;
  if (!/^\d+(\.\d+)?$/.test(t)) throw new Error('a percentage such as 5 or 12.5');
  return shiftDecimal(t, -2);
}

/** Moves the decimal point of a plain decimal string by `places` (positive: right). */
export function shiftDecimal(value: string, places: number): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) return value;
  const [, sign, whole = '', fraction = ''] = m;
  let digits = whole + fraction;
  let point = whole.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = digits.slice(point).replace(/0+$/, '');
  return `${sign}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

function money(v: unknown): string {
  if (v == null || v === '') return '';
  return String(v);
}

export function formFromFields(fields: BookingOrderFields): BookingOrderForm {
  const locations = Array.isArray(fields.locations) ? (fields.locations as Record<string, unknown>[]) : [];
  return {
    bo_number: text(fields.bo_number),
    client: text(fields.client),
    agency: text(fields.agency),
    brand_campaign: text(fields.brand_campaign),
    category: text(fields.category),
    sales_person: text(fields.sales_person),
    payment_terms: text(fields.payment_terms),
    notes: text(fields.notes),
    bo_date: text(fields.bo_date).slice(0, 10),
    currency: text(fields.currency) || 'AED',
    asset: Array.isArray(fields.asset) ? (fields.asset as unknown[]).map(String).join(', ') : text(fields.asset),
    commission_pct: fractionToPercent(fields.commission_pct),
    sla_pct: fractionToPercent(fields.sla_pct),
    municipality_fee: money(fields.municipality_fee),
    production_upload_fee: money(fields.production_upload_fee),
    net_pre_vat: money(fields.net_pre_vat),
    vat_value: money(fields.vat_value),
    gross_amount: money(fields.gross_amount),
    locations: locations.map((l, i) => ({
      key: `loc-${i}`,
      name: text(l.name),
      asset: text(l.asset),
      start_date: text(l.start_date).slice(0, 10),
      end_date: text(l.end_date).slice(0, 10),
      campaign_duration: text(l.campaign_duration),
      net_amount: money(l.net_amount),
    })),
  };
}

export function emptyLocation(): LocationForm {
  return { key: `loc-${crypto.randomUUID()}`, name: '', asset: '', start_date: '', end_date: '', campaign_duration: '', net_amount: '' };
}

const blankToNull = (s: string): string | null => (s.trim() ? s.trim() : null);
/** Money as typed, without spaces or a currency code; SQL accepts digits with thousands commas. */
const moneyInput = (s: string): string | null => blankToNull(s.replace(/\s+/g, '').replace(/^(AED|USD|EUR|GBP|SAR)/i, ''));

function locationsInput(list: LocationForm[]) {
  return list.map((l) => ({
    name: blankToNull(l.name),
    asset: blankToNull(l.asset),
    start_date: blankToNull(l.start_date),
    end_date: blankToNull(l.end_date),
    campaign_duration: blankToNull(l.campaign_duration),
    net_amount: moneyInput(l.net_amount),
  }));
}

export class FormInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * The patch for edit_booking_order: only fields whose value differs from the order as loaded;
 * locations, when any of them changed, as the full new list (SQL replaces them all).
 */
export function patchFromForm(form: BookingOrderForm, original: BookingOrderForm): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k] of TEXT_FIELDS) if (form[k].trim() !== original[k].trim()) patch[k] = blankToNull(form[k]);
  if (form.notes.trim() !== original.notes.trim()) patch.notes = blankToNull(form.notes);
  if (form.bo_date !== original.bo_date) patch.bo_date = blankToNull(form.bo_date);
  if (form.currency !== original.currency) patch.currency = form.currency;
  if (form.asset.trim() !== original.asset.trim()) {
    patch.asset = form.asset.split(',').map((s) => s.trim()).filter(Boolean);
  }
  for (const [k, label] of PERCENT_FIELDS) {
    if (form[k].trim() === original[k].trim()) continue;
    try {
      patch[k] = percentToFraction(form[k]);
    } catch (e) {
      throw new FormInputError(k, `${label}: ${(e as Error).message}, got "${form[k]}"`);
    }
  }
  for (const [k] of MONEY_FIELDS) if (form[k].trim() !== original[k].trim()) patch[k] = moneyInput(form[k]);
  const strip = (list: LocationForm[]) => JSON.stringify(locationsInput(list));
  if (strip(form.locations) !== strip(original.locations)) patch.locations = locationsInput(form.locations);
  return patch;
}

/**
 * Which form control a database message is about: "sla_pct: must be …" → sla_pct,
 * "locations[1].net_amount: …" → locations.1.net_amount, "patch: nothing to change" → null.
 */
export function fieldOfError(message: string): string | null {
  const m = /^([a-z_]+)(?:\[(\d+)\](?:\.([a-z_]+))?)?:/.exec(message);
  if (!m || m[1] === 'patch' || m[1] === 'data') return null;
  if (m[1] === 'locations' && m[2] != null) return m[3] ? `locations.${m[2]}.${m[3]}` : `locations.${m[2]}`;
  return m[1];
}
