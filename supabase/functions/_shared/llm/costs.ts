// Records the cost of a model call. The price lookup and the formula live in SQL
// (public.record_ai_cost, migration 20261122050000_llm_pricing.sql); this only hands over the
// normalised usage of a `usage` event, under the service role (API roles cannot write costs).
import type { UsageEvent } from './types.ts';

export type AiCallType =
  | 'classification'
  | 'parsing'
  | 'coordinator_thread'
  | 'main_llm'
  | 'mockup_analysis'
  | 'image_generation'
  | 'bo_edit'
  | 'other';

export type AiWorkflow =
  | 'mockup_upload'
  | 'mockup_ai'
  | 'bo_parsing'
  | 'bo_editing'
  | 'bo_revision'
  | 'proposal_generation'
  | 'general_chat'
  | 'location_management';

export interface AiCostContext {
  /** users.id of the person the call was made for. */
  userId: string;
  /** Default main_llm. */
  callType?: AiCallType;
  /** Default general_chat. */
  workflow?: AiWorkflow | null;
  conversationId?: string | null;
  company?: string | null;
  /** Short free text, e.g. "chat turn 3". */
  context?: string | null;
  metadata?: Record<string, unknown>;
}

/** The stored ai_costs row (costs in USD; numeric in SQL, JSON numbers over the API). */
export interface AiCostRecord {
  id: string;
  occurred_at: string;
  owner_id: string;
  company: string | null;
  call_type: AiCallType;
  workflow: AiWorkflow | null;
  provider: string;
  model: string;
  conversation_id: string | null;
  price_id: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  image_input_tokens: number;
  output_tokens: number;
  image_output_tokens: number;
  reasoning_tokens: number;
  total_tokens: number;
  input_cost: number;
  output_cost: number;
  reasoning_cost: number;
  total_cost: number;
  metadata: Record<string, unknown>;
}

/** The one method of a supabase-js client used here; a service-role client satisfies it. */
export interface RpcClient {
  rpc(
    fn: string,
    args?: Record<string, unknown>,
  ): PromiseLike<{ data: unknown; error: { message: string; code?: string } | null }>;
}

/** Arguments of public.record_ai_cost for a usage event. */
export function recordAiCostArgs(
  usage: UsageEvent,
  context: AiCostContext,
): Record<string, unknown> {
  return {
    user_id: context.userId,
    model: usage.model,
    provider: usage.provider,
    input_tokens: usage.usage.input,
    cached_input_tokens: usage.usage.cachedInput,
    output_tokens: usage.usage.output,
    reasoning_tokens: usage.usage.reasoning,
    image_input_tokens: usage.usage.imageInput,
    image_output_tokens: usage.usage.imageOutput,
    call_type: context.callType ?? 'main_llm',
    workflow: context.workflow === undefined ? 'general_chat' : context.workflow,
    conversation_id: context.conversationId ?? null,
    company: context.company ?? null,
    context: context.context ?? null,
    metadata: context.metadata ?? {},
  };
}

/**
 * Prices and stores one call. `service` must be a service-role client; throws when the row
 * cannot be written (unknown user, no price for the model and its provider…).
 */
export async function recordAiCost(
  service: RpcClient,
  usage: UsageEvent,
  context: AiCostContext,
): Promise<AiCostRecord> {
  const { data, error } = await service.rpc('record_ai_cost', recordAiCostArgs(usage, context));
  if (error) throw new Error(`could not record the AI cost of ${usage.model}: ${error.message}`);
  return data as AiCostRecord;
}
