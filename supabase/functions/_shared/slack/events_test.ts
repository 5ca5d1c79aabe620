// The slack-events handler with an in-memory store and the real WebClient talking to the local
// Slack stand-in: what is acknowledged, what runs once, who is refused and what they read.
import assert from 'node:assert/strict';
import { collectingRunner } from './background.ts';
import { createSlackClient } from './client.ts';
import { createSlackEventsHandler, type SlackChatMessage } from './events.ts';
import { DatabaseError } from './store.ts';
import { startFakeSlack } from './testing/fake_slack.ts';
import { MemorySlackStore } from './testing/memory_store.ts';
import {
  buttonClick,
  directMessage,
  eventEnvelope,
  modalSubmission,
  signedEvent,
  signedInteraction,
} from './testing/requests.ts';

const SECRET = 'test-signing-secret';
const URL_ = 'http://127.0.0.1/slack-events';
const ORDER = '11111111-2222-4333-8444-555555555555';

async function setup(options: { chatDelayMs?: number; submissionBudgetMs?: number } = {}) {
  const fake = await startFakeSlack();
  const store = new MemorySlackStore();
  store.link('UCOORD0001', 'Rania Khalil', ['coordinator']);
  store.link('UHOS000001', 'Tariq Aziz', ['hos']);
  store.link('UREP000001', 'Karim Saleh');
  store.link('UGONE00001', 'Former Colleague', ['coordinator'], false);
  store.orders.set(ORDER, { id: ORDER, stage: 'coordinator', status: 'pending' });
  const chats: SlackChatMessage[] = [];
  const background = collectingRunner();
  const handler = createSlackEventsHandler({
    signingSecret: SECRET,
    store,
    slack: createSlackClient('xoxb-test', fake.apiUrl),
    background,
    fileSharedGraceMs: 20,
    submissionBudgetMs: options.submissionBudgetMs,
    chat: async (message) => {
      if (options.chatDelayMs) await new Promise((r) => setTimeout(r, options.chatDelayMs));
      chats.push(message);
    },
  });
  return {
    fake,
    store,
    chats,
    background,
    handler,
    async done() {
      await background.settle();
      await fake.close();
    },
  };
}

Deno.test('events: url_verification echoes the challenge', async () => {
  const t = await setup();
  const res = await t.handler(
    await signedEvent(URL_, SECRET, { type: 'url_verification', token: 'x', challenge: 'c-123' }),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { challenge: 'c-123' });
  await t.done();
});

Deno.test('events: unsigned, wrongly signed and stale requests are refused before parsing', async () => {
  const t = await setup();
  const unsigned = await t.handler(
    new Request(URL_, { method: 'POST', body: '{"type":"url_verification","challenge":"x"}' }),
  );
  assert.equal(unsigned.status, 401);
  assert.equal((await unsigned.json()).error.code, 'missing_signature');
  const wrong = await t.handler(
    await signedEvent(URL_, SECRET, { type: 'url_verification', challenge: 'x' }, {
      signWith: 'other',
    }),
  );
  assert.equal(wrong.status, 403);
  assert.deepEqual(await wrong.json(), {
    error: { code: 'invalid_signature', message: 'the Slack signature does not match the body' },
  });
  const stale = await t.handler(
    await signedEvent(URL_, SECRET, { type: 'url_verification', challenge: 'x' }, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    }),
  );
  assert.equal(stale.status, 403);
  assert.equal((await stale.json()).error.code, 'stale_request');
  // Not even a body that is not JSON reaches the parser unsigned.
  const garbage = await t.handler(new Request(URL_, { method: 'POST', body: '{{{' }));
  assert.equal(garbage.status, 401);
  await t.done();
});

Deno.test('events: a retried event (same event_id) is processed once', async () => {
  const t = await setup();
  const envelope = eventEnvelope(directMessage('UREP000001', 'hello'));
  const first = await t.handler(await signedEvent(URL_, SECRET, envelope));
  const retry = await t.handler(await signedEvent(URL_, SECRET, envelope, { retryNum: 1 }));
  const again = await t.handler(await signedEvent(URL_, SECRET, envelope, { retryNum: 2 }));
  assert.deepEqual([first.status, retry.status, again.status], [200, 200, 200]);
  assert.deepEqual(await first.json(), { ok: true });
  assert.deepEqual(await retry.json(), { ok: true, duplicate: true });
  await again.body?.cancel();
  await t.background.settle();
  assert.equal(t.chats.length, 1);
  assert.equal(t.chats[0].text, 'hello');
  assert.equal(t.chats[0].identity.name, 'Karim Saleh');
  await t.done();
});

