// Tables and views: GET/HEAD read, POST insert/upsert, PATCH update, DELETE delete.
import type pg from 'pg';
import { buildDelete, buildInsert, buildRead, buildUpdate, REL, wrapReturning } from './build-sql.ts';
import { invalidBody, notSupported } from './errors.ts';
import { rangeOf } from './headers.ts';
import { type ParsedQuery, parseQuery } from './parse-query.ts';
import {
  inCallerTransaction,
  JSON_TYPE,
  OBJECT_TYPE,
  preferenceApplied,
  readJsonBody,
  type RestRequest,
  type RestResult,
} from './request.ts';
import { type AggregateRow, pageOf, rowsResponse, singleObjectError } from './respond.ts';
import { ident, Params, qualified } from './sql.ts';

export function handleTable(r: RestRequest, table: string): Promise<RestResult> {
  switch (r.method) {
    case 'GET':
    case 'HEAD':
      return read(r, table);
    case 'POST':
      return insert(r, table);
    case 'PATCH':
      return update(r, table);
    case 'DELETE':
      return remove(r, table);
    case 'PUT':
      throw notSupported('PUT (single-row upsert)');
    default:
      throw notSupported(`The ${r.method} method`);
  }
}

async function read(r: RestRequest, table: string): Promise<RestResult> {
  const q = parseQuery(r.url.searchParams);
  rejectWriteOnlyParams(q, 'GET');
  const page = pageOf(q, rangeOf(r.req), r.gw.cfg.maxRows);
  const params = new Params();
  const sql = buildRead({
    from: `${qualified(r.schema, table)} as ${REL}`,
    query: q,
    limit: page.limit,
    offset: page.offset,
    count: Boolean(r.prefs.count),
  }, params);
  const row = await inCallerTransaction(r, true, async (c) => (await c.query<AggregateRow>(sql, params.values)).rows[0]);
  return rowsResponse(row, page.offset, r.media, preferenceApplied(r.prefs));
}

function rejectWriteOnlyParams(q: ParsedQuery, method: string): void {
  if (q.onConflict) throw notSupported(`on_conflict with ${method}`);
  if (q.columns) throw notSupported(`columns with ${method}`);
}

/** Mutations answer 406 and roll back when the single-object Accept meets ≠ 1 affected row. */
function checkSingle(r: RestRequest, n: number): void {
  if (r.media === 'object' && n !== 1) throw singleObjectError(n);
}

interface WriteOutcome {
  n: number;
  body?: string;
  first?: string | null;
  location?: string;
}

function writeResult(r: RestRequest, status: number, out: WriteOutcome, extraPrefs: string[]): RestResult {
  const ret = r.prefs.return ?? 'minimal';
  const headers: Record<string, string> = {
    ...preferenceApplied(r.prefs, [`return=${ret}`, ...extraPrefs]),
    'content-range': `*/${r.prefs.count ? out.n : '*'}`,
  };
  if (ret === 'representation') {
    const object = r.media === 'object';
    return {
      status,
      body: object ? out.first ?? 'null' : out.body ?? '[]',
      headers: { ...headers, 'content-type': object ? OBJECT_TYPE : JSON_TYPE },
    };
  }
  if (out.location) headers.location = out.location;
  return { status: status === 201 ? 201 : 204, headers };
}

/** Runs a data-modifying statement in the shape `return=` asks for. */
async function runWrite(
  r: RestRequest,
  c: pg.PoolClient,
  statement: string,
  params: Params,
  q: ParsedQuery,
): Promise<WriteOutcome> {
  if (r.prefs.return === 'representation') {
    const sql = wrapReturning(statement, q.select, params);
    const row = (await c.query<AggregateRow>(sql, params.values)).rows[0];
    return { n: row.n, body: row.body, first: row.first };
  }
  // No RETURNING: minimal responses work under insert-only or update-only RLS policies.
  const res = await c.query(statement, params.values);
  return { n: res.rowCount ?? 0 };
}

