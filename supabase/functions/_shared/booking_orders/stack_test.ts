// Booking orders from documents through a running stack: the booking-orders and slack-events
// functions (real Deno processes behind the gateway), the scripted fake OpenAI on FAKE_LLM_PORT
// for classification, extraction and edits, the Slack stand-in on SLACK_API_URL, and the real
// database. The full chain coordinator → head of sales → finance runs twice: a real .xlsx
// uploaded on the web (corrected by the coordinator in the Slack thread, then "execute"), and a
// real text PDF shared in a Slack DM (pre-routed by the agent). The stack must run with
// OPENAI_API_KEY=test OPENAI_BASE_URL=http://127.0.0.1:<FAKE_LLM_PORT>/v1 and the SLACK_*
// values of this process (scripts/run-tests.ts does both); otherwise every test is ignored.
import assert from 'node:assert/strict';
import pg from 'pg';
import { chatTurn, DEMO, ofType, type SignedIn, signIn } from '../agent/testing/stack.ts';
import { tinyPdf } from '../files/testing/fixtures.ts';
import { createBookingOrdersHandler } from './http.ts';
import { type OpenAiTurn, startFakeOpenAi } from '../llm/testing/fake_openai.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../slack/testing/fake_slack.ts';
import { linkSlackUsers, type Restore, useWebhookSecret } from '../slack/testing/stack_links.ts';
import {
  buttonClick,
  directMessage,
  eventEnvelope,
  modalSubmission,
  signedEvent,
  signedInteraction,
} from '../slack/testing/requests.ts';

const env = {
  url: Deno.env.get('SUPABASE_URL'),
  anon: Deno.env.get('SUPABASE_ANON_KEY'),
  service: Deno.env.get('SUPABASE_SERVICE_ROLE_KEY'),
  db: Deno.env.get('SUPABASE_DB_URL'),
  secret: Deno.env.get('SLACK_SIGNING_SECRET'),
  api: Deno.env.get('SLACK_API_URL'),
  llmPort: Deno.env.get('FAKE_LLM_PORT'),
};
const missing = Object.entries(env).filter(([, v]) => !v).map(([k]) => k);
const ignore = missing.length > 0;
if (ignore) console.warn(`booking_orders/stack_test.ts: ignored — missing ${missing.join(', ')}`);
const opts = { ignore, sanitizeOps: false, sanitizeResources: false };

const FUNCTION = `${env.url}/functions/v1/booking-orders`;
const EVENTS = `${env.url}/functions/v1/slack-events`;
const NOTIFY = `${env.url}/functions/v1/slack-notify`;
const FIXTURES = new URL('./testing/', import.meta.url);
const suffix = crypto.randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
// Far-future dates of this run only, so repeated runs never overbook the same locations.
const YEAR = 2060 + Math.floor(Math.random() * 300);
const slackIds = {
  rep: `UR${suffix}`,
  coordinator: `UC${suffix}`,
  hos: `UH${suffix}`,
  finance: `UF${suffix}`,
};
const emails: Record<keyof typeof slackIds, string> = {
  rep: DEMO.salesRep.email,
  coordinator: 'coordinator@mmg.demo',
  hos: 'hos.backlite@mmg.demo',
  finance: 'finance@mmg.demo',
};
const COORDINATOR = { email: 'coordinator@mmg.demo', password: 'Coord-demo-2026' };
const HOS = { email: 'hos.backlite@mmg.demo', password: 'Head-demo-2026' };
const VIEWER = { email: 'viewer@mmg.demo', password: 'Viewer-demo-2026' };
const usage = { prompt_tokens: 1200, completion_tokens: 150 };
// A 1×1 PNG: an image that is a perfectly valid upload and plainly no booking order.
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

interface Fixture {
  db: pg.Client;
  slack: FakeSlack;
  /** Puts the Slack links and the webhook secret back (cleanup). */
  restore: Restore[];
  webhookSecret: string;
  /** The booking orders this file created. */
  orders: string[];
}
let fixture: Fixture | null = null;

/** email → Slack user id of every person in this file. */
function slackLinks(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(emails).map(([who, email]) => [email, slackIds[who as keyof typeof slackIds]]),
  );
}

async function setup(): Promise<Fixture> {
  if (fixture) return fixture;
  const db = new pg.Client({ connectionString: env.db });
  await db.connect();
  const slack = await startFakeSlack({ port: Number(new URL(env.api!).port) });
  const webhookSecret = `bo-stack-${suffix}`;
  const restore = [
    await linkSlackUsers(db, slackLinks()),
    await useWebhookSecret(db, webhookSecret),
  ];
  // Orders an interrupted earlier run of this file left behind would make its fixtures
  // duplicates (409): they are this file's test data, removed here.
  await db.query(
    `delete from public.booking_orders b using public.users u
     where u.id = b.owner_id and u.email = $1 and b.bo_number in ('HMZ-0417', 'PO-7781')`,
    [emails.rep],
  );
  fixture = {
    db,
    slack,
    restore,
    webhookSecret,
    orders: [],
  };
  return fixture;
}