Deno.test('events: with the database away, 503 and nothing claimed; the redelivery runs once', async () => {
  const t = await setup();
  const claim = t.store.claim.bind(t.store);
  t.store.claim = () =>
    Promise.reject(
      new DatabaseError('57P01', 'terminating connection due to administrator command'),
    );
  const envelope = eventEnvelope(directMessage('UREP000001', 'during the restart'));
  const refused = await t.handler(await signedEvent(URL_, SECRET, envelope));
  assert.equal(refused.status, 503);
  assert.equal((await refused.json()).error.code, 'database_unavailable');
  t.store.claim = () => Promise.reject(new Error('Connection terminated unexpectedly'));
  const stillDown = await t.handler(await signedEvent(URL_, SECRET, envelope, { retryNum: 1 }));
  assert.equal(stillDown.status, 503);
  await stillDown.body?.cancel();
  t.store.claim = claim;
  const redelivered = await t.handler(await signedEvent(URL_, SECRET, envelope, { retryNum: 2 }));
  assert.equal(redelivered.status, 200);
  assert.deepEqual(await redelivered.json(), { ok: true });
  const again = await t.handler(await signedEvent(URL_, SECRET, envelope, { retryNum: 3 }));
  assert.deepEqual(await again.json(), { ok: true, duplicate: true });
  await t.background.settle();
  assert.deepEqual(t.chats.map((c) => c.text), ['during the restart']);
  await t.done();
});

Deno.test('events: acknowledgement does not wait for the work', async () => {
  const t = await setup({ chatDelayMs: 300 });
  const started = performance.now();
  const res = await t.handler(
    await signedEvent(URL_, SECRET, eventEnvelope(directMessage('UREP000001', 'slow one'))),
  );
  const ackMs = performance.now() - started;
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.ok(ackMs < 150, `acknowledged in ${ackMs.toFixed(1)} ms`);
  assert.equal(t.chats.length, 0, 'the work was still running');
  await t.background.settle();
  assert.equal(t.chats.length, 1);
  await t.done();
});

Deno.test('events: an unknown Slack user gets the linking message and nothing runs', async () => {
  const t = await setup();
  await (await t.handler(
    await signedEvent(
      URL_,
      SECRET,
      eventEnvelope(directMessage('UNOBODY001', 'approve everything')),
    ),
  )).body?.cancel();
  await t.background.settle();
  const [post] = await t.fake.waitFor('chat.postMessage');
  assert.equal(post.args.channel, 'DNOBODY001');
  assert.match(post.args.text, /not linked/);
  assert.match(post.args.text, /Admin → Users/);
  assert.equal(t.chats.length, 0, 'the agent never saw the message');
  assert.equal(t.store.acts.length, 0);

  // In a channel the linking message is ephemeral, in the mention's thread.
  const mention = {
    type: 'app_mention',
    channel: 'C0SALES001',
    user: 'UNOBODY001',
    text: '<@UBOT000001> hi',
    ts: '1700000001.000100',
  };
  await (await t.handler(await signedEvent(URL_, SECRET, eventEnvelope(mention)))).body?.cancel();
  await t.background.settle();
  const [ephemeral] = await t.fake.waitFor('chat.postEphemeral');
  assert.equal(ephemeral.args.user, 'UNOBODY001');
  assert.equal(ephemeral.args.thread_ts, '1700000001.000100');
  assert.equal(t.chats.length, 0);

  // A deactivated account is told so, and nothing runs either.
  await (await t.handler(
    await signedEvent(URL_, SECRET, eventEnvelope(directMessage('UGONE00001', 'hi'))),
  )).body?.cancel();
  await t.background.settle();
  assert.match((await t.fake.waitFor('chat.postMessage', 2))[1].args.text, /deactivated/);
  assert.equal(t.chats.length, 0);
  await t.done();
});

