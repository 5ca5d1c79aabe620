// slack-events and slack-notify through the local stack's gateway, against the real database
// and the local Slack stand-in. The stack must run with the same Slack settings as this test:
//
//   SLACK_SIGNING_SECRET=<s> SLACK_BOT_TOKEN=xoxb-test SLACK_API_URL=http://127.0.0.1:<port>/api/ \
//     NODE_OPTIONS=--experimental-websocket npx tsx devstack/src/cli.ts start --profile test --fresh
//   SUPABASE_URL=… SUPABASE_DB_URL=… SLACK_SIGNING_SECRET=<s> SLACK_API_URL=http://127.0.0.1:<port>/api/ \
//     node_modules/.bin/deno test --allow-all supabase/functions/_shared/slack/stack_test.ts
//
// (`npm run stack:env` prints SUPABASE_URL and SUPABASE_DB_URL.) This file starts the Slack
// stand-in on <port>. Without those variables every test here is ignored, saying so.
import assert from 'node:assert/strict';
import pg from 'pg';
import { type FakeSlack, startFakeSlack } from './testing/fake_slack.ts';
import { linkSlackUsers, type Restore, useWebhookSecret } from './testing/stack_links.ts';
import {
  buttonClick,
  directMessage,
  eventEnvelope,
  modalSubmission,
  signedEvent,
  signedInteraction,
} from './testing/requests.ts';

const env = {
  url: Deno.env.get('SUPABASE_URL'),
  db: Deno.env.get('SUPABASE_DB_URL'),
  secret: Deno.env.get('SLACK_SIGNING_SECRET'),
  api: Deno.env.get('SLACK_API_URL'),
};
const missing = Object.entries({
  SUPABASE_URL: env.url,
  SUPABASE_DB_URL: env.db,
  SLACK_SIGNING_SECRET: env.secret,
  SLACK_API_URL: env.api,
})
  .filter(([, v]) => !v).map(([k]) => k);
const ignore = missing.length > 0;
if (ignore) {
  console.warn(
    `stack_test.ts: ignored — set ${
      missing.join(', ')
    } (and start the test stack with the same SLACK_* values; see the top of the file)`,
  );
}
const opts = { ignore, sanitizeOps: false, sanitizeResources: false };

const EVENTS = `${env.url}/functions/v1/slack-events`;
const NOTIFY = `${env.url}/functions/v1/slack-notify`;
const suffix = crypto.randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
const slackIds = {
  coordinator: `UC${suffix}`,
  hos: `UH${suffix}`,
  otherHos: `UV${suffix}`,
  rep: `UR${suffix}`,
};
const emails: Record<keyof typeof slackIds, string> = {
  coordinator: 'coordinator@mmg.demo',
  hos: 'hos.backlite@mmg.demo',
  otherHos: 'hos.viola@mmg.demo',
  rep: 'dubai.rep1@mmg.demo',
};

interface Fixture {
  db: pg.Client;
  fake: FakeSlack;
  order: string;
  /** Puts the Slack links and the webhook secret back (cleanup). */
  restore: Restore[];
  webhookSecret: string;
}
let fixture: Fixture | null = null;

async function setup(): Promise<Fixture> {
  if (fixture) return fixture;
  const db = new pg.Client({ connectionString: env.db });
  await db.connect();
  const port = Number(new URL(env.api!).port);
  const fake = await startFakeSlack({ port });
  const webhookSecret = `stack-test-${suffix}`;
  const restore = [
    await linkSlackUsers(
      db,
      Object.fromEntries(
        Object.entries(emails).map(([who, email]) => [email, slackIds[who as keyof typeof slackIds]]),
      ),
    ),
    await useWebhookSecret(db, webhookSecret),
  ];
  await db.query('begin');
  await db.query(
    `select set_config('request.jwt.claims', json_build_object('sub', (select id from public.users where email = $1), 'role', 'authenticated')::text, true),
                         set_config('role', 'authenticated', true)`,
    [emails.rep],
  );
  const { rows: [created] } = await db.query(
    `select public.create_booking_order('backlite_dubai', $1::jsonb) ->> 'id' as id`,
    [JSON.stringify({
      client: 'Slack Stack Test',
      brand_campaign: 'Approvals',
      bo_number: `ST-${suffix}`,
      net_pre_vat: 40000,
      locations: [{
        name: 'The Dubai Gateway',
        start_date: '2031-02-01',
        end_date: '2031-02-14',
        net_amount: 40000,
      }],
    })],
  );
  await db.query('commit');
  fixture = {
    db,
    fake,
    order: created.id,
    restore,
    webhookSecret,
  };
  return fixture;
}

async function state(f: Fixture): Promise<string> {
  const { rows: [r] } = await f.db.query(
    "select stage::text || '/' || status as s from public.booking_orders where id = $1",
    [f.order],
  );
  return r.s;
}

