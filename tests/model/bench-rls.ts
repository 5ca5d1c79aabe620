// `npm run bench:rls`: cost of row-level security on the proposal list. Builds 100k proposals,
// 200 users and 20 teams in a three-level tree in the test stack's database (starting the stack
// when it is not running), then times the first page of 50 newest proposals for a top leader, a
// mid-level leader and a plain member with RLS, against the service role running the same SQL
// (round trip, planning and execution apart, and as a prepared statement run from its cached
// plan); has_permission() per call; and the page's REST round trip through supabase-js. Prints
// figures; it is a benchmark, not a pass/fail test. Everything it creates is removed afterwards.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { loadConfig, repoRoot } from '../../devstack/src/config.ts';
import { apiKeys, signJwt } from '../../devstack/src/jwt.ts';
import { stopCluster } from '../../devstack/src/postgres.ts';
import { newRunPrefix } from './org-loader.ts';

const PROPOSALS = 100_000;
const USERS = 200;
const RUNS = 200;
const WARM_UP = 20;
const SCATTERED = process.env.BENCH_RLS_ORDER === 'random';
const PAGE_SQL = 'select id, client_name, company, status, created_at from public.proposals order by created_at desc limit 50';

const cfg = loadConfig('test');
const apiUrl = process.env.SUPABASE_URL ?? cfg.apiUrl;
const dbUrl = process.env.SUPABASE_DB_URL ?? cfg.dbUrl;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => `${x.toFixed(3)} ms`;
const out = (line = '') => process.stdout.write(`${line}\n`);

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${apiUrl}/health`)).ok;
  } catch {
    return false;
  }
}

/** Starts the test stack unless one answers; returns how to stop what was started. */
async function ensureStack(): Promise<() => Promise<void>> {
  if (await healthy()) return async () => {};
  out('test stack not running: starting it (stopped again at the end)');
  const stack = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['devstack/src/cli.ts', 'start', '--profile', 'test'], {
    cwd: repoRoot, stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const t0 = performance.now();
  while (!(await healthy())) {
    if (stack.exitCode !== null) throw new Error(`the test stack exited with ${stack.exitCode}`);
    if (performance.now() - t0 > 180_000) throw new Error('the test stack did not start within 180 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return async () => {
    stack.kill('SIGTERM');
    await new Promise((r) => stack.once('exit', r));
    stopCluster(cfg);
  };
}

interface Viewer {
  label: string;
  id: string;
  /** The 1.5 target is for team leaders; the plain member is reported for information. */
  target: boolean;
}

/**
 * 20 teams: one top team, 4 regional teams below it, 15 desks below those. Users: the top
 * leader, 4 regional leaders, 15 desk leaders and 180 desk members, all sales_user in the
 * Backlite group; proposals spread evenly over owners and a year of creation dates; 2,000 read
 * shares to random users so the share lookup has something to find.
 */
async function build(db: pg.Client, prefix: string): Promise<{ viewers: Viewer[]; seconds: number }> {
  const t0 = performance.now();
  await db.query('begin');
  await db.query(`select setseed(0.2026)`);
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_user_meta_data, created_at, updated_at)
     select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
       format('%s.u%s@bench.test', $1::text, lpad(i::text, 3, '0')), now(), jsonb_build_object('name', format('bench user %s', i)), now(), now()
     from generate_series(0, $2::int - 1) i`,
    [prefix, USERS],
  );
  const { rows: users } = await db.query<{ id: string }>(
    `select id from public.users where email like $1 order by email`, [`${prefix}.u%@bench.test`]);
  const ids = users.map((u) => u.id);
  await db.query(
    `insert into public.user_companies (user_id, company_id)
     select u, (select id from public.companies where slug = 'backlite') from unnest($1::uuid[]) u`,
    [ids],
  );
  const { rows: teams } = await db.query<{ id: string; name: string }>(
    `insert into public.teams (name, display_name)
     select format('%s_t%s', $1::text, lpad(i::text, 2, '0')), format('Bench team %s', i) from generate_series(0, 19) i
     returning id, name`,
    [prefix],
  );
  teams.sort((a, b) => a.name.localeCompare(b.name));
  const team = teams.map((t) => t.id);
  // Team 0 is the top; 1–4 report to it; 5–19 to team 1 + (i mod 4).
  const parents = team.map((_, i) => (i === 0 ? null : i <= 4 ? team[0] : team[1 + (i % 4)]));
  await db.query(
    `update public.teams t set parent_team_id = x.parent
     from unnest($1::uuid[], $2::uuid[]) as x (id, parent) where t.id = x.id and x.parent is not null`,
    [team, parents],
  );
  const members: { team_id: string; user_id: string; role: string }[] = [];
  members.push({ team_id: team[0], user_id: ids[0], role: 'leader' });
  for (let r = 1; r <= 4; r++) members.push({ team_id: team[r], user_id: ids[r], role: 'leader' });
  for (let d = 5; d < 20; d++) members.push({ team_id: team[d], user_id: ids[d], role: 'leader' });
  for (let u = 20; u < USERS; u++) members.push({ team_id: team[5 + ((u - 20) % 15)], user_id: ids[u], role: 'member' });
  await db.query(
    `insert into public.team_members (team_id, user_id, role)
     select x.team_id, x.user_id, x.role from json_to_recordset($1::json) as x (team_id uuid, user_id uuid, role text)`,
    [JSON.stringify(members)],
  );
  // A year of proposals. By default they are written oldest first, as a real table grows, so
  // the heap follows created_at; BENCH_RLS_ORDER=random scatters them over the heap instead
  // (a layout production never has, and the worst case for the index walk).
  const createdAt = SCATTERED
    ? `now() - random() * interval '365 days'`
    : `now() - ($4::int - i) * (interval '365 days' / $4::int)`;
  await db.query(
    `insert into public.proposals (owner_id, company, client_name, status, created_at)
     select ($1::uuid[])[1 + (i % $3::int)],
       (array['backlite_dubai', 'backlite_dubai', 'backlite_uk', 'backlite_abudhabi'])[1 + (i % 4)],
       format('%s client %s', $2::text, i),
       'ready',
       ${createdAt}
     from generate_series(1, $4::int) i`,
    [ids, prefix, USERS, PROPOSALS],
  );
  // 2,000 read shares of random proposals to random users, 20 of them to the plain member.
  await db.query(
    `insert into public.record_shares (record_type, record_id, shared_with_user_id, access)
     select 'proposal', p.id, case when p.n <= 20 then $2::uuid else ($3::uuid[])[1 + floor(random() * $4::int)::int] end, 'read'
     from (select id, row_number() over (order by random()) as n from public.proposals where client_name like $1) p
     where p.n <= 2000
     on conflict do nothing`,
    [`${prefix} client %`, ids[20], ids, USERS],
  );
  // A live expiring grant for the top leader: has_permission's slower path.
  const { rows: [set] } = await db.query<{ id: string }>(
    `insert into public.permission_sets (name, display_name) values ($1, 'Bench export') returning id`, [`${prefix}_export`]);
  await db.query(`insert into public.permission_set_permissions (set_id, permission) values ($1, 'sales:reports:export')`, [set.id]);
  await db.query(`insert into public.user_permission_sets (user_id, set_id, expires_at) values ($1, $2, now() + interval '30 days')`, [ids[0], set.id]);
  await db.query('commit');
  await db.query('analyze public.proposals');
  await db.query('analyze public.record_shares');
  return {
    viewers: [
      { label: 'top leader', id: ids[0], target: true },
      { label: 'mid leader', id: ids[1], target: true },
      { label: 'plain member', id: ids[20], target: false },
    ],
    seconds: (performance.now() - t0) / 1000,
  };
}