async function withModel<T>(turns: OpenAiTurn[], run: (requests: any[]) => Promise<T>): Promise<T> {
  const server = startFakeOpenAi(turns, Number(env.llmPort));
  try {
    const result = await run(server.requests);
    assert.equal(server.remainingTurns(), 0, 'every scripted model answer was used');
    return result;
  } finally {
    await server.close();
  }
}

async function upload(
  who: SignedIn,
  file: { name: string; bytes: Uint8Array },
  fields: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.set('file', new File([file.bytes.slice()], file.name));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await fetch(FUNCTION, {
    method: 'POST',
    headers: { Authorization: `Bearer ${who.token}`, apikey: env.anon! },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

async function editRequest(who: SignedIn, id: string, message: string) {
  const res = await fetch(`${FUNCTION}/${id}/edit`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${who.token}`,
      apikey: env.anon!,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ message }),
  });
  return { status: res.status, body: await res.json() };
}

async function state(f: Fixture, id: string): Promise<string> {
  const { rows: [r] } = await f.db.query(
    "select stage::text || '/' || status as s from public.booking_orders where id = $1",
    [id],
  );
  return r?.s;
}

/** Waits for a recorded Slack call matching `match` (background work under a loaded machine). */
async function slackCall(
  f: Fixture,
  method: string | string[],
  match: (call: RecordedCall) => boolean,
  timeoutMs = 60_000,
): Promise<RecordedCall> {
  const methods = typeof method === 'string' ? [method] : method;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = f.slack.calls.filter((c) => methods.includes(c.method)).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `no ${method} call as expected within ${timeoutMs} ms; calls: ${
      JSON.stringify(f.slack.calls.map((c) => [c.method, c.args.text ?? c.args.file_id ?? '']))
    }`,
  );
}

async function sendEvent(event: Record<string, unknown>): Promise<void> {
  const res = await fetch(await signedEvent(EVENTS, env.secret!, eventEnvelope(event)));
  assert.equal(res.status, 200);
  await res.body?.cancel();
}

async function click(f: Fixture, who: keyof typeof slackIds, action: string, order: string) {
  const res = await fetch(
    await signedInteraction(
      EVENTS,
      env.secret!,
      buttonClick(slackIds[who], action, order, f.slack.responseUrl(`${who}-${action}`)),
    ),
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
}

/** Delivers the notification of `order` for `email` from its newest event through slack-notify. */
async function deliver(
  f: Fixture,
  order: string,
  email: string,
): Promise<{ id: string; ts: string }> {
  const { rows: [n] } = await f.db.query(
    `select n.id from public.notifications n join public.users u on u.id = n.recipient_id
     where n.booking_order_id = $1 and u.email = $2 order by n.event_id desc limit 1`,
    [order, email],
  );
  assert.ok(n, `a notification of ${order} for ${email}`);
  const res = await fetch(NOTIFY, {
    method: 'POST',
    headers: { Authorization: `Bearer ${f.webhookSecret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ notification_id: n.id }),
  });
  const answer = await res.json();
  assert.equal(answer.status, 'delivered', JSON.stringify(answer));
  return { id: n.id, ts: answer.ts };
}

function extraction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bo_number: 'HMZ-0417',
    bo_date: '2026-11-12',
    client: 'Emaar Properties PJSC',
    agency: 'Horizon Media FZ-LLC',
    brand_campaign: 'Dubai Hills Estate Launch',
    category: 'Real Estate',
    asset: ['dubai_gateway', 'business_bay_bridge'],
    payment_terms: '60 days PDC',
    sales_person: 'Karim Saleh',
    currency: 'AED',
    commission_pct: null,
    sla_pct: 0.1,
    municipality_fee: 3400,
    production_upload_fee: 5000,
    net_pre_vat: 348400,
    vat_value: 17420,
    gross_amount: 365820,
    notes: null,
    locations: [
      {
        name: 'The Dubai Gateway',
        asset: 'dubai_gateway',
        start_date: `${YEAR}-12-01`,
        end_date: `${YEAR}-12-28`,
        campaign_duration: null,
        net_amount: 250000,
      },
      {
        name: 'Business Bay Crossing',
        asset: 'business_bay_bridge',
        start_date: `${YEAR}-12-01`,
        end_date: `${YEAR}-12-14`,
        campaign_duration: '2 weeks',
        net_amount: 90000,
      },
    ],
    ...overrides,
  };
}

const classified = (kind = 'BOOKING_ORDER', confidence = 'high'): OpenAiTurn => ({
  json: { kind, confidence, company: 'backlite_dubai', reasoning: `Looks like ${kind}.` },
  format: 'document_classification',
  usage,
});

let xlsxOrder = '';

