// Query keys of the administration domain (identity and access tables).
export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  userNames: (ids: readonly string[]) => [...adminKeys.all, 'user-names', ...ids] as const,
  profiles: () => [...adminKeys.all, 'profiles'] as const,
  userCompanies: () => [...adminKeys.all, 'user-companies'] as const,
  teams: () => [...adminKeys.all, 'teams'] as const,
  teamMembers: () => [...adminKeys.all, 'team-members'] as const,
  permissionSets: () => [...adminKeys.all, 'permission-sets'] as const,
  setPermissions: () => [...adminKeys.all, 'set-permissions'] as const,
  userSets: () => [...adminKeys.all, 'user-sets'] as const,
  catalogue: () => [...adminKeys.all, 'catalogue'] as const,
  invites: () => [...adminKeys.all, 'invites'] as const,
  shares: () => [...adminKeys.all, 'shares'] as const,
};
