// Pure units of /rest/v1: PostgREST query-string parsing, header handling and the SQL builders.
// The SQL assertions also check that request values never reach the SQL text (only $n does).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { HttpError } from '../src/http.ts';
import { JwtError } from '../src/jwt.ts';
import { buildDelete, buildInsert, buildRead, buildUpdate, conditionSql } from '../src/rest/build-sql.ts';
import { describeFunction, type FunctionInfo } from '../src/rest/catalog.ts';
import { statusForSqlState, toHttpError } from '../src/rest/errors.ts';
import { negotiateMedia, parsePrefer, parseRange, schemaOf } from '../src/rest/headers.ts';
import { parseTarget } from '../src/rest/index.ts';
import { parseFilterParam, parseInList } from '../src/rest/parse-filters.ts';
import { parseOrder, parseQuery } from '../src/rest/parse-query.ts';
import { parseSelect } from '../src/rest/parse-select.ts';
import { contentRange, pageOf } from '../src/rest/respond.ts';
import { callFromSql, chooseFunction } from '../src/rest/rpc.ts';
import { Params } from '../src/rest/sql.ts';

/** Asserts that `fn` throws an HttpError with this status (and PostgREST code, if given). */
function throwsHttp(fn: () => unknown, status: number, code?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof HttpError, `expected HttpError, got ${String(e)}`);
    assert.equal(e.status, status);
    if (code) assert.equal((e.body as { code: string }).code, code);
    return true;
  });
}

const where = (key: string, value: string) => parseFilterParam(key, value);

describe('parseSelect', () => {
  it('reads star, plain columns, aliases, casts and JSON paths', () => {
    assert.deepEqual(parseSelect(null), [{ kind: 'star' }]);
    assert.deepEqual(parseSelect('*, id ,t:title,priority::text,kind:meta->>kind::text,meta->a->0'), [
      { kind: 'star' },
      { kind: 'field', field: { column: 'id', path: [] }, alias: undefined, cast: undefined },
      { kind: 'field', field: { column: 'title', path: [] }, alias: 't', cast: undefined },
      { kind: 'field', field: { column: 'priority', path: [] }, alias: undefined, cast: 'text' },
      { kind: 'field', field: { column: 'meta', path: [{ arrow: '->>', key: 'kind' }] }, alias: 'kind', cast: 'text' },
      {
        kind: 'field',
        field: { column: 'meta', path: [{ arrow: '->', key: 'a' }, { arrow: '->', key: '0' }] },
        alias: undefined,
        cast: undefined,
      },
    ]);
  });

  it('keeps quoted names whole, including commas and colons', () => {
    assert.deepEqual(parseSelect('"a,b:c",x:"q\\"uote"'), [
      { kind: 'field', field: { column: 'a,b:c', path: [] }, alias: undefined, cast: undefined },
      { kind: 'field', field: { column: 'q"uote', path: [] }, alias: 'x', cast: undefined },
    ]);
  });

  it('answers 501 for embedding, spreads and aggregates', () => {
    throwsHttp(() => parseSelect('id,author(*)'), 501, 'PGRST501');
    throwsHttp(() => parseSelect('id,a:author!fk(name)'), 501, 'PGRST501');
    throwsHttp(() => parseSelect('...author(name)'), 501, 'PGRST501');
    throwsHttp(() => parseSelect('count()'), 501, 'PGRST501');
    throwsHttp(() => parseSelect('amount.sum()'), 501, 'PGRST501');
  });

  it('rejects casts that are not plain type names (they would reach SQL)', () => {
    throwsHttp(() => parseSelect('id::int); drop table x; --'), 400, 'PGRST100');
    throwsHttp(() => parseSelect('id::text collate "C"'), 400, 'PGRST100');
    assert.equal((parseSelect('tags::text[]')[0] as { cast: string }).cast, 'text[]');
    throwsHttp(() => parseSelect('id,,title'), 400, 'PGRST100');
  });
});

