// The tools of the app and what opens each one. A tool is shown in the menu and its route is
// reachable only when the rule holds; the database enforces the same rules again with RLS.
import type { MyContext } from './types';

export type ToolId = 'chat' | 'mockups' | 'proposals' | 'booking_orders' | 'costs' | 'admin' | 'settings';

export interface ToolRule {
  id: ToolId;
  label: string;
  path: string;
  /** Any one of these permissions opens the tool. */
  anyOf?: string[];
  adminOnly?: boolean;
}

export const TOOLS: ToolRule[] = [
  { id: 'chat', label: 'Chat', path: '/chat', anyOf: ['sales:chat:use'] },
  { id: 'proposals', label: 'Proposals', path: '/proposals', anyOf: ['sales:proposals:create', 'sales:proposals:read'] },
  { id: 'mockups', label: 'Mockups', path: '/mockups', anyOf: ['sales:mockups:generate', 'sales:mockups:read', 'sales:mockups:setup'] },
  { id: 'booking_orders', label: 'Booking orders', path: '/booking-orders', anyOf: ['sales:booking_orders:create', 'sales:booking_orders:read'] },
  { id: 'costs', label: 'Costs', path: '/costs', anyOf: ['core:ai_costs:read'] },
  { id: 'admin', label: 'Admin', path: '/admin', adminOnly: true },
  { id: 'settings', label: 'Settings', path: '/settings' },
];

/** Every permission a tool rule or a screen asks about, checked in one batch after sign-in. */
export const CHECKED_PERMISSIONS = [
  ...new Set([
    ...TOOLS.flatMap((t) => t.anyOf ?? []),
    'sales:mockups:setup',
    'sales:proposals:manage',
    'core:ai_costs:manage',
  ]),
];

export function toolAllowed(tool: ToolRule, context: MyContext, held: Record<string, boolean>): boolean {
  if (!context.is_active) return false;
  if (tool.adminOnly) return context.is_admin;
  if (!tool.anyOf) return true;
  return tool.anyOf.some((p) => held[p]);
}
