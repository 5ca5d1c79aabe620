// Building blocks shared by the SQL builders. Two rules make injection impossible: identifiers
// only ever reach SQL through pg.escapeIdentifier, values only ever as bound parameters ($n).
import pg from 'pg';

export const ident = (name: string): string => pg.escapeIdentifier(name);

/** `"schema"."name"` */
export const qualified = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;

/** Collects bound values; `add` returns the placeholder to splice into the SQL text. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** One step of a JSON path: `->key` (json) or `->>key` (text). */
export interface JsonStep {
  arrow: '->' | '->>';
  key: string;
}

/** A column reference as written in select/filters/order: `col`, `data->a->>b`. */
export interface Field {
  column: string;
  path: JsonStep[];
}

/**
 * SQL for a field, qualified with the relation alias so it can never be confused with a
 * function's argument record in RPC queries. Keys are bound: `->$2::text`, indexes `->$3::int`.
 */
export function fieldSql(field: Field, rel: string, params: Params): string {
  let sql = `${rel}.${ident(field.column)}`;
  for (const step of field.path) {
    const isIndex = /^-?\d+$/.test(step.key);
    sql += `${step.arrow}${params.add(isIndex ? Number(step.key) : step.key)}::${isIndex ? 'int' : 'text'}`;
  }
  return sql;
}

/** The name PostgREST gives an unaliased field in the output: the column or the last JSON key. */
export function fieldOutputName(field: Field): string {
  return field.path.length ? field.path[field.path.length - 1].key : field.column;
}
