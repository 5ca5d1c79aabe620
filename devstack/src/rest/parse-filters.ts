// Horizontal filters: `col=[not.]op.value` and the logic trees `or=(…)`, `and=(…)`, `not.or=(…)`
// with nested `and(…)`/`or(…)`. Parsing yields a tree; build-sql.ts turns it into a WHERE clause.
import { notSupported, parseError } from './errors.ts';
import { parseField, splitTopLevel } from './parse-field.ts';
import type { Field } from './sql.ts';

export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike' | 'is' | 'in' | 'cs' | 'cd';

export type Condition =
  | { kind: 'filter'; field: Field; op: FilterOp; negate: boolean; value: string | string[] }
  | { kind: 'logic'; op: 'and' | 'or'; negate: boolean; children: Condition[] };

const SUPPORTED = new Set<string>(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'is', 'in', 'cs', 'cd']);
// Real PostgREST operators the local stack refuses rather than approximates.
const UNSUPPORTED = new Set<string>([
  'match', 'imatch', 'isdistinct', 'fts', 'plfts', 'phfts', 'wfts', 'ov', 'sl', 'sr', 'nxl', 'nxr', 'adj',
]);

export const IS_VALUES = new Set(['null', 'true', 'false', 'unknown']);

/** `"a,b"` → `a,b`; backslash escapes the next character. Unquoted text is returned as is. */
export function unquoteValue(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}

/** `(a,b,"c,d")` → ['a', 'b', 'c,d']. */
export function parseInList(text: string): string[] {
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) {
    throw parseError(`failed to parse filter (in.${text})`, 'The value of "in" must be a list in parentheses: in.(a,b)');
  }
  const inner = t.slice(1, -1);
  if (inner.trim() === '') return [];
  return splitTopLevel(inner).map((v) => unquoteValue(v));
}

/**
 * `[not.]op.value` — the right-hand side of a filter. Inside logic trees values may be
 * double-quoted to protect `,.:()`, so `inTree` strips those quotes.
 */
export function parseOperation(
  field: Field,
  text: string,
  inTree: boolean,
): Extract<Condition, { kind: 'filter' }> {
  let rest = text;
  let negate = false;
  if (rest.startsWith('not.')) {
    negate = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const opText = dot >= 0 ? rest.slice(0, dot) : rest;
  const rawValue = dot >= 0 ? rest.slice(dot + 1) : undefined;
  const modifier = /^(\w+)\((.*)\)$/.exec(opText);
  const opName = modifier ? modifier[1] : opText;
  if (UNSUPPORTED.has(opName)) throw notSupported(`The "${opName}" filter operator`);
  if (!SUPPORTED.has(opName) || rawValue === undefined) {
    throw parseError(`failed to parse filter (${text})`, `Unknown operator or missing value in "${text}"`);
  }
  if (modifier) throw notSupported(`Operator modifiers like "${opText}"`);
  const op = opName as FilterOp;
  if (op === 'in') return { kind: 'filter', field, op, negate, value: parseInList(rawValue) };
  const value = inTree ? unquoteValue(rawValue) : rawValue;
  if (op === 'is' && !IS_VALUES.has(value.toLowerCase())) {
    throw parseError(`failed to parse filter (${text})`, 'is accepts only null, true, false or unknown');
  }
  return { kind: 'filter', field, op, negate, value: op === 'is' ? value.toLowerCase() : value };
}

/** Index of the first `.` outside double quotes (the end of a field inside a logic tree). */
function fieldEnd(text: string): number {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') inQuotes = !inQuotes;
    else if (!inQuotes && text[i] === '.') return i;
  }
  return -1;
}

/** `(a.eq.1,or(b.gt.2,c.is.null))` under `and`/`or`, optionally negated. */
export function parseLogicTree(op: 'and' | 'or', negate: boolean, text: string): Condition {
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) {
    throw parseError(`failed to parse logic tree (${text})`, 'Expected the conditions in parentheses: or=(a.eq.1,b.eq.2)');
  }
  const inner = t.slice(1, -1);
  if (inner.trim() === '') throw parseError(`failed to parse logic tree (${text})`, 'A logic tree needs at least one condition');
  const children = splitTopLevel(inner).map((part) => parseTreeItem(part.trim()));
  return { kind: 'logic', op, negate, children };
}

function parseTreeItem(item: string): Condition {
  const nested = /^(not\.)?(and|or)(\(.*\))$/s.exec(item);
  if (nested) return parseLogicTree(nested[2] as 'and' | 'or', Boolean(nested[1]), nested[3]);
  const end = fieldEnd(item);
  if (end <= 0) throw parseError(`failed to parse logic tree item (${item})`);
  const field = parseField(item.slice(0, end));
  return parseOperation(field, item.slice(end + 1), true);
}

/** A top-level query parameter that is neither reserved nor an RPC argument. */
export function parseFilterParam(key: string, value: string): Condition {
  const logic = /^(not\.)?(and|or)$/.exec(key);
  if (logic) return parseLogicTree(logic[2] as 'and' | 'or', Boolean(logic[1]), value);
  if (fieldEnd(key) >= 0) throw notSupported(`Filters on embedded resources ("${key}")`);
  return parseOperation(parseField(key), value, false);
}