Deno.test('events: bot messages, edits and channel chatter are ignored without a claim', async () => {
  const t = await setup();
  const ignored = [
    directMessage('UREP000001', 'from a bot', { bot_id: 'B1' }),
    directMessage('UREP000001', 'edited', { subtype: 'message_changed' }),
    { ...directMessage('UREP000001', 'in a channel'), channel_type: 'channel', channel: 'C1' },
    { type: 'reaction_added', user: 'UREP000001' },
    { type: 'file_shared', file_id: 'F1', user_id: 'UBOT000001', channel_id: 'DREP000001' },
  ];
  for (const event of ignored) {
    const res = await t.handler(await signedEvent(URL_, SECRET, eventEnvelope(event)));
    assert.deepEqual(await res.json(), { ok: true, ignored: true });
  }
  await t.background.settle();
  assert.equal(t.store.claims.size, 0);
  assert.equal(t.chats.length, 0);
  assert.equal(t.fake.calls.length, 0);
  await t.done();
});

Deno.test("events: a mention reaches the chat without the bot's name, answered in its thread", async () => {
  const t = await setup();
  const mention = {
    type: 'app_mention',
    channel: 'C0SALES001',
    user: 'UREP000001',
    text: '<@UBOT000001> list locations',
    ts: '1700000002.000100',
  };
  await (await t.handler(await signedEvent(URL_, SECRET, eventEnvelope(mention)))).body?.cancel();
  await t.background.settle();
  assert.equal(t.chats[0].text, 'list locations');
  assert.equal(t.chats[0].threadTs, '1700000002.000100');
  assert.equal(t.chats[0].channelType, 'channel');
  await t.done();
});

Deno.test('events: an upload that arrives as message and file_shared is handled once', async () => {
  const t = await setup();
  const file = {
    id: 'F0BOOKING1',
    name: 'bo.pdf',
    mimetype: 'application/pdf',
    url_private: 'https://files.example/bo.pdf',
  };
  t.fake.files.set(file.id, { ...file, ims: ['DREP000001'] });
  const message = directMessage('UREP000001', 'here is the BO', {
    subtype: 'file_share',
    files: [file],
  });
  await (await t.handler(await signedEvent(URL_, SECRET, eventEnvelope(message)))).body?.cancel();
  await (await t.handler(
    await signedEvent(
      URL_,
      SECRET,
      eventEnvelope({
        type: 'file_shared',
        file_id: file.id,
        user_id: 'UREP000001',
        channel_id: 'DREP000001',
        event_ts: '1.2',
      }),
    ),
  )).body?.cancel();
  await t.background.settle();
  assert.equal(t.chats.length, 1);
  assert.equal(t.chats[0].text, 'here is the BO');
  assert.deepEqual(t.chats[0].files.map((f) => f.id), [file.id]);

  // A file_shared alone becomes a message with that file.
  t.fake.files.set('F0BOOKING2', { id: 'F0BOOKING2', name: 'second.pdf', ims: ['DREP000001'] });
  await (await t.handler(
    await signedEvent(
      URL_,
      SECRET,
      eventEnvelope({
        type: 'file_shared',
        file_id: 'F0BOOKING2',
        user_id: 'UREP000001',
        channel_id: 'DREP000001',
        event_ts: '1.3',
      }),
    ),
  )).body?.cancel();
  await t.background.settle();
  assert.equal(t.chats.length, 2);
  assert.equal(t.chats[1].files[0].name, 'second.pdf');
  assert.equal(t.chats[1].channelType, 'im');
  await t.done();
});

Deno.test("buttons: the stage's actor approves; the message loses its buttons and says who", async () => {
  const t = await setup();
  const url = t.fake.responseUrl('approve');
  const res = await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      buttonClick('UCOORD0001', 'approve_bo_coordinator', ORDER, url),
    ),
  );
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
  await t.background.settle();
  assert.deepEqual(t.store.acts.map((a) => [a.action, a.id, a.dryRun]), [[
    'coordinator_approve',
    ORDER,
    false,
  ]]);
  assert.equal(t.store.orders.get(ORDER)!.stage, 'hos');
  const [reply] = await t.fake.waitFor('response');
  assert.equal(reply.args.replace_original, true);
  assert.match(reply.args.blocks[0].text.text, /Approved by Rania Khalil/);
  assert.match(reply.args.blocks[1].text.text, /Client: Emaar/, 'the summary stays');
  assert.ok(
    !reply.args.blocks.some((b: { type: string }) => b.type === 'actions'),
    'no buttons left',
  );
  await t.done();
});

