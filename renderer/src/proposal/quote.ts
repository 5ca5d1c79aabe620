// The quote that `quote_proposal` returns (contract §1): every amount is already computed and
// formatted in SQL, so the renderer only lays it out. `parseQuote` checks the fields the deck
// uses and names the first one that is wrong, so a contract drift fails the job readably.
import { isIsoDate } from './dates.ts';

export interface Money {
  /** Exact AED, 2 dp, as a string. */
  aed: string;
  /** In the display currency. */
  amount: string;
  /** Formatted for the slide: "AED 1,316,196", "$340,367.60". */
  display: string;
}

export interface QuoteCurrency {
  code: string;
  symbol: string;
  symbol_position: 'prefix' | 'suffix';
  decimals: number;
  aed_per_unit: string;
}

export interface QuoteOption {
  start_date: string;
  end_date: string;
  duration_weeks: number;
  /** Separate proposals only: combined locations carry dates without money rows. */
  net_rate?: Money;
  subtotal?: Money;
  vat?: Money;
  total?: Money;
}

export interface QuoteLocation {
  company: string;
  location_key: string;
  display_name: string;
  display_type: 'digital' | 'static';
  series: string | null;
  /** §1.7: "<series>: <name> - Size (…) - <n> faces[ - spots - seconds - SOV - loop]". */
  description: string;
  /** Object in the location-photos bucket; null when the location has no photo. */
  photo_path: string | null;
  spots: number;
  fee_label: string;
  fee: Money;
  options: QuoteOption[];
}

export interface QuotePackage {
  net_rate: Money;
  /** "Upload Fee:", "Production Fee:" or "Upload/Production Fee:". */
  fee_label: string;
  subtotal: Money;
  vat: Money;
  total: Money;
}

export interface Quote {
  proposal_type: 'separate' | 'combined';
  client_name: string;
  payment_terms: string;
  currency: QuoteCurrency;
  proposal_date: string;
  valid_until: string;
  vat_rate: string;
  municipality_fee: Money;
  locations: QuoteLocation[];
  package: QuotePackage | null;
  terms: string[];
}

/** The quote does not have the shape of contract §1: a renderer/SQL mismatch, not retryable. */
export class QuoteError extends Error {
  readonly code = 'QUOTE_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'QuoteError';
  }
}

type Json = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80);
  throw new QuoteError(`quote${path ? `.${path}` : ''}: expected ${expected}, got ${shown}`);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Json;
}

function text(o: Json, key: string, path: string, { empty = false } = {}): string {
  const v = o[key];
  if (typeof v !== 'string' || (!empty && v.trim() === '')) fail(`${path}${key}`, empty ? 'a string' : 'a non-empty string', v);
  return v;
}

function isoDate(o: Json, key: string, path: string): string {
  const v = o[key];
  if (!isIsoDate(v)) fail(`${path}${key}`, 'an ISO date', v);
  return v;
}

function whole(o: Json, key: string, path: string, min: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`${path}${key}`, `a whole number ≥ ${min}`, v);
  return v;
}

function list(o: Json, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length === 0) fail(`${path}${key}`, 'a non-empty list', v);
  return v;
}

function money(o: Json, key: string, path: string): Money {
  const m = object(o[key], `${path}${key}`);
  const p = `${path}${key}.`;
  return { aed: text(m, 'aed', p), amount: text(m, 'amount', p), display: text(m, 'display', p) };
}

function option(value: unknown, path: string, withMoney: boolean): QuoteOption {
  const o = object(value, path);
  const p = `${path}.`;
  const parsed: QuoteOption = {
    start_date: isoDate(o, 'start_date', p),
    end_date: isoDate(o, 'end_date', p),
    duration_weeks: whole(o, 'duration_weeks', p, 1),
  };
  if (withMoney) {
    parsed.net_rate = money(o, 'net_rate', p);
    parsed.subtotal = money(o, 'subtotal', p);
    parsed.vat = money(o, 'vat', p);
    parsed.total = money(o, 'total', p);
  }
  return parsed;
}

