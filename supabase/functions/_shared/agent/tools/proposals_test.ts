// Proposal tools against a stand-in for the caller's supabase-js client: what they send to
// request_proposal, and how they end when the render job succeeds, fails or is never picked up.
import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ChatEvent } from '../../channel.ts';
import { callerWith, SALES_USER_HELD } from '../testing/harness.ts';
import type { ToolContext } from '../types.ts';
import { executeToolCall } from './registry.ts';
import { proposalTools } from './proposals.ts';

const quote = {
  currency: { code: 'AED' },
  locations: [{
    display_name: 'The Dubai Gateway',
    display_type: 'digital',
    fee_label: 'Upload Fee:',
    fee: { display: 'AED 3,000' },
    options: [{
      start_date: '2026-12-01',
      end_date: '2026-12-29',
      duration_weeks: 4,
      net_rate: { display: 'AED 1,250,000' },
      total: { display: 'AED 1,316,196' },
    }],
  }],
  package: null,
  totals: {
    subtotal: { display: 'AED 1,253,520' },
    vat: { display: 'AED 62,676' },
    total: { display: 'AED 1,316,196' },
  },
  valid_until: '2026-12-22',
};

/** Job states returned by successive polls of render_jobs (the last one repeats). */
function fakeDb(jobStates: Record<string, unknown>[]) {
  const rpcs: { fn: string; args: any }[] = [];
  let polls = 0;
  const db = {
    rpc(fn: string, args: any) {
      rpcs.push({ fn, args });
      return Promise.resolve({ data: { proposal_id: 'p-1', job_id: 'j-1', quote }, error: null });
    },
    from(table: string) {
      assert.equal(table, 'render_jobs');
      const builder = {
        select: () => builder,
        eq: () => builder,
        maybeSingle: () => {
          const state = jobStates[Math.min(polls++, jobStates.length - 1)];
          return Promise.resolve({
            data: { id: 'j-1', progress: 0, error: null, result: null, ...state },
            error: null,
          });
        },
      };
      return builder;
    },
    storage: {
      from: (bucket: string) => ({
        createSignedUrl: (path: string, seconds: number) =>
          Promise.resolve({
            data: { signedUrl: `http://storage/${bucket}/${path}?expires=${seconds}` },
            error: null,
          }),
      }),
    },
  };
  return { db: db as unknown as SupabaseClient, rpcs, polls: () => polls };
}

function context(db: SupabaseClient, events: ChatEvent[], renderWaitMs = 200): ToolContext {
  return {
    db,
    caller: callerWith(SALES_USER_HELD),
    conversationId: 'c-1',
    attachments: [],
    settings: { renderWaitMs, renderPollMs: 10, now: () => new Date('2026-11-22T08:00:00Z') },
    images: null,
    signal: new AbortController().signal,
    status: (message) => {
      events.push({ type: 'status', message });
      return Promise.resolve();
    },
    recordCost: () => Promise.resolve(),
  };
}

const separate = {
  id: 'c1',
  name: 'get_separate_proposals',
  arguments: {
    client_name: 'Emirates NBD',
    currency: 'USD',
    proposals: [{
      location: 'dubai_gateway',
      start_dates: ['2026-12-01'],
      durations: [4, 8],
      net_rates: [1250000, '2,300,000'],
    }],
  },
};

