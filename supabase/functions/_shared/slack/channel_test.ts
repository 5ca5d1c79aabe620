// The Slack channel adapter: ChatEvents of one turn → Slack messages, in order.
import assert from 'node:assert/strict';
import { SlackChannel, splitForSlack } from './channel.ts';
import { createSlackClient } from './client.ts';
import { startFakeSlack } from './testing/fake_slack.ts';

Deno.test('channel: status is one message, edited, then replaced by the answer in mrkdwn', async () => {
  const fake = await startFakeSlack();
  const channel = new SlackChannel(createSlackClient('xoxb-test', fake.apiUrl), {
    channel: 'D1',
    threadTs: '1.1',
  });
  await channel.send({
    type: 'session',
    conversation_id: 'c1',
    message_id: 'm1',
    request_id: 'r1',
  });
  await channel.send({ type: 'status', message: 'Classifying document...' });
  await channel.send({ type: 'status', message: 'Extracting booking order data...' });
  await channel.send({ type: 'text', delta: 'The **gross** is ' });
  await channel.send({ type: 'text', delta: '105,000 AED.' });
  await channel.send({ type: 'done', message_id: 'm2' });
  await channel.close();
  assert.equal(channel.closed, true);
  assert.equal(channel.conversationId, 'c1');
  assert.deepEqual(fake.calls.map((c) => c.method), [
    'chat.postMessage',
    'chat.update',
    'chat.update',
  ]);
  assert.equal(fake.calls[0].args.text, '⏳ _Classifying document..._');
  assert.equal(fake.calls[0].args.thread_ts, '1.1');
  assert.equal(fake.calls[1].args.text, '⏳ _Extracting booking order data..._');
  assert.equal(fake.calls[2].args.text, 'The *gross* is 105,000 AED.');
  await channel.send({ type: 'text', delta: 'ignored after close' });
  assert.equal(fake.calls.length, 3);
  await fake.close();
});

Deno.test('channel: files are uploaded to the conversation; errors are written as errors', async () => {
  const fake = await startFakeSlack();
  const files = Deno.serve(
    { hostname: '127.0.0.1', port: 0, onListen() {} },
    () => new Response(new Uint8Array([37, 80, 68, 70])),
  );
  const channel = new SlackChannel(createSlackClient('xoxb-test', fake.apiUrl), {
    channel: 'D1',
    threadTs: null,
  });
  await channel.send({
    type: 'file',
    file: {
      bucket: 'proposals',
      path: 'a.pdf',
      url: `http://127.0.0.1:${files.addr.port}/a.pdf`,
      filename: 'Emaar.pdf',
      title: 'Proposal',
      kind: 'pdf',
    },
  });
  await channel.send({ type: 'error', error: { code: 'x', message: 'the renderer is down' } });
  await channel.close();
  assert.deepEqual(fake.calls.map((c) => c.method), [
    'files.getUploadURLExternal',
    'upload',
    'files.completeUploadExternal',
    'chat.postMessage',
  ]);
  assert.equal(fake.calls[0].args.filename, 'Emaar.pdf');
  assert.equal(fake.calls[1].args.size, 4);
  assert.equal(fake.calls[2].args.channel_id, 'D1');
  assert.equal(fake.calls[3].args.text, '❌ *Error:* the renderer is down');
  await files.shutdown();
  await fake.close();
});

Deno.test('channel: long answers are split at line breaks', () => {
  const parts = splitForSlack(`${'a'.repeat(3000)}\n${'b'.repeat(3000)}\n${'c'.repeat(10)}`);
  assert.deepEqual(parts.map((p) => p.length), [3000, 3011]);
  assert.equal(splitForSlack('').length, 0);
  assert.ok(splitForSlack('x'.repeat(9000)).every((p) => p.length <= 3900));
});
