// Resolved access of the signed-in user, loaded once behind the sign-in and shared by the
// shell (menu), the route guards and screens that show or hide actions.
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useHeldPermissions, useMyContext } from './hooks';
import { CHECKED_PERMISSIONS, type ToolId, type ToolRule, TOOLS, toolAllowed } from './tools';
import type { MyContext } from './types';

export interface Access {
  context: MyContext;
  held: Record<string, boolean>;
  tools: ToolRule[];
  can(tool: ToolId): boolean;
  has(permission: string): boolean;
}

const AccessContext = createContext<Access | null>(null);

export function useAccessQuery() {
  const context = useMyContext();
  const held = useHeldPermissions(CHECKED_PERMISSIONS);
  const access = useMemo<Access | null>(() => {
    if (!context.data || !held.data) return null;
    const ctx = context.data;
    const perms = held.data;
    const tools = TOOLS.filter((t) => toolAllowed(t, ctx, perms));
    return {
      context: ctx,
      held: perms,
      tools,
      can: (id) => tools.some((t) => t.id === id),
      has: (p) => Boolean(perms[p]),
    };
  }, [context.data, held.data]);
  return { access, error: context.error ?? held.error, isLoading: context.isLoading || held.isLoading, refetch: () => { void context.refetch(); void held.refetch(); } };
}

export function AccessProvider({ access, children }: { access: Access; children: ReactNode }) {
  return <AccessContext.Provider value={access}>{children}</AccessContext.Provider>;
}

export function useAccess(): Access {
  const a = useContext(AccessContext);
  if (!a) throw new Error('useAccess outside AccessProvider');
  return a;
}