Deno.test({
  name: 'stack: a real .xlsx upload is classified, extracted and submitted as the rep',
  ...opts,
  async fn() {
    const f = await setup();
    const rep = await signIn(DEMO.salesRep);
    const bytes = await Deno.readFile(new URL('booking_order.xlsx', FIXTURES));
    const answer = await withModel([
      classified(),
      { json: extraction(), format: 'booking_order_extraction', usage },
    ], async (requests) => {
      const answer = await upload(rep, { name: 'booking_order.xlsx', bytes }, {
        notes: 'SLA is 10% as agreed with Omar',
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      // Structured requests, strict, with the workbook's own text and the company's locations.
      const [classify, extract] = requests.map((r) => r.body);
      assert.equal(classify.response_format.json_schema.name, 'document_classification');
      assert.equal(classify.response_format.json_schema.strict, true);
      assert.equal(extract.response_format.json_schema.strict, true);
      const sent = JSON.stringify(extract.messages);
      assert.match(sent, /HMZ-0417/, 'the model read the xlsx content');
      assert.match(sent, /Business Bay Crossing\\t01\/12\/2026/);
      assert.match(sent, /SLA is 10% as agreed with Omar/);
      assert.match(extract.messages[0].content, /The Dubai Gateway \[dubai_gateway\]/);
      return answer.body;
    });
    assert.deepEqual(Object.keys(answer).sort(), [
      'booking_order_id',
      'classification',
      'company',
      'missing_fields',
      'warnings',
    ]);
    assert.equal(answer.company, 'backlite_dubai');
    assert.deepEqual(answer.classification, { kind: 'BOOKING_ORDER', confidence: 'high' });
    assert.deepEqual(answer.missing_fields, []);
    xlsxOrder = answer.booking_order_id;
    f.orders.push(xlsxOrder);

    const { rows: [bo] } = await f.db.query(
      `select b.stage::text, b.status::text, b.net_pre_vat::text, b.vat_amount::text, b.gross_amount::text,
              b.sla_deduction::text, u.email as owner, d.document_type::text, d.original_filename,
              d.booking_order_id = b.id as linked
       from public.booking_orders b join public.users u on u.id = b.owner_id
       join public.documents d on d.id = b.source_document_id where b.id = $1`,
      [xlsxOrder],
    );
    assert.deepEqual(bo, {
      stage: 'coordinator',
      status: 'pending',
      net_pre_vat: '348400.00',
      vat_amount: '17420.00',
      gross_amount: '365820.00',
      sla_deduction: '34000.00',
      owner: DEMO.salesRep.email,
      document_type: 'bo_excel',
      original_filename: 'booking_order.xlsx',
      linked: true,
    });
    const { rows: items } = await f.db.query(
      'select name, campaign_duration, location_key from public.booking_order_items where booking_order_id = $1 order by position',
      [xlsxOrder],
    );
    assert.deepEqual(items, [
      { name: 'The Dubai Gateway', campaign_duration: '1 month', location_key: 'dubai_gateway' },
      {
        name: 'Business Bay Crossing',
        campaign_duration: '2 weeks',
        location_key: 'business_bay_bridge',
      },
    ]);
    const { rows: events } = await f.db.query(
      'select event_type, reason from public.booking_order_events where booking_order_id = $1 order by id',
      [xlsxOrder],
    );
    assert.deepEqual(events, [
      { event_type: 'submitted', reason: null },
      { event_type: 'note', reason: 'SLA is 10% as agreed with Omar' },
    ]);
    const { rows: costs } = await f.db.query(
      `select call_type, workflow, company from public.ai_costs
       where owner_id = $1 and occurred_at > now() - interval '5 minutes' and workflow = 'bo_parsing'
       order by occurred_at desc limit 2`,
      [rep.userId],
    );
    assert.deepEqual(costs.reverse(), [
      { call_type: 'classification', workflow: 'bo_parsing', company: null },
      { call_type: 'parsing', workflow: 'bo_parsing', company: 'backlite_dubai' },
    ]);
  },
});

Deno.test({
  name:
    'stack: the same file again while its order is alive → 409 duplicate_booking_order, no model call',
  ...opts,
  async fn() {
    const f = await setup();
    const rep = await signIn(DEMO.salesRep);
    const before = await orderCount(f, rep.userId);
    await withModel([], async (requests) => {
      const bytes = await Deno.readFile(new URL('booking_order.xlsx', FIXTURES));
      const again = await upload(rep, { name: 'booking_order (1).xlsx', bytes });
      assert.equal(again.status, 409, JSON.stringify(again.body));
      assert.equal(again.body.error.code, 'duplicate_booking_order');
      assert.match(again.body.error.message, /Emaar Properties PJSC/);
      assert.equal(requests.length, 0);
    });
    assert.equal(await orderCount(f, rep.userId), before);
  },
});

async function orderCount(f: Fixture, userId: string): Promise<number> {
  const { rows: [r] } = await f.db.query(
    'select count(*)::int as n from public.booking_orders where owner_id = $1',
    [userId],
  );
  return r.n;
}

Deno.test({
  name: 'stack: without sales:booking_orders:create → 403, no model call, nothing stored',
  ...opts,
  async fn() {
    const f = await setup();
    const viewer = await signIn(VIEWER);
    const name = `viewer-${suffix}.pdf`;
    await withModel([], async (requests) => {
      const answer = await upload(viewer, {
        name,
        bytes: await Deno.readFile(new URL('purchase_order.pdf', FIXTURES)),
      });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error.code, 'forbidden');
      assert.match(answer.body.error.message, /sales:booking_orders:create/);
      assert.equal(requests.length, 0);
    });
    const { rows } = await f.db.query(
      'select 1 from public.documents where original_filename = $1',
      [name],
    );
    assert.deepEqual(rows, [], 'the file was not stored');
    assert.equal(await orderCount(f, viewer.userId), 0);
  },
});

Deno.test({
  name: 'stack: artwork is refused as a booking order (422), and no order row is written',
  ...opts,
  async fn() {
    const f = await setup();
    const rep = await signIn(DEMO.salesRep);
    const before = await orderCount(f, rep.userId);
    await withModel([classified('ARTWORK')], async (requests) => {
      const answer = await upload(rep, { name: `creative-${suffix}.png`, bytes: PNG });
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'not_a_booking_order');
      assert.match(answer.body.error.message, /artwork/);
      assert.equal(requests.length, 1, 'no extraction after the refusal');
      assert.ok(
        requests[0].body.messages[1].content.some((p: any) => p.type === 'image_url'),
        'the image itself went to the model',
      );
    });
    assert.equal(await orderCount(f, rep.userId), before);
  },
});

