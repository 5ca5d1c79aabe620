// The signed-in user's context (my_context) and the permission checks navigation needs. The
// checks are answered by the database's own matcher (has_permission), never re-implemented here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAuth } from '../../auth/AuthProvider';
import { toApiError, unwrap } from '../../lib/errors';
import { runtimeConfig, supabase } from '../../lib/supabase';
import { sessionKeys } from './keys';
import type { MyContext } from './types';

export function useMyContext() {
  const { session } = useAuth();
  const userId = session?.user.id ?? 'anonymous';
  return useQuery({
    queryKey: sessionKeys.context(userId),
    enabled: Boolean(session),
    staleTime: 30_000,
    queryFn: async () => unwrap(await supabase().rpc('my_context')) as unknown as MyContext,
  });
}

/** Which of these permissions the signed-in user holds, as a map. */
export function useHeldPermissions(permissions: readonly string[]) {
  const { session } = useAuth();
  const userId = session?.user.id ?? 'anonymous';
  return useQuery({
    queryKey: sessionKeys.permissions(userId, permissions),
    enabled: Boolean(session),
    staleTime: 30_000,
    queryFn: async () => {
      const answers = await Promise.all(permissions.map(async (permission) => {
        const held = unwrap(await supabase().rpc('has_permission', { permission }));
        return [permission, Boolean(held)] as const;
      }));
      return Object.fromEntries(answers) as Record<string, boolean>;
    },
  });
}

/** Public Auth settings: which sign-in providers are enabled. */
export function useAuthSettings() {
  return useQuery({
    queryKey: sessionKeys.authSettings(),
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const { supabaseUrl, anonKey } = runtimeConfig();
      const r = await fetch(`${supabaseUrl}/auth/v1/settings`, { headers: { apikey: anonKey } });
      if (!r.ok) throw toApiError({ message: `auth settings: ${r.status}` });
      const body = (await r.json()) as { external?: Record<string, boolean>; disable_signup?: boolean };
      return { azure: Boolean(body.external?.azure), signupDisabled: body.disable_signup !== false };
    },
  });
}

/** Redeems an invite for the signed-in user; the new access replaces the cached context. */
export function useRedeemInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (token: string) => unwrap(await supabase().rpc('redeem_invite', { token })) as unknown as MyContext,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}
