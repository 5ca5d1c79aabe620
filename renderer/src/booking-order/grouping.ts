// The multi-location lines of the workbook (spec §3.7): start dates, end dates and durations
// grouped by value ("UAE02 & UAE03: 1st March 2025"), and the location splits.
import type { BookingOrderCurrency, BookingOrderItem } from './document.ts';
import { formatMoney, isPositive } from './money.ts';

/** What a line calls a location: its name, else its asset code, else its position. */
export function locationLabel(item: BookingOrderItem): string {
  return item.name ?? item.asset ?? `Location ${item.position}`;
}

/**
 * One line per distinct value, in order of first appearance, naming the locations that share
 * it. When every location has the same value the line is just the value.
 */
export function groupedLines(items: readonly BookingOrderItem[], pick: (item: BookingOrderItem) => string | null): string[] {
  const groups = new Map<string, string[]>();
  let withValue = 0;
  for (const item of items) {
    const value = pick(item)?.trim();
    if (!value) continue;
    withValue += 1;
    const names = groups.get(value) ?? [];
    names.push(locationLabel(item));
    groups.set(value, names);
  }
  if (groups.size === 1 && withValue === items.length) return [...groups.keys()];
  return [...groups].map(([value, names]) => `${names.join(' & ')}: ${value}`);
}

/**
 * "1. The Dubai Gateway - 225,000.00 AED", numbered in order: the post-SLA amount when the order
 * has an SLA, else the net amount; locations whose amount is zero or unknown are left out.
 */
export function locationSplitLines(items: readonly BookingOrderItem[], slaPct: string | null, currency: BookingOrderCurrency): string[] {
  const afterSla = isPositive(slaPct);
  const lines: string[] = [];
  for (const item of items) {
    const amount = afterSla ? item.post_sla_amount : item.net_amount;
    if (!isPositive(amount)) continue;
    lines.push(`${lines.length + 1}. ${locationLabel(item)} - ${formatMoney(amount!, currency)}`);
  }
  return lines;
}