Deno.test('separate proposal: the request_proposal request, then PDF and PPTX links once rendered', async () => {
  const { db, rpcs } = fakeDb([
    { status: 'queued' },
    { status: 'running', progress: 40 },
    {
      status: 'succeeded',
      progress: 100,
      result: { pdf_path: 'u-1/2026/11/emirates-nbd.pdf', pptx_path: 'u-1/2026/11/emirates-nbd.pptx' },
    },
  ]);
  const events: ChatEvent[] = [];
  const outcome = await executeToolCall(separate, proposalTools, context(db, events));
  assert.deepEqual(rpcs, [{
    fn: 'request_proposal',
    args: {
      request: {
        proposal_type: 'separate',
        client_name: 'Emirates NBD',
        payment_terms: '100% upfront',
        currency: 'USD',
        items: [{
          location: 'dubai_gateway',
          spots: 1,
          production_fee: null,
          options: [
            { start_date: '2026-12-01', duration_weeks: 4, net_rate: 1250000 },
            { start_date: '2026-12-01', duration_weeks: 8, net_rate: '2,300,000' },
          ],
        }],
      },
    },
  }]);
  assert.ok(outcome.ok);
  assert.equal(outcome.data.status, 'ready');
  assert.deepEqual(outcome.files, [{
    bucket: 'proposals',
    path: 'u-1/2026/11/emirates-nbd.pdf',
    url: 'http://storage/proposals/u-1/2026/11/emirates-nbd.pdf?expires=86400',
    filename: 'emirates-nbd.pdf',
    title: 'proposal for Emirates NBD',
    kind: 'pdf',
  }, {
    bucket: 'proposals',
    path: 'u-1/2026/11/emirates-nbd.pptx',
    url: 'http://storage/proposals/u-1/2026/11/emirates-nbd.pptx?expires=86400',
    filename: 'emirates-nbd.pptx',
    title: 'proposal for Emirates NBD (editable deck)',
    kind: 'pptx',
  }]);
  assert.deepEqual(events.map((e) => (e as { message: string }).message), [
    'Building the proposal…',
    'Waiting for the renderer to start the proposal…',
    'Rendering the proposal… 40%',
  ]);
});

Deno.test('a job nobody picks up ends as pending after the wait, saying so', async () => {
  const { db, polls } = fakeDb([{ status: 'queued' }]);
  const started = Date.now();
  const outcome = await executeToolCall(separate, proposalTools, context(db, [], 120));
  assert.ok(Date.now() - started < 2000);
  assert.ok(outcome.ok);
  assert.equal(outcome.data.status, 'pending');
  assert.match(String(outcome.data.note), /queued, but no renderer picked it up/);
  assert.equal(outcome.summary, 'proposal queued — not rendered yet');
  assert.ok(polls() >= 2);
});

Deno.test('a failed render job is a tool error naming the cause', async () => {
  const { db } = fakeDb([{ status: 'failed', error: 'LibreOffice timed out' }]);
  const outcome = await executeToolCall(separate, proposalTools, context(db, []));
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok && /LibreOffice timed out/.test(outcome.error.message));
});

Deno.test('mismatched durations and rates are refused before any RPC', async () => {
  const { db, rpcs } = fakeDb([]);
  const outcome = await executeToolCall(
    {
      ...separate,
      arguments: {
        client_name: 'X',
        proposals: [{
          location: 'a',
          start_dates: ['2026-12-01'],
          durations: [2, 4],
          net_rates: [1],
        }],
      },
    },
    proposalTools,
    context(db, []),
  );
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok && outcome.error.code === 'invalid_arguments');
  assert.equal(rpcs.length, 0);
});

Deno.test('combined proposal: one option per location, the package rate passed through', async () => {
  const { db, rpcs } = fakeDb([{
    status: 'succeeded',
    progress: 100,
    result: { pdf_path: 'u-1/p.pdf' },
  }]);
  const outcome = await executeToolCall(
    {
      id: 'c2',
      name: 'get_combined_proposal',
      arguments: {
        client_name: 'Emaar',
        payment_terms: '50% upfront',
        combined_net_rate: '2,000,000',
        proposals: [
          { location: 'dubai_gateway', start_date: '2026-12-01', duration: 4 },
          {
            location: 'szr_unipole_north',
            start_date: '2026-12-08',
            duration: 2,
            production_fee: 8500,
          },
        ],
      },
    },
    proposalTools,
    context(db, []),
  );
  assert.ok(outcome.ok);
  assert.deepEqual(rpcs[0].args.request.items[1], {
    location: 'szr_unipole_north',
    spots: 1,
    production_fee: 8500,
    options: [{ start_date: '2026-12-08', duration_weeks: 2 }],
  });
  assert.equal(rpcs[0].args.request.proposal_type, 'combined');
  assert.equal(rpcs[0].args.request.combined_net_rate, '2,000,000');
});