async function cleanup(db: pg.Client, prefix: string): Promise<void> {
  await db.query('rollback');
  await db.query('begin');
  await db.query(`delete from public.record_shares s using public.proposals p
                  where s.record_type = 'proposal' and s.record_id = p.id and p.client_name like $1`, [`${prefix} client %`]);
  // Benchmark rows are not business history: skip the per-row deletion audit for these 100k.
  await db.query(`set local session_replication_role = replica`);
  await db.query('delete from public.proposals where client_name like $1', [`${prefix} client %`]);
  await db.query(`set local session_replication_role = origin`);
  await db.query(`update public.teams set parent_team_id = null where name like $1`, [`${prefix}\\_t%`]);
  await db.query(`delete from public.teams where name like $1`, [`${prefix}\\_t%`]);
  await db.query('delete from auth.users where email like $1', [`${prefix}.u%@bench.test`]);
  await db.query('delete from public.permission_sets where name = $1', [`${prefix}_export`]);
  await db.query('commit');
}

/**
 * A connection inside one transaction with a role and JWT claims set, the way the REST gateway
 * runs every request, so policies and auth.uid() behave as for an API call.
 */
class Session {
  private constructor(private readonly db: pg.Client) {}

  static async open(role: 'authenticated' | 'service_role', sub: string | null): Promise<Session> {
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    await db.query('begin');
    await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
      [role, JSON.stringify(sub ? { sub, role, aud: 'authenticated' } : { role })]);
    return new Session(db);
  }

  query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
    return this.db.query<T>(sql, params);
  }

  /** Wall time of one run in ms, as the client sees it. */
  async wall(sql: string, params: unknown[] = []): Promise<number> {
    const t = performance.now();
    await this.db.query(sql, params);
    return performance.now() - t;
  }

  /** Planning + execution time in ms as Postgres reports it, without the wire. */
  async server(sql: string, params: unknown[] = []): Promise<number> {
    const { planning, execution } = await this.phases(sql, params);
    return planning + execution;
  }

  /**
   * Planning and execution in ms as EXPLAIN ANALYZE reports them. Parsing and the rewriter
   * (where policies are added to the query) count in neither; they are in the wall time.
   */
  async phases(sql: string, params: unknown[] = []): Promise<{ planning: number; execution: number }> {
    const { rows } = await this.db.query(`explain (analyze, timing off, format json) ${sql}`, params);
    const [plan] = rows[0]['QUERY PLAN'] as { 'Planning Time': number; 'Execution Time': number }[];
    return { planning: plan['Planning Time'], execution: plan['Execution Time'] };
  }

  /**
   * Wall time of one run of a named prepared statement: parsed, rewritten and planned on its first
   * run, then executed from the cached plan, as PostgREST runs its statements by default.
   */
  async prepared(name: string, sql: string, params: unknown[] = []): Promise<number> {
    const t = performance.now();
    await this.db.query({ name, text: sql, values: params });
    return performance.now() - t;
  }

  async plan(sql: string): Promise<string[]> {
    const { rows } = await this.db.query(`explain (analyze, costs off, timing off, summary off) ${sql}`);
    return rows.map((r) => r['QUERY PLAN'] as string);
  }

  async close(): Promise<void> {
    await this.db.query('rollback').finally(() => this.db.end());
  }
}

