// The slack-notify receiver with an in-memory store and the local Slack stand-in.
import assert from 'node:assert/strict';
import { createSlackClient } from './client.ts';
import { createSlackNotifyHandler } from './notify.ts';
import type { SlackNotification } from './store.ts';
import { startFakeSlack } from './testing/fake_slack.ts';
import { MemorySlackStore } from './testing/memory_store.ts';

const ORDER = '11111111-2222-4333-8444-555555555555';
const NOTE = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

function notification(over: Partial<SlackNotification> = {}): SlackNotification {
  return {
    id: NOTE,
    kind: 'booking_order_to_review',
    title: 'Booking order awaiting your approval: Emaar (BACKLITE_DUBAI)',
    body: 'Company: BACKLITE_DUBAI\nClient: Emaar\nGross total: 105,000.00 AED',
    data: { booking_order_id: ORDER },
    delivered_at: null,
    slack_ts: null,
    recipient: { user_id: 'u1', name: 'Tariq Aziz', slack_user_id: 'UHOS000001', is_active: true },
    booking_order: {
      id: ORDER,
      company: 'backlite_dubai',
      stage: 'hos',
      status: 'pending',
      bo_ref: null,
      client: 'Emaar',
      bo_number: 'EM-1',
    },
    action_stage: 'hos',
    actions: ['approve', 'reject', 'cancel'],
    ...over,
  };
}

async function setup(envSecret: string | null = null) {
  const fake = await startFakeSlack();
  const store = new MemorySlackStore();
  store.secret = 'db-secret';
  const handler = createSlackNotifyHandler({
    store,
    slack: createSlackClient('xoxb-test', fake.apiUrl),
    webhookSecret: envSecret,
  });
  const post = (body: unknown, secret = 'db-secret') =>
    handler(
      new Request('http://127.0.0.1/slack-notify', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
        body: JSON.stringify(body),
      }),
    );
  return { fake, store, handler, post };
}

Deno.test('notify: a wrong or missing bearer secret is refused', async () => {
  const t = await setup();
  t.store.notifications.set(NOTE, notification());
  const wrong = await t.post({ notification_id: NOTE }, 'guess');
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error.code, 'invalid_webhook_secret');
  const none = await t.handler(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ notification_id: NOTE }) }),
  );
  assert.equal(none.status, 401);
  await none.body?.cancel();
  assert.equal(t.fake.calls.length, 0);
  await t.fake.close();
});

Deno.test('notify: with no secret configured anywhere nothing is posted', async () => {
  const t = await setup();
  t.store.secret = null;
  t.store.notifications.set(NOTE, notification());
  const res = await t.post({ notification_id: NOTE }, '');
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error.code, 'webhook_secret_not_set');
  await t.fake.close();
});

Deno.test('notify: NOTIFICATIONS_WEBHOOK_SECRET, when set, is the secret', async () => {
  const t = await setup('env-secret');
  t.store.notifications.set(NOTE, notification());
  const db = await t.post({ notification_id: NOTE }, 'db-secret');
  assert.equal(db.status, 401);
  await db.body?.cancel();
  const env = await t.post({ notification_id: NOTE }, 'env-secret');
  assert.equal(env.status, 200);
  await env.body?.cancel();
  await t.fake.close();
});

Deno.test('notify: the next actor gets a DM with the summary and Approve / Reject / Cancel', async () => {
  const t = await setup();
  t.store.notifications.set(NOTE, notification());
  const res = await t.post({ notification_id: NOTE });
  const answer = await res.json();
  assert.equal(res.status, 200);
  assert.equal(answer.status, 'delivered');
  const [open] = t.fake.callsTo('conversations.open');
  assert.equal(open.args.users, 'UHOS000001');
  const [post] = t.fake.callsTo('chat.postMessage');
  assert.equal(post.args.channel, 'DHOS000001');
  assert.match(
    post.args.blocks[0].text.text,
    /^\*Booking order awaiting your approval: Emaar \(BACKLITE_DUBAI\)\*\n\*Company:\* BACKLITE_DUBAI/,
  );
  const buttons = post.args.blocks[1].elements;
  assert.deepEqual(buttons.map((b: any) => [b.action_id, b.value, b.style ?? null]), [
    ['approve_bo_hos', ORDER, 'primary'],
    ['reject_bo_hos', ORDER, 'danger'],
    ['cancel_bo_hos', ORDER, null],
  ]);
  assert.match(post.args.text, /Emaar/, 'a text fallback for notifications');
  assert.deepEqual(t.store.deliveries, [{ id: NOTE, channel: 'DHOS000001', ts: answer.ts }]);

  const again = await t.post({ notification_id: NOTE });
  assert.equal((await again.json()).status, 'duplicate');
  assert.equal(t.fake.callsTo('chat.postMessage').length, 1, 'one DM per notification');
  await t.fake.close();
});