function location(value: unknown, path: string, separate: boolean): QuoteLocation {
  const o = object(value, path);
  const p = `${path}.`;
  const displayType = o.display_type;
  if (displayType !== 'digital' && displayType !== 'static') fail(`${p}display_type`, '"digital" or "static"', displayType);
  const series = o.series;
  if (series !== null && series !== undefined && typeof series !== 'string') fail(`${p}series`, 'a string or null', series);
  const photo = o.photo_path;
  if (photo !== null && photo !== undefined && (typeof photo !== 'string' || photo === '')) fail(`${p}photo_path`, 'an object path or null', photo);
  const options = list(o, 'options', p).map((opt, i) => option(opt, `${p}options[${i}]`, separate));
  if (!separate && options.length !== 1) fail(`${p}options`, 'exactly one option in a combined proposal', o.options);
  return {
    company: text(o, 'company', p),
    location_key: text(o, 'location_key', p),
    display_name: text(o, 'display_name', p),
    display_type: displayType,
    series: (series as string | null | undefined) ?? null,
    description: text(o, 'description', p),
    photo_path: (photo as string | null | undefined) ?? null,
    spots: whole(o, 'spots', p, 1),
    fee_label: text(o, 'fee_label', p),
    fee: money(o, 'fee', p),
    options,
  };
}

export function parseQuote(value: unknown): Quote {
  const q = object(value, '');
  const type = q.proposal_type;
  if (type !== 'separate' && type !== 'combined') fail('proposal_type', '"separate" or "combined"', type);
  const currency = object(q.currency, 'currency');
  const position = currency.symbol_position;
  if (position !== 'prefix' && position !== 'suffix') fail('currency.symbol_position', '"prefix" or "suffix"', position);
  const locations = list(q, 'locations', '').map((l, i) => location(l, `locations[${i}]`, type === 'separate'));

  let pkg: QuotePackage | null = null;
  if (type === 'combined') {
    if (locations.length < 2) fail('locations', 'at least 2 locations in a combined proposal', q.locations);
    const o = object(q.package, 'package');
    pkg = {
      net_rate: money(o, 'net_rate', 'package.'),
      fee_label: text(o, 'fee_label', 'package.'),
      subtotal: money(o, 'subtotal', 'package.'),
      vat: money(o, 'vat', 'package.'),
      total: money(o, 'total', 'package.'),
    };
  }
  const terms = q.terms;
  if (!Array.isArray(terms) || terms.some((t) => typeof t !== 'string')) fail('terms', 'a list of strings', terms);
  const vatRate = text(q, 'vat_rate', '');
  if (!/^0?\.\d+$|^0$/.test(vatRate)) fail('vat_rate', 'a fraction such as "0.05"', vatRate);

  return {
    proposal_type: type,
    client_name: text(q, 'client_name', '', { empty: true }),
    payment_terms: text(q, 'payment_terms', '', { empty: true }),
    currency: {
      code: text(currency, 'code', 'currency.'),
      symbol: text(currency, 'symbol', 'currency.'),
      symbol_position: position,
      decimals: whole(currency, 'decimals', 'currency.', 0),
      aed_per_unit: String(currency.aed_per_unit ?? ''),
    },
    proposal_date: isoDate(q, 'proposal_date', ''),
    valid_until: isoDate(q, 'valid_until', ''),
    vat_rate: vatRate,
    municipality_fee: money(q, 'municipality_fee', ''),
    locations,
    package: pkg,
    terms: terms as string[],
  };
}

/** "0.05" → "5", "0.125" → "12.5": the percentage in the "VAT 5% :" label, without floats. */
export function vatPercent(vatRate: string): string {
  const [, fraction = ''] = vatRate.split('.');
  const digits = fraction.padEnd(2, '0');
  const whole = String(Number(digits.slice(0, 2)));
  const rest = digits.slice(2).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}
