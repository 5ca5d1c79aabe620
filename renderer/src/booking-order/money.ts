// Money in the booking-order documents: decimal strings from SQL, formatted as text without
// ever passing through a float, and Excel number formats built from the currency's metadata.
import type { BookingOrderCurrency, Decimal } from './document.ts';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parts(value: Decimal): { negative: boolean; whole: string; fraction: string } {
  const m = DECIMAL.exec(value);
  if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(value)}`);
  return { negative: m[1] === '-', whole: m[2].replace(/^0+(?=\d)/, ''), fraction: m[3] ?? '' };
}

/**
 * Rounds half away from zero to `decimals` places, in integer arithmetic on the digits
 * (the SQL side rounds the same way, so amounts that are already at 2 places pass unchanged).
 */
export function roundDecimal(value: Decimal, decimals: number): Decimal {
  const { negative, whole, fraction } = parts(value);
  const padded = fraction.padEnd(decimals + 1, '0');
  let units = BigInt(whole + padded.slice(0, decimals));
  if (Number(padded[decimals]) >= 5) units += 1n;
  const digits = units.toString().padStart(decimals + 1, '0');
  const out = decimals > 0 ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return negative && units !== 0n ? `-${out}` : out;
}

/** "1234567.5", 2 → "1,234,567.50". */
export function formatAmount(value: Decimal, decimals: number): string {
  const { negative, whole, fraction } = parts(roundDecimal(value, decimals));
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${negative ? '-' : ''}${grouped}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** As the platform displays money: "$29,597.28" (prefix glued), "1,234.00 AED" (suffix after a space). */
export function formatMoney(value: Decimal, currency: BookingOrderCurrency): string {
  const amount = formatAmount(value, currency.decimals);
  return currency.symbol_position === 'prefix' ? `${currency.symbol}${amount}` : `${amount} ${currency.symbol}`;
}

/** True for a decimal above zero ("0.00", "0" and negatives are not). */
export function isPositive(value: Decimal | null): boolean {
  if (value === null) return false;
  const { negative, whole, fraction } = parts(value);
  return !negative && /[1-9]/.test(whole + fraction);
}

/** A literal for an Excel number format: quoted text, with any quote escaped character by character. */
function formatLiteral(text: string): string {
  return text.includes('"') ? [...text].map((c) => `\\${c}`).join('') : `"${text}"`;
}

/** `"$"#,##0.00` for a prefix currency, `#,##0.00" AED"` for a suffix one (spec §3.7). */
export function excelMoneyFormat(currency: BookingOrderCurrency): string {
  const digits = currency.decimals > 0 ? `#,##0.${'0'.repeat(currency.decimals)}` : '#,##0';
  return currency.symbol_position === 'prefix'
    ? `${formatLiteral(currency.symbol)}${digits}`
    : `${digits}${formatLiteral(` ${currency.symbol}`)}`;
}

/** "0.15" → "0%", "0.125" → "0.0%": as many decimals as the percentage needs, at most two. */
export function excelPercentFormat(fraction: Decimal): string {
  const { fraction: digits } = parts(fraction);
  const percentDecimals = Math.min(2, Math.max(0, digits.replace(/0+$/, '').length - 2));
  return percentDecimals ? `0.${'0'.repeat(percentDecimals)}%` : '0%';
}

/**
 * The number an Excel cell stores. Called only when writing a cell: the amounts are
 * numeric(14,2) (at most 14 significant digits) and the fractions numeric(6,4), both well
 * inside the 15 digits a double holds exactly, so Number() yields the double whose shortest
 * decimal form is this very string and Excel shows the same digits.
 */
export function cellNumber(value: Decimal): number {
  parts(value);
  return Number(value);
}