describe('filters', () => {
  it('reads operators, `not.` and values with dots', () => {
    assert.deepEqual(where('price', 'gte.10.5'), {
      kind: 'filter',
      field: { column: 'price', path: [] },
      op: 'gte',
      negate: false,
      value: '10.5',
    });
    assert.deepEqual(where('name', 'not.like.a*'), {
      kind: 'filter',
      field: { column: 'name', path: [] },
      op: 'like',
      negate: true,
      value: 'a*',
    });
    assert.equal((where('a', 'is.NULL') as { value: string }).value, 'null');
    assert.deepEqual((where('meta->>kind', 'eq.x') as { field: unknown }).field, {
      column: 'meta',
      path: [{ arrow: '->>', key: 'kind' }],
    });
  });

  it('parses in-lists with quotes and escapes', () => {
    assert.deepEqual(parseInList('(a,b,"c,d","e\\"f",)'), ['a', 'b', 'c,d', 'e"f', '']);
    assert.deepEqual(parseInList('()'), []);
    throwsHttp(() => parseInList('a,b'), 400, 'PGRST100');
    throwsHttp(() => parseInList('("open)'), 400, 'PGRST100');
  });

  it('parses nested logic trees with quoted values and array literals', () => {
    const tree = where('or', '(a.eq.1,and(b.cs.{x,y},c.not.is.null),not.or(d.in.(1,2),e.eq."p,q)"))');
    assert.equal(tree.kind, 'logic');
    const params = new Params();
    assert.equal(
      conditionSql(tree, params),
      '(_t."a" = $1 or (_t."b" @> $2 and not _t."c" is null) or not (_t."d" = any($3) or _t."e" = $4))',
    );
    assert.deepEqual(params.values, ['1', '{x,y}', ['1', '2'], 'p,q)']);
    const negated = where('not.and', '(a.gt.1,b.lt.2)');
    assert.equal(conditionSql(negated, new Params()), 'not (_t."a" > $1 and _t."b" < $2)');
  });

  it('rejects malformed filters with 400 and unsupported operators with 501', () => {
    throwsHttp(() => where('a', 'nope.1'), 400, 'PGRST100');
    throwsHttp(() => where('a', 'eq'), 400, 'PGRST100');
    throwsHttp(() => where('a', 'is.maybe'), 400, 'PGRST100');
    throwsHttp(() => where('or', 'a.eq.1'), 400, 'PGRST100');
    throwsHttp(() => where('or', '()'), 400, 'PGRST100');
    for (const op of ['fts', 'plfts', 'phfts', 'wfts', 'match', 'imatch', 'ov', 'sl', 'sr', 'nxl', 'nxr', 'adj', 'isdistinct']) {
      throwsHttp(() => where('a', `${op}.x`), 501, 'PGRST501');
    }
    throwsHttp(() => where('a', 'eq(any).{1,2}'), 501, 'PGRST501');
    throwsHttp(() => where('author.name', 'eq.x'), 501, 'PGRST501');
  });

  it('builds SQL with every value bound and every identifier quoted', () => {
    const hostile = `x'); drop table t; --`;
    const conds = [
      where('title', `eq.${hostile}`),
      where(`we"ird`, 'like.*a*b'),
      where('meta->>k\'ey', `neq.${hostile}`),
      where('tags', `in.("${hostile.replace(/"/g, '\\"')}",z)`),
      where('flag', 'is.true'),
      where('tags', 'cd.{a}'),
    ];
    const params = new Params();
    const sql = conds.map((c) => conditionSql(c, params)).join(' and ');
    assert.equal(
      sql,
      `_t."title" = $1 and _t."we""ird" like $2 and _t."meta"->>$3::text <> $4 and _t."tags" = any($5) and ` +
        `_t."flag" is true and _t."tags" <@ $6`,
    );
    assert.deepEqual(params.values, [hostile, '%a%b', "k'ey", hostile, [hostile, 'z'], '{a}']);
    assert.ok(!sql.includes('drop table'));
  });
});

