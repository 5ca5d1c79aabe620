// Seeded generator of sales organisations for the model-based isolation test: users with
// profiles and active flags, team trees with inactive teams, permission sets that are live,
// expired or inactive, company and group assignments, proposals across companies and record
// shares to users and teams at every level and expiry. Same seed, same organisation.
import type { Expiry, Org, OrgCompany, OrgMembership, OrgProfile, OrgShare, OrgTeam, ShareAccess } from './org.ts';
import { Rng } from './prng.ts';

export interface GeneratorSizes {
  users: number;
  teams: number;
  proposals: number;
  shares: number;
}

export const DEFAULT_SIZES: GeneratorSizes = { users: 72, teams: 14, proposals: 360, shares: 260 };

/**
 * Grants drawn for permission sets and run-specific profiles. Near misses (read, delete,
 * another resource, a misspelt resource) sit next to everything that really covers
 * sales:proposals:manage or makes an administrator.
 */
const GRANT_POOL: readonly (readonly [string, number])[] = [
  ['sales:proposals:manage', 6],
  ['sales:*:*', 3],
  ['sales:proposals:*', 3],
  ['sales:*:manage', 2],
  ['*:proposals:manage', 2],
  ['*:*:manage', 0.5],
  ['sales:proposals:read', 4],
  ['sales:proposals:update', 2],
  ['sales:proposals:delete', 3],
  ['sales:booking_orders:manage', 3],
  ['sales:proposal:manage', 1],
  ['core:users:read', 2],
  ['core:system:admin', 0.7],
  ['core:system:manage', 0.3],
  ['core:*:*', 0.5],
  ['*:*:*', 0.5],
];
const ADMIN_GRANTS = ['*:*:*', 'core:system:admin', 'core:*:*', '*:*:manage'] as const;
/** Profiles reach a fifth of the users: an admin grant there would make all of them admins. */
const PROFILE_POOL = GRANT_POOL.filter(([g]) => !g.startsWith('core:system:') && !(ADMIN_GRANTS as readonly string[]).includes(g));