Deno.test({
  name:
    'stack: a model answering invalid JSON → 502 model_output_invalid, no order, cost still recorded',
  ...opts,
  async fn() {
    const f = await setup();
    const rep = await signIn(DEMO.salesRep);
    const before = await orderCount(f, rep.userId);
    const { rows: [c0] } = await f.db.query(
      "select count(*)::int as n from public.ai_costs where owner_id = $1 and call_type = 'parsing'",
      [rep.userId],
    );
    await withModel([
      classified(),
      {
        json: '{"bo_number": "HMZ-0417", "client": "Emaar',
        format: 'booking_order_extraction',
        usage,
      },
    ], async () => {
      const bytes = tinyPdf(`Booking order BR-${suffix}, net AED 10,000`);
      const answer = await upload(rep, { name: `broken-${suffix}.pdf`, bytes });
      assert.equal(answer.status, 502, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'model_output_invalid');
      assert.match(answer.body.error.message, /not valid JSON.*Nothing was saved/s);
    });
    assert.equal(await orderCount(f, rep.userId), before, 'no booking order row');
    const { rows: [c1] } = await f.db.query(
      "select count(*)::int as n from public.ai_costs where owner_id = $1 and call_type = 'parsing'",
      [rep.userId],
    );
    assert.equal(c1.n, c0.n + 1, 'the tokens of the broken answer were billed');
  },
});

Deno.test({
  name:
    'stack: without a model the upload answers 503 llm_not_configured (before reading the file)',
  ...opts,
  async fn() {
    const rep = await signIn(DEMO.salesRep);
    const handler = createBookingOrdersHandler({
      supabaseUrl: env.url!,
      anonKey: env.anon!,
      serviceRoleKey: env.service ?? 'unused',
      provider: null,
    });
    const form = new FormData();
    form.set('file', new File([PNG], 'x.png'));
    const res = await handler(
      new Request('http://local/booking-orders', {
        method: 'POST',
        headers: { Authorization: `Bearer ${rep.token}` },
        body: form,
      }),
    );
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error.code, 'llm_not_configured');
  },
});

Deno.test({
  name:
    'stack: the web edit endpoint — 403 for the rep, plain-words refusal, an edit by the coordinator',
  ...opts,
  async fn() {
    const f = await setup();
    const [rep, coordinator] = await Promise.all([signIn(DEMO.salesRep), signIn(COORDINATOR)]);
    await withModel([
      {
        json: { action: 'edit', fields: { sla_pct: 15 }, message: 'Set the SLA to 15 %.' },
        format: 'coordinator_response',
        usage,
      },
      {
        json: {
          action: 'edit',
          fields: { payment_terms: '90 days PDC' },
          message: 'Payment terms are now 90 days PDC.',
        },
        format: 'coordinator_response',
        usage,
      },
    ], async (requests) => {
      const refused = await editRequest(rep, xlsxOrder, 'make it 90 days');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'not_coordinator');
      assert.equal(requests.length, 0, 'refused before any model call');

      const rejected = await editRequest(coordinator, xlsxOrder, 'SLA 15');
      assert.equal(rejected.status, 422, JSON.stringify(rejected.body));
      assert.equal(rejected.body.error.code, 'edit_rejected');
      assert.match(rejected.body.error.message, /SLA %.*fraction.*Nothing was changed/s);

      const edited = await editRequest(coordinator, xlsxOrder, 'payment terms 90 days PDC please');
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.deepEqual(Object.keys(edited.body).sort(), ['action', 'booking_order_id', 'message']);
      assert.equal(edited.body.action, 'edit');
      assert.equal(edited.body.booking_order_id, xlsxOrder);
      assert.match(edited.body.message, /90 days PDC[\s\S]*Now: net 348,400\.00 AED/);
      // The model saw the order as SQL holds it.
      assert.match(requests[1].body.messages[0].content, /Emaar Properties PJSC/);
    });
    const { rows: [bo] } = await f.db.query(
      'select payment_terms, sla_pct::text from public.booking_orders where id = $1',
      [xlsxOrder],
    );
    assert.deepEqual(bo, { payment_terms: '90 days PDC', sla_pct: '0.1000' });
    const { rows: [edit] } = await f.db.query(
      `select u.email from public.booking_order_events e join public.users u on u.id = e.actor_id
       where e.booking_order_id = $1 and e.event_type = 'edited'`,
      [xlsxOrder],
    );
    assert.equal(edit.email, 'coordinator@mmg.demo');
  },
});

