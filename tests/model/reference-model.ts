// The reference model: what each user may do with each proposal, written from the access rules
// in plain TypeScript — no SQL, no cache tables — so the isolation test compares two independent
// readings of the same rules.
//
//   read   = admin (holds core:system:admin) | owner ∈ visible owners
//          | holds sales:proposals:manage and the proposal's company ∈ the user's leaf companies
//          | a live share to the user, or to an active team the user belongs to (any role)
//   update = the same, the share needing read_write;  delete = the same, the share needing full
//   visible owners = the user + every member of each active team they lead and of every active
//                    team below it (the walk stops at an inactive team)
//   leaf companies = active leaves below each assignment, through active groups only
//   grants = profile grants + grants of active sets not yet expired; an inactive user has none
//            of it, not even their own records.
import type { Org, OrgProposal, OrgShare, ShareAccess } from './org.ts';
import { SHARE_LEVELS } from './org.ts';

export type Action = 'read' | 'update' | 'delete';
export const ACTIONS: readonly Action[] = ['read', 'update', 'delete'];
export type Decision = Record<Action, boolean>;

const SHARE_NEEDED: Record<Action, ShareAccess> = { read: 'read', update: 'read_write', delete: 'full' };
const MANAGE_PROPOSALS = 'sales:proposals:manage';
const SYSTEM_ADMIN = 'core:system:admin';

/**
 * Does a granted pattern cover a wanted permission? Each of module, resource and action matches
 * itself or a granted `*`; a granted action `manage` also covers every action.
 */
export function covers(granted: string, wanted: string): boolean {
  const g = granted.split(':');
  const w = wanted.split(':');
  if (g.length !== 3 || w.length !== 3) return false;
  return (g[0] === '*' || g[0] === w[0])
    && (g[1] === '*' || g[1] === w[1])
    && (g[2] === '*' || g[2] === w[2] || g[2] === 'manage');
}

interface Grant {
  permission: string;
  source: string;
}

interface UserReach {
  active: boolean;
  grants: Grant[];
  ignoredGrants: string[];
  admin: boolean;
  managesProposals: boolean;
  leafCompanies: Set<string>;
  visibleOwners: Set<string>;
  activeTeams: Set<string>;
}

const isLive = (expiresInHours: number | null) => expiresInHours === null || expiresInHours > 0;
const expiryText = (h: number | null) => (h === null ? 'no expiry' : h > 0 ? `expires in ${h} h` : `expired ${-h} h ago`);

export class ReferenceModel {
  private readonly reach = new Map<string, UserReach>();
  private readonly sharesOf = new Map<string, OrgShare[]>();
  private readonly proposals = new Map<string, OrgProposal>();
  private readonly teamChildren = new Map<string, string[]>();
  private readonly teamMembers = new Map<string, string[]>();

  constructor(private readonly org: Org) {
    for (const t of org.teams) {
      if (t.parent) this.teamChildren.set(t.parent, [...(this.teamChildren.get(t.parent) ?? []), t.key]);
    }
    for (const m of org.memberships) this.teamMembers.set(m.team, [...(this.teamMembers.get(m.team) ?? []), m.user]);
    for (const p of org.proposals) this.proposals.set(p.key, p);
    for (const s of org.shares) this.sharesOf.set(s.proposal, [...(this.sharesOf.get(s.proposal) ?? []), s]);
    for (const u of org.users) this.reach.set(u.key, this.resolve(u.key));
  }

  private team(key: string) {
    const t = this.org.teams.find((x) => x.key === key);
    if (!t) throw new Error(`unknown team ${key}`);
    return t;
  }

  private resolve(userKey: string): UserReach {
    const user = this.org.users.find((u) => u.key === userKey)!;
    const none: UserReach = {
      active: false, grants: [], ignoredGrants: [], admin: false, managesProposals: false,
      leafCompanies: new Set(), visibleOwners: new Set(), activeTeams: new Set(),
    };
    if (!user.active) return none;

    const profile = this.org.profiles.find((p) => p.name === user.profile);
    if (!profile) throw new Error(`user ${userKey} has unknown profile ${user.profile}`);
    const grants: Grant[] = profile.permissions.map((permission) => ({ permission, source: `profile ${profile.name}` }));
    const ignoredGrants: string[] = [];
    for (const g of this.org.setGrants.filter((x) => x.user === userKey)) {
      const set = this.org.permissionSets.find((s) => s.key === g.set)!;
      const source = `set ${set.key} (${expiryText(g.expiresInHours)}${set.active ? '' : ', set inactive'})`;
      if (set.active && isLive(g.expiresInHours)) {
        grants.push(...set.permissions.map((permission) => ({ permission, source })));
      } else {
        ignoredGrants.push(`${set.permissions.join(', ')} from ${source}`);
      }
    }
    const holds = (wanted: string) => grants.some((g) => covers(g.permission, wanted));

    const companies = new Map(this.org.companies.map((c) => [c.key, c]));
    const leafCompanies = new Set<string>();
    const expand = (key: string) => {
      const c = companies.get(key);
      if (!c || !c.active) return;
      if (!c.isGroup) leafCompanies.add(c.key);
      for (const child of this.org.companies.filter((x) => x.parent === key)) expand(child.key);
    };
    user.companies.forEach(expand);

    const visibleOwners = new Set<string>([userKey]);
    const walk = (teamKey: string) => {
      if (!this.team(teamKey).active) return;
      for (const member of this.teamMembers.get(teamKey) ?? []) visibleOwners.add(member);
      for (const child of this.teamChildren.get(teamKey) ?? []) walk(child);
    };
    const mine = this.org.memberships.filter((m) => m.user === userKey);
    mine.filter((m) => m.role === 'leader').forEach((m) => walk(m.team));

    return {
      active: true,
      grants,
      ignoredGrants,
      admin: holds(SYSTEM_ADMIN),
      managesProposals: holds(MANAGE_PROPOSALS),
      leafCompanies,
      visibleOwners,
      activeTeams: new Set(mine.filter((m) => this.team(m.team).active).map((m) => m.team)),
    };
  }