function objectKeys(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

async function insert(r: RestRequest, table: string): Promise<RestResult> {
  const q = parseQuery(r.url.searchParams);
  if (q.where.length || q.order.length || q.limit !== undefined || q.offset !== undefined) {
    throw notSupported('Filters, order, limit or offset on POST');
  }
  const body = await readJsonBody(r);
  const rowsValue = Array.isArray(body.value) ? body.value : [body.value];
  if (!rowsValue.every(isPlainObject)) invalidBodyShape();
  const rows = rowsValue as Record<string, unknown>[];
  const rowsText = Array.isArray(body.value) ? body.text : `[${body.text}]`;
  const allowed = q.columns ? new Set(q.columns) : null;
  const keep = (k: string) => !allowed || allowed.has(k);

  let target: string[] = q.onConflict ?? [];
  if (r.prefs.resolution && !q.onConflict) target = await r.catalog.primaryKey(r.schema, table);
  const conflict = r.prefs.resolution
    ? { action: r.prefs.resolution === 'merge-duplicates' ? 'merge' as const : 'ignore' as const, target }
    : undefined;

  // missing=default: one statement per run of rows with the same keys, so an absent key takes the
  // column default (it is simply not in that statement's column list) and row order is kept.
  const batches: Array<{ columns: string[]; text: string }> = [];
  if (r.prefs.missing === 'default') {
    const runs: Array<{ columns: string[]; rows: unknown[] }> = [];
    for (const row of rows) {
      const columns = objectKeys(row).filter(keep).sort();
      const last = runs[runs.length - 1];
      if (last && sameColumns(last.columns, columns)) last.rows.push(row);
      else runs.push({ columns, rows: [row] });
    }
    for (const run of runs) batches.push({ columns: run.columns, text: JSON.stringify(run.rows) });
  } else {
    const columns = q.columns ?? [...new Set(rows.flatMap(objectKeys))];
    batches.push({ columns, text: rowsText });
  }

  const pk = r.prefs.return === 'headers-only' ? await r.catalog.primaryKey(r.schema, table) : [];
  const outcome = await inCallerTransaction(r, false, async (c) => {
    const parts: WriteOutcome[] = [];
    for (const b of batches) {
      const params = new Params();
      const statement = buildInsert({ schema: r.schema, table, columns: b.columns, rows: b.text, conflict }, params);
      if (r.prefs.return === 'headers-only' && pk.length) {
        // As text: the Location must carry Postgres' own rendering of the key, not a JS Date.
        const returning = pk.map((k) => `${ident(k)}::text as ${ident(k)}`).join(', ');
        const res = await c.query(`${statement} returning ${returning}`, params.values);
        parts.push({ n: res.rowCount ?? 0, location: locationOf(table, pk, res.rows[0]) });
      } else {
        parts.push(await runWrite(r, c, statement, params, q));
      }
    }
    const merged = mergeOutcomes(parts);
    checkSingle(r, merged.n);
    return merged;
  });
  const extra = [
    ...(r.prefs.resolution ? [`resolution=${r.prefs.resolution}`] : []),
    ...(r.prefs.missing ? [`missing=${r.prefs.missing}`] : []),
  ];
  return writeResult(r, 201, outcome, extra);
}

const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

function invalidBodyShape(): never {
  throw invalidBody('Empty or invalid json', 'The body must be a JSON object or an array of JSON objects');
}

/** Concatenates json_agg arrays as text, so values keep the exact text Postgres produced. */
function mergeOutcomes(parts: WriteOutcome[]): WriteOutcome {
  if (parts.length === 1) return parts[0];
  const inner = parts.map((p) => (p.body ?? '[]').trim().slice(1, -1).trim()).filter((s) => s !== '');
  return {
    n: parts.reduce((sum, p) => sum + p.n, 0),
    body: `[${inner.join(', ')}]`,
    first: parts.find((p) => p.n > 0)?.first ?? null,
    location: parts.find((p) => p.location)?.location,
  };
}

function locationOf(table: string, pk: string[], row: Record<string, unknown> | undefined): string | undefined {
  if (!row) return undefined;
  const query = pk.map((k) => `${encodeURIComponent(k)}=eq.${encodeURIComponent(String(row[k]))}`).join('&');
  return `/${encodeURIComponent(table)}?${query}`;
}

function rejectPagingOnWrite(q: ParsedQuery, method: string): void {
  if (q.order.length || q.limit !== undefined || q.offset !== undefined) {
    throw notSupported(`order, limit or offset with ${method}`);
  }
  rejectWriteOnlyParams(q, method);
}

async function update(r: RestRequest, table: string): Promise<RestResult> {
  const q = parseQuery(r.url.searchParams);
  rejectPagingOnWrite(q, 'PATCH');
  if (r.prefs.return === 'headers-only') throw notSupported('return=headers-only with PATCH');
  const body = await readJsonBody(r);
  if (!isPlainObject(body.value)) throw invalidBody('Empty or invalid json', 'PATCH expects a single JSON object');
  const columns = objectKeys(body.value);
  const outcome = await inCallerTransaction(r, false, async (c) => {
    // Nothing to set: no statement at all, which reads as zero affected rows.
    let result: WriteOutcome = { n: 0, body: '[]', first: null };
    if (columns.length) {
      const params = new Params();
      const statement = buildUpdate({ schema: r.schema, table, columns, values: body.text, where: q.where }, params);
      result = await runWrite(r, c, statement, params, q);
    }
    checkSingle(r, result.n);
    return result;
  });
  return writeResult(r, 200, outcome, []);
}

async function remove(r: RestRequest, table: string): Promise<RestResult> {
  const q = parseQuery(r.url.searchParams);
  rejectPagingOnWrite(q, 'DELETE');
  if (r.prefs.return === 'headers-only') throw notSupported('return=headers-only with DELETE');
  const outcome = await inCallerTransaction(r, false, async (c) => {
    const params = new Params();
    const result = await runWrite(r, c, buildDelete(r.schema, table, q.where, params), params, q);
    checkSingle(r, result.n);
    return result;
  });
  return writeResult(r, 200, outcome, []);
}