/** Runs the named statements interleaved, so drift in machine load hits every series alike. */
async function interleaved(series: { name: string; run: () => Promise<number> }[], runs = RUNS, warmUp = WARM_UP): Promise<Map<string, number[]>> {
  const times = new Map(series.map((s) => [s.name, [] as number[]]));
  for (let i = 0; i < warmUp + runs; i++) {
    for (const s of series) {
      const t = await s.run();
      if (i >= warmUp) times.get(s.name)!.push(t);
    }
  }
  return times;
}

interface Reach {
  owners: string[];
  companies: string[];
  shared: string[];
  visible: number;
}

/** What the viewer may see, as arrays, so the service role can ask for exactly the same rows. */
async function reachOf(viewer: Session): Promise<Reach> {
  const { rows } = await viewer.query<Reach>(
    `select private.visible_owner_ids() as owners,
            private.companies_with_permission('sales:proposals:manage') as companies,
            private.shared_record_ids('proposal', 'read') as shared,
            (select count(*)::int from public.proposals) as visible`);
  return rows[0];
}

const SAME_ROWS_SQL = `select id, client_name, company, status, created_at from public.proposals
  where owner_id = any ($1) or company = any ($2) or id = any ($3)
  order by created_at desc limit 50`;

/** RLS page against the service role for one viewer; returns RLS ÷ service role, same SQL. */
async function comparePage(v: Viewer): Promise<{ wall: number; server: number; prepared: number }> {
  const rls = await Session.open('authenticated', v.id);
  const service = await Session.open('service_role', null);
  try {
    const reach = await reachOf(rls);
    const same = [reach.owners, reach.companies, reach.shared];
    const wall = await interleaved([
      { name: 'rls', run: () => rls.wall(PAGE_SQL) },
      { name: 'service', run: () => service.wall(PAGE_SQL) },
      { name: 'same', run: () => service.wall(SAME_ROWS_SQL, same) },
    ]);
    const phases = new Map<string, { planning: number[]; execution: number[] }>();
    const timePhases = (name: string, session: Session, sql: string, params: unknown[] = []) => async () => {
      const p = await session.phases(sql, params);
      const m = phases.get(name) ?? phases.set(name, { planning: [], execution: [] }).get(name)!;
      m.planning.push(p.planning);
      m.execution.push(p.execution);
      return p.planning + p.execution;
    };
    const server = await interleaved([
      { name: 'rls', run: timePhases('rls', rls, PAGE_SQL) },
      { name: 'service', run: timePhases('service', service, PAGE_SQL) },
      { name: 'same', run: timePhases('same', service, SAME_ROWS_SQL, same) },
    ]);
    const prepared = await interleaved([
      { name: 'rls', run: () => rls.prepared('page', PAGE_SQL) },
      { name: 'service', run: () => service.prepared('page', PAGE_SQL) },
      { name: 'same', run: () => service.prepared('same', SAME_ROWS_SQL, same) },
    ]);
    const p50 = (m: Map<string, number[]>, k: string) => pct(m.get(k)!, 50);
    // The warm-up runs of the phase series are in these arrays too; drop them.
    const phase = (k: string, which: 'planning' | 'execution') => pct(phases.get(k)![which].slice(WARM_UP), 50);
    const ratio = (m: Map<string, number[]>, k: string) => (p50(m, 'rls') / p50(m, k)).toFixed(2);
    const row = (label: string, k: string) => {
      const cells = [ms(p50(wall, k)), ms(pct(wall.get(k)!, 95)), ms(phase(k, 'planning')), ms(phase(k, 'execution')), ms(p50(prepared, k))];
      const ratios = k === 'rls' ? '' : `   ratio ${ratio(wall, k)} / ${ratio(server, k)} / ${ratio(prepared, k)}`;
      return `  ${label.padEnd(38)} ${cells.map((c) => c.padStart(10)).join(' ')}${ratios}`;
    };
    out(`${v.label}: sees ${reach.visible} of ${PROPOSALS} proposals (${reach.owners.length} owners, ${reach.shared.length} shares)`);
    out(`  ${''.padEnd(38)} ${['wall p50', 'wall p95', 'plan p50', 'exec p50', 'prep. p50'].map((c) => c.padStart(10)).join(' ')}   RLS ÷ this (wall / server / prepared)`);
    out(row('with RLS (authenticated)', 'rls'));
    out(row('service role, same SQL', 'service'));
    out(row('service role, filtered to the same rows', 'same'));
    const plan = (await rls.plan(PAGE_SQL)).filter((l) => /Scan|Rows Removed/.test(l)).map((l) => l.trim());
    out(`  RLS plan: ${plan.join(' | ')}`);
    return {
      wall: p50(wall, 'rls') / p50(wall, 'service'),
      server: p50(server, 'rls') / p50(server, 'service'),
      prepared: p50(prepared, 'rls') / p50(prepared, 'service'),
    };
  } finally {
    await rls.close();
    await service.close();
  }
}

