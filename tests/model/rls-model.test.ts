// Model-based isolation test: a seeded generator builds an organisation, the reference model
// says what every user may read, update and delete, and the test compares that with what each
// user gets from the REST API with their own JWT. MODEL_SEED=<n> reproduces a run.
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import pg from 'pg';
import type { Org, OrgCompany, OrgProfile, ShareAccess } from './org.ts';
import { describeOrg, generateOrg } from './org-generator.ts';
import { readShippedCompanies, readSystemProfiles } from './org-loader.ts';
import { checkIsolation, type Comparison, formatMismatches, IsolationRun } from './isolation-check.ts';
import { applyRandomChanges } from './org-changes.ts';
import { ReferenceModel } from './reference-model.ts';
import { seedFrom } from './prng.ts';
import { stackEnv } from './rest-probe.ts';

const env = stackEnv();
const seed = seedFrom(process.env.MODEL_SEED ?? 20261122);
/** can_access() is one RPC per level, so it is sampled rather than asked for every pair. */
const CAN_ACCESS_PER_USER = 6;

let companies: OrgCompany[];
let profiles: OrgProfile[];

before(async () => {
  const db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
  try {
    companies = await readShippedCompanies(db);
    profiles = await readSystemProfiles(db);
  } finally {
    await db.end();
  }
});

function report(t: TestContext, what: string, r: Comparison): void {
  t.diagnostic(`${what}: ${r.checks} checks, ${r.mismatches.length} mismatches (${r.seconds.toFixed(1)} s)`);
  if (r.mismatches.length) {
    t.diagnostic(`first mismatches (seed ${seed}), with every rule the model applied:`);
    for (const line of formatMismatches(r.mismatches)) t.diagnostic(`  ${line}`);
  }
}

/** How many (user, proposal) pairs each rule opens for reading, and how many stay closed. */
function coverage(org: Org): string {
  const model = new ReferenceModel(org);
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const u of org.users) {
    for (const p of org.proposals) {
      const grounds = model.grounds(u.key, p.key);
      if (!grounds.length) add('closed');
      grounds.forEach(add);
      if (grounds.length === 1) add(`only ${grounds[0]}`);
    }
  }
  return ['admin', 'owner', 'leader', 'manager', 'share', 'only leader', 'only manager', 'only share', 'closed']
    .map((k) => `${k} ${counts.get(k) ?? 0}`).join(', ');
}

const failure = (r: Comparison) => `seed ${seed}: ${r.mismatches.length} mismatches\n${formatMismatches(r.mismatches).join('\n')}`;

const sorted = (s: Set<string> | undefined) => [...(s ?? [])].sort();

/** A hand-written organisation on the shipped companies and profiles. */
function scenario(label: string, parts: Partial<Org>): Org {
  return {
    label, companies, profiles, users: [], teams: [], memberships: [], permissionSets: [], setGrants: [],
    proposals: [], shares: [], ...parts,
  };
}

const salesUser = (key: string) => ({ key, profile: 'sales_user', active: true, companies: ['backlite_dubai'] });

