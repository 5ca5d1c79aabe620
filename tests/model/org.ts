// The shape of a generated organisation, in symbolic keys (u07, t03, p0123) rather than database
// ids: the generator and the reference model work on it alone, the loader maps keys to fresh ids.

export type TeamRole = 'member' | 'leader';
export type ShareAccess = 'read' | 'read_write' | 'full';
export const SHARE_LEVELS: readonly ShareAccess[] = ['read', 'read_write', 'full'];

/** Hours from the moment the organisation is loaded; null = never expires. */
export type Expiry = number | null;

export interface OrgCompany {
  key: string;
  parent: string | null;
  isGroup: boolean;
  active: boolean;
  /** Shipped with the migrations (mmg, backlite_dubai…): referenced, never created or removed. */
  existing: boolean;
}

export interface OrgProfile {
  name: string;
  permissions: string[];
  /** A system profile of the migrations; the others are created for the run. */
  existing: boolean;
}

export interface OrgUser {
  key: string;
  profile: string;
  active: boolean;
  /** Company or group keys assigned in user_companies. */
  companies: string[];
}

export interface OrgTeam {
  key: string;
  parent: string | null;
  active: boolean;
}

export interface OrgMembership {
  team: string;
  user: string;
  role: TeamRole;
}

export interface OrgPermissionSet {
  key: string;
  permissions: string[];
  active: boolean;
}

export interface OrgSetGrant {
  user: string;
  set: string;
  expiresInHours: Expiry;
}

export interface OrgProposal {
  key: string;
  owner: string;
  company: string;
}

export interface OrgShare {
  proposal: string;
  toUser?: string;
  toTeam?: string;
  access: ShareAccess;
  expiresInHours: Expiry;
}

export interface Org {
  label: string;
  companies: OrgCompany[];
  profiles: OrgProfile[];
  users: OrgUser[];
  teams: OrgTeam[];
  memberships: OrgMembership[];
  permissionSets: OrgPermissionSet[];
  setGrants: OrgSetGrant[];
  proposals: OrgProposal[];
  shares: OrgShare[];
}
