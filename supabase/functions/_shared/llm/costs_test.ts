import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { recordAiCost, recordAiCostArgs, type RpcClient } from './costs.ts';
import type { UsageEvent } from './types.ts';

const usage: UsageEvent = {
  type: 'usage',
  provider: 'openai',
  model: 'gpt-5.1',
  usage: {
    input: 12000,
    cachedInput: 2000,
    output: 800,
    reasoning: 300,
    imageInput: 0,
    imageOutput: 0,
  },
};
const userId = '65767ab5-a881-4ea5-ab7b-3579e3ec7ff5';

// A service-role supabase-js client is what callers pass in.
const _clientFits: SupabaseClient extends RpcClient ? true : never = true;

function fakeRpc(result: { data: unknown; error: { message: string } | null }) {
  const calls: { fn: string; args?: Record<string, unknown> }[] = [];
  const client: RpcClient = {
    rpc(fn, args) {
      calls.push({ fn, args });
      return Promise.resolve(result);
    },
  };
  return { client, calls };
}

Deno.test('a usage event becomes the arguments of record_ai_cost, chat defaults filled in', () => {
  assert.deepEqual(
    recordAiCostArgs(usage, { userId, conversationId: 'c0ffee00-0000-0000-0000-000000000001' }),
    {
      user_id: userId,
      model: 'gpt-5.1',
      provider: 'openai',
      input_tokens: 12000,
      cached_input_tokens: 2000,
      output_tokens: 800,
      reasoning_tokens: 300,
      image_input_tokens: 0,
      image_output_tokens: 0,
      call_type: 'main_llm',
      workflow: 'general_chat',
      conversation_id: 'c0ffee00-0000-0000-0000-000000000001',
      company: null,
      context: null,
      metadata: {},
    },
  );
  const args = recordAiCostArgs(usage, {
    userId,
    callType: 'parsing',
    workflow: null,
    company: 'backlite_dubai',
  });
  assert.equal(args.call_type, 'parsing');
  assert.equal(args.workflow, null);
  assert.equal(args.company, 'backlite_dubai');
});

Deno.test('recordAiCost calls the record_ai_cost RPC and returns the stored row', async () => {
  const row = { id: 'r1', total_cost: 0.02375 };
  const { client, calls } = fakeRpc({ data: row, error: null });
  assert.deepEqual(await recordAiCost(client, usage, { userId }), row);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].fn, 'record_ai_cost');
});

Deno.test('recordAiCost reports a database refusal as an error naming the model', async () => {
  const { client } = fakeRpc({ data: null, error: { message: 'no price for model "x"' } });
  await assert.rejects(
    recordAiCost(client, usage, { userId }),
    /could not record the AI cost of gpt-5\.1: no price/,
  );
});
