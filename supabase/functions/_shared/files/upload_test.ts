// The upload handler's own limits and checks, before anything is stored.
import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleUpload, limitedStream } from './upload.ts';

const noDb = {} as SupabaseClient;
const PNG = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  13,
  73,
  72,
  68,
  82,
]);

function multipart(name: string, bytes: Uint8Array, type = 'application/octet-stream'): Request {
  const form = new FormData();
  form.set('file', new File([bytes as BlobPart], name, { type }));
  return new Request('http://local/chat/upload', { method: 'POST', body: form });
}

Deno.test('upload: a body that streams past the limit is cut off with 413', async () => {
  const limit = 128 * 1024;
  const chunk = new Uint8Array(64 * 1024);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // No Content-Length: a chunked body that never says how big it is.
      if (sent > 4 * 1024 * 1024) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const req = new Request('http://local/chat/upload', {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    body,
  });
  const res = await handleUpload(req, { db: noDb, userId: 'u', limitBytes: limit });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, 'file_too_large');
  assert.ok(sent < 4 * 1024 * 1024, 'the handler stopped reading early');
});

Deno.test('upload: a declared Content-Length over the limit is refused before reading', async () => {
  const req = new Request('http://local/chat/upload', {
    method: 'POST',
    headers: {
      'content-type': 'multipart/form-data; boundary=x',
      'content-length': String(300 * 1024 * 1024),
    },
    body: 'tiny',
  });
  const res = await handleUpload(req, { db: noDb, userId: 'u' });
  assert.equal(res.status, 413);
});

Deno.test('upload: type comes from the bytes — a spoofed PNG and a disallowed type are refused', async () => {
  const spoofed = await handleUpload(
    multipart('creative.png', new TextEncoder().encode('MZ not a png at all'), 'image/png'),
    { db: noDb, userId: 'u' },
  );
  assert.equal(spoofed.status, 415);
  assert.equal((await spoofed.json()).error.code, 'content_mismatch');

  const exe = await handleUpload(multipart('setup.exe', PNG), { db: noDb, userId: 'u' });
  assert.equal(exe.status, 415);
  assert.equal((await exe.json()).error.code, 'file_type_not_allowed');

  const empty = await handleUpload(multipart('empty.png', new Uint8Array()), {
    db: noDb,
    userId: 'u',
  });
  assert.equal(empty.status, 400);
});

Deno.test('upload: only multipart, with the file in "file"', async () => {
  const json = await handleUpload(
    new Request('http://local/chat/upload', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    }),
    { db: noDb, userId: 'u' },
  );
  assert.equal(json.status, 415);
  const form = new FormData();
  form.set('other', 'x');
  const missing = await handleUpload(
    new Request('http://local/chat/upload', { method: 'POST', body: form }),
    { db: noDb, userId: 'u' },
  );
  assert.equal(missing.status, 400);
  assert.equal((await missing.json()).error.code, 'file_missing');
});

Deno.test('limitedStream passes bytes under the limit unchanged', async () => {
  const out = await new Response(limitedStream(new Response('hello').body!, 5)).text();
  assert.equal(out, 'hello');
});
