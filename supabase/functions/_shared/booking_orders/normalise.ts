// The little the platform does to the model's extraction before SQL sees it: keep only the
// 19 fields (a non-strict provider may add keys), and fill a missing campaign duration from the
// dates with the day-count rule of spec §3.2. Dates, amounts, fractions, currency codes and
// every figure are SQL's job (private.booking_order_input, recalculate_booking_order).
import { BOOKING_ORDER_FIELDS, LOCATION_FIELDS } from './schema.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isoDay(text: unknown): number | null {
  const m = typeof text === 'string' ? ISO_DATE.exec(text.trim()) : null;
  if (!m) return null;
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(day);
  // 2026-02-31 is not a date.
  return back.getUTCDate() === Number(m[3]) ? day / 86_400_000 : null;
}

/** "2 weeks", "1 month", "10 days" for a booking from `start` to `end`, both days included. */
export function campaignDuration(start: unknown, end: unknown): string | null {
  const from = isoDay(start);
  const to = isoDay(end);
  if (from === null || to === null || to < from) return null;
  const days = to - from + 1;
  const bands: Array<[number, number, string]> = [
    [7, 8, '1 week'],
    [14, 15, '2 weeks'],
    [21, 22, '3 weeks'],
    [28, 31, '1 month'],
    [56, 62, '2 months'],
    [84, 93, '3 months'],
  ];
  for (const [low, high, label] of bands) if (days >= low && days <= high) return label;
  return days === 1 ? '1 day' : `${days} days`;
}

function pick(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in value).map((k) => [k, value[k]]));
}

/** The extraction as create_booking_order's `data`. */
export function normaliseExtraction(value: Record<string, unknown>): Record<string, unknown> {
  const data = pick(value, BOOKING_ORDER_FIELDS);
  if (Array.isArray(data.locations)) {
    data.locations = data.locations.map((raw) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
      const location = pick(raw as Record<string, unknown>, LOCATION_FIELDS);
      const stated = location.campaign_duration;
      if (stated === null || stated === undefined || String(stated).trim() === '') {
        location.campaign_duration = campaignDuration(location.start_date, location.end_date);
      }
      return location;
    });
  } else if (data.locations === null) {
    data.locations = [];
  }
  return data;
}