  private liveShares(r: UserReach, userKey: string, proposalKey: string): OrgShare[] {
    return (this.sharesOf.get(proposalKey) ?? []).filter((s) =>
      isLive(s.expiresInHours) && (s.toUser === userKey || (s.toTeam !== undefined && r.activeTeams.has(s.toTeam))));
  }

  decide(userKey: string, proposalKey: string): Decision {
    const r = this.reach.get(userKey);
    const p = this.proposals.get(proposalKey);
    if (!r || !p) throw new Error(`unknown user ${userKey} or proposal ${proposalKey}`);
    const everyLevel = r.active && (r.admin || r.visibleOwners.has(p.owner) || (r.managesProposals && r.leafCompanies.has(p.company)));
    const best = Math.max(-1, ...this.liveShares(r, userKey, proposalKey).map((s) => SHARE_LEVELS.indexOf(s.access)));
    const bySharing = (a: Action) => r.active && best >= SHARE_LEVELS.indexOf(SHARE_NEEDED[a]);
    return {
      read: everyLevel || bySharing('read'),
      update: everyLevel || bySharing('update'),
      delete: everyLevel || bySharing('delete'),
    };
  }

  /** Which rules open the proposal to the user for reading (empty: none does). */
  grounds(userKey: string, proposalKey: string): ('admin' | 'owner' | 'leader' | 'manager' | 'share')[] {
    const r = this.reach.get(userKey)!;
    const p = this.proposals.get(proposalKey)!;
    if (!r.active) return [];
    const out: ('admin' | 'owner' | 'leader' | 'manager' | 'share')[] = [];
    if (r.admin) out.push('admin');
    if (p.owner === userKey) out.push('owner');
    else if (r.visibleOwners.has(p.owner)) out.push('leader');
    if (r.managesProposals && r.leafCompanies.has(p.company)) out.push('manager');
    if (this.liveShares(r, userKey, proposalKey).length) out.push('share');
    return out;
  }

  /** Every rule that bears on the decision, for mismatch reports. */
  explain(userKey: string, proposalKey: string): string[] {
    const r = this.reach.get(userKey)!;
    const user = this.org.users.find((u) => u.key === userKey)!;
    const p = this.proposals.get(proposalKey)!;
    const lines = [`${userKey} (profile ${user.profile}, companies [${user.companies.join(', ')}]) and ${proposalKey} (owner ${p.owner}, company ${p.company})`];
    if (!r.active) return [...lines, `${userKey} is inactive: no access at all`];

    const covering = (wanted: string) => r.grants.filter((g) => covers(g.permission, wanted)).map((g) => `'${g.permission}' from ${g.source}`);
    lines.push(r.admin ? `admin: core:system:admin covered by ${covering(SYSTEM_ADMIN).join('; ')}` : 'not admin');
    if (p.owner === userKey) lines.push('owns the proposal');
    else if (r.visibleOwners.has(p.owner)) lines.push(`leads the owner: ${this.leadPaths(userKey, p.owner).join('; ')}`);
    else lines.push(`does not lead the owner (visible owners: ${[...r.visibleOwners].sort().join(', ')})`);
    if (r.managesProposals) {
      lines.push(`holds sales:proposals:manage via ${covering(MANAGE_PROPOSALS).join('; ')}; company ${p.company} ${
        r.leafCompanies.has(p.company) ? '∈' : '∉'} leaf companies [${[...r.leafCompanies].sort().join(', ')}]`);
    } else {
      lines.push('does not hold sales:proposals:manage');
    }
    if (r.ignoredGrants.length) lines.push(`ignored grants: ${r.ignoredGrants.join('; ')}`);
    for (const s of this.sharesOf.get(proposalKey) ?? []) {
      const target = s.toUser ? `user ${s.toUser}` : `team ${s.toTeam} (${this.teamState(s.toTeam!, userKey)})`;
      const applies = s.toUser === userKey || (s.toTeam !== undefined && r.activeTeams.has(s.toTeam));
      if (s.toUser && s.toUser !== userKey) continue;
      if (s.toTeam && !this.org.memberships.some((m) => m.team === s.toTeam && m.user === userKey)) continue;
      lines.push(`share ${s.access} to ${target}, ${expiryText(s.expiresInHours)}: ${applies && isLive(s.expiresInHours) ? 'live' : 'ignored'}`);
    }
    return lines;
  }

  private teamState(team: string, userKey: string): string {
    const t = this.team(team);
    const role = this.org.memberships.find((m) => m.team === team && m.user === userKey)?.role ?? 'not a member';
    return `${role}, ${t.active ? 'active' : 'inactive'}`;
  }

  /** Chains of teams from one the user leads down to one the owner is in. */
  private leadPaths(leader: string, owner: string): string[] {
    const paths: string[] = [];
    const walk = (team: string, path: string[]) => {
      if (!this.team(team).active) return;
      const here = [...path, team];
      if ((this.teamMembers.get(team) ?? []).includes(owner)) paths.push(here.join(' → '));
      for (const child of this.teamChildren.get(team) ?? []) walk(child, here);
    };
    this.org.memberships.filter((m) => m.user === leader && m.role === 'leader').forEach((m) => walk(m.team, []));
    return paths;
  }
}
