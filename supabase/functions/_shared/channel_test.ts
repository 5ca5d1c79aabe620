import assert from 'node:assert/strict';
import { type ChatEvent, createSseChannel, readSse } from './channel.ts';

Deno.test('an SSE channel streams events in order and ends the body on close', async () => {
  const { channel, response } = createSseChannel();
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const sent: ChatEvent[] = [
    { type: 'session', conversation_id: 'c1', message_id: 'm1', request_id: 'r1' },
    { type: 'text', delta: 'Hello' },
    { type: 'text', delta: ' there — ✓' },
    { type: 'done', message_id: 'm1' },
  ];
  const reading = (async () => {
    const got: ChatEvent[] = [];
    for await (const e of readSse(response.body!)) got.push(e);
    return got;
  })();
  for (const e of sent) await channel.send(e);
  await channel.close();
  assert.deepEqual(await reading, sent);
});

Deno.test('two channels never mix: each response carries only its own events', async () => {
  const a = createSseChannel();
  const b = createSseChannel();
  const readAll = async (r: Response) => {
    const got: ChatEvent[] = [];
    for await (const e of readSse(r.body!)) got.push(e);
    return got;
  };
  const ra = readAll(a.response);
  const rb = readAll(b.response);
  await Promise.all([
    a.channel.send({ type: 'text', delta: 'for A' }),
    b.channel.send({ type: 'text', delta: 'for B' }),
  ]);
  await a.channel.close();
  await b.channel.close();
  assert.deepEqual(await ra, [{ type: 'text', delta: 'for A' }]);
  assert.deepEqual(await rb, [{ type: 'text', delta: 'for B' }]);
});

Deno.test('after the client cancels, the channel reports closed and sends are dropped', async () => {
  const { channel, response } = createSseChannel();
  await response.body!.cancel();
  assert.equal(channel.closed, true);
  await channel.send({ type: 'text', delta: 'nobody listens' });
  await channel.close();
});
