// SQL for reads and writes. The JSON response is built by Postgres itself (json_agg), so types
// render exactly as PostgREST renders them; JS never re-serialises a row.
import type { Condition } from './parse-filters.ts';
import type { OrderTerm, ParsedQuery } from './parse-query.ts';
import type { SelectItem } from './parse-select.ts';
import { fieldOutputName, fieldSql, ident, type Params, qualified } from './sql.ts';

/** Alias of the relation every select item, filter and order term is qualified with. */
export const REL = '_t';

export function selectListSql(items: SelectItem[], params: Params, rel = REL): string {
  return items.map((item) => {
    if (item.kind === 'star') return `${rel}.*`;
    let expr = fieldSql(item.field, rel, params);
    // The cast passed a strict type-name pattern in parse-select.ts; it is never user SQL.
    if (item.cast) expr = `(${expr})::${item.cast}`;
    return `${expr} as ${ident(item.alias ?? fieldOutputName(item.field))}`;
  }).join(', ');
}

const COMPARISON: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

export function conditionSql(cond: Condition, params: Params, rel = REL): string {
  let sql: string;
  if (cond.kind === 'logic') {
    const parts = cond.children.map((c) => conditionSql(c, params, rel));
    sql = `(${parts.join(cond.op === 'and' ? ' and ' : ' or ')})`;
  } else {
    const f = fieldSql(cond.field, rel, params);
    const v = cond.value;
    switch (cond.op) {
      case 'eq':
      case 'neq':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        sql = `${f} ${COMPARISON[cond.op]} ${params.add(v)}`;
        break;
      case 'like':
      case 'ilike':
        // PostgREST lets URLs use `*` as the wildcard because `%` is awkward to write in them.
        sql = `${f} ${cond.op} ${params.add((v as string).replace(/\*/g, '%'))}`;
        break;
      case 'is':
        // The keyword comes from a fixed set (parse-filters.ts IS_VALUES), never from the request.
        sql = `${f} is ${({ null: 'null', true: 'true', false: 'false', unknown: 'unknown' } as const)[v as 'null']}`;
        break;
      case 'in':
        // Postgres infers the array type from the column; node-pg sends the JS array as a literal.
        sql = `${f} = any(${params.add(v)})`;
        break;
      case 'cs':
        sql = `${f} @> ${params.add(v)}`;
        break;
      case 'cd':
        sql = `${f} <@ ${params.add(v)}`;
        break;
    }
  }
  return cond.negate ? `not ${sql}` : sql;
}

export function whereSql(conds: Condition[], params: Params, rel = REL): string {
  if (!conds.length) return '';
  return ` where ${conds.map((c) => conditionSql(c, params, rel)).join(' and ')}`;
}

export function orderSql(terms: OrderTerm[], params: Params, rel = REL): string {
  if (!terms.length) return '';
  const parts = terms.map((t) => {
    let sql = fieldSql(t.field, rel, params);
    if (t.direction) sql += ` ${t.direction}`;
    if (t.nulls) sql += ` nulls ${t.nulls}`;
    return sql;
  });
  return ` order by ${parts.join(', ')}`;
}

export interface ReadSpec {
  /** `with …` body (without the keyword), for RPC sources that must be evaluated once. */
  cte?: string;
  /** FROM item, aliased as REL. */
  from: string;
  query: Pick<ParsedQuery, 'select' | 'where' | 'order'>;
  limit?: number;
  offset?: number;
  count: boolean;
  /** Aggregate one column's values instead of row objects (set-returning scalar functions). */
  scalarColumn?: string;
}

/**
 * One statement returning `body` (JSON array text), `first` (its first element), `n` (rows in
 * the page) and, when asked, `total` (rows matching the filters, ignoring limit/offset).
 */
export function buildRead(spec: ReadSpec, params: Params): string {
  const where = whereSql(spec.query.where, params);
  const cols = spec.scalarColumn ? `${REL}.${ident(spec.scalarColumn)}` : selectListSql(spec.query.select, params);
  let inner = `select ${cols} from ${spec.from}${where}${orderSql(spec.query.order, params)}`;
  if (spec.limit !== undefined) inner += ` limit ${params.add(spec.limit)}`;
  if (spec.offset) inner += ` offset ${params.add(spec.offset)}`;
  // `_r.*`, not `_r`: a bare `_r` would mean a column of that name if the table had one.
  const agg = spec.scalarColumn ? `_r.${ident(spec.scalarColumn)}` : '_r.*';
  // The same WHERE text (same placeholders) counts every matching row in the same snapshot.
  const total = spec.count ? `(select count(*) from ${spec.from}${where})::text` : 'null::text';
  return `${spec.cte ? `with ${spec.cte} ` : ''}select coalesce(json_agg(${agg}), '[]')::text as body, ` +
    `(json_agg(${agg})->0)::text as first, count(*)::int as n, ${total} as total from (${inner}) _r`;
}

/** Wraps a data-modifying statement with `returning *` into the same body/first/n shape. */
export function wrapReturning(statement: string, select: SelectItem[], params: Params): string {
  return `with _w as (${statement} returning *) select coalesce(json_agg(_r.*), '[]')::text as body, ` +
    `(json_agg(_r.*)->0)::text as first, count(*)::int as n from (select ${selectListSql(select, params)} from _w as ${REL}) _r`;
}

export interface InsertSpec {
  schema: string;
  table: string;
  columns: string[];
  /** JSON array text of the rows, bound as one parameter. */
  rows: string;
  conflict?: { action: 'merge' | 'ignore'; target: string[] };
}

export function buildInsert(spec: InsertSpec, params: Params): string {
  const tbl = qualified(spec.schema, spec.table);
  const cols = spec.columns.map(ident);
  // json_populate_recordset types every value by the table's own column types.
  let sql = `insert into ${tbl} ${cols.length ? `(${cols.join(', ')}) ` : ''}select ${cols.join(', ')} ` +
    `from json_populate_recordset(null::${tbl}, ${params.add(spec.rows)}::json)`;
  if (spec.conflict) {
    const target = spec.conflict.target.length ? ` (${spec.conflict.target.map(ident).join(', ')})` : '';
    if (spec.conflict.action === 'ignore' || !cols.length) {
      sql += ` on conflict${target} do nothing`;
    } else {
      sql += ` on conflict${target} do update set ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    }
  }
  return sql;
}

export interface UpdateSpec {
  schema: string;
  table: string;
  columns: string[];
  /** JSON object text of the new values. */
  values: string;
  where: Condition[];
}

export function buildUpdate(spec: UpdateSpec, params: Params): string {
  const tbl = qualified(spec.schema, spec.table);
  const cols = spec.columns.map(ident);
  const source = `(select ${cols.join(', ')} from json_populate_record(null::${tbl}, ${params.add(spec.values)}::json))`;
  // A parenthesised one-element target list is a different construct in Postgres: plain form for one column.
  const set = cols.length === 1 ? `${cols[0]} = ${source}` : `(${cols.join(', ')}) = ${source}`;
  return `update ${tbl} as ${REL} set ${set}${whereSql(spec.where, params)}`;
}

export function buildDelete(schema: string, table: string, where: Condition[], params: Params): string {
  return `delete from ${qualified(schema, table)} as ${REL}${whereSql(where, params)}`;
}
