// `select=` of PostgREST: `*`, `col`, `alias:col`, `col::type`, `data->a->>b`. Embedding and
// aggregates need relationship metadata and grouping the local stack does not model, so they 501.
import { notSupported, parseError } from './errors.ts';
import { parseField, splitTopLevel } from './parse-field.ts';
import type { Field } from './sql.ts';

export type SelectItem =
  | { kind: 'star' }
  | { kind: 'field'; field: Field; alias?: string; cast?: string };

// A cast is spliced into SQL as a type name, so only plain (optionally schema-qualified, array)
// type names pass; anything else is rejected before it can reach SQL.
const CAST = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?(\[\])?$/;

const AGGREGATE = /(^|\.)(count|sum|avg|min|max)\(\s*\)$/;

/** Index of the `:` that separates an alias (a single colon, never part of `::`). */
function aliasColon(item: string): number {
  let inQuotes = false;
  for (let i = 0; i < item.length; i++) {
    const ch = item[i];
    if (ch === '"') inQuotes = !inQuotes;
    if (inQuotes || ch !== ':') continue;
    if (item[i + 1] === ':') return -1; // the first colon starts a cast: no alias
    return i;
  }
  return -1;
}

export function parseSelect(text: string | null): SelectItem[] {
  if (text === null || text.trim() === '') return [{ kind: 'star' }];
  return splitTopLevel(text).map((part) => parseSelectItem(part.trim()));
}

function parseSelectItem(item: string): SelectItem {
  if (item === '') throw parseError('failed to parse select parameter: empty item');
  if (item === '*') return { kind: 'star' };
  if (item.startsWith('...')) throw notSupported('Spread embedding (`...rel(…)`) in select');
  if (AGGREGATE.test(item.replace(/::[A-Za-z0-9_.[\]]+$/, ''))) throw notSupported('Aggregate functions in select');
  if (item.includes('(')) throw notSupported('Resource embedding in select');
  let alias: string | undefined;
  let rest = item;
  const colon = aliasColon(item);
  if (colon >= 0) {
    alias = item.slice(0, colon).trim().replace(/^"(.*)"$/, '$1');
    rest = item.slice(colon + 1).trim();
    if (!alias) throw parseError(`failed to parse select parameter: empty alias in "${item}"`);
  }
  let cast: string | undefined;
  const castAt = rest.lastIndexOf('::');
  if (castAt >= 0) {
    cast = rest.slice(castAt + 2).trim();
    rest = rest.slice(0, castAt);
    if (!CAST.test(cast)) throw parseError(`failed to parse select parameter: invalid cast "${cast}"`);
  }
  if (rest.includes('!')) throw notSupported('Resource embedding hints in select');
  return { kind: 'field', field: parseField(rest), alias, cast };
}