Deno.test("buttons: someone who is not the stage's actor is refused ephemerally; nothing changes", async () => {
  const t = await setup();
  for (
    const [user, actionId] of [['UHOS000001', 'approve_bo_coordinator'], [
      'UREP000001',
      'approve_bo_coordinator',
    ], ['UHOS000001', 'approve_bo_hos']]
  ) {
    await (await t.handler(
      await signedInteraction(
        URL_,
        SECRET,
        buttonClick(user, actionId, ORDER, t.fake.responseUrl()),
      ),
    )).body?.cancel();
  }
  await t.background.settle();
  const replies = await t.fake.waitFor('response', 3);
  for (const reply of replies) {
    assert.equal(reply.args.response_type, 'ephemeral');
    assert.equal(reply.args.replace_original, false);
  }
  assert.match(replies[0].args.text, /not yours to approve/);
  assert.match(replies[0].args.text, /Nothing was changed/);
  assert.match(
    replies[2].args.text,
    /Already handled/,
    'a head of sales approving too early is told the order is not at that stage',
  );
  assert.deepEqual(t.store.orders.get(ORDER), {
    id: ORDER,
    stage: 'coordinator',
    status: 'pending',
  });
  await t.done();
});

Deno.test('buttons: an unlinked clicker gets the linking message', async () => {
  const t = await setup();
  await (await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      buttonClick('UNOBODY001', 'approve_bo_coordinator', ORDER, t.fake.responseUrl()),
    ),
  )).body?.cancel();
  await t.background.settle();
  const [reply] = await t.fake.waitFor('response');
  assert.equal(reply.args.response_type, 'ephemeral');
  assert.match(reply.args.text, /not linked/);
  assert.equal(t.store.orders.get(ORDER)!.status, 'pending');
  await t.done();
});

Deno.test('buttons: the same click delivered twice runs once', async () => {
  const t = await setup();
  const click = buttonClick('UCOORD0001', 'approve_bo_coordinator', ORDER, t.fake.responseUrl());
  await (await t.handler(await signedInteraction(URL_, SECRET, click))).body?.cancel();
  await (await t.handler(await signedInteraction(URL_, SECRET, click, { retryNum: 1 }))).body
    ?.cancel();
  await t.background.settle();
  assert.equal(t.store.acts.length, 1);
  await t.done();
});

Deno.test('buttons: reject opens the reason modal; a blank reason is shown as an error; a reason rejects', async () => {
  const t = await setup();
  t.store.orders.set(ORDER, { id: ORDER, stage: 'hos', status: 'pending' });
  const url = t.fake.responseUrl('reject');
  await (await t.handler(
    await signedInteraction(URL_, SECRET, buttonClick('UHOS000001', 'reject_bo_hos', ORDER, url)),
  )).body?.cancel();
  await t.background.settle();
  assert.deepEqual(
    t.store.acts.map((a) => [a.action, a.dryRun]),
    [['hos_reject', true]],
    'only a dry run so far',
  );
  const [open] = await t.fake.waitFor('views.open');
  const view = open.args.view;
  assert.equal(view.callback_id, 'reject_bo_hos_modal');
  assert.equal(view.title.text, 'Reject booking order');
  assert.equal(view.blocks.at(-1).block_id, 'rejection_reason');
  assert.equal(t.store.orders.get(ORDER)!.status, 'pending');

  const blank = await t.handler(
    await signedInteraction(URL_, SECRET, modalSubmission('UHOS000001', view, '   ')),
  );
  assert.deepEqual(await blank.json(), {
    response_action: 'errors',
    errors: { rejection_reason: 'Please give a reason.' },
  });
  assert.equal(t.store.orders.get(ORDER)!.status, 'pending');

  const ok = await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      modalSubmission('UHOS000001', view, 'Rate too low for the Gateway'),
    ),
  );
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '', 'an empty answer closes the modal');
  assert.deepEqual(t.store.orders.get(ORDER), {
    id: ORDER,
    stage: 'coordinator',
    status: 'hos_rejected',
    reason: 'Rate too low for the Gateway',
  });
  await t.background.settle();
  const [decision] = await t.fake.waitFor('response');
  assert.equal(decision.args.name, 'reject');
  assert.equal(decision.args.replace_original, true);
  assert.match(decision.args.text, /Rejected by Tariq Aziz/);
  assert.match(decision.args.text, /Rate too low for the Gateway/);
  await t.done();
});