describe('order, limit, query classification', () => {
  it('reads order terms with directions and nulls placement', () => {
    assert.deepEqual(parseOrder('a.desc.nullslast,b,meta->>k.asc,c.nullsfirst'), [
      { field: { column: 'a', path: [] }, direction: 'desc', nulls: 'last' },
      { field: { column: 'b', path: [] } },
      { field: { column: 'meta', path: [{ arrow: '->>', key: 'k' }] }, direction: 'asc' },
      { field: { column: 'c', path: [] }, nulls: 'first' },
    ]);
    throwsHttp(() => parseOrder('a.sideways'), 400, 'PGRST100');
    throwsHttp(() => parseOrder('author(name).asc'), 501, 'PGRST501');
  });

  it('separates reserved keys, filters and RPC arguments', () => {
    const q = parseQuery(
      new URLSearchParams('select=a,b&order=a&limit=5&offset=2&apikey=k&x=eq.1&n=3&or=(a.eq.1,b.eq.2)'),
      new Set(['n']),
    );
    assert.equal(q.select.length, 2);
    assert.equal(q.hasSelect, true);
    assert.equal(parseQuery(new URLSearchParams('select=*')).hasSelect, false);
    assert.equal(q.limit, 5);
    assert.equal(q.offset, 2);
    assert.equal(q.where.length, 2);
    throwsHttp(() => parseQuery(new URLSearchParams('limit=-1')), 400, 'PGRST100');
    throwsHttp(() => parseQuery(new URLSearchParams('limit=ten')), 400, 'PGRST100');
    throwsHttp(() => parseQuery(new URLSearchParams('author.limit=1')), 501, 'PGRST501');
    assert.deepEqual(parseQuery(new URLSearchParams('columns="a","b c"&on_conflict=id')).columns, ['a', 'b c']);
  });

  it('intersects limit/offset with Range and caps at max rows', () => {
    assert.deepEqual(pageOf({}, null, 1000), { offset: 0, limit: 1000 });
    assert.deepEqual(pageOf({ limit: 5000 }, null, 1000), { offset: 0, limit: 1000 });
    assert.deepEqual(pageOf({}, { offset: 0, limit: 10 }, 1000), { offset: 0, limit: 10 });
    assert.deepEqual(pageOf({ offset: 5, limit: 10 }, { offset: 0, limit: 8 }, 1000), { offset: 5, limit: 3 });
    assert.deepEqual(pageOf({ limit: 0 }, null, 1000), { offset: 0, limit: 0 });
    assert.equal(contentRange(0, 10, 123), '0-9/123');
    assert.equal(contentRange(20, 0, 123), '*/123');
    assert.equal(contentRange(0, 10, null), '0-9/*');
  });
});

