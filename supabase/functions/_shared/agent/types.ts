// The vocabulary of the chat agent: who is asking (CallerAccess), what a tool is (ToolSpec),
// what a tool gets (ToolContext) and gives back (ToolOutcome), and the files of a turn.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Channel, ChatEvent } from '../channel.ts';
import type { AiCallType, AiWorkflow, ChatProvider, JsonSchema, UsageEvent } from '../llm/mod.ts';
import type { ImageGenerator } from './images.ts';

/** The caller as the database resolved it for this turn. */
export interface CallerAccess {
  userId: string;
  name: string | null;
  email: string | null;
  isAdmin: boolean;
  /** Leaf companies the caller can act for. */
  companies: string[];
  /** The permissions (of those asked about) the caller holds, per public.held_permissions. */
  held: ReadonlySet<string>;
}

/** A permission requirement: one permission, or a list of which any one is enough. */
export type PermissionRequirement = string | readonly string[];

export function permits(caller: CallerAccess, requirement: PermissionRequirement): boolean {
  const options = typeof requirement === 'string' ? [requirement] : requirement;
  return options.some((permission) => caller.held.has(permission));
}

/** A file the person attached to the message (a `documents` row they can read). */
export interface Attachment {
  documentId: string;
  bucket: string;
  path: string;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  kind: 'image' | 'document';
}

export type FileEvent = Extract<ChatEvent, { type: 'file' }>['file'];

export interface ToolFailure {
  code: string;
  message: string;
  hint?: string;
}

export type ToolOutcome =
  | {
    ok: true;
    /** What the model reads (kept compact). */
    data: Record<string, unknown>;
    /** One line for the person (tool_finished). */
    summary: string;
    files?: FileEvent[];
  }
  | { ok: false; error: ToolFailure; summary: string };

/** Thrown by handlers for failures the model should read and correct. */
export class ToolError extends Error {
  constructor(readonly code: string, message: string, readonly hint?: string) {
    super(message);
  }
}

export interface AgentSettings {
  /** How long a tool waits for a render job before reporting it as pending. */
  renderWaitMs: number;
  /** How often render jobs are polled. */
  renderPollMs: number;
  /** Clock, for today's date and relative dates. */
  now: () => Date;
}

export interface ToolContext {
  /** supabase-js client carrying the caller's JWT: every read and write is under RLS. */
  db: SupabaseClient;
  caller: CallerAccess;
  conversationId: string;
  /** Files attached to the current message. */
  attachments: Attachment[];
  settings: AgentSettings;
  /** Image model, when the platform has one. */
  images: ImageGenerator | null;
  /** The text model, for tools that make model calls of their own (booking-order extraction). */
  llm?: ChatProvider | null;
  /** Progress line for the person (a `status` event). */
  status(message: string): Promise<void>;
  /** Records the cost of a model call a tool made (image generation). */
  recordCost(usage: UsageEvent, callType: AiCallType, workflow: AiWorkflow): Promise<void>;
  signal: AbortSignal;
}

export interface ToolSpec<Args = any> {
  name: string;
  description: string;
  /** JSON Schema of the arguments; checked before `run`. */
  parameters: JsonSchema;
  /** Offered only when the caller holds it; checked again on every call. */
  permission: PermissionRequirement;
  /** Workflow the model call that chose this tool is billed to. */
  workflow?: AiWorkflow;
  run(ctx: ToolContext, args: Args): Promise<ToolOutcome>;
}

export type { Channel };