Deno.test('notify: news and stale requests come without buttons', async () => {
  const t = await setup();
  t.store.notifications.set(
    NOTE,
    notification({
      actions: [],
      action_stage: null,
      booking_order: {
        id: ORDER,
        company: 'backlite_dubai',
        stage: 'finance',
        status: 'approved',
        bo_ref: 'BO-2027-0001',
        client: 'Emaar',
        bo_number: 'EM-1',
      },
    }),
  );
  await (await t.post({ notification_id: NOTE })).body?.cancel();
  const [post] = t.fake.callsTo('chat.postMessage');
  assert.equal(post.args.blocks.length, 2);
  assert.equal(post.args.blocks[1].type, 'context');
  assert.match(
    post.args.blocks[1].elements[0].text,
    /No action needed from you any more: the order is now finance \/ approved/,
  );
  await t.fake.close();
});

Deno.test('notify: a recipient without a Slack link is skipped (the web inbox has it)', async () => {
  const t = await setup();
  t.store.notifications.set(
    NOTE,
    notification({
      recipient: { user_id: 'u2', name: 'No Slack', slack_user_id: null, is_active: true },
    }),
  );
  const res = await t.post({ notification_id: NOTE });
  assert.deepEqual(await res.json(), { status: 'skipped', reason: 'recipient has no Slack link' });
  assert.equal(t.fake.calls.length, 0);
  assert.deepEqual(t.store.deliveries, [{ id: NOTE, error: 'recipient has no Slack link' }]);
  await t.fake.close();
});

Deno.test('notify: a Slack failure is recorded and the notification can be retried', async () => {
  const t = await setup();
  t.store.notifications.set(NOTE, notification());
  t.fake.failNext('chat.postMessage', 'channel_not_found');
  const failed = await t.post({ notification_id: NOTE });
  assert.equal(failed.status, 502);
  assert.match((await failed.json()).error.message, /channel_not_found/);
  assert.match(t.store.deliveries[0].error!, /channel_not_found/);
  const retried = await t.post({ notification_id: NOTE });
  assert.equal((await retried.json()).status, 'delivered');
  await t.fake.close();
});

Deno.test('notify: bad bodies and unknown notifications', async () => {
  const t = await setup();
  const bad = await t.post({ notification_id: 'nope' });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
  const unknown = await t.post({ notification_id: NOTE });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  await t.fake.close();
});

Deno.test('notify: the first delivery of a later event rewrites the earlier DMs of the order, once', async () => {
  const t = await setup();
  const first = NOTE;
  const later = 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const other = 'cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  // The coordinator's DM of the submission, delivered with buttons.
  t.store.notifications.set(
    first,
    notification({
      title: 'Booking order to review: Emaar (BACKLITE_DUBAI)',
      data: { booking_order_id: ORDER, event_id: 10, event_type: 'submitted' },
      recipient: {
        user_id: 'u2',
        name: 'Rania Khalil',
        slack_user_id: 'UCOORD0001',
        is_active: true,
      },
      action_stage: 'coordinator',
    }),
  );
  const delivered = await (await t.post({ notification_id: first })).json();
  // The order moved on (approved by the coordinator, maybe in the web app): that DM's
  // recipient has no buttons left; two heads of sales are told.
  t.store.notifications.get(first)!.actions = [];
  t.store.notifications.get(first)!.action_stage = null;
  const approved = {
    booking_order_id: ORDER,
    event_id: 11,
    event_type: 'coordinator_approved',
    actor_name: 'Rania Khalil',
  };
  t.store.notifications.set(later, notification({ id: later, data: approved }));
  t.store.notifications.set(
    other,
    notification({
      id: other,
      data: approved,
      recipient: {
        user_id: 'u3',
        name: 'Omar Farouk',
        slack_user_id: 'USM0000001',
        is_active: true,
      },
    }),
  );
  await (await t.post({ notification_id: later })).body?.cancel();
  await (await t.post({ notification_id: other })).body?.cancel();

  const updates = t.fake.callsTo('chat.update');
  assert.equal(updates.length, 1, 'once per event, not once per recipient');
  assert.equal(updates[0].args.channel, 'DCOORD0001');
  assert.equal(updates[0].args.ts, delivered.ts);
  assert.match(updates[0].args.text, /^✅ Approved by Rania Khalil — sent to the head of sales\./);
  assert.deepEqual(updates[0].args.blocks.map((b: any) => b.type), ['section', 'context']);
  assert.match(updates[0].args.blocks[0].text.text, /Booking order to review: Emaar/);
  await t.fake.close();
});