/**
 * µs per has_permission() call: 100k calls in one statement minus the same statement without
 * them. The call sits in an aggregate filter because a WHERE term without column references
 * becomes a one-time filter, evaluated once per statement.
 */
async function permissionCost(sub: string, permission: string): Promise<{ us: number; held: boolean }> {
  const s = await Session.open('authenticated', sub);
  try {
    const times = await interleaved([
      { name: 'base', run: () => s.server('select count(*) filter (where g > 0) from generate_series(1, 100000) g') },
      { name: 'call', run: () => s.server(`select count(*) filter (where g > 0 and public.has_permission('${permission}')) from generate_series(1, 100000) g`) },
    ], 7, 1);
    const held = (await s.query<{ held: boolean }>('select public.has_permission($1) as held', [permission])).rows[0].held;
    return { us: ((pct(times.get('call')!, 50) - pct(times.get('base')!, 50)) * 1000) / 100_000, held };
  } finally {
    await s.close();
  }
}

async function restPage(client: SupabaseClient): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + RUNS; i++) {
    const t = performance.now();
    const { error } = await client.from('proposals').select('id, client_name, company, status, created_at')
      .order('created_at', { ascending: false }).limit(50);
    if (error) throw new Error(error.message);
    if (i >= WARM_UP) times.push(performance.now() - t);
  }
  return times;
}