describe('headers', () => {
  it('reads Prefer tokens, treating planned/estimated counts as exact', () => {
    assert.deepEqual(parsePrefer('return=representation, count=planned,resolution=merge-duplicates,tx=rollback'), {
      return: 'representation',
      count: true,
      resolution: 'merge-duplicates',
      tx: 'rollback',
    });
    assert.deepEqual(parsePrefer('missing=default,timezone=UTC,something=else'), { missing: 'default', timezone: 'UTC' });
    throwsHttp(() => parsePrefer('handling=strict,bogus=1'), 400, 'PGRST122');
    throwsHttp(() => parsePrefer('params=single-object'), 501, 'PGRST501');
    throwsHttp(() => parsePrefer('max-affected=5'), 501, 'PGRST501');
  });

  it('reads Range headers', () => {
    assert.deepEqual(parseRange('0-9', 'items'), { offset: 0, limit: 10 });
    assert.deepEqual(parseRange('5-', undefined), { offset: 5 });
    assert.equal(parseRange('0-9', 'bytes'), null);
    assert.equal(parseRange('junk', undefined), null);
    throwsHttp(() => parseRange('9-0', undefined), 416, 'PGRST103');
  });

  it('negotiates JSON and single objects and refuses every other media type', () => {
    assert.equal(negotiateMedia(undefined), 'json');
    assert.equal(negotiateMedia('application/json, text/plain, */*'), 'json');
    assert.equal(negotiateMedia('application/vnd.pgrst.object+json'), 'object');
    assert.equal(negotiateMedia('text/csv;q=0, application/vnd.pgrst.object'), 'object');
    for (const type of ['text/csv', 'application/geo+json', 'application/vnd.pgrst.plan', 'application/vnd.pgrst.object+json;nulls=stripped']) {
      throwsHttp(() => negotiateMedia(type), 501, 'PGRST501');
    }
  });

  it('picks the schema from Accept-Profile or Content-Profile', () => {
    const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    const exposed = ['public', 'graphql_public'];
    assert.equal(schemaOf(req({}), 'GET', exposed), 'public');
    assert.equal(schemaOf(req({ 'accept-profile': 'graphql_public' }), 'HEAD', exposed), 'graphql_public');
    // A write reads Content-Profile only.
    assert.equal(schemaOf(req({ 'accept-profile': 'graphql_public' }), 'POST', exposed), 'public');
    assert.throws(() => schemaOf(req({ 'content-profile': 'auth' }), 'PATCH', exposed), (e: HttpError) => {
      assert.equal(e.status, 406);
      assert.deepEqual(e.body, {
        code: 'PGRST106',
        message: 'The schema must be one of the following: public, graphql_public',
        details: null,
        hint: null,
      });
      return true;
    });
  });

  it('routes tables and functions and refuses the OpenAPI root', () => {
    assert.deepEqual(parseTarget('/proposals'), { kind: 'table', name: 'proposals' });
    assert.deepEqual(parseTarget('/rpc/my_fn'), { kind: 'rpc', name: 'my_fn' });
    assert.deepEqual(parseTarget('/we%22ird'), { kind: 'table', name: 'we"ird' });
    throwsHttp(() => parseTarget('/'), 501, 'PGRST501');
    throwsHttp(() => parseTarget('/a/b'), 404);
  });
});

describe('SQL builders', () => {
  it('builds one read statement with page, order and an optional count over the same WHERE', () => {
    const params = new Params();
    const q = parseQuery(new URLSearchParams('select=id,t:title&status=eq.open&order=id.desc'));
    const sql = buildRead({ from: '"public"."notes" as _t', query: q, limit: 10, offset: 20, count: true }, params);
    assert.equal(
      sql,
      `select coalesce(json_agg(_r.*), '[]')::text as body, (json_agg(_r.*)->0)::text as first, count(*)::int as n, ` +
        `(select count(*) from "public"."notes" as _t where _t."status" = $1)::text as total from (` +
        `select _t."id" as "id", _t."title" as "t" from "public"."notes" as _t where _t."status" = $1 ` +
        `order by _t."id" desc limit $2 offset $3) _r`,
    );
    assert.deepEqual(params.values, ['open', 10, 20]);
    const noCount = buildRead({ from: 'x as _t', query: q, count: false }, new Params());
    assert.match(noCount, /null::text as total/);
  });

  it('builds inserts and upserts through json_populate_recordset', () => {
    const params = new Params();
    const rows = '[{"a":1}]';
    assert.equal(
      buildInsert({ schema: 's', table: 't', columns: ['a', 'b"c'], rows, conflict: { action: 'merge', target: ['id'] } }, params),
      `insert into "s"."t" ("a", "b""c") select "a", "b""c" from json_populate_recordset(null::"s"."t", $1::json) ` +
        `on conflict ("id") do update set "a" = excluded."a", "b""c" = excluded."b""c"`,
    );
    assert.deepEqual(params.values, [rows]);
    assert.match(
      buildInsert({ schema: 's', table: 't', columns: ['a'], rows, conflict: { action: 'ignore', target: [] } }, new Params()),
      /on conflict do nothing$/,
    );
    assert.equal(
      buildInsert({ schema: 's', table: 't', columns: [], rows: '[{}]' }, new Params()),
      'insert into "s"."t" select  from json_populate_recordset(null::"s"."t", $1::json)',
    );
  });

  it('builds updates with the plain form for one column and the row form for several', () => {
    const w = [where('id', 'eq.7')];
    const one = new Params();
    assert.equal(
      buildUpdate({ schema: 's', table: 't', columns: ['a'], values: '{"a":1}', where: w }, one),
      `update "s"."t" as _t set "a" = (select "a" from json_populate_record(null::"s"."t", $1::json)) where _t."id" = $2`,
    );
    assert.deepEqual(one.values, ['{"a":1}', '7']);
    assert.equal(
      buildUpdate({ schema: 's', table: 't', columns: ['a', 'b'], values: '{}', where: [] }, new Params()),
      `update "s"."t" as _t set ("a", "b") = (select "a", "b" from json_populate_record(null::"s"."t", $1::json))`,
    );
    assert.equal(buildDelete('s', 't";--', w, new Params()), `delete from "s"."t"";--" as _t where _t."id" = $1`);
  });
});

