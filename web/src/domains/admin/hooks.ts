// Data hooks of the administration screens. Every read and write goes through the same
// RLS-guarded API as everything else; the database refuses what the caller may not do
// (including granting permissions they do not hold), and these hooks surface its message.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../lib/errors';
import { supabase } from '../../lib/supabase';
import type { Json, TablesInsert } from '../../lib/database.types';
import { companyKeys } from '../companies/keys';
import { sessionKeys } from '../session/keys';
import { adminKeys } from './keys';

const db = () => supabase();

export function useUsers() {
  return useQuery({
    queryKey: adminKeys.users(),
    queryFn: async () => unwrap(await db().from('users')
      .select('id, email, name, is_active, profile_id, manager_id, primary_company_id, last_login_at, created_at')
      .order('name')),
  });
}

/** id → name for the given users (those the caller may read), for owner columns. */
export function useUserNames(ids: readonly (string | null)[]): (id: string | null | undefined) => string {
  const unique = [...new Set(ids.filter((x): x is string => Boolean(x)))].sort();
  const { data } = useQuery({
    queryKey: adminKeys.userNames(unique),
    enabled: unique.length > 0,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await db().from('users').select('id, name').in('id', unique)),
  });
  return (id) => (id ? data?.find((u) => u.id === id)?.name ?? 'Another user' : '—');
}

export function useProfiles() {
  return useQuery({
    queryKey: adminKeys.profiles(),
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await db().from('profiles').select('id, name, display_name, description, is_system').order('display_name')),
  });
}

export function useUserCompanies() {
  return useQuery({
    queryKey: adminKeys.userCompanies(),
    queryFn: async () => unwrap(await db().from('user_companies').select('user_id, company_id, is_primary')),
  });
}

export function useTeams() {
  return useQuery({
    queryKey: adminKeys.teams(),
    queryFn: async () => unwrap(await db().from('teams').select('id, name, display_name, description, parent_team_id, company_id, is_active').order('display_name')),
  });
}

export function useTeamMembers() {
  return useQuery({
    queryKey: adminKeys.teamMembers(),
    queryFn: async () => unwrap(await db().from('team_members').select('team_id, user_id, role')),
  });
}

export function usePermissionSets() {
  return useQuery({
    queryKey: adminKeys.permissionSets(),
    queryFn: async () => unwrap(await db().from('permission_sets').select('id, name, display_name, description, is_active').order('display_name')),
  });
}

export function useSetPermissions() {
  return useQuery({
    queryKey: adminKeys.setPermissions(),
    queryFn: async () => unwrap(await db().from('permission_set_permissions').select('set_id, permission').order('permission')),
  });
}

export function useUserSets() {
  return useQuery({
    queryKey: adminKeys.userSets(),
    queryFn: async () => unwrap(await db().from('user_permission_sets').select('user_id, set_id, expires_at, granted_at, granted_by')),
  });
}

export function usePermissionCatalogue() {
  return useQuery({
    queryKey: adminKeys.catalogue(),
    staleTime: 10 * 60_000,
    queryFn: async () => unwrap(await db().from('permissions').select('permission, module, resource, action, description').order('permission')),
  });
}

export function useInvites() {
  return useQuery({
    queryKey: adminKeys.invites(),
    queryFn: async () => unwrap(await db().from('invites')
      .select('id, email, profile_id, company_ids, teams, permission_set_ids, created_at, expires_at, revoked_at, used_at, used_by')
      .order('created_at', { ascending: false })
      .limit(200)),
  });
}

export function useRecordShares() {
  return useQuery({
    queryKey: adminKeys.shares(),
    queryFn: async () => unwrap(await db().from('record_shares')
      .select('id, record_type, record_id, shared_with_user_id, shared_with_team_id, access, shared_by, shared_at, expires_at, reason')
      .order('shared_at', { ascending: false })
      .limit(200)),
  });
}

