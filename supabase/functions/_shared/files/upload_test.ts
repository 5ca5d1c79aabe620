// The upload handler's own limits and checks, before anything is stored.
import assert from 'node:assert/strict';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import {
  endsWithCloseDelimiter,
  handleUpload,
  limitedStream,
  multipartBoundary,
} from './upload.ts';

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

Deno.test('upload: a multipart body cut before its closing boundary is bad_multipart', async () => {
  const big = new Uint8Array(48 * 1024).fill(7);
  big.set(PNG);
  const whole = multipart('creative.png', big, 'image/png');
  const type = whole.headers.get('content-type')!;
  const bytes = new Uint8Array(await whole.arrayBuffer());
  for (const cut of [4096, 40, 3]) {
    const res = await handleUpload(
      new Request('http://local/chat/upload', {
        method: 'POST',
        headers: { 'content-type': type },
        body: bytes.slice(0, bytes.length - cut),
      }),
      { db: noDb, userId: 'u' },
    );
    assert.equal(res.status, 400, `cut by ${cut} bytes`);
    const { error } = await res.json();
    assert.equal(error.code, 'bad_multipart', `cut by ${cut} bytes: ${error.message}`);
    assert.match(error.message, /cut short|could not be read/);
  }
  const noBoundary = await handleUpload(
    new Request('http://local/chat/upload', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; charset=utf-8' },
      body: bytes,
    }),
    { db: noDb, userId: 'u' },
  );
  assert.equal((await noBoundary.json()).error.code, 'bad_multipart');
});

Deno.test('upload: an API that cannot be reached is 503 database_unavailable (retry), never a 502', async () => {
  // A real client aimed at a closed port: the connection is refused, as during a restart.
  const unreachable = createClient('http://127.0.0.1:9', 'anon-key', {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const png = new Uint8Array(64);
  png.set(PNG);
  const res = await handleUpload(multipart('photo.png', png, 'image/png'), {
    db: unreachable,
    userId: '00000000-0000-4000-8000-000000000001',
  });
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error.code, 'database_unavailable');
});

Deno.test('the close delimiter is found in the tail of a body, quoted boundaries too', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(multipartBoundary('multipart/form-data; boundary=abc'), 'abc');
  assert.equal(multipartBoundary('multipart/form-data; boundary="a b;c"; x=y'), 'a b;c');
  assert.equal(multipartBoundary('multipart/form-data'), null);
  assert.ok(endsWithCloseDelimiter(enc('data\r\n--abc--\r\n'), 'abc'));
  assert.ok(endsWithCloseDelimiter(enc('data\r\n--abc--'), 'abc'));
  assert.ok(!endsWithCloseDelimiter(enc('data\r\n--abc\r\nmore part'), 'abc'));
  assert.ok(!endsWithCloseDelimiter(enc('--abc-'), 'abc'));
  assert.ok(!endsWithCloseDelimiter(enc('file bytes only'), 'abc'));
});

Deno.test('limitedStream passes bytes under the limit unchanged', async () => {
  const out = await new Response(limitedStream(new Response('hello').body!, 5)).text();
  assert.equal(out, 'hello');
});