describe('rpc overloads and calls', () => {
  const fn = (over: Partial<FunctionInfo>): FunctionInfo => ({
    schema: 's',
    name: 'f',
    args: [],
    hasUnnamedArgs: false,
    hasPseudoArgs: false,
    returnsSet: false,
    returnKind: 'scalar',
    outNames: [],
    returnType: 'integer',
    ...over,
  });
  const arg = (name: string, type: string, hasDefault = false) => ({ name, type, mode: 'in' as const, hasDefault });

  it('picks the overload whose names cover the keys and whose required args are given', () => {
    const one = fn({ args: [arg('a', 'integer')] });
    const two = fn({ args: [arg('a', 'integer'), arg('b', 'text', true)] });
    assert.equal(chooseFunction([one, two], ['a', 'b'], true, 's', 'f').fn, two);
    throwsHttp(() => chooseFunction([one, two], ['a'], true, 's', 'f'), 300, 'PGRST203');
    throwsHttp(() => chooseFunction([one], ['z'], true, 's', 'f'), 404, 'PGRST202');
    throwsHttp(() => chooseFunction([one], [], true, 's', 'f'), 404, 'PGRST202');
    // GET: keys that are not arguments become filters, but only on functions returning rows.
    const rows = fn({ args: [arg('a', 'integer')], returnsSet: true });
    assert.deepEqual(chooseFunction([rows], ['a', 'id'], false, 's', 'f').argKeys, ['a']);
    throwsHttp(() => chooseFunction([one], ['a', 'id'], false, 's', 'f'), 404, 'PGRST202');
  });

  it('calls with named, typed arguments through json_to_record', () => {
    const f = fn({ name: 'my fn', args: [arg('xs', 'text[]'), arg('j"', 'jsonb')], returnsSet: true });
    const params = new Params();
    assert.equal(
      callFromSql({ fn: f, argKeys: ['xs', 'j"'] }, '{"xs":["a"]}', params),
      `json_to_record($1::json) as _args("xs" text[], "j""" jsonb), lateral "s"."my fn"("xs" => _args."xs", "j""" => _args."j""") as _f("my fn")`,
    );
    assert.equal(
      callFromSql({ fn: f, argKeys: ['xs'] }, '{"xs":"{a,b}"}', new Params(), new Set(['xs'])),
      `json_to_record($1::json) as _args("xs" text), lateral "s"."my fn"("xs" => _args."xs"::text[]) as _f("my fn")`,
    );
    assert.equal(callFromSql({ fn: fn({ returnKind: 'composite' }), argKeys: [] }, '{}', new Params()), '"s"."f"() as _f');
  });

  it('classifies pg_proc rows', () => {
    const base = { ndefaults: 0, retset: false, rettype: 'integer', ret_typtype: 'b', argnames: [], argmodes: [], argtypes: [], argtyptypes: [] };
    assert.equal(describeFunction('s', 'f', { ...base, rettype: 'void', ret_typtype: 'p' }).returnKind, 'void');
    assert.equal(describeFunction('s', 'f', { ...base, rettype: 'record', ret_typtype: 'p' }).returnKind, 'unsupported');
    const table = describeFunction('s', 'f', {
      ...base,
      rettype: 'record',
      ret_typtype: 'p',
      retset: true,
      argnames: ['x', 'a', 'b'],
      argmodes: ['i', 't', 't'],
      argtypes: ['integer', 'integer', 'text'],
      argtyptypes: ['b', 'b', 'b'],
    });
    assert.equal(table.returnKind, 'composite');
    assert.deepEqual(table.args, [{ name: 'x', type: 'integer', mode: 'in', hasDefault: false }]);
    const defaults = describeFunction('s', 'f', {
      ...base,
      ndefaults: 1,
      argnames: ['a', 'b'],
      argtypes: ['integer', 'anyelement'],
      argtyptypes: ['b', 'p'],
    });
    assert.deepEqual(defaults.args.map((a) => a.hasDefault), [false, true]);
    assert.equal(defaults.hasPseudoArgs, true);
  });
});