Deno.test({
  name:
    'stack: Slack — reject, corrections in the coordinator thread, "execute", then head of sales → finance',
  ...opts,
  async fn() {
    const f = await setup();
    f.slack.reset();
    const since = new Date();
    const coordinatorDm = await deliver(f, xlsxOrder, emails.coordinator);
    const channel = `D${slackIds.coordinator.slice(1)}`;
    const { rows: [s0] } = await f.db.query(
      `select count(*)::int as n from auth.sessions s join auth.users u on u.id = s.user_id where u.email = $1`,
      [emails.coordinator],
    );

    await withModel([
      {
        json: {
          action: 'edit',
          fields: {
            locations: [
              {
                ...(extraction().locations as any[])[0],
                net_amount: 260000,
                campaign_duration: '1 month',
              },
              (extraction().locations as any[])[1],
            ],
          },
          message: 'The Gateway rental is now AED 260,000.',
        },
        format: 'coordinator_response',
        usage,
      },
      {
        json: { action: 'execute', fields: {}, message: 'Sending it back for approval.' },
        format: 'coordinator_response',
        usage,
      },
    ], async (requests) => {
      // While it is pending, the thread only reminds the coordinator of the buttons.
      await sendEvent(
        directMessage(slackIds.coordinator, 'gateway should be 260k', {
          thread_ts: coordinatorDm.ts,
        }),
      );
      const reminder = await slackCall(
        f,
        'chat.postMessage',
        (c) => c.args.thread_ts === coordinatorDm.ts,
      );
      assert.match(reminder.args.text, /Approve.*Reject/);
      assert.equal(requests.length, 0);

      // Reject with a reason → editing.
      await click(f, 'coordinator', 'reject_bo_coordinator', xlsxOrder);
      const [open] = await f.slack.waitFor('views.open', 1, 30_000);
      const submitted = await fetch(
        await signedInteraction(
          EVENTS,
          env.secret!,
          modalSubmission(slackIds.coordinator, open.args.view, 'Gateway rate is 260k'),
        ),
      );
      assert.equal(submitted.status, 200);
      await submitted.body?.cancel();
      assert.equal(await state(f, xlsxOrder), 'coordinator/editing');

      f.slack.reset();
      await sendEvent(
        directMessage(slackIds.coordinator, 'Change the Gateway to 260,000', {
          thread_ts: coordinatorDm.ts,
        }),
      );
      const edited = await slackCall(
        f,
        'chat.postMessage',
        (c) => c.args.thread_ts === coordinatorDm.ts,
      );
      assert.equal(edited.args.channel, channel);
      assert.match(edited.args.text, /AED 260,000[\s\S]*Now: net 358,400\.00 AED/);
      const { rows: [bo] } = await f.db.query(
        `select net_pre_vat::text, (select net_amount::text from public.booking_order_items
           where booking_order_id = b.id and position = 1) as gateway
         from public.booking_orders b where id = $1`,
        [xlsxOrder],
      );
      assert.deepEqual(bo, { net_pre_vat: '358400.00', gateway: '260000.00' });

      f.slack.reset();
      await sendEvent(
        directMessage(slackIds.coordinator, 'execute', { thread_ts: coordinatorDm.ts }),
      );
      const buttons = await slackCall(
        f,
        'chat.postMessage',
        (c) => Array.isArray(c.args.blocks) && c.args.thread_ts === coordinatorDm.ts,
      );
      assert.deepEqual(buttons.args.blocks[1].elements.map((b: any) => [b.action_id, b.value]), [
        ['approve_bo_coordinator', xlsxOrder],
        ['reject_bo_coordinator', xlsxOrder],
        ['cancel_bo_coordinator', xlsxOrder],
      ]);
      assert.equal(await state(f, xlsxOrder), 'coordinator/pending');
      assert.equal(requests.length, 2);
    });

    // Both edits ran as the coordinator's own platform user, with a session of their own.
    const { rows: actors } = await f.db.query(
      `select e.event_type, u.email from public.booking_order_events e join public.users u on u.id = e.actor_id
       where e.booking_order_id = $1 and e.event_type in ('coordinator_rejected', 'edited', 'resubmitted') order by e.id`,
      [xlsxOrder],
    );
    assert.deepEqual(actors.map((a) => [a.event_type, a.email]), [
      ['edited', emails.coordinator],
      ['coordinator_rejected', emails.coordinator],
      ['edited', emails.coordinator],
      ['resubmitted', emails.coordinator],
    ]);
    const { rows: [s1] } = await f.db.query(
      `select count(*)::int as n from auth.sessions s join auth.users u on u.id = s.user_id where u.email = $1`,
      [emails.coordinator],
    );
    // The session is kept between messages (a warm function may still hold one from before).
    assert.ok(
      s1.n - s0.n <= 1,
      `at most one new session for three thread messages, got ${s1.n - s0.n}`,
    );
    const { rows: costs } = await f.db.query(
      `select call_type, workflow from public.ai_costs c join public.users u on u.id = c.owner_id
       where u.email = $1 and c.call_type = 'coordinator_thread' and c.occurred_at >= $2`,
      [emails.coordinator, since.toISOString()],
    );
    assert.equal(costs.length, 2);
    assert.ok(costs.every((c) => c.workflow === 'bo_editing'));

    // Approve → head of sales; the coordinator's first DM loses its buttons and says so.
    f.slack.reset();
    await click(f, 'coordinator', 'approve_bo_coordinator', xlsxOrder);
    await slackCall(f, 'response', (c) => /Approved by Rania Khalil/.test(JSON.stringify(c.args)));
    assert.equal(await state(f, xlsxOrder), 'hos/pending');
    await deliver(f, xlsxOrder, emails.hos);
    const refreshed = await slackCall(f, 'chat.update', (c) => c.args.ts === coordinatorDm.ts);
    assert.match(refreshed.args.text, /Approved by Rania Khalil — sent to the head of sales/);
    assert.equal(
      refreshed.args.blocks.some((b: any) => b.type === 'actions'),
      false,
      'no buttons left',
    );

    await click(f, 'hos', 'approve_bo_hos', xlsxOrder);
    await slackCall(f, 'response', (c) => /Approved by Tariq Aziz/.test(JSON.stringify(c.args)));
    const { rows: [done] } = await f.db.query(
      `select stage::text || '/' || status as state, bo_ref,
              (select count(*)::int from public.notifications n join public.users u on u.id = n.recipient_id
                where n.booking_order_id = b.id and u.email = $2 and n.kind = 'booking_order_approved') as finance
       from public.booking_orders b where id = $1`,
      [xlsxOrder, emails.finance],
    );
    assert.equal(done.state, 'finance/approved');
    assert.match(done.bo_ref, /^BO-\d{4}-\d{4,}$/);
    assert.equal(done.finance, 1, 'finance was notified');
  },
});

