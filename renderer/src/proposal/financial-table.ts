// The financial slide's table as text (spec §1.6): 9 rows, a label column and N value
// columns; N = the location's options (separate) or the package's locations (combined). Cells
// that span the value columns say so with `span`. deck.ts draws it; tests read it.
import { formatDateRange, formatWeeks } from './dates.ts';
import { type Quote, type QuoteLocation, vatPercent } from './quote.ts';

export type RowKind = 'header' | 'location' | 'dates' | 'duration' | 'net_rate' | 'fee' | 'municipality' | 'vat' | 'total';

export interface ValueCell {
  text: string;
  /** Value columns this cell covers (1 unless merged). */
  span: number;
}

export interface TableRow {
  kind: RowKind;
  /** The label column; for the header, the title that spans the whole table. */
  label: string;
  values: ValueCell[];
}

export interface FinancialTable {
  /** Value columns (N). */
  columns: number;
  rows: TableRow[];
}

export const MUNICIPALITY_SUFFIX = ' Per Image/Message';

/** "<Client Title Case> Investment Sheet"; word initials raised, the rest kept ("Emirates NBD"). */
export function investmentSheetTitle(clientName: string): string {
  const client = clientName.trim().split(/\s+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
  return client ? `${client} Investment Sheet` : 'Investment Sheet';
}

const each = (texts: string[]): ValueCell[] => texts.map((text) => ({ text, span: 1 }));
const merged = (text: string, columns: number): ValueCell[] => [{ text, span: columns }];

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`separate option without ${what}`);
  return value;
}

/** One location of a separate proposal: one column per duration/rate option. */
export function separateTable(quote: Quote, location: QuoteLocation): FinancialTable {
  const options = location.options;
  const n = options.length;
  return {
    columns: n,
    rows: [
      { kind: 'header', label: investmentSheetTitle(quote.client_name), values: [] },
      { kind: 'location', label: 'Location:', values: merged(location.description, n) },
      // End dates are shown too: the original computed and then dropped them (§11.17).
      { kind: 'dates', label: 'Start/End Date:', values: each(options.map((o) => formatDateRange(o.start_date, o.end_date))) },
      { kind: 'duration', label: 'Duration:', values: each(options.map((o) => formatWeeks(o.duration_weeks))) },
      { kind: 'net_rate', label: 'Net Rate:', values: each(options.map((o) => required(o.net_rate, 'net_rate').display)) },
      { kind: 'fee', label: location.fee_label, values: merged(location.fee.display, n) },
      { kind: 'municipality', label: 'Municipality Fee:', values: merged(quote.municipality_fee.display + MUNICIPALITY_SUFFIX, n) },
      { kind: 'vat', label: `VAT ${vatPercent(quote.vat_rate)}% :`, values: each(options.map((o) => required(o.vat, 'vat').display)) },
      { kind: 'total', label: 'Total:', values: each(options.map((o) => required(o.total, 'total').display)) },
    ],
  };
}

/** A combined (package) proposal: one column per location, package money merged. */
export function combinedTable(quote: Quote): FinancialTable {
  const pkg = quote.package;
  if (!pkg) throw new Error('combined proposal without package');
  const locations = quote.locations;
  const n = locations.length;
  const first = (l: QuoteLocation) => l.options[0];
  return {
    columns: n,
    rows: [
      { kind: 'header', label: investmentSheetTitle(quote.client_name), values: [] },
      { kind: 'location', label: 'Location:', values: each(locations.map((l) => l.description)) },
      { kind: 'dates', label: 'Start/End Date:', values: each(locations.map((l) => formatDateRange(first(l).start_date, first(l).end_date))) },
      { kind: 'duration', label: 'Duration:', values: each(locations.map((l) => formatWeeks(first(l).duration_weeks))) },
      { kind: 'net_rate', label: 'Net Rate:', values: merged(pkg.net_rate.display, n) },
      { kind: 'fee', label: pkg.fee_label, values: each(locations.map((l) => l.fee.display)) },
      { kind: 'municipality', label: 'Municipality Fee:', values: merged(quote.municipality_fee.display + MUNICIPALITY_SUFFIX, n) },
      { kind: 'vat', label: `VAT ${vatPercent(quote.vat_rate)}% :`, values: merged(pkg.vat.display, n) },
      { kind: 'total', label: 'Total:', values: merged(pkg.total.display, n) },
    ],
  };
}