Deno.test('buttons: reject by a non-actor never opens the modal', async () => {
  const t = await setup();
  await (await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      buttonClick('UREP000001', 'reject_bo_coordinator', ORDER, t.fake.responseUrl()),
    ),
  )).body?.cancel();
  await t.background.settle();
  assert.equal(t.fake.callsTo('views.open').length, 0);
  const [reply] = await t.fake.waitFor('response');
  assert.match(reply.args.text, /not yours to reject/);
  await t.done();
});

Deno.test('modals: a refusal at submission time is shown in the modal (plain text)', async () => {
  const t = await setup();
  await (await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      buttonClick('UCOORD0001', 'cancel_bo_coordinator', ORDER, t.fake.responseUrl()),
    ),
  )).body?.cancel();
  await t.background.settle();
  const [open] = await t.fake.waitFor('views.open');
  assert.equal(open.args.view.submit.text, 'Confirm Cancel');
  assert.equal(open.args.view.close.text, 'Go Back');
  // Someone else approved while the modal was open.
  t.store.orders.get(ORDER)!.stage = 'hos';
  t.store.roles.set('UCOORD0001', ['coordinator']);
  const res = await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      modalSubmission('UCOORD0001', open.args.view, 'Client withdrew'),
    ),
  );
  const answer = await res.json();
  assert.equal(answer.response_action, 'errors');
  assert.match(
    answer.errors.cancellation_reason,
    /^⛔ This is not yours to cancel|^ℹ️ Already handled/,
  );
  assert.doesNotMatch(answer.errors.cancellation_reason, /\*/);
  await t.done();
});

Deno.test('modals: a slow database closes the modal in time and reports afterwards', async () => {
  const t = await setup({ submissionBudgetMs: 50 });
  const url = t.fake.responseUrl('slow');
  await (await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      buttonClick('UCOORD0001', 'reject_bo_coordinator', ORDER, url),
    ),
  )).body?.cancel();
  await t.background.settle();
  const [open] = await t.fake.waitFor('views.open');
  t.store.actDelayMs = 200;
  const started = performance.now();
  const res = await t.handler(
    await signedInteraction(
      URL_,
      SECRET,
      modalSubmission('UCOORD0001', open.args.view, 'Wrong dates'),
    ),
  );
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
  assert.ok(performance.now() - started < 180);
  await t.background.settle();
  const [decision] = await t.fake.waitFor('response');
  assert.match(decision.args.text, /Rejected by Rania Khalil/);
  assert.equal(t.store.orders.get(ORDER)!.status, 'editing');
  await t.done();
});

Deno.test('events: only POST is accepted', async () => {
  const t = await setup();
  const res = await t.handler(new Request(URL_, { method: 'GET' }));
  assert.equal(res.status, 405);
  await res.body?.cancel();
  await t.done();
});

Deno.test('events: an unlinked person uploading a file is told once, not twice', async () => {
  const t = await setup();
  const file = { id: 'F0STRANGER', name: 'bo.pdf' };
  t.fake.files.set(file.id, { ...file, ims: ['DNOBODY001'] });
  const message = directMessage('UNOBODY001', '', { subtype: 'file_share', files: [file] });
  await (await t.handler(await signedEvent(URL_, SECRET, eventEnvelope(message)))).body?.cancel();
  await (await t.handler(
    await signedEvent(
      URL_,
      SECRET,
      eventEnvelope({
        type: 'file_shared',
        file_id: file.id,
        user_id: 'UNOBODY001',
        channel_id: 'DNOBODY001',
        event_ts: '1.4',
      }),
    ),
  )).body?.cancel();
  await t.background.settle();
  assert.equal(t.fake.callsTo('chat.postMessage').length, 1);
  assert.equal(t.fake.callsTo('files.info').length, 0, 'the file itself was never fetched');
  assert.equal(t.chats.length, 0);
  await t.done();
});
