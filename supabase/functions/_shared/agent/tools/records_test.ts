import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { callerWith, SALES_USER_HELD } from '../testing/harness.ts';
import type { ToolContext } from '../types.ts';
import { recordTools } from './records.ts';
import { executeToolCall } from './registry.ts';

function context(db: unknown, held = SALES_USER_HELD): ToolContext {
  return {
    db: db as SupabaseClient,
    caller: callerWith([...held, 'sales:booking_orders:create']),
    conversationId: 'c',
    attachments: [],
    settings: { renderWaitMs: 10, renderPollMs: 5, now: () => new Date() },
    images: null,
    signal: new AbortController().signal,
    status: () => Promise.resolve(),
    recordCost: () => Promise.resolve(),
  };
}

const fields = {
  bo_number: 'PO-77',
  client: 'Emirates NBD',
  net_pre_vat: '1,250,000',
  sla_pct: 0.1,
  locations: [{
    name: 'The Dubai Gateway',
    start_date: '2026-12-01',
    end_date: '2026-12-28',
    net_amount: 1250000,
  }],
};

Deno.test('submit_booking_order: hands the fields to create_booking_order once confirmed', async () => {
  const calls: unknown[] = [];
  const db = {
    rpc(fn: string, args: unknown) {
      calls.push({ fn, args });
      return Promise.resolve({
        data: {
          id: 'bo-1',
          stage: 'coordinator',
          status: 'pending',
          display: {},
          warnings: [],
          missing_fields: ['bo_date'],
          needs_review: true,
        },
        error: null,
      });
    },
  };
  const unconfirmed = await executeToolCall(
    {
      id: 'a',
      name: 'submit_booking_order',
      arguments: { company: 'backlite_dubai', fields, confirm: false },
    },
    recordTools,
    context(db),
  );
  assert.ok(!unconfirmed.ok && unconfirmed.error.code === 'confirmation_required');
  assert.equal(calls.length, 0);

  const outcome = await executeToolCall(
    {
      id: 'b',
      name: 'submit_booking_order',
      arguments: {
        company: 'backlite_dubai',
        fields,
        confirm: true,
        source_file_id: '3b22d592-5eea-48c4-a125-9cb608f9d839',
      },
    },
    recordTools,
    context(db),
  );
  assert.deepEqual(calls, [{
    fn: 'create_booking_order',
    args: {
      company: 'backlite_dubai',
      data: fields,
      source_document_id: '3b22d592-5eea-48c4-a125-9cb608f9d839',
    },
  }]);
  assert.ok(outcome.ok);
  assert.equal(outcome.data.status, 'pending');
  assert.deepEqual(outcome.data.missing_fields, ['bo_date']);
});

Deno.test('submit_booking_order: a field that is not one of the 19 is refused before the RPC', async () => {
  const outcome = await executeToolCall(
    {
      id: 'c',
      name: 'submit_booking_order',
      arguments: { company: 'viola', fields: { vat_calc: 5 }, confirm: true },
    },
    recordTools,
    context({ rpc: () => assert.fail('no RPC expected') }),
  );
  assert.ok(!outcome.ok && /fields.vat_calc is not a known argument/.test(outcome.error.message));
});

Deno.test("cost_summary: everyone's costs only for cost managers", async () => {
  const outcome = await executeToolCall(
    { id: 'd', name: 'cost_summary', arguments: { everyone: true } },
    recordTools,
    context({}),
  );
  assert.ok(!outcome.ok && outcome.error.code === 'forbidden');
});
