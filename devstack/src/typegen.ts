// `npm run typegen`: reads the schema of the running database from pg_catalog and writes
// web/src/lib/database.types.ts in the Supabase CLI's `Database` format (Tables Row / Insert /
// Update / Relationships, Views, Functions Args / Returns, Enums, CompositeTypes), so the SPA's
// row types always come from the migrations, never from hand-copied interfaces.
//
//   npm run typegen                    # the dev stack (npm start)
//   npm run typegen -- --profile test  # the test stack
//   SUPABASE_DB_URL=… npm run typegen  # any database
//   npm run typegen -- --check         # exit 1 when the file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig, type ProfileName, repoRoot } from './config.ts';

export const typesFile = join(repoRoot, 'web/src/lib/database.types.ts');

interface TypeInfo {
  oid: number;
  name: string;
  schema: string;
  type: string; // typtype: b base, c composite, d domain, e enum, p pseudo, r range
  category: string;
  elem: number;
  base: number;
  relid: number;
  relkind: string | null;
  relname: string | null;
}

interface ColumnInfo {
  relid: number;
  name: string;
  typeOid: number;
  notNull: boolean;
  hasDefault: boolean;
  identity: string;
  generated: string;
  num: number;
}

interface RelationInfo {
  oid: number;
  name: string;
  kind: string;
  insertable: boolean;
  updatable: boolean;
}

interface ForeignKey {
  name: string;
  relid: number;
  columns: string[];
  refRelname: string;
  refColumns: string[];
  oneToOne: boolean;
}

interface FunctionInfo {
  name: string;
  argNames: string[] | null;
  argModes: string[] | null;
  allArgTypes: number[] | null;
  inArgTypes: number[];
  nDefaults: number;
  returnType: number;
  returnsSet: boolean;
}

const schema = 'public';

/** Code-point order, the same on every machine (localeCompare depends on the locale). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Quotes a key only when it is not a plain identifier, as the CLI does. */
function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

async function introspect(client: pg.Client) {
  const types = (await client.query<TypeInfo>(`
    select t.oid::int as oid, t.typname as name, n.nspname as schema, t.typtype as type,
           t.typcategory as category, t.typelem::int as elem, t.typbasetype::int as base,
           t.typrelid::int as relid, c.relkind::text as relkind, c.relname as relname
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace
    left join pg_class c on c.oid = t.typrelid`)).rows;

  const relations = (await client.query<RelationInfo>(`
    select c.oid::int as oid, c.relname as name, c.relkind::text as kind,
           pg_relation_is_updatable(c.oid, false) & 8 = 8 as insertable,
           pg_relation_is_updatable(c.oid, false) & 4 = 4 as updatable
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm')
      and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    order by c.relname`, [schema])).rows;

  const columns = (await client.query<ColumnInfo>(`
    select a.attrelid::int as relid, a.attname as name, a.atttypid::int as "typeOid",
           a.attnotnull as "notNull", a.atthasdef as "hasDefault", a.attidentity::text as identity,
           a.attgenerated::text as generated, a.attnum::int as num
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'c') and a.attnum > 0 and not a.attisdropped
    order by a.attrelid, a.attnum`, [schema])).rows;

  const foreignKeys = (await client.query<ForeignKey>(`
    select con.conname as name, con.conrelid::int as relid,
           array(select a.attname from unnest(con.conkey) with ordinality k(num, i)
                 join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.i)::text[] as columns,
           rc.relname as "refRelname",
           array(select a.attname from unnest(con.confkey) with ordinality k(num, i)
                 join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.i)::text[] as "refColumns",
           exists (select 1 from pg_index ix
                   where ix.indrelid = con.conrelid and ix.indisunique and ix.indpred is null
                     and (select array_agg(x order by x) from unnest(ix.indkey::int2[]) x)
                       = (select array_agg(x order by x) from unnest(con.conkey) x)) as "oneToOne"
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_class rc on rc.oid = con.confrelid
    join pg_namespace rn on rn.oid = rc.relnamespace
    where con.contype = 'f' and n.nspname = $1 and rn.nspname = $1
    order by con.conname`, [schema])).rows;

  const functions = (await client.query<FunctionInfo>(`
    select p.proname as name, p.proargnames::text[] as "argNames", p.proargmodes::text[] as "argModes",
           p.proallargtypes::int[] as "allArgTypes", p.proargtypes::int[] as "inArgTypes",
           p.pronargdefaults::int as "nDefaults", p.prorettype::int as "returnType", p.proretset as "returnsSet"
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = $1 and p.prokind = 'f'
      and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    order by p.proname, pg_get_function_identity_arguments(p.oid)`, [schema])).rows;

  const enums = (await client.query<{ name: string; labels: string[] }>(`
    select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels
    from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
    where n.nspname = $1
    group by t.typname order by t.typname`, [schema])).rows;

  return { types, relations, columns, foreignKeys, functions, enums };
}

