// Truncated uploads, to Storage directly and as chat attachments: a body shorter than its
// Content-Length, a connection cut mid-body, a multipart body without its end. Documented
// outcome: a clear 4xx where the client is still there to read one, and in every case no object,
// no documents row, no file on disk and no staging file left behind; the same upload sent whole
// afterwards succeeds.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { objectFilePath, stagingDirectory } from '../../devstack/src/storage/object-paths.ts';
import { anonKey, sql } from '../contract/env.ts';
import { signIn, suffix } from '../support/render-jobs.ts';
import type { SuiteStack } from '../support/suite-stack.ts';
import type { FaultCase } from './case.ts';
import { type RawAnswer, type RawRequest, rawRequest } from './raw-http.ts';

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(48 * 1024, 7)]);

function multipart(fileName: string, bytes: Buffer): { body: Buffer; type: string } {
  const boundary = `----fault${suffix()}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const stagingFiles = (stack: SuiteStack) => {
  const dir = stagingDirectory(stack.cfg.storageDir);
  return existsSync(dir) ? readdirSync(dir).length : 0;
};

/** A 4xx with a readable JSON error (Storage's or the platform's shape). */
function assertClear4xx(answer: RawAnswer): string {
  assert.ok(answer.status !== null && answer.status >= 400 && answer.status < 500, `a 4xx answer, got ${answer.status ?? `none (${answer.ending})`}: ${answer.body.slice(0, 200)}`);
  let body: { error?: { code?: string; message?: string } | string; message?: string };
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new assert.AssertionError({ message: `a JSON error body, got ${JSON.stringify(answer.body.slice(0, 200))}` });
  }
  const message = typeof body.error === 'object' ? body.error.message : body.message;
  assert.ok(message && message.length > 5, `an error message in ${answer.body.slice(0, 200)}`);
  return `${answer.status} ${JSON.stringify(message)}`;
}

interface Sent {
  answer: RawAnswer;
  /** The object key a Storage upload was sent to. */
  key: string;
  /** Checks that nothing of the upload is anywhere: no row, no document, no staging file, no file at the key. */
  assertNothingLeft(): Promise<void>;
  who: Awaited<ReturnType<typeof signIn>> & { headers: Record<string, string> };
}

/**
 * Sends an upload by hand as a demo rep — to Storage (a new key in the rep's uploads folder) or
 * as a chat attachment — with the body and Content-Length given.
 */
async function sendBroken(stack: SuiteStack, r: { to: 'storage' | 'chat'; type: string; body: Buffer; declared: number; then: RawRequest['then'] }): Promise<Sent> {
  const rep = await signIn('dubai.rep1@mmg.demo');
  const headers = { Authorization: `Bearer ${rep.token}`, apikey: anonKey };
  const key = r.to === 'storage' ? `${rep.id}/faults/broken-${suffix()}.png` : '';
  const since = new Date();
  const staged = stagingFiles(stack);
  const answer = await rawRequest({
    port: stack.cfg.apiPort, method: 'POST', path: r.to === 'storage' ? `/storage/v1/object/uploads/${key}` : '/functions/v1/chat/upload',
    headers: { ...headers, 'Content-Type': r.type, 'Content-Length': String(r.declared) },
    body: r.body, then: r.then,
  });
  return {
    answer,
    key,
    who: { ...rep, headers },
    async assertNothingLeft() {
      const rows = await sql('select name from storage.objects where bucket_id = $1 and name like $2 and created_at >= $3', ['uploads', `${rep.id}/%`, since]);
      assert.deepEqual(rows, [], 'no storage.objects row');
      if (key) assert.ok(!existsSync(objectFilePath(stack.cfg.storageDir, 'uploads', key)), 'no file at the object path');
      const docs = await sql('select id from public.documents where owner_id = $1 and created_at >= $2', [rep.id, since]);
      assert.deepEqual(docs, [], 'no documents row');
      // The gateway removes a staging file once the request ends; give it that moment.
      for (let i = 0; i < 20 && stagingFiles(stack) > staged; i++) await new Promise((res) => setTimeout(res, 100));
      assert.equal(stagingFiles(stack), staged, 'no staging file left');
    },
  };
}

/** The same object sent whole afterwards is stored: nothing of the broken attempt is in its way. */
async function storeWhole(who: Sent['who'], key: string): Promise<void> {
  const whole = await who.client.storage.from('uploads').upload(key, png, { contentType: 'image/png' });
  assert.equal(whole.error, null, 'the same upload sent whole succeeds');
}

export const storageBodyShort: FaultCase = {
  name: 'Storage upload shorter than its Content-Length',
  expected: 'clear 4xx; no object, row, file or staging file; the whole upload then succeeds',
  async run(stack) {
    const sent = await sendBroken(stack, { to: 'storage', type: 'image/png', body: png.subarray(0, 1024), declared: png.length, then: 'half-close' });
    const observed = assertClear4xx(sent.answer);
    await sent.assertNothingLeft();
    await storeWhole(sent.who, sent.key);
    return `${observed}; nothing stored; sent whole it succeeds`;
  },
};

export const storageConnectionCut: FaultCase = {
  name: 'Storage upload: connection cut mid-body',
  expected: 'no object, row, file or staging file; the gateway keeps serving',
  async run(stack) {
    const sent = await sendBroken(stack, { to: 'storage', type: 'image/png', body: png.subarray(0, 20 * 1024), declared: png.length, then: 'reset' });
    await sent.assertNothingLeft();
    await storeWhole(sent.who, sent.key);
    return `connection ${sent.answer.ending} by the client; nothing stored; sent whole it succeeds`;
  },
};

/** A multipart body whose last 4 KiB, closing boundary included, never come. */
const cutForm = () => {
  const form = multipart('creative.png', png);
  return { type: form.type, body: form.body.subarray(0, form.body.length - 4096) };
};

export const storageMultipartCut: FaultCase = {
  name: 'Storage multipart upload without its closing boundary',
  expected: 'clear 4xx; no object, row, file or staging file',
  async run(stack) {
    const form = cutForm();
    const sent = await sendBroken(stack, { to: 'storage', ...form, declared: form.body.length, then: 'wait' });
    const observed = assertClear4xx(sent.answer);
    await sent.assertNothingLeft();
    return `${observed}; nothing stored`;
  },
};

export const chatAttachmentCut: FaultCase = {
  name: 'chat attachment: multipart body cut short',
  expected: 'clear 4xx {error:{code,message}}; no documents row, no object',
  async run(stack) {
    const form = cutForm();
    const sent = await sendBroken(stack, { to: 'chat', ...form, declared: form.body.length, then: 'wait' });
    const observed = assertClear4xx(sent.answer);
    await sent.assertNothingLeft();
    return `${observed}; nothing stored`;
  },
};

export const chatAttachmentLengthLie: FaultCase = {
  name: 'chat attachment shorter than its Content-Length',
  expected: 'clear 4xx; no documents row, no object; the whole upload then succeeds',
  async run(stack) {
    const form = multipart(`creative-${suffix()}.png`, png);
    const sent = await sendBroken(stack, { to: 'chat', ...form, declared: form.body.length + 8192, then: 'half-close' });
    const observed = assertClear4xx(sent.answer);
    await sent.assertNothingLeft();
    const whole = await fetch(`${stack.cfg.apiUrl}/functions/v1/chat/upload`, {
      method: 'POST',
      headers: { ...sent.who.headers, 'Content-Type': form.type },
      body: new Uint8Array(form.body),
    });
    assert.equal(whole.status, 201, `the same upload sent whole is stored: ${await whole.text()}`);
    return `${observed}; nothing stored; sent whole: 201`;
  },
};
