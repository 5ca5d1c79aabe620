import assert from 'node:assert/strict';
import { BadRequest, createChatHandler, parseChatBody } from './web.ts';

const id = '3b22d592-5eea-48c4-a125-9cb608f9d839';

Deno.test('chat body: message 1–10,000 characters and not blank; ids are UUIDs; at most 10 files', () => {
  assert.deepEqual(parseChatBody({ message: 'Hi' }), { message: 'Hi', file_ids: [] });
  assert.deepEqual(
    parseChatBody({ message: 'x'.repeat(10_000), conversation_id: id, file_ids: [id, id] }),
    {
      message: 'x'.repeat(10_000),
      conversation_id: id,
      file_ids: [id],
    },
  );
  const code = (body: unknown) => {
    try {
      parseChatBody(body);
      return 'ok';
    } catch (e) {
      return (e as BadRequest).code;
    }
  };
  assert.equal(code({ message: '   \n' }), 'invalid_message');
  assert.equal(code({ message: 42 }), 'invalid_message');
  assert.equal(code({ message: 'x'.repeat(10_001) }), 'message_too_long');
  assert.equal(code({ message: 'Hi', conversation_id: 'abc' }), 'invalid_conversation_id');
  assert.equal(code({ message: 'Hi', file_ids: ['nope'] }), 'invalid_file_ids');
  assert.equal(
    code({ message: 'Hi', file_ids: Array.from({ length: 11 }, () => crypto.randomUUID()) }),
    'too_many_files',
  );
  assert.equal(code([]), 'invalid_body');
});

Deno.test('chat routes: unknown path 404, wrong method 405, no user token 401', async () => {
  const handle = createChatHandler({
    supabaseUrl: 'http://127.0.0.1:9',
    anonKey: 'anon',
    serviceRoleKey: 'service',
    provider: null,
    images: null,
  });
  assert.equal((await handle(new Request('http://f/chat/nope', { method: 'POST' }))).status, 404);
  assert.equal((await handle(new Request('http://f/chat', { method: 'GET' }))).status, 405);
  assert.equal((await handle(new Request('http://f/chat', { method: 'OPTIONS' }))).status, 204);
  // The anon key is a valid JWT, but not a signed-in user.
  const anon = `x.${btoa(JSON.stringify({ role: 'anon' }))}.y`;
  const res = await handle(
    new Request('http://f/chat', {
      method: 'POST',
      headers: { Authorization: `Bearer ${anon}` },
      body: '{"message":"hi"}',
    }),
  );
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error.code, 'not_signed_in');
});