async function main(): Promise<void> {
  const stopStack = await ensureStack();
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const prefix = newRunPrefix('rb');
  // Ctrl-C mid-run: remove the 100k rows on a fresh connection rather than leave them behind.
  process.once('SIGINT', () => {
    const rescue = new pg.Client({ connectionString: dbUrl });
    void rescue.connect().then(() => cleanup(rescue, prefix)).finally(() => stopStack().then(() => process.exit(130)));
  });
  try {
    const { viewers, seconds } = await build(db, prefix);
    out(`built ${PROPOSALS} proposals, ${USERS} users, 20 teams (3 levels), 2000 shares (heap order: ${SCATTERED ? 'random' : 'created_at, as a table grows'}) in ${seconds.toFixed(1)} s (prefix ${prefix})`);
    out(`page: ${PAGE_SQL}`);
    out(`timing: ${RUNS} runs after ${WARM_UP} warm-up, series interleaved, one transaction per role as the gateway does.`);
    out('  wall      client round trip of the SQL sent as a simple query (parsed, rewritten, planned, run each time)');
    out('  plan/exec planning and execution from EXPLAIN ANALYZE; "server" = their sum (parse and rewrite excluded)');
    out('  prep.     client round trip of a named prepared statement run from its cached plan, as PostgREST does');
    out();

    const misses: string[] = [];
    const others: string[] = [];
    for (const v of viewers) {
      const ratio = await comparePage(v);
      const figures = `${v.label} ${ratio.wall.toFixed(2)} / ${ratio.server.toFixed(2)} / ${ratio.prepared.toFixed(2)}`;
      // Judged on the round trip, what an API caller waits for; the server-only ratio divides by a
      // ~0.04 ms service-role page and is printed to show where the time goes.
      if (v.target && ratio.wall > 1.5) misses.push(figures);
      if (!v.target) others.push(figures);
    }
    out();
    const targets = viewers.filter((v) => v.target).map((v) => v.label).join(' and ');
    if (misses.length) {
      out(`RLS ÷ service role running the same SQL misses the 1.5 wall-time target (${targets}) for (wall / server / prepared): ${misses.join('; ')}.`);
    } else {
      out(`RLS ÷ service role running the same SQL is within the 1.5 wall-time target for the ${targets}.`);
    }
    if (others.length) out(`  Not a target, for information (wall / server / prepared): ${others.join('; ')}.`);
    out('  Where the time goes: the service role reads the 50 newest entries of proposals_created_idx and stops.');
    out('  The RLS page is planned before the viewer\'s reach is known (the policy reads it from per-statement');
    out('  InitPlans), so it walks the same index and discards every row the viewer may not see ("Rows Removed');
    out('  by Filter"): 50 rows for a leader who sees everything, ~250 for the mid leader, thousands for a member.');
    out('  On top comes a fixed cost per statement, not per row: parsing and planning the policy\'s sub-selects');
    out('  and one call of each reach helper (owners, company reach, shares). On a 50-row page that fixed part is');
    out('  most of what RLS adds for the top leader and about half for the mid leader; a prepared statement');
    out('  (prep.) does not pay the planning part.');
    out('  The third line (the service role asking for exactly the viewer\'s rows, reach passed as arrays) is the');
    out('  cost of finding those rows without RLS; with the array sizes known Postgres may pick another plan.');
    out();

    const leader = viewers[0].id;
    for (const permission of ['sales:proposals:read', 'sales:reports:export', 'core:users:delete', 'core:system:admin']) {
      const { us, held } = await permissionCost(leader, permission);
      out(`has_permission('${permission}') as the top leader (${held ? 'held' : 'not held'}): ${us.toFixed(2)} µs per call (target < 20 µs; median of 7 statements of 100k calls, minus the same statement without them)`);
    }
    out();

    const keys = await apiKeys(process.env.SUPABASE_JWT_SECRET ?? cfg.jwtSecret);
    const opts = { auth: { persistSession: false, autoRefreshToken: false } };
    for (const v of viewers) {
      const jwt = await signJwt(process.env.SUPABASE_JWT_SECRET ?? cfg.jwtSecret, { sub: v.id, role: 'authenticated', aud: 'authenticated' }, 3600);
      const client = createClient(apiUrl, keys.anon, { ...opts, accessToken: () => Promise.resolve(jwt) });
      const t = await restPage(client);
      out(`REST page through supabase-js, ${v.label}: p50 ${ms(pct(t, 50))}  p95 ${ms(pct(t, 95))}`);
    }
    const service = await restPage(createClient(apiUrl, keys.serviceRole, opts));
    out(`REST page through supabase-js, service role: p50 ${ms(pct(service, 50))}  p95 ${ms(pct(service, 95))}`);
  } finally {
    await cleanup(db, prefix).catch((e) => out(`cleanup failed: ${(e as Error).message}`));
    await db.end();
    await stopStack();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
