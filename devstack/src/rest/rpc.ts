// POST/GET/HEAD /rpc/fn: PostgREST's function calls with named arguments. Arguments are typed by
// the function's own signature via json_to_record, so numbers, arrays and json arrive as such.
import type { FunctionInfo } from './catalog.ts';
import { buildRead, REL } from './build-sql.ts';
import { invalidBody, notSupported, parseError, restError } from './errors.ts';
import { rangeOf } from './headers.ts';
import { type ParsedQuery, parseQuery, RESERVED } from './parse-query.ts';
import { inCallerTransaction, JSON_TYPE, OBJECT_TYPE, preferenceApplied, readJsonBody, type RestRequest, type RestResult } from './request.ts';
import { type AggregateRow, pageOf, rowsResponse, singleObjectError } from './respond.ts';
import { ident, Params, qualified } from './sql.ts';

export interface ChosenFunction {
  fn: FunctionInfo;
  /** The given keys that are arguments of `fn`, in the order given. */
  argKeys: string[];
}

function notFound(schema: string, name: string, keys: string[]): never {
  const sorted = [...keys].sort();
  const signature = sorted.length ? `${schema}.${name}(${sorted.join(', ')})` : `${schema}.${name} without parameters`;
  throw restError(
    404,
    'PGRST202',
    `Could not find the function ${signature} in the schema cache`,
    `Searched for the function ${schema}.${name}` +
      (sorted.length ? ` with parameters ${sorted.join(', ')}` : ' without parameters') +
      ', but no matches were found in the schema cache.',
    null,
  );
}

/**
 * Picks the overload a call means. `exact` (POST bodies): every key must be an argument.
 * Otherwise (GET query strings) keys that are not arguments stay as filters on the result,
 * which only functions returning rows can take.
 */