describe('row-level security matches the reference model', () => {
  it('for every user, proposal and action of a generated organisation, before and after changes', async (t) => {
    const org = generateOrg(seed, companies, profiles);
    t.diagnostic(`seed ${seed} (MODEL_SEED reproduces it): ${describeOrg(org)}`);
    t.diagnostic(`pairs opened by rule: ${coverage(org)}`);
    const run = await IsolationRun.load(env, org);
    try {
      t.diagnostic(`loaded in ${run.loadSeconds.toFixed(1)} s`);
      const first = await run.compare(CAN_ACCESS_PER_USER);
      report(t, 'as generated', first);
      const allowed = (a: 'read' | 'update' | 'delete') => [...first.observed.values()].reduce((s, o) => s + o[a].size, 0);
      t.diagnostic(`allowed by the API: ${allowed('read')} reads, ${allowed('update')} updates, ${allowed('delete')} deletes ` +
        `of ${org.users.length * org.proposals.length} (user, proposal) pairs`);
      assert.equal(first.mismatches.length, 0, failure(first));

      // Visibility is cached by triggers: change the organisation under them and look again.
      const changes = await applyRandomChanges(run.db, org, run.loaded, seed ^ 0x5eed, 40);
      const second = await run.compare(CAN_ACCESS_PER_USER);
      report(t, `after ${changes.length} changes`, second);
      if (second.mismatches.length) t.diagnostic(`changes: ${changes.join('; ')}`);
      assert.equal(second.mismatches.length, 0, `${failure(second)}\nchanges: ${changes.join('; ')}`);

      const checks = first.checks + second.checks;
      t.diagnostic(`${checks} (user, proposal, action) checks in all, seed ${seed}`);
      assert.ok(checks >= 10_000, `only ${checks} checks`);
    } finally {
      await run.remove();
    }
  });

  it('a share to a team reaches its members at the shared level, not sub-teams or inactive teams', async (t) => {
    const share = (proposal: string, toTeam: string, access: ShareAccess, expiresInHours: number | null = null) =>
      ({ proposal, toTeam, access, expiresInHours });
    const org = scenario('team shares', {
      users: ['owner', 'member', 'leader', 'sub_member', 'closed_member', 'stranger'].map(salesUser),
      teams: [
        { key: 'desk', parent: null, active: true },
        { key: 'desk_sub', parent: 'desk', active: true },
        { key: 'closed', parent: null, active: false },
      ],
      memberships: [
        { team: 'desk', user: 'member', role: 'member' },
        { team: 'desk', user: 'leader', role: 'leader' },
        { team: 'desk_sub', user: 'sub_member', role: 'member' },
        { team: 'closed', user: 'closed_member', role: 'member' },
      ],
      proposals: ['p_read', 'p_rw', 'p_full', 'p_lapsed', 'p_closed'].map((key) => ({ key, owner: 'owner', company: 'viola' })),
      shares: [
        share('p_read', 'desk', 'read'),
        { proposal: 'p_read', toUser: 'member', access: 'read_write', expiresInHours: null },
        share('p_rw', 'desk', 'read_write'),
        share('p_full', 'desk', 'full', 48),
        share('p_lapsed', 'desk', 'full', -3),
        share('p_closed', 'closed', 'full'),
      ],
    });
    const r = await checkIsolation(env, org, 10);
    report(t, org.label, r);
    const seen = (user: string, action: 'read' | 'update' | 'delete') => sorted(r.observed.get(user)?.[action]);
    assert.deepEqual(seen('member', 'read'), ['p_full', 'p_read', 'p_rw']);
    assert.deepEqual(seen('member', 'update'), ['p_full', 'p_read', 'p_rw'], 'the direct read_write share beats the team read share');
    assert.deepEqual(seen('member', 'delete'), ['p_full']);
    assert.deepEqual(seen('leader', 'read'), ['p_full', 'p_read', 'p_rw'], 'leaders are members of their team too');
    assert.deepEqual(seen('leader', 'update'), ['p_full', 'p_rw']);
    assert.deepEqual(seen('sub_member', 'read'), [], 'a share to a team does not reach its sub-teams');
    assert.deepEqual(seen('closed_member', 'read'), [], 'a share to an inactive team gives nothing');
    assert.deepEqual(seen('stranger', 'read'), []);
    assert.equal(r.mismatches.length, 0, failure(r));
  });

  it('an inactive intermediate team cuts its sub-teams off from the leader above', async (t) => {
    const people = ['boss', 'mid_leader', 'mid_rep', 'low_leader', 'low_rep', 'side_rep'];
    const org = scenario('inactive intermediate team', {
      users: people.map(salesUser),
      teams: [
        { key: 'top', parent: null, active: true },
        { key: 'mid', parent: 'top', active: false },
        { key: 'low', parent: 'mid', active: true },
        { key: 'side', parent: 'top', active: true },
      ],
      memberships: [
        { team: 'top', user: 'boss', role: 'leader' },
        { team: 'mid', user: 'mid_leader', role: 'leader' },
        { team: 'mid', user: 'mid_rep', role: 'member' },
        { team: 'low', user: 'low_leader', role: 'leader' },
        { team: 'low', user: 'low_rep', role: 'member' },
        { team: 'side', user: 'side_rep', role: 'member' },
      ],
      proposals: people.map((owner) => ({ key: `p_${owner}`, owner, company: 'backlite_dubai' })),
    });
    const r = await checkIsolation(env, org, 10);
    report(t, org.label, r);
    const reads = (user: string) => sorted(r.observed.get(user)?.read);
    assert.deepEqual(reads('boss'), ['p_boss', 'p_side_rep'], 'the walk from the top stops at the inactive team');
    assert.deepEqual(reads('mid_leader'), ['p_mid_leader'], 'leading an inactive team shows nothing');
    assert.deepEqual(reads('low_leader'), ['p_low_leader', 'p_low_rep'], 'an active team below an inactive one still works for its own leader');
    assert.deepEqual(reads('low_rep'), ['p_low_rep']);
    assert.equal(r.mismatches.length, 0, failure(r));
  });
});
