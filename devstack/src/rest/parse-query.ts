// Splits a request's query string into PostgREST's parts: select, filters, order, limit/offset,
// on_conflict, columns — and, for GET /rpc, the function's arguments.
import { notSupported, parseError } from './errors.ts';
import { parseField, splitTopLevel } from './parse-field.ts';
import { type Condition, parseFilterParam } from './parse-filters.ts';
import { parseSelect, type SelectItem } from './parse-select.ts';
import type { Field } from './sql.ts';

export interface OrderTerm {
  field: Field;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface ParsedQuery {
  select: SelectItem[];
  /** Whether `select=` names columns (anything but `*`); RPC scalars reject a column list. */
  hasSelect: boolean;
  where: Condition[];
  order: OrderTerm[];
  limit?: number;
  offset?: number;
  onConflict?: string[];
  columns?: string[];
}

/** Keys that are never filters. `apikey` is the gateway's credential fallback, not a column. */
export const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns', 'apikey']);

export function parseOrder(text: string): OrderTerm[] {
  if (text.trim() === '') return [];
  return splitTopLevel(text).map((raw) => {
    const item = raw.trim();
    if (item.includes('(')) throw notSupported('Ordering by embedded resources');
    const segments = item.split('.');
    const term: Partial<OrderTerm> = {};
    let last = segments[segments.length - 1];
    if (segments.length > 1 && (last === 'nullsfirst' || last === 'nullslast')) {
      term.nulls = last === 'nullsfirst' ? 'first' : 'last';
      segments.pop();
      last = segments[segments.length - 1];
    }
    if (segments.length > 1 && (last === 'asc' || last === 'desc')) {
      term.direction = last;
      segments.pop();
    }
    if (segments.length !== 1 || segments[0].trim() === '') {
      throw parseError(`failed to parse order (${item})`, 'Expected col[.asc|.desc][.nullsfirst|.nullslast]');
    }
    return { ...term, field: parseField(segments[0]) };
  });
}

export function parseNonNegative(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw parseError(`failed to parse ${name} parameter (${text})`);
  return Number(text.trim());
}

function columnList(name: string, text: string): string[] {
  const cols = splitTopLevel(text).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  if (cols.some((c) => c === '')) throw parseError(`failed to parse ${name} parameter (${text})`);
  return cols;
}

/** `skip` holds the keys consumed elsewhere (RPC arguments). */
export function parseQuery(params: URLSearchParams, skip: Set<string> = new Set()): ParsedQuery {
  const select = params.get('select');
  const items = parseSelect(select);
  const hasSelect = !(items.length === 1 && items[0].kind === 'star');
  const out: ParsedQuery = { select: items, hasSelect, where: [], order: [] };
  const order = params.get('order');
  if (order !== null) out.order = parseOrder(order);
  const limit = params.get('limit');
  if (limit !== null) out.limit = parseNonNegative('limit', limit);
  const offset = params.get('offset');
  if (offset !== null) out.offset = parseNonNegative('offset', offset);
  const onConflict = params.get('on_conflict');
  if (onConflict !== null) out.onConflict = columnList('on_conflict', onConflict);
  const columns = params.get('columns');
  if (columns !== null) out.columns = columnList('columns', columns);
  for (const [key, value] of params) {
    if (RESERVED.has(key) || skip.has(key)) continue;
    if (/\.(order|limit|offset|select)$/.test(key)) throw notSupported(`"${key}" on embedded resources`);
    out.where.push(parseFilterParam(key, value));
  }
  return out;
}