export function chooseFunction(
  candidates: FunctionInfo[],
  keys: string[],
  exact: boolean,
  schema: string,
  name: string,
): ChosenFunction {
  const matches: ChosenFunction[] = [];
  for (const fn of candidates) {
    const names = new Set(fn.args.map((a) => a.name).filter(Boolean));
    const argKeys = keys.filter((k) => names.has(k));
    const leftovers = keys.length - argKeys.length;
    const takesFilters = fn.returnsSet || fn.returnKind === 'composite';
    if (leftovers > 0 && (exact || !takesFilters)) continue;
    if (fn.args.some((a) => !a.hasDefault && !argKeys.includes(a.name))) continue;
    matches.push({ fn, argKeys });
  }
  if (!matches.length) {
    if (candidates.some((fn) => fn.hasUnnamedArgs)) throw notSupported('Calling functions with unnamed parameters');
    notFound(schema, name, keys);
  }
  const most = Math.max(...matches.map((m) => m.argKeys.length));
  const best = matches.filter((m) => m.argKeys.length === most);
  if (best.length > 1) {
    throw restError(
      300,
      'PGRST203',
      `Could not choose the best candidate function between: ${best.map((m) => describe(m.fn)).join(', ')}`,
      null,
      'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    );
  }
  return best[0];
}

function describe(fn: FunctionInfo): string {
  return `${fn.schema}.${fn.name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`;
}

/**
 * FROM clause calling the function: `json_to_record($n::json) as _args(a int4, …), lateral
 * "s"."fn"(a => _args.a) as _f`. Types come from format_type() in the catalog, names are quoted.
 * Keys in `fromText` (GET query values) arrive as text and go through the type's input
 * function instead (`_args.a::jsonb`), so `?j={"k":1}` is an object, not a JSON string.
 */
export function callFromSql(chosen: ChosenFunction, argsJson: string, params: Params, fromText = new Set<string>()): string {
  const { fn, argKeys } = chosen;
  const byName = new Map(fn.args.map((a) => [a.name, a]));
  const callArgs = argKeys.map((k) => {
    const variadic = byName.get(k)!.mode === 'variadic' ? 'variadic ' : '';
    const cast = fromText.has(k) ? `::${byName.get(k)!.type}` : '';
    return `${variadic}${ident(k)} => _args.${ident(k)}${cast}`;
  });
  const columns = resultColumns(fn);
  const alias = `_f${columns ? `(${columns.map(ident).join(', ')})` : ''}`;
  const call = `${qualified(fn.schema, fn.name)}(${callArgs.join(', ')})`;
  if (!argKeys.length) return `${call} as ${alias}`;
  const recordDef = argKeys.map((k) => `${ident(k)} ${fromText.has(k) ? 'text' : byName.get(k)!.type}`).join(', ');
  return `json_to_record(${params.add(argsJson)}::json) as _args(${recordDef}), lateral ${call} as ${alias}`;
}

/** Explicit column names for results of a scalar type: the function's name, or its one OUT argument. */
function resultColumns(fn: FunctionInfo): string[] | null {
  if (fn.returnKind === 'scalar') return [fn.name];
  if (fn.returnKind === 'composite' && fn.outNames.length) return fn.outNames;
  return null;
}

export async function handleRpc(r: RestRequest, name: string): Promise<RestResult> {
  const readOnly = r.method === 'GET' || r.method === 'HEAD';
  if (!readOnly && r.method !== 'POST') {
    throw restError(405, 'PGRST101', `Cannot use the ${r.method} method on RPC`);
  }
  const candidates = await r.catalog.functions(r.schema, name);
  let chosen: ChosenFunction;
  let argsJson: string;
  let q: ParsedQuery;
  const fromText = new Set<string>();
  if (readOnly) {
    const sp = r.url.searchParams;
    const keys = [...new Set([...sp.keys()])].filter((k) => !RESERVED.has(k) && !/^(not\.)?(and|or)$/.test(k));
    chosen = chooseFunction(candidates, keys, false, r.schema, name);
    const args: Record<string, string | string[]> = {};
    for (const k of chosen.argKeys) {
      const values = sp.getAll(k);
      // A repeated parameter is an array argument (e.g. VARIADIC), as in PostgREST: that one
      // goes through json_to_record as a JSON array, single values through the type's input.
      if (values.length > 1) args[k] = values;
      else {
        args[k] = values[0];
        fromText.add(k);
      }
    }
    argsJson = JSON.stringify(args);
    q = parseQuery(sp, new Set(chosen.argKeys));
  } else {
    const body = await readJsonBody(r, '{}');
    if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
      throw invalidBody('Empty or invalid json', 'The body of an RPC call must be a JSON object of named arguments');
    }
    chosen = chooseFunction(candidates, Object.keys(body.value), true, r.schema, name);
    argsJson = body.text;
    q = parseQuery(r.url.searchParams);
  }
  const fn = chosen.fn;
  if (fn.returnKind === 'unsupported') throw notSupported(`Calling functions returning ${fn.returnType}`);
  if (fn.hasPseudoArgs) throw notSupported('Calling functions with polymorphic arguments');
  if (q.onConflict || q.columns) throw parseError('on_conflict and columns do not apply to RPC');
  const returnsRows = fn.returnsSet || fn.returnKind === 'composite';
  if (!returnsRows && (q.where.length || q.order.length || q.hasSelect || q.limit !== undefined || q.offset !== undefined)) {
    throw parseError(`select, filters, order, limit and offset need a function returning rows; ${fn.schema}.${fn.name} returns ${fn.returnType}`);
  }
  if (fn.returnKind === 'scalar' && q.hasSelect) throw notSupported('select= with columns on functions returning scalars');

  const params = new Params();
  const from = callFromSql(chosen, argsJson, params, fromText);

  if (fn.returnKind === 'void') {
    await inCallerTransaction(r, readOnly, (c) => c.query(`select count(*) from ${from}`, params.values));
    return { status: 204, headers: preferenceApplied(r.prefs) };
  }

  const page = fn.returnsSet ? pageOf(q, rangeOf(r.req), r.gw.cfg.maxRows) : { offset: 0, limit: undefined };
  // Materialized: the function runs exactly once even though the count reads the rows again.
  const sql = buildRead({
    cte: `_src as materialized (select _f.* from ${from})`,
    from: `_src as ${REL}`,
    query: q,
    limit: page.limit,
    offset: page.offset,
    count: Boolean(r.prefs.count) && fn.returnsSet,
    scalarColumn: fn.returnKind === 'scalar' ? fn.name : undefined,
  }, params);
  const row = await inCallerTransaction(r, readOnly, async (c) => {
    const result = (await c.query<AggregateRow>(sql, params.values)).rows[0];
    // Checked inside the transaction so a function's writes roll back with the 406.
    if (fn.returnsSet && r.media === 'object' && result.n !== 1) throw singleObjectError(result.n);
    return result;
  });
  if (fn.returnsSet) return rowsResponse(row, page.offset, r.media, preferenceApplied(r.prefs));
  // A single value or a single composite: the first (only) row, never wrapped in an array.
  return {
    status: 200,
    body: row.first ?? 'null',
    headers: { ...preferenceApplied(r.prefs), 'content-type': r.media === 'object' ? OBJECT_TYPE : JSON_TYPE },
  };
}
