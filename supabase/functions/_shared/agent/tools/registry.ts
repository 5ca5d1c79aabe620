// The tool registry: every tool the agent knows, which of them a caller is offered, and the
// one place a tool call is executed — permission re-check, schema check, handler, errors.
import type { ToolCall, ToolDefinition } from '../../llm/mod.ts';
import { describeIssues, validateAgainstSchema } from '../schema.ts';
import {
  type CallerAccess,
  permits,
  type ToolContext,
  ToolError,
  type ToolOutcome,
  type ToolSpec,
} from '../types.ts';
import { bookingOrderTools } from './booking_orders.ts';
import { inventoryAdminTools } from './inventory_admin.ts';
import { locationTools, OCCUPATIONS_READ } from './locations.ts';
import { mockupTools } from './mockups.ts';
import { proposalTools } from './proposals.ts';
import { recordTools } from './records.ts';

/** Every tool, in the order they are offered. */
export const ALL_TOOLS: ToolSpec[] = [
  ...locationTools,
  ...proposalTools,
  ...mockupTools,
  ...inventoryAdminTools,
  ...recordTools,
  ...bookingOrderTools,
];

/** Permissions besides the tools' own that the agent asks the database about. */
export const EXTRA_PERMISSIONS = ['sales:chat:use', 'core:ai_costs:manage', ...OCCUPATIONS_READ];

/** Every permission string to pass to public.held_permissions for these tools. */
export function permissionsToCheck(tools: ToolSpec[] = ALL_TOOLS): string[] {
  const all = new Set<string>(EXTRA_PERMISSIONS);
  for (const tool of tools) {
    for (const p of typeof tool.permission === 'string' ? [tool.permission] : tool.permission) {
      all.add(p);
    }
  }
  return [...all];
}

export function offeredTools(caller: CallerAccess, tools: ToolSpec[] = ALL_TOOLS): ToolSpec[] {
  return tools.filter((tool) => permits(caller, tool.permission));
}

export function toolDefinitions(tools: ToolSpec[]): ToolDefinition[] {
  return tools.map(({ name, description, parameters }) => ({ name, description, parameters }));
}

function failure(code: string, message: string, hint?: string): ToolOutcome {
  return {
    ok: false,
    error: { code, message, ...(hint ? { hint } : {}) },
    summary: message.length > 140 ? `${message.slice(0, 137)}…` : message,
  };
}

/**
 * Runs one call. Never throws: an unknown tool, a permission the caller lacks (even if the
 * model names a tool it was not offered), arguments that do not fit the schema and handler
 * failures all come back as `ok: false` for the model to read.
 */
export async function executeToolCall(
  call: ToolCall,
  tools: ToolSpec[],
  ctx: ToolContext,
): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return failure('unknown_tool', `there is no tool named "${call.name}"`);
  if (!permits(ctx.caller, tool.permission)) {
    return failure(
      'forbidden',
      `${call.name} is not available to you: it needs ${
        typeof tool.permission === 'string' ? tool.permission : tool.permission.join(' or ')
      }`,
    );
  }
  const issues = validateAgainstSchema(tool.parameters, call.arguments);
  if (issues.length) {
    return failure(
      'invalid_arguments',
      `invalid arguments for ${call.name}: ${describeIssues(issues)}`,
      'Fix the arguments and call again.',
    );
  }
  try {
    return await tool.run(ctx, call.arguments);
  } catch (e) {
    if (e instanceof ToolError) return failure(e.code, e.message, e.hint);
    console.error(`tool ${call.name} failed`, e);
    return failure('tool_failed', `${call.name} failed unexpectedly: ${(e as Error).message}`);
  }
}