/** Renders the `Database` type of schema public from a live database. */
export async function generateTypes(dbUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: dbUrl, application_name: 'typegen' });
  await client.connect();
  let meta: Awaited<ReturnType<typeof introspect>>;
  try {
    meta = await introspect(client);
  } finally {
    await client.end();
  }
  const typeById = new Map(meta.types.map((t) => [t.oid, t]));
  const columnsOf = new Map<number, ColumnInfo[]>();
  for (const c of meta.columns) columnsOf.set(c.relid, [...(columnsOf.get(c.relid) ?? []), c]);

  const tsType = (oid: number, context: 'column' | 'return' = 'column'): string => {
    const t = typeById.get(oid);
    if (!t) return 'unknown';
    if (t.category === 'A' && t.elem) return `${wrapArray(tsType(t.elem, context))}[]`;
    if (t.type === 'd') return tsType(t.base, context);
    if (t.type === 'e') {
      if (t.schema === schema) return `Database["${schema}"]["Enums"]["${t.name}"]`;
      return 'string';
    }
    if (t.type === 'c' && t.schema === schema && t.relname) {
      if (t.relkind === 'r' || t.relkind === 'p') return `Database["${schema}"]["Tables"]["${t.relname}"]["Row"]`;
      if (t.relkind === 'v' || t.relkind === 'm') return `Database["${schema}"]["Views"]["${t.relname}"]["Row"]`;
      if (t.relkind === 'c') return `Database["${schema}"]["CompositeTypes"]["${t.relname}"]`;
    }
    switch (t.name) {
      case 'bool':
        return 'boolean';
      case 'int2': case 'int4': case 'int8': case 'float4': case 'float8': case 'numeric': case 'oid':
        return 'number';
      case 'json': case 'jsonb':
        return 'Json';
      case 'text': case 'varchar': case 'bpchar': case 'char': case 'name': case 'citext': case 'uuid':
      case 'date': case 'time': case 'timetz': case 'timestamp': case 'timestamptz': case 'interval':
      case 'bytea': case 'inet': case 'cidr': case 'macaddr': case 'tsvector': case 'regclass': case 'regtype':
        return 'string';
      case 'void':
        return 'undefined';
      case 'record':
        return 'Record<string, unknown>';
      default:
        return 'unknown';
    }
  };
  const wrapArray = (s: string) => (/[|&]/.test(s) ? `(${s})` : s);

  const out: string[] = [];
  const w = (indent: number, line: string) => out.push(`${'  '.repeat(indent)}${line}`);

  out.push(
    '// Generated by `npm run typegen` (devstack/src/typegen.ts) from the database schema.',
    '// Do not edit by hand: change a migration, then regenerate. A test fails when this file is stale.',
    '',
    'export type Json =',
    '  | string',
    '  | number',
    '  | boolean',
    '  | null',
    '  | { [key: string]: Json | undefined }',
    '  | Json[]',
    '',
    'export type Database = {',
  );
  w(1, `${schema}: {`);

  // Tables
  const tables = meta.relations.filter((r) => r.kind === 'r' || r.kind === 'p');
  w(2, 'Tables: {');
  if (!tables.length) w(3, '[_ in never]: never');
  for (const rel of tables) {
    const cols = columnsOf.get(rel.oid) ?? [];
    w(3, `${key(rel.name)}: {`);
    w(4, 'Row: {');
    for (const c of [...cols].sort((a, b) => byText(a.name, b.name))) {
      w(5, `${key(c.name)}: ${tsType(c.typeOid)}${c.notNull ? '' : ' | null'}`);
    }
    w(4, '}');
    for (const mode of ['Insert', 'Update'] as const) {
      w(4, `${mode}: {`);
      for (const c of [...cols].sort((a, b) => byText(a.name, b.name))) {
        if (c.generated === 's' || c.identity === 'a') {
          w(5, `${key(c.name)}?: never`);
          continue;
        }
        const optional = mode === 'Update' || !c.notNull || c.hasDefault || c.identity === 'd';
        w(5, `${key(c.name)}${optional ? '?' : ''}: ${tsType(c.typeOid)}${c.notNull ? '' : ' | null'}`);
      }
      w(4, '}');
    }
    relationships(rel.oid, 4);
    w(3, '}');
  }
  w(2, '}');

  function relationships(relid: number, indent: number) {
    const fks = meta.foreignKeys.filter((f) => f.relid === relid);
    if (!fks.length) {
      w(indent, 'Relationships: []');
      return;
    }
    w(indent, 'Relationships: [');
    for (const f of fks) {
      w(indent + 1, '{');
      w(indent + 2, `foreignKeyName: ${JSON.stringify(f.name)}`);
      w(indent + 2, `columns: [${f.columns.map((c) => JSON.stringify(c)).join(', ')}]`);
      w(indent + 2, `isOneToOne: ${f.oneToOne}`);
      w(indent + 2, `referencedRelation: ${JSON.stringify(f.refRelname)}`);
      w(indent + 2, `referencedColumns: [${f.refColumns.map((c) => JSON.stringify(c)).join(', ')}]`);
      w(indent + 1, '},');
    }
    w(indent, ']');
  }

  // Views: every column may be null (Postgres does not track nullability through a view).
  const views = meta.relations.filter((r) => r.kind === 'v' || r.kind === 'm');
  w(2, 'Views: {');
  if (!views.length) w(3, '[_ in never]: never');
  for (const rel of views) {
    const cols = [...(columnsOf.get(rel.oid) ?? [])].sort((a, b) => byText(a.name, b.name));
    w(3, `${key(rel.name)}: {`);
    w(4, 'Row: {');
    for (const c of cols) w(5, `${key(c.name)}: ${tsType(c.typeOid)} | null`);
    w(4, '}');
    if (rel.insertable) {
      w(4, 'Insert: {');
      for (const c of cols) w(5, `${key(c.name)}?: ${tsType(c.typeOid)} | null`);
      w(4, '}');
    }
    if (rel.updatable) {
      w(4, 'Update: {');
      for (const c of cols) w(5, `${key(c.name)}?: ${tsType(c.typeOid)} | null`);
      w(4, '}');
    }
    w(4, 'Relationships: []');
    w(3, '}');
  }
  w(2, '}');

  // Functions: overloads become a union of signatures.
  w(2, 'Functions: {');
  const byName = new Map<string, FunctionInfo[]>();
  for (const f of meta.functions) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  if (!byName.size) w(3, '[_ in never]: never');
  for (const [name, overloads] of [...byName].sort(([a], [b]) => byText(a, b))) {
    const signatures = overloads.map((f) => signature(f));
    if (signatures.length === 1) {
      const [args, returns] = signatures[0];
      w(3, `${key(name)}: {`);
      w(4, `Args: ${args}`);
      w(4, `Returns: ${returns}`);
      w(3, '}');
    } else {
      w(3, `${key(name)}:`);
      for (const [args, returns] of signatures) w(4, `| { Args: ${args}; Returns: ${returns} }`);
    }
  }
  w(2, '}');

  function signature(f: FunctionInfo): [args: string, returns: string] {
    const allTypes = f.allArgTypes ?? f.inArgTypes;
    const modes = f.argModes ?? allTypes.map(() => 'i');
    const names = f.argNames ?? [];
    const inArgs: { name: string; type: number }[] = [];
    const tableCols: { name: string; type: number }[] = [];
    allTypes.forEach((type, i) => {
      const mode = modes[i];
      if (mode === 'i' || mode === 'b' || mode === 'v') inArgs.push({ name: names[i] ?? '', type });
      if (mode === 't' || mode === 'o' || mode === 'b') tableCols.push({ name: names[i] ?? '', type });
    });
    const firstDefault = inArgs.length - f.nDefaults;
    const args = inArgs
      .map((a, i) => (a.name ? `${key(a.name)}${i >= firstDefault ? '?' : ''}: ${tsType(a.type)}` : null))
      .filter((a): a is string => a !== null)
      .sort(byText);
    const argsType = args.length ? `{ ${args.join('; ')} }` : 'never';
    let returns: string;
    if (tableCols.length && modes.some((m) => m === 't' || m === 'o')) {
      const shape = `{ ${tableCols.map((c) => `${key(c.name)}: ${tsType(c.type, 'return')}`).join('; ')} }`;
      returns = f.returnsSet ? `${shape}[]` : shape;
    } else {
      const base = tsType(f.returnType, 'return');
      returns = f.returnsSet ? `${wrapArray(base)}[]` : base;
    }
    return [argsType, returns];
  }

  // Enums
  w(2, 'Enums: {');
  if (!meta.enums.length) w(3, '[_ in never]: never');
  for (const e of meta.enums) w(3, `${key(e.name)}: ${e.labels.map((l) => JSON.stringify(l)).join(' | ')}`);
  w(2, '}');

  // Composite types (stand-alone `create type … as (…)`)
  const composites = meta.types.filter((t) => t.schema === schema && t.type === 'c' && t.relkind === 'c')
    .sort((a, b) => byText(a.name, b.name));
  w(2, 'CompositeTypes: {');
  if (!composites.length) w(3, '[_ in never]: never');
  for (const t of composites) {
    w(3, `${key(t.name)}: {`);
    for (const c of columnsOf.get(t.relid) ?? []) w(4, `${key(c.name)}: ${tsType(c.typeOid)} | null`);
    w(3, '}');
  }
  w(2, '}');
  w(1, '}');
  out.push('}', '');

  out.push(
    'type DefaultSchema = Database["public"]',
    '',
    '/** Row type of a table or view: `Tables<"proposals">`. */',
    'export type Tables<T extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])> =',
    '  (DefaultSchema["Tables"] & DefaultSchema["Views"])[T] extends { Row: infer R } ? R : never',
    '',
    '/** Insert type of a table: `TablesInsert<"proposals">`. */',
    'export type TablesInsert<T extends keyof DefaultSchema["Tables"]> =',
    '  DefaultSchema["Tables"][T] extends { Insert: infer I } ? I : never',
    '',
    '/** Update type of a table: `TablesUpdate<"proposals">`. */',
    'export type TablesUpdate<T extends keyof DefaultSchema["Tables"]> =',
    '  DefaultSchema["Tables"][T] extends { Update: infer U } ? U : never',
    '',
    '/** An enum of schema public: `Enums<"proposal_status">`. */',
    'export type Enums<T extends keyof DefaultSchema["Enums"]> = DefaultSchema["Enums"][T]',
    '',
    '/** A stand-alone composite type of schema public. */',
    'export type CompositeTypes<T extends keyof DefaultSchema["CompositeTypes"]> = DefaultSchema["CompositeTypes"][T]',
    '',
    '/** Arguments and result of an RPC: `FunctionArgs<"quote_proposal">`. */',
    'export type FunctionArgs<T extends keyof DefaultSchema["Functions"]> = DefaultSchema["Functions"][T]["Args"]',
    'export type FunctionReturns<T extends keyof DefaultSchema["Functions"]> = DefaultSchema["Functions"][T]["Returns"]',
    '',
    'export const Constants = {',
    '  public: {',
    '    Enums: {',
    ...meta.enums.map((e) => `      ${key(e.name)}: [${e.labels.map((l) => JSON.stringify(l)).join(', ')}],`),
    '    },',
    '  },',
    '} as const',
    '',
  );
  return out.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const profile = arg('profile') as ProfileName | undefined;
  const dbUrl = (profile ? undefined : process.env.SUPABASE_DB_URL) ?? loadConfig(profile ?? 'dev').dbUrl;
  const text = await generateTypes(dbUrl);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(typesFile, 'utf8');
    } catch { /* missing counts as stale */ }
    if (current !== text) {
      process.stderr.write(`${typesFile} is out of date: run npm run typegen\n`);
      process.exit(1);
    }
    process.stdout.write('database types are up to date\n');
    return;
  }
  writeFileSync(typesFile, text);
  process.stdout.write(`wrote ${typesFile} (${text.split('\n').length} lines)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`typegen: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
