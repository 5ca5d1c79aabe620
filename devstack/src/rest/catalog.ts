// Catalog look-ups (function signatures, primary keys) through the admin pool: metadata only,
// never user rows. A 2-second cache keeps bursts cheap while migrations still show up at once.
import type pg from 'pg';

export interface FunctionArg {
  name: string;
  /** format_type() output: a valid, already-quoted SQL type name from the catalog. */
  type: string;
  mode: 'in' | 'inout' | 'variadic';
  hasDefault: boolean;
}

export interface FunctionInfo {
  schema: string;
  name: string;
  args: FunctionArg[];
  /** Any input argument without a name: such functions cannot be called with named arguments. */
  hasUnnamedArgs: boolean;
  /** Polymorphic or otherwise uncallable argument types (any*, internal…). */
  hasPseudoArgs: boolean;
  returnsSet: boolean;
  /** void → no body; scalar → values; composite → objects; unsupported → `returns record` without columns etc. */
  returnKind: 'void' | 'scalar' | 'composite' | 'unsupported';
  /** Column names when the result is one OUT/TABLE column of a scalar type. */
  outNames: string[];
  returnType: string;
}

interface CacheEntry<T> {
  at: number;
  value: Promise<T>;
}

const TTL_MS = 2000;

export interface Catalog {
  functions(schema: string, name: string): Promise<FunctionInfo[]>;
  primaryKey(schema: string, table: string): Promise<string[]>;
}

export function createCatalog(admin: pg.Pool, ttlMs = TTL_MS): Catalog {
  const cache = new Map<string, CacheEntry<unknown>>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: Date.now(), value });
    // A failed look-up is not remembered: the next request asks again.
    value.catch(() => cache.delete(key));
    if (cache.size > 500) cache.delete(cache.keys().next().value as string);
    return value;
  }
  return {
    functions: (schema, name) => cached(`fn:${schema}.${name}`, () => loadFunctions(admin, schema, name)),
    primaryKey: (schema, table) => cached(`pk:${schema}.${table}`, () => loadPrimaryKey(admin, schema, table)),
  };
}

const FUNCTIONS_SQL = `
select p.pronargdefaults as ndefaults,
       p.proretset as retset,
       format_type(p.prorettype, null) as rettype,
       rt.typtype as ret_typtype,
       coalesce(p.proargnames, '{}') as argnames,
       coalesce(p.proargmodes::text[], '{}') as argmodes,
       array(select format_type(x.t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
             with ordinality as x(t, i) order by x.i) as argtypes,
       array(select tt.typtype::text from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
             with ordinality as x(t, i) join pg_type tt on tt.oid = x.t order by x.i) as argtyptypes
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type rt on rt.oid = p.prorettype
 where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`;

interface FunctionRow {
  ndefaults: number;
  retset: boolean;
  rettype: string;
  ret_typtype: string;
  argnames: string[];
  argmodes: string[];
  argtypes: string[];
  argtyptypes: string[];
}

async function loadFunctions(admin: pg.Pool, schema: string, name: string): Promise<FunctionInfo[]> {
  const { rows } = await admin.query<FunctionRow>(FUNCTIONS_SQL, [schema, name]);
  return rows.map((r) => describeFunction(schema, name, r));
}

/** Exported for unit tests: turns one pg_proc row into what rpc.ts needs. */
export function describeFunction(schema: string, name: string, r: FunctionRow): FunctionInfo {
  const modes = r.argmodes.length ? r.argmodes : r.argtypes.map(() => 'i');
  const inputs: Array<Omit<FunctionArg, 'hasDefault'>> = [];
  const outNames: string[] = [];
  let hasUnnamedArgs = false;
  let hasPseudoArgs = false;
  modes.forEach((mode, i) => {
    const argName = r.argnames[i] ?? '';
    if (mode === 'o' || mode === 't' || mode === 'b') outNames.push(argName);
    if (mode === 'i' || mode === 'b' || mode === 'v') {
      if (!argName) hasUnnamedArgs = true;
      if (r.argtyptypes[i] === 'p') hasPseudoArgs = true;
      inputs.push({ name: argName, type: r.argtypes[i], mode: mode === 'v' ? 'variadic' : mode === 'b' ? 'inout' : 'in' });
    }
  });
  // Defaults belong to the last `pronargdefaults` input arguments.
  const args = inputs.map((a, i) => ({ ...a, hasDefault: i >= inputs.length - r.ndefaults }));
  let returnKind: FunctionInfo['returnKind'];
  if (r.rettype === 'void') returnKind = 'void';
  else if (r.ret_typtype === 'c') returnKind = 'composite';
  else if (r.rettype === 'record') returnKind = outNames.length ? 'composite' : 'unsupported';
  else if (r.ret_typtype === 'p') returnKind = 'unsupported';
  else returnKind = outNames.length ? 'composite' : 'scalar';
  return {
    schema,
    name,
    args,
    hasUnnamedArgs,
    hasPseudoArgs,
    returnsSet: r.retset,
    returnKind,
    outNames: r.rettype === 'record' ? [] : outNames,
    returnType: r.rettype,
  };
}

async function loadPrimaryKey(admin: pg.Pool, schema: string, table: string): Promise<string[]> {
  const { rows } = await admin.query<{ attname: string }>(
    `select a.attname
       from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = to_regclass(format('%I.%I', $1::text, $2::text)) and i.indisprimary
      order by array_position(i.indkey::int2[], a.attnum)`,
    [schema, table],
  );
  return rows.map((r) => r.attname);
}