async function eventCount(f: Fixture): Promise<number> {
  const { rows: [r] } = await f.db.query(
    'select count(*)::int as n from public.booking_order_events where booking_order_id = $1',
    [f.order],
  );
  return r.n;
}

async function send(req: Request): Promise<Response> {
  return await fetch(req);
}

Deno.test({
  name: 'stack: url_verification and signature refusals through the gateway',
  ...opts,
  async fn() {
    await setup();
    const ok = await send(
      await signedEvent(EVENTS, env.secret!, { type: 'url_verification', challenge: 'gw-1' }),
    );
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { challenge: 'gw-1' });
    const wrong = await send(
      await signedEvent(EVENTS, env.secret!, { type: 'url_verification', challenge: 'x' }, {
        signWith: 'wrong',
      }),
    );
    assert.equal(wrong.status, 403);
    assert.deepEqual(await wrong.json(), {
      error: { code: 'invalid_signature', message: 'the Slack signature does not match the body' },
    });
  },
});

Deno.test({
  name: 'stack: a Slack retry of the same event runs once (slack_events_seen)',
  ...opts,
  async fn() {
    const f = await setup();
    f.fake.reset();
    const stranger = `UX${suffix}`;
    const envelope = eventEnvelope(directMessage(stranger, 'hello?'), `EvStack${suffix}`);
    const first = await send(await signedEvent(EVENTS, env.secret!, envelope));
    const retry = await send(await signedEvent(EVENTS, env.secret!, envelope, { retryNum: 1 }));
    assert.deepEqual(await first.json(), { ok: true });
    assert.deepEqual(await retry.json(), { ok: true, duplicate: true });
    const [reply] = await f.fake.waitFor('chat.postMessage');
    assert.equal(reply.args.channel, `D${stranger.slice(1)}`);
    assert.match(reply.args.text, /not linked/, 'an unknown Slack user is told how to get linked');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(f.fake.callsTo('chat.postMessage').length, 1, 'the retry did not answer again');
    const { rows } = await f.db.query(
      'select kind from private.slack_events_seen where event_id = $1',
      [`EvStack${suffix}`],
    );
    assert.deepEqual(rows, [{ kind: 'message' }]);
  },
});

