// Who is asking, resolved by the database for this request: public.my_context() for the
// person and their companies, public.held_permissions() for the permissions the agent needs
// to decide on — both with the caller's JWT, in parallel.
import type { SupabaseClient } from '@supabase/supabase-js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../database_unavailable.ts';
import type { CallerAccess } from './types.ts';

export class AccessError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function loadCallerAccess(
  db: SupabaseClient,
  permissions: string[],
): Promise<CallerAccess> {
  const [context, held] = await Promise.all([
    db.rpc('my_context'),
    db.rpc('held_permissions', { permissions }),
  ]);
  const error = context.error ?? held.error;
  if (error) {
    if (error.code === '42501') throw new AccessError(403, 'no_platform_user', error.message);
    if (isDatabaseUnavailable(error, context.error ? context.status : held.status)) {
      throw new AccessError(
        503,
        'database_unavailable',
        `Your access could not be checked. ${DATABASE_UNAVAILABLE_MESSAGE}`,
      );
    }
    throw new AccessError(
      502,
      'access_unavailable',
      `could not resolve your access: ${error.message}`,
    );
  }
  const me = context.data as Record<string, any>;
  if (!me.is_active) throw new AccessError(403, 'user_inactive', 'your account is deactivated');
  return {
    userId: me.user_id,
    name: me.name ?? null,
    email: me.email ?? null,
    isAdmin: me.is_admin === true,
    companies: (me.companies ?? []) as string[],
    held: new Set(held.data as string[]),
  };
}