/** Mutations invalidate what they touch, and the caller's own context (it may have changed). */
function useAdminMutation<A, R>(fn: (args: A) => Promise<R>, touches: readonly (readonly unknown[])[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([...touches, sessionKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}

export function useUpdateUser() {
  return useAdminMutation(async ({ id, patch }: { id: string; patch: { is_active?: boolean; profile_id?: string; manager_id?: string | null; name?: string } }) => {
    unwrap(await db().from('users').update(patch).eq('id', id).select('id').single());
  }, [adminKeys.users()]);
}

export function useAssignCompany() {
  return useAdminMutation(async ({ userId, companyId }: { userId: string; companyId: string }) => {
    unwrap(await db().from('user_companies').insert({ user_id: userId, company_id: companyId }));
  }, [adminKeys.userCompanies(), adminKeys.users()]);
}

export function useUnassignCompany() {
  return useAdminMutation(async ({ userId, companyId }: { userId: string; companyId: string }) => {
    unwrap(await db().from('user_companies').delete().eq('user_id', userId).eq('company_id', companyId));
  }, [adminKeys.userCompanies(), adminKeys.users()]);
}

export function useSetPrimaryCompany() {
  return useAdminMutation(async ({ userId, companyId }: { userId: string; companyId: string }) => {
    unwrap(await db().from('user_companies').update({ is_primary: true }).eq('user_id', userId).eq('company_id', companyId));
  }, [adminKeys.userCompanies(), adminKeys.users()]);
}

export function useAssignPermissionSet() {
  return useAdminMutation(async ({ userId, setId, expiresAt }: { userId: string; setId: string; expiresAt: string | null }) => {
    unwrap(await db().from('user_permission_sets')
      .upsert({ user_id: userId, set_id: setId, expires_at: expiresAt }, { onConflict: 'user_id,set_id' }));
  }, [adminKeys.userSets()]);
}

export function useRemovePermissionSet() {
  return useAdminMutation(async ({ userId, setId }: { userId: string; setId: string }) => {
    unwrap(await db().from('user_permission_sets').delete().eq('user_id', userId).eq('set_id', setId));
  }, [adminKeys.userSets()]);
}

export function useCreatePermissionSet() {
  return useAdminMutation(async ({ set, permissions }: { set: TablesInsert<'permission_sets'>; permissions: string[] }) => {
    const created = unwrap(await db().from('permission_sets').insert(set).select('id').single());
    if (permissions.length) {
      unwrap(await db().from('permission_set_permissions').insert(permissions.map((permission) => ({ set_id: created.id, permission }))));
    }
    return created.id;
  }, [adminKeys.permissionSets(), adminKeys.setPermissions()]);
}

export function useUpdatePermissionSet() {
  return useAdminMutation(async ({ id, patch }: { id: string; patch: { is_active?: boolean; display_name?: string; description?: string | null } }) => {
    unwrap(await db().from('permission_sets').update(patch).eq('id', id));
  }, [adminKeys.permissionSets()]);
}

export function useAddSetPermission() {
  return useAdminMutation(async ({ setId, permission }: { setId: string; permission: string }) => {
    unwrap(await db().from('permission_set_permissions').insert({ set_id: setId, permission }));
  }, [adminKeys.setPermissions()]);
}

export function useRemoveSetPermission() {
  return useAdminMutation(async ({ setId, permission }: { setId: string; permission: string }) => {
    unwrap(await db().from('permission_set_permissions').delete().eq('set_id', setId).eq('permission', permission));
  }, [adminKeys.setPermissions()]);
}

export function useCreateTeam() {
  return useAdminMutation(async (team: TablesInsert<'teams'>) => {
    unwrap(await db().from('teams').insert(team));
  }, [adminKeys.teams()]);
}

export function useUpdateTeam() {
  return useAdminMutation(async ({ id, patch }: { id: string; patch: { display_name?: string; parent_team_id?: string | null; is_active?: boolean } }) => {
    unwrap(await db().from('teams').update(patch).eq('id', id));
  }, [adminKeys.teams()]);
}

export function useAddTeamMember() {
  return useAdminMutation(async ({ teamId, userId, role }: { teamId: string; userId: string; role: 'member' | 'leader' }) => {
    unwrap(await db().from('team_members').upsert({ team_id: teamId, user_id: userId, role }, { onConflict: 'team_id,user_id' }));
  }, [adminKeys.teamMembers()]);
}

export function useRemoveTeamMember() {
  return useAdminMutation(async ({ teamId, userId }: { teamId: string; userId: string }) => {
    unwrap(await db().from('team_members').delete().eq('team_id', teamId).eq('user_id', userId));
  }, [adminKeys.teamMembers()]);
}

export function useProvisionCompany() {
  return useAdminMutation(async ({ slug, name, parentSlug }: { slug: string; name: string; parentSlug: string }) =>
    unwrap(await db().rpc('provision_company', { slug, name, parent_slug: parentSlug })) as { slug: string; created: boolean },
  [companyKeys.all]);
}

export interface InviteInput {
  email: string;
  profile: string;
  companies: string[];
  teams: { team: string; role: 'member' | 'leader' }[];
  permission_sets: string[];
  expires_in_days: number;
}

export interface CreatedInvite {
  id: string;
  email: string;
  token: string;
  expires_at: string;
  profile: string;
}

export function useCreateInvite() {
  return useAdminMutation(async (input: InviteInput) =>
    unwrap(await db().rpc('create_invite', { ...input, teams: input.teams as unknown as Json })) as unknown as CreatedInvite,
  [adminKeys.invites()]);
}

export function useRevokeInvite() {
  return useAdminMutation(async (id: string) => {
    unwrap(await db().rpc('revoke_invite', { invite_id: id }));
  }, [adminKeys.invites()]);
}

export function useRevokeShare() {
  return useAdminMutation(async (id: string) => {
    unwrap(await db().from('record_shares').delete().eq('id', id));
  }, [adminKeys.shares()]);
}
