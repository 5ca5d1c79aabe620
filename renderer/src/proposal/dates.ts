// Dates as the proposal shows them (spec §1.6, §1.8). The quote carries ISO dates only
// (contract §1); formatting is the renderer's job. Calendar dates, no time zone involved.

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Parses a strict `YYYY-MM-DD` that names a real day; throws RangeError otherwise. */
export function parseIsoDate(iso: string): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
}

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** English ordinal suffix: 1st 2nd 3rd 4th … 11th 12th 13th … 21st 22nd 23rd … 31st. */
export function ordinalSuffix(day: number): 'st' | 'nd' | 'rd' | 'th' {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return ({ 1: 'st', 2: 'nd', 3: 'rd' } as const)[day % 10 as 1 | 2 | 3] ?? 'th';
}

/** "1st December 2026": dates in the financial table and on the intro slide (§1.8). */
export function formatLongDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${day}${ordinalSuffix(day)} ${MONTHS[month - 1]} ${year}`;
}

/** "01st of December, 2026": the validity date in the terms, zero-padded day as in §1.6. */
export function formatValidityDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${String(day).padStart(2, '0')}${ordinalSuffix(day)} of ${MONTHS[month - 1]}, ${year}`;
}

/** "01/12/2026": the proposal date at the bottom right of the financial slide. */
export function formatProposalDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** "1st December 2026 - 29th December 2026". */
export function formatDateRange(startIso: string, endIso: string): string {
  return `${formatLongDate(startIso)} - ${formatLongDate(endIso)}`;
}

/** "1 Week", "4 Weeks". */
export function formatWeeks(weeks: number): string {
  return `${weeks} ${weeks === 1 ? 'Week' : 'Weeks'}`;
}