Deno.test({
  name: 'stack: an unlinked Slack user pressing a button is told to link; nothing changes',
  ...opts,
  async fn() {
    const f = await setup();
    f.fake.reset();
    const before = await eventCount(f);
    const res = await send(
      await signedInteraction(
        EVENTS,
        env.secret!,
        buttonClick(
          `UX${suffix}`,
          'approve_bo_coordinator',
          f.order,
          f.fake.responseUrl('unlinked'),
        ),
      ),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const [reply] = await f.fake.waitFor('response');
    assert.equal(reply.args.response_type, 'ephemeral');
    assert.match(reply.args.text, /not linked/);
    assert.equal(await state(f), 'coordinator/pending');
    assert.equal(await eventCount(f), before);
  },
});

let delivered: { blocks: any[] } | null = null;

Deno.test({
  name: 'stack: slack-notify DMs the coordinator the order with Approve / Reject / Cancel',
  ...opts,
  async fn() {
    const f = await setup();
    f.fake.reset();
    const { rows: [n] } = await f.db.query(
      `select n.id from public.notifications n join public.users u on u.id = n.recipient_id
       where n.booking_order_id = $1 and u.email = $2`,
      [f.order, emails.coordinator],
    );
    const wrong = await fetch(NOTIFY, {
      method: 'POST',
      headers: { Authorization: 'Bearer nope', 'Content-Type': 'application/json' },
      body: JSON.stringify({ notification_id: n.id }),
    });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const res = await fetch(NOTIFY, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${f.webhookSecret}`,
        'Content-Type': 'application/json',
        'X-Notification-Id': n.id,
      },
      body: JSON.stringify({ notification_id: n.id }),
    });
    const answer = await res.json();
    assert.equal(res.status, 200, JSON.stringify(answer));
    assert.equal(answer.status, 'delivered');
    const [open] = f.fake.callsTo('conversations.open');
    assert.equal(open.args.users, slackIds.coordinator);
    const [post] = f.fake.callsTo('chat.postMessage');
    assert.match(
      post.args.blocks[0].text.text,
      /Booking order to review: Slack Stack Test \(BACKLITE_DUBAI\)/,
    );
    assert.deepEqual(post.args.blocks[1].elements.map((b: any) => [b.action_id, b.value]), [
      ['approve_bo_coordinator', f.order],
      ['reject_bo_coordinator', f.order],
      ['cancel_bo_coordinator', f.order],
    ]);
    const { rows: [row] } = await f.db.query(
      'select slack_channel, slack_ts, delivered_at is not null as delivered from public.notifications where id = $1',
      [n.id],
    );
    assert.deepEqual(row, {
      slack_channel: `D${slackIds.coordinator.slice(1)}`,
      slack_ts: answer.ts,
      delivered: true,
    });
    delivered = { blocks: post.args.blocks };
  },
});

Deno.test({
  name:
    "stack: a button pressed by someone who is not the stage's actor is refused; state unchanged",
  ...opts,
  async fn() {
    const f = await setup();
    f.fake.reset();
    const before = await eventCount(f);
    for (const who of ['otherHos', 'rep'] as const) {
      const res = await send(
        await signedInteraction(
          EVENTS,
          env.secret!,
          buttonClick(slackIds[who], 'approve_bo_coordinator', f.order, f.fake.responseUrl(who)),
        ),
      );
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const replies = await f.fake.waitFor('response', 2);
    for (const reply of replies) {
      assert.equal(reply.args.response_type, 'ephemeral');
      assert.equal(reply.args.replace_original, false);
      assert.match(
        reply.args.text,
        /not yours to approve: only a coordinator of backlite_dubai may approve/,
      );
    }
    assert.equal(await state(f), 'coordinator/pending');
    assert.equal(await eventCount(f), before);
  },
});

Deno.test({
  name:
    'stack: the coordinator approves from Slack; the order moves on, acted as their platform user',
  ...opts,
  async fn() {
    const f = await setup();
    f.fake.reset();
    const started = performance.now();
    const res = await send(
      await signedInteraction(
        EVENTS,
        env.secret!,
        buttonClick(
          slackIds.coordinator,
          'approve_bo_coordinator',
          f.order,
          f.fake.responseUrl('approve'),
          delivered ?? undefined,
        ),
      ),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const ackMs = performance.now() - started;
    const [reply] = await f.fake.waitFor('response');
    assert.equal(reply.args.replace_original, true);
    assert.match(reply.args.blocks[0].text.text, /Approved by Rania Khalil/);
    assert.equal(await state(f), 'hos/pending');
    const { rows: [e] } = await f.db.query(
      `select u.email from public.booking_order_events e join public.users u on u.id = e.actor_id
       where e.booking_order_id = $1 and e.event_type = 'coordinator_approved'`,
      [f.order],
    );
    assert.equal(e.email, emails.coordinator);
    console.log(`acknowledged in ${ackMs.toFixed(1)} ms`);
  },
});

Deno.test({
  name: 'stack: the head of sales rejects with a reason through the modal',
  ...opts,
  async fn() {
    const f = await setup();
    f.fake.reset();
    const res = await send(
      await signedInteraction(
        EVENTS,
        env.secret!,
        buttonClick(slackIds.hos, 'reject_bo_hos', f.order, f.fake.responseUrl('reject')),
      ),
    );
    await res.body?.cancel();
    const [open] = await f.fake.waitFor('views.open');
    assert.equal(open.args.view.callback_id, 'reject_bo_hos_modal');
    assert.equal(await state(f), 'hos/pending', 'opening the modal changed nothing');

    const blank = await send(
      await signedInteraction(
        EVENTS,
        env.secret!,
        modalSubmission(slackIds.hos, open.args.view, ' '),
      ),
    );
    assert.deepEqual(await blank.json(), {
      response_action: 'errors',
      errors: { rejection_reason: 'Please give a reason.' },
    });

    const outsider = await send(
      await signedInteraction(
        EVENTS,
        env.secret!,
        modalSubmission(slackIds.otherHos, open.args.view, 'not mine'),
      ),
    );
    const refused = await outsider.json();
    assert.equal(refused.response_action, 'errors');
    assert.match(refused.errors.rejection_reason, /not yours to reject/);
    assert.equal(await state(f), 'hos/pending');

    const ok = await send(
      await signedInteraction(
        EVENTS,
        env.secret!,
        modalSubmission(slackIds.hos, open.args.view, 'Gateway rate too low'),
      ),
    );
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '');
    assert.equal(await state(f), 'coordinator/hos_rejected');
    const { rows: [bo] } = await f.db.query(
      'select status_reason from public.booking_orders where id = $1',
      [f.order],
    );
    assert.equal(bo.status_reason, 'Gateway rate too low');
    const [decision] = await f.fake.waitFor('response');
    assert.match(decision.args.text, /Rejected by Tariq Aziz/);
    assert.match(decision.args.text, /Gateway rate too low/);
  },
});

Deno.test({
  name: 'stack: cleanup (Slack links, webhook secret, the test order)',
  ...opts,
  async fn() {
    const f = await setup();
    for (const undo of f.restore) await undo();
    await f.db.query('delete from public.booking_orders where id = $1', [f.order]);
    await f.db.end();
    await f.fake.close();
  },
});