describe('error mapping', () => {
  it("follows PostgREST's SQLSTATE table", () => {
    const cases: Array<[string, number]> = [
      ['23505', 409], ['23503', 409], ['23502', 400], ['23514', 400], ['22P02', 400], ['P0001', 400],
      ['42883', 404], ['42P01', 404], ['25006', 405], ['40001', 409], ['08006', 503], ['09000', 500],
      ['0L000', 403], ['0P000', 403], ['28000', 403], ['53100', 503], ['53400', 500], ['57014', 500],
      ['P0002', 500], ['XX000', 500], ['PT418', 418], ['42703', 400], ['42P17', 500],
    ];
    for (const [code, status] of cases) assert.equal(statusForSqlState(code, 'authenticated'), status, code);
    assert.equal(statusForSqlState('42501', 'anon'), 401);
    assert.equal(statusForSqlState('42501', 'authenticated'), 403);
    assert.equal(statusForSqlState('42501', 'service_role'), 403);
  });

  it('shapes JWT and database errors like PostgREST', () => {
    const missing = toHttpError(new JwtError('missing', 'No JWT was provided'), 'anon');
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
    assert.deepEqual(toHttpError(new JwtError('expired', 'JWT expired'), 'anon').body, {
      code: 'PGRST303', message: 'JWT expired', details: null, hint: null,
    });
    assert.equal((toHttpError(new JwtError('invalid', 'Invalid JWT: bad'), 'anon').body as { code: string }).code, 'PGRST301');
    const pgErr = Object.assign(new Error('duplicate key'), { code: '23505', detail: 'Key (id)=(1) exists.' });
    const mapped = toHttpError(pgErr, 'authenticated');
    assert.equal(mapped.status, 409);
    assert.deepEqual(mapped.body, { code: '23505', message: 'duplicate key', details: 'Key (id)=(1) exists.', hint: null });
    const shutdown = toHttpError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 'authenticated');
    assert.deepEqual([shutdown.status, (shutdown.body as { code: string }).code], [503, '57P01']);
    const starting = toHttpError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 'anon');
    assert.equal(starting.status, 503);
    assert.equal(toHttpError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 'anon').status, 500);
    for (const lost of [new Error('Connection terminated unexpectedly'), Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })]) {
      const answer = toHttpError(lost, 'authenticated');
      assert.equal(answer.status, 503, lost.message);
      assert.deepEqual(answer.body, { code: 'PGRST000', message: 'Could not connect with the database', details: lost.message, hint: null });
    }
    const custom = Object.assign(new Error('{"code":"X1","message":"nope"}'), { code: 'PGRST', detail: '{"status":402,"headers":{"X-A":"1"}}' });
    const c = toHttpError(custom, 'anon');
    assert.equal(c.status, 402);
    assert.deepEqual(c.headers, { 'x-a': '1' });
  });
});