Deno.test({
  name:
    'stack: Slack — a text PDF shared in the DM is pre-routed into a booking order, then approved to finance',
  ...opts,
  async fn() {
    const f = await setup();
    f.slack.reset();
    const rep = await signIn(DEMO.salesRep);
    // The fixture plus a comment after %%EOF (readers ignore it): bytes of this run only, so the
    // upload is not a duplicate of an earlier run's.
    const bytes = new Uint8Array([
      ...await Deno.readFile(new URL('purchase_order.pdf', FIXTURES)),
      ...new TextEncoder().encode(`\n% run ${suffix}\n`),
    ]);
    const fileId = `FPDF${suffix}`;
    const file = f.slack.addFile({
      id: fileId,
      name: 'purchase_order.pdf',
      mimetype: 'application/pdf',
    }, bytes);
    const pdfExtraction = extraction({
      bo_number: 'PO-7781',
      bo_date: '2026-11-20',
      client: 'Al Futtaim Motors LLC',
      agency: null,
      brand_campaign: 'Lexus RX Launch',
      category: 'Automotive',
      asset: ['szr_unipole_north', 'deira_creek_screen'],
      payment_terms: '100% upfront',
      sales_person: null,
      sla_pct: null,
      municipality_fee: null,
      production_upload_fee: 8000,
      net_pre_vat: 168000,
      vat_value: 8400,
      gross_amount: 176400,
      locations: [
        {
          name: 'Sheikh Zayed Road Unipole North',
          asset: 'szr_unipole_north',
          start_date: `${YEAR + 1}-01-05`,
          end_date: `${YEAR + 1}-02-04`,
          campaign_duration: '1 month',
          net_amount: 120000,
        },
        {
          name: 'Deira Creek Screen',
          asset: 'deira_creek_screen',
          start_date: `${YEAR + 1}-01-05`,
          end_date: `${YEAR + 1}-01-18`,
          campaign_duration: '2 weeks',
          net_amount: 40000,
        },
      ],
    });
    let order = '';
    await withModel([
      classified(),
      { json: pdfExtraction, format: 'booking_order_extraction', usage },
    ], async (requests) => {
      await sendEvent(
        directMessage(slackIds.rep, 'Signed order from Al Futtaim', {
          subtype: 'file_share',
          files: [file],
        }),
      );
      const answer = await slackCall(
        f,
        'chat.update',
        (c) => /sent it to the coordinator/.test(String(c.args.text)),
        90_000,
      );
      assert.match(answer.args.text, /purchase_order\.pdf/);
      assert.match(answer.args.text, /Al Futtaim Motors LLC/);
      const [download] = f.slack.callsTo('file_download');
      assert.equal(download.token, 'xoxb-test', 'downloaded with the bot token');
      assert.match(
        JSON.stringify(requests[1].body.messages),
        /PURCHASE ORDER PO-7781/,
        'the PDF text went to the model',
      );
      assert.match(JSON.stringify(requests[1].body.messages), /Signed order from Al Futtaim/);
    });
    const { rows: [bo] } = await f.db.query(
      `select b.id, b.stage::text || '/' || b.status as state, b.net_pre_vat::text, d.metadata ->> 'slack_file_id' as slack_file,
              d.document_type::text
       from public.booking_orders b join public.documents d on d.id = b.source_document_id
       where b.owner_id = $1 and b.bo_number = 'PO-7781' order by b.created_at desc limit 1`,
      [rep.userId],
    );
    assert.deepEqual({ ...bo, id: undefined }, {
      id: undefined,
      state: 'coordinator/pending',
      net_pre_vat: '168000.00',
      slack_file: fileId,
      document_type: 'bo_pdf',
    });
    order = bo.id;
    f.orders.push(order);
    // The turn is in the rep's Slack conversation: message, pre-routed call, result, answer.
    const { rows: messages } = await f.db.query(
      `select m.role, m.metadata ->> 'tool_name' as tool from public.messages m
       join public.conversations c on c.id = m.conversation_id
       where c.owner_id = $1 and c.channel = 'slack' and m.conversation_id = (
         select conversation_id from public.messages where content = 'Signed order from Al Futtaim' order by created_at desc limit 1)
       order by m.created_at, (m.metadata ->> 'seq')::int`,
      [rep.userId],
    );
    assert.deepEqual(messages.map((m) => [m.role, m.tool]), [
      ['user', null],
      ['assistant', null],
      ['tool', 'parse_booking_order'],
      ['assistant', null],
    ]);

    // The web actions of the same workflow carry it to finance.
    const [coordinator, hos] = await Promise.all([signIn(COORDINATOR), signIn(HOS)]);
    const approve = await coordinator.client.rpc('coordinator_approve_booking_order', {
      booking_order_id: order,
    });
    assert.equal(approve.error, null);
    const final = await hos.client.rpc('hos_approve_booking_order', { booking_order_id: order });
    assert.equal(final.error, null, JSON.stringify(final.error));
    assert.equal(await state(f, order), 'finance/approved');
    assert.match(final.data.bo_ref, /^BO-\d{4}-\d{4,}$/);
  },
});