/** Companies created for the run below the shipped tree: nested groups and inactive nodes. */
const RUN_COMPANIES: readonly OrgCompany[] = [
  { key: 'gx', parent: null, isGroup: true, active: true, existing: false },
  { key: 'gx_north', parent: 'gx', isGroup: false, active: true, existing: false },
  { key: 'gx_sub', parent: 'gx', isGroup: true, active: true, existing: false },
  { key: 'gx_south', parent: 'gx_sub', isGroup: false, active: true, existing: false },
  { key: 'gx_east', parent: 'gx_sub', isGroup: false, active: false, existing: false },
  { key: 'gx_west', parent: 'gx', isGroup: false, active: false, existing: false },
  { key: 'gy', parent: null, isGroup: true, active: false, existing: false },
  { key: 'gy_leaf', parent: 'gy', isGroup: false, active: true, existing: false },
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function expiry(rng: Rng, weights: { never: number; past: number; future: number }): Expiry {
  const kind = rng.weighted([['never', weights.never], ['past', weights.past], ['future', weights.future]] as const);
  // At least two hours either side of the load, so neither clock skew nor a slow run flips one.
  if (kind === 'never') return null;
  const hours = rng.int(2, 24 * 30);
  return kind === 'past' ? -hours : hours;
}

function grants(rng: Rng, min: number, max: number, pool = GRANT_POOL): string[] {
  const n = rng.int(min, max);
  const out = new Set<string>();
  while (out.size < n) out.add(rng.weighted(pool));
  return [...out].sort();
}

/**
 * Teams: two fixed spines (an active chain four levels deep, and a chain whose second level is
 * inactive) so every organisation exercises deep walks and cut-offs, then random teams hung
 * anywhere, a fifth of them inactive.
 */
function teamTree(rng: Rng, count: number): OrgTeam[] {
  const teams: OrgTeam[] = [
    { key: 't00', parent: null, active: true },
    { key: 't01', parent: 't00', active: true },
    { key: 't02', parent: 't01', active: true },
    { key: 't03', parent: 't02', active: true },
    { key: 't04', parent: null, active: true },
    { key: 't05', parent: 't04', active: false },
    { key: 't06', parent: 't05', active: true },
    { key: 't07', parent: 't06', active: true },
  ];
  for (let i = teams.length; i < count; i++) {
    const parent = rng.chance(0.15) ? null : rng.pick(teams).key;
    teams.push({ key: `t${pad(i, 2)}`, parent, active: rng.chance(0.8) });
  }
  return teams;
}

export function generateOrg(
  seed: number,
  shippedCompanies: readonly OrgCompany[],
  systemProfiles: readonly OrgProfile[],
  sizes: GeneratorSizes = DEFAULT_SIZES,
): Org {
  const rng = new Rng(seed);
  const companies = [...shippedCompanies, ...RUN_COMPANIES];
  const leaves = companies.filter((c) => !c.isGroup);

  const profiles: OrgProfile[] = [
    ...systemProfiles,
    { name: 'custom_a', permissions: grants(rng, 1, 3, PROFILE_POOL), existing: false },
    { name: 'custom_b', permissions: grants(rng, 2, 4, PROFILE_POOL), existing: false },
  ];
  const profileWeights: [string, number][] = [
    ['sales_user', 40], ['sales_manager', 10], ['viewer', 6], ['coordinator', 5], ['head_of_sales', 5],
    ['finance', 4], ['system_admin', 2], ['custom_a', 10], ['custom_b', 10],
  ];
  const known = new Set(profiles.map((p) => p.name));
  const usableProfiles = profileWeights.filter(([name]) => known.has(name));

  const users = Array.from({ length: sizes.users }, (_, i) => ({
    key: `u${pad(i, 2)}`,
    profile: rng.weighted(usableProfiles),
    active: rng.chance(0.88),
    companies: rng.sample(companies.map((c) => c.key), rng.weighted([[0, 1], [1, 6], [2, 3]] as const)).sort(),
  }));
  const userKeys = users.map((u) => u.key);

  const teams = teamTree(rng, sizes.teams);
  const memberships: OrgMembership[] = [];
  for (const team of teams) {
    const leaders = rng.weighted([[0, 1], [1, 8], [2, 2]] as const);
    const people = rng.sample(userKeys, leaders + rng.int(1, 4));
    people.forEach((user, i) => memberships.push({ team: team.key, user, role: i < leaders ? 'leader' : 'member' }));
  }

  const permissionSets = [
    { key: 's0', permissions: ['sales:proposals:manage'], active: true },
    { key: 's1', permissions: ['sales:*:*'], active: true },
    { key: 's2', permissions: [rng.pick(ADMIN_GRANTS)], active: true },
    { key: 's3', permissions: ['*:*:*', 'sales:proposals:manage'], active: false },
    ...Array.from({ length: 5 }, (_, i) => ({ key: `s${i + 4}`, permissions: grants(rng, 1, 3), active: rng.chance(0.85) })),
  ];
  // Admin sets are handed out sparingly so most users' decisions depend on the finer rules.
  const setWeights = permissionSets.map((s) => [s.key, s.key === 's2' ? 0.4 : 1] as const);
  const setGrants = users.flatMap((u) => {
    const n = rng.weighted([[0, 11], [1, 6], [2, 3]] as const);
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(rng.weighted(setWeights));
    return [...chosen].sort().map((set) => ({
      user: u.key, set, expiresInHours: expiry(rng, { never: 35, past: 35, future: 30 }),
    }));
  });

  const leafWeights = leaves.map((c) => [c.key, c.existing ? 3 : 1] as const);
  const proposals = Array.from({ length: sizes.proposals }, (_, i) => ({
    key: `p${pad(i, 4)}`,
    owner: rng.pick(userKeys),
    company: rng.weighted(leafWeights),
  }));

  const shares: OrgShare[] = [];
  const taken = new Set<string>();
  for (let attempts = 0; shares.length < sizes.shares && attempts < sizes.shares * 10; attempts++) {
    const proposal = rng.pick(proposals).key;
    const toTeam = rng.chance(0.35);
    const target = toTeam ? rng.pick(teams).key : rng.pick(userKeys);
    if (taken.has(`${proposal}/${target}`)) continue;
    taken.add(`${proposal}/${target}`);
    shares.push({
      proposal,
      ...(toTeam ? { toTeam: target } : { toUser: target }),
      access: rng.pick<ShareAccess>(['read', 'read_write', 'full']),
      expiresInHours: expiry(rng, { never: 50, past: 25, future: 25 }),
    });
  }

  return {
    label: `generated organisation (seed ${seed})`,
    companies, profiles, users, teams, memberships, permissionSets, setGrants, proposals, shares,
  };
}

/** What the organisation contains, so a run shows it exercised every kind of rule. */
export function describeOrg(org: Org): string {
  const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
  const depth = (key: string | null): number => {
    const t = org.teams.find((x) => x.key === key);
    return t ? 1 + depth(t.parent) : 0;
  };
  return [
    `${org.users.length} users (${count(org.users, (u) => !u.active)} inactive)`,
    `${org.teams.length} teams (${count(org.teams, (t) => !t.active)} inactive, up to ${Math.max(...org.teams.map((t) => depth(t.key)))} levels)`,
    `${org.memberships.length} memberships (${count(org.memberships, (m) => m.role === 'leader')} leaders)`,
    `${org.setGrants.length} set grants (${count(org.setGrants, (g) => g.expiresInHours !== null && g.expiresInHours < 0)} expired)`,
    `${org.proposals.length} proposals`,
    `${org.shares.length} shares (${count(org.shares, (s) => !!s.toTeam)} to teams, ${count(org.shares, (s) => s.expiresInHours !== null && s.expiresInHours < 0)} expired)`,
  ].join(', ');
}