Deno.test({
  name:
    'stack: Slack chat is answered by the agent as the linked user — their RLS, their conversation',
  ...opts,
  async fn() {
    const f = await setup();
    f.slack.reset();
    const rep = await signIn(DEMO.salesRep);
    // An order of another rep the Dubai rep cannot see.
    const { rows: [uk] } = await f.db.query(
      `select id from public.users where email = 'uk.rep@mmg.demo'`,
    );
    await f.db.query('begin');
    await f.db.query(
      `select set_config('request.jwt.claims', json_build_object('sub', $1::text, 'role', 'authenticated')::text, true),
              set_config('role', 'authenticated', true)`,
      [uk.id],
    );
    const { rows: [foreign] } = await f.db.query(
      `select public.create_booking_order('backlite_uk', $1::jsonb) ->> 'id' as id`,
      [JSON.stringify({ client: `UK only ${suffix}`, net_pre_vat: 1000 })],
    );
    await f.db.query('commit');
    f.orders.push(foreign.id);

    await withModel([
      { toolCalls: [{ id: 'list', name: 'list_booking_orders', arguments: { limit: 50 } }], usage },
      { text: ['You have booking orders for Emaar and Al Futtaim.'], usage },
    ], async (requests) => {
      await sendEvent(directMessage(slackIds.rep, 'Which booking orders do I have?'));
      const answer = await slackCall(
        f,
        ['chat.update', 'chat.postMessage'],
        (c) => /Emaar and Al Futtaim/.test(String(c.args.text)),
      );
      assert.equal(answer.args.channel, `D${slackIds.rep.slice(1)}`);
      // The DM is one continuing conversation: the result of THIS turn's call is the last one.
      const tool = JSON.parse(
        requests[1].body.messages.findLast((m: any) => m.role === 'tool').content,
      );
      assert.equal(tool.ok, true, JSON.stringify(tool));
      const ids = tool.booking_orders.map((b: any) => b.id);
      assert.ok(ids.includes(xlsxOrder), "the rep's own order is listed");
      assert.ok(!ids.includes(foreign.id), "another team's order is not");
      assert.match(
        requests[0].body.messages[0].content,
        /Karim Saleh/,
        'the prompt is about the linked user',
      );
    });
    const { rows: [conversation] } = await f.db.query(
      `select c.owner_id, c.metadata ->> 'slack_key' as key from public.conversations c
       join public.messages m on m.conversation_id = c.id
       where m.content = 'Which booking orders do I have?' and c.channel = 'slack'
       order by m.created_at desc limit 1`,
    );
    assert.deepEqual(conversation, { owner_id: rep.userId, key: `D${slackIds.rep.slice(1)}` });
  },
});

Deno.test({
  name: 'stack: web chat — a less certain pre-check is a note; the model calls parse_booking_order',
  ...opts,
  async fn() {
    const f = await setup();
    const rep = await signIn(DEMO.salesRep);
    const form = new FormData();
    form.set(
      'file',
      new File(
        [tinyPdf(`Order CH-${suffix} for Nakheel, Palm Gateway Arch, AED 75,000`).slice()],
        `order-${suffix}.pdf`,
      ),
    );
    const stored = await (await fetch(`${env.url}/functions/v1/chat/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${rep.token}`, apikey: env.anon! },
      body: form,
    })).json();
    assert.ok(stored.file_id, JSON.stringify(stored));
    const chatExtraction = extraction({
      bo_number: `CH-${suffix}`,
      client: 'Nakheel PJSC',
      asset: ['palm_gateway_arch'],
      sla_pct: 0.05,
      municipality_fee: null,
      production_upload_fee: null,
      net_pre_vat: 75000,
      vat_value: null,
      gross_amount: null,
      locations: [{
        name: 'Palm Gateway Arch',
        asset: 'palm_gateway_arch',
        start_date: `${YEAR + 2}-03-01`,
        end_date: `${YEAR + 2}-03-31`,
        campaign_duration: null,
        net_amount: 75000,
      }],
    });
    const answer = await withModel([
      classified('BOOKING_ORDER', 'medium'),
      {
        toolCalls: [{
          id: 'parse',
          name: 'parse_booking_order',
          arguments: { file_id: stored.file_id, notes: 'SLA 5%' },
        }],
        usage,
      },
      classified(),
      { json: chatExtraction, format: 'booking_order_extraction', usage },
      { text: ['Submitted to the coordinator.'], usage },
    ], async (requests) => {
      const answer = await chatTurn(rep, {
        message: 'Here is the Nakheel order, SLA 5%',
        file_ids: [stored.file_id],
      });
      assert.equal(answer.status, 200);
      // The pre-check's guess reached the model as a note beside the document.
      assert.match(
        JSON.stringify(requests[1].body.messages.at(-1)),
        /Pre-check: .* may be a booking order \(medium confidence\)/,
      );
      assert.ok(requests[1].body.tools.some((t: any) => t.function.name === 'parse_booking_order'));
      return answer;
    });
    assert.ok(!ofType(answer.events, 'error').length, JSON.stringify(answer.events));
    const [finished] = ofType(answer.events, 'tool_finished');
    assert.deepEqual([finished.name, finished.ok], ['parse_booking_order', true]);
    const { rows: [bo] } = await f.db.query(
      `select b.id, b.stage::text || '/' || b.status as state, b.sla_pct::text, d.document_type::text,
              (select count(*)::int from public.booking_order_events e where e.booking_order_id = b.id and e.reason = 'SLA 5%') as notes
       from public.booking_orders b join public.documents d on d.id = b.source_document_id
       where b.bo_number = $1`,
      [`CH-${suffix}`],
    );
    f.orders.push(bo.id);
    assert.deepEqual({ ...bo, id: null }, {
      id: null,
      state: 'coordinator/pending',
      sla_pct: '0.0500',
      document_type: 'bo_pdf',
      notes: 1,
    });
    const { rows: costs } = await f.db.query(
      `select call_type, workflow from public.ai_costs where conversation_id = $1 order by occurred_at`,
      [ofType(answer.events, 'session')[0].conversation_id],
    );
    assert.deepEqual(costs.map((c) => `${c.call_type}/${c.workflow}`), [
      'classification/bo_parsing',
      'main_llm/bo_parsing',
      'classification/bo_parsing',
      'parsing/bo_parsing',
      'main_llm/general_chat',
    ]);
  },
});

Deno.test({
  name: 'stack: Slack — a coordinator without the chat permission is told so; nothing runs',
  ...opts,
  async fn() {
    const f = await setup();
    f.slack.reset();
    await withModel([], async (requests) => {
      await sendEvent(directMessage(slackIds.coordinator, 'hello, can you make a proposal?'));
      const reply = await slackCall(f, 'chat.postMessage', () => true);
      assert.match(reply.args.text, /chatting with the sales assistant needs the chat permission/);
      assert.equal(requests.length, 0);
    });
  },
});

Deno.test({
  name: 'stack: cleanup (Slack links, webhook secret, orders of this file)',
  ...opts,
  async fn() {
    const f = await setup();
    for (const undo of f.restore) await undo();
    await f.db.query('delete from public.booking_orders where id = any($1::uuid[])', [f.orders]);
    await f.db.end();
    await f.slack.close();
  },
});
