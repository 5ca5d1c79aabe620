// Integration tests of /storage/v1 against the dev Postgres (127.0.0.1:54322), driven by the real
// @supabase/supabase-js client plus raw HTTP for what a client would never send (traversal keys,
// unencoded `..`, oversized streams). Buckets and policies are throwaway and named per run.
// Run: npx tsx --test devstack/test/storage.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { type AddressInfo, createConnection } from 'node:net';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { loadConfig, type StackConfig } from '../src/config.ts';
import { createDb, type Db } from '../src/db.ts';
import { apiKeys, signJwt } from '../src/jwt.ts';
import type { Gateway } from '../src/gateway/context.ts';
import { createStorageHandler, syncBuckets } from '../src/storage/index.ts';
import { keyProblem, objectFilePath, STAGING_DIR_NAME } from '../src/storage/object-paths.ts';

const run = randomUUID().slice(0, 8);
const PRIV = `st-priv-${run}`; // owner-folder RLS, 4 KiB limit, text/image MIME types
const PUB = `st-pub-${run}`; // public, no own limits (global 64 KiB applies)
const PRIV_LIMIT = 4096;
const GLOBAL_LIMIT = 64 * 1024;
const policy = (what: string) => `st_${what}_${run}`;

let cfg: StackConfig;
let db: Db;
let gw: Gateway;
let server: http.Server;
let base: string;
let outsideDir: string;
const alice = randomUUID();
const bob = randomUUID();
let aliceJwt: string;
let bobJwt: string;
let asAlice: SupabaseClient;
let asBob: SupabaseClient;
let asService: SupabaseClient;

/** Node 20 has no global WebSocket, which supabase-js's realtime client insists on; never used here. */
class NoWebSocket {
  constructor() {
    throw new Error('realtime is not used by the storage tests');
  }
}

function client(key: string, jwt?: string): SupabaseClient {
  return createClient(base, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoWebSocket as any },
    global: jwt ? { headers: { Authorization: `Bearer ${jwt}` } } : undefined,
  });
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: () => any;
}

/** An HTTP request sent exactly as written: no URL normalisation, optional chunked body. */
function raw(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] } = {},
): Promise<RawResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolvePromise, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts);
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString()) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else {
      req.end(opts.body);
    }
  });
}

const auth = (jwt: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${jwt}`, ...extra });

async function rowNames(bucket: string): Promise<string[]> {
  const { rows } = await db.admin.query<{ name: string }>(
    'select name from storage.objects where bucket_id = $1 order by name',
    [bucket],
  );
  return rows.map((r) => r.name);
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as any).path, e.name)).sort();
}

const stagingDir = () => join(cfg.storageDir, STAGING_DIR_NAME);
const diskPath = (bucket: string, key: string) => join(cfg.storageDir, bucket, ...key.split('/'));

function assertStorageError(
  error: unknown,
  status: number,
  statusCode: string,
): asserts error is { status: number; statusCode: string; message: string } {
  assert.ok(error, 'expected an error');
  const e = error as { status: number; statusCode: string; message: string };
  assert.equal(e.status, status, `HTTP status (${e.message})`);
  assert.equal(e.statusCode, statusCode, `statusCode (${e.message})`);
}

before(async () => {
  const dev = loadConfig(); // `dev` (port 54322) unless STACK_PROFILE says otherwise, as under npm test
  const storageDir = await mkdtemp(join(tmpdir(), 'storage-test-'));
  outsideDir = await mkdtemp(join(tmpdir(), 'storage-outside-'));
  cfg = {
    ...dev,
    storageDir,
    storageFileSizeLimit: GLOBAL_LIMIT,
    buckets: [
      {
        id: PRIV,
        public: false,
        fileSizeLimit: PRIV_LIMIT,
        allowedMimeTypes: ['text/*', 'image/png', 'application/octet-stream'],
      },
      { id: PUB, public: true, fileSizeLimit: null, allowedMimeTypes: null },
    ],
  };
  db = createDb(cfg);
  gw = { cfg, db, keys: await apiKeys(cfg.jwtSecret) };
  await syncBuckets(gw);

  const own = `bucket_id = '${PRIV}' and (storage.foldername(name))[1] = auth.uid()::text`;
  await db.admin.query(`
    create policy ${policy('select')} on storage.objects for select to authenticated using (${own});
    create policy ${policy('insert')} on storage.objects for insert to authenticated with check (${own});
    create policy ${policy('update')} on storage.objects for update to authenticated using (${own}) with check (${own});
    create policy ${policy('delete')} on storage.objects for delete to authenticated using (${own});
    -- Lets the permission probe pass (no metadata yet) but refuses the real row of a large file,
    -- so a write that fails after the bytes were received can be observed.
    create policy ${policy('max3000')} on storage.objects as restrictive for insert to authenticated
      with check (bucket_id <> '${PRIV}' or coalesce((metadata->>'size')::int, 0) <= 3000);
  `);

  const handler = createStorageHandler(gw);
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/storage/v1' || url.pathname.startsWith('/storage/v1/')) {
      void handler(req, res, url.pathname.slice('/storage/v1'.length), url);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  aliceJwt = await signJwt(cfg.jwtSecret, { sub: alice, role: 'authenticated', aud: 'authenticated' }, 3600);
  bobJwt = await signJwt(cfg.jwtSecret, { sub: bob, role: 'authenticated', aud: 'authenticated' }, 3600);
  asAlice = client(gw.keys.anon, aliceJwt);
  asBob = client(gw.keys.anon, bobJwt);
  asService = client(gw.keys.serviceRole);
});

after(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  if (db) {
    for (const what of ['select', 'insert', 'update', 'delete', 'max3000']) {
      await db.admin.query(`drop policy if exists ${policy(what)} on storage.objects`).catch(() => {});
    }
    await db.admin.query(`delete from storage.objects where bucket_id like 'st-%-${run}'`).catch(() => {});
    await db.admin.query(`delete from storage.buckets where id like 'st-%-${run}'`).catch(() => {});
    await db.close();
  }
  if (cfg) await rm(cfg.storageDir, { recursive: true, force: true });
  if (outsideDir) await rm(outsideDir, { recursive: true, force: true });
});

describe('buckets', () => {
  test('syncBuckets upserts the configured buckets and is idempotent', async () => {
    await syncBuckets(gw);
    const { rows } = await db.admin.query(
      'select id, name, public, file_size_limit, allowed_mime_types from storage.buckets where id = any($1) order by id',
      [[PRIV, PUB]],
    );
    assert.deepEqual(rows, [
      { id: PRIV, name: PRIV, public: false, file_size_limit: String(PRIV_LIMIT), allowed_mime_types: cfg.buckets[0].allowedMimeTypes },
      { id: PUB, name: PUB, public: true, file_size_limit: null, allowed_mime_types: null },
    ]);
    // A changed config wins over what the table holds.
    await syncBuckets({ ...gw, cfg: { ...cfg, buckets: [{ ...cfg.buckets[1], public: false }] } });
    assert.equal((await db.admin.query('select public from storage.buckets where id = $1', [PUB])).rows[0].public, false);
    await syncBuckets(gw);
    assert.equal((await db.admin.query('select public from storage.buckets where id = $1', [PUB])).rows[0].public, true);
  });

  test('bucket API: RLS on listing, service role manages buckets', async () => {
    const mine = await asAlice.storage.listBuckets();
    assert.equal(mine.error, null);
    assert.deepEqual(mine.data, []); // no select policy on storage.buckets

    const all = await asService.storage.listBuckets({ search: run });
    assert.deepEqual(all.data?.map((b) => b.id).sort(), [PRIV, PUB].sort());
    const one = await asService.storage.getBucket(PRIV);
    assert.equal(one.data?.file_size_limit, PRIV_LIMIT);
    assert.deepEqual(one.data?.allowed_mime_types, cfg.buckets[0].allowedMimeTypes);
    assertStorageError((await asService.storage.getBucket(`st-none-${run}`)).error, 400, '404');

    const denied = await asAlice.storage.createBucket(`st-alice-${run}`, { public: false });
    assertStorageError(denied.error, 403, '403');

    const tmp = `st-tmp-${run}`;
    assert.deepEqual((await asService.storage.createBucket(tmp, { public: false, fileSizeLimit: '1KB' })).data, { name: tmp });
    assertStorageError((await asService.storage.createBucket(tmp, { public: false })).error, 409, '409');
    assert.equal((await asService.storage.updateBucket(tmp, { public: true, allowedMimeTypes: ['text/plain'] })).error, null);
    const updated = await asService.storage.getBucket(tmp);
    assert.equal(updated.data?.public, true);
    assert.equal(updated.data?.file_size_limit, 1000);
    await asService.storage.from(tmp).upload('x.txt', Buffer.from('x'), { contentType: 'text/plain' });
    assertStorageError((await asService.storage.deleteBucket(tmp)).error, 409, '409');
    assert.equal((await asService.storage.emptyBucket(tmp)).error, null);
    assert.equal(existsSync(diskPath(tmp, 'x.txt')), false);
    assert.equal((await asService.storage.deleteBucket(tmp)).error, null);
    assertStorageError((await asService.storage.getBucket(tmp)).error, 400, '404');
    assert.equal(existsSync(join(cfg.storageDir, tmp)), false);
  });
});

describe('objects through supabase-js', () => {
  test('upload a Buffer (raw body), download it, row and file in place', async () => {
    const key = `${alice}/notes/a.txt`;
    const up = await asAlice.storage.from(PRIV).upload(key, Buffer.from('hello storage'), { contentType: 'text/plain' });
    assert.equal(up.error, null);
    assert.equal(up.data?.path, key);
    assert.equal(up.data?.fullPath, `${PRIV}/${key}`);
    assert.match(up.data?.id ?? '', /^[0-9a-f-]{36}$/);

    const down = await asAlice.storage.from(PRIV).download(key);
    assert.equal(down.error, null);
    assert.equal(await down.data?.text(), 'hello storage');
    assert.equal(await readFile(diskPath(PRIV, key), 'utf8'), 'hello storage');

    const { rows } = await db.admin.query('select id, owner, owner_id, metadata from storage.objects where bucket_id = $1 and name = $2', [PRIV, key]);
    assert.equal(rows[0].id, up.data?.id);
    assert.equal(rows[0].owner, alice);
    assert.equal(rows[0].owner_id, alice);
    const md5 = createHash('md5').update('hello storage').digest('hex');
    assert.deepEqual({ ...rows[0].metadata, lastModified: undefined }, {
      eTag: `"${md5}"`,
      size: 13,
      mimetype: 'text/plain',
      cacheControl: 'max-age=3600',
      lastModified: undefined,
      contentLength: 13,
      httpStatusCode: 200,
    });
    assert.ok(!Number.isNaN(Date.parse(rows[0].metadata.lastModified)));
  });

  test('upload a Blob (multipart), then list, info and exists report it', async () => {
    const key = `${alice}/notes/pic.png`;
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const up = await asAlice.storage.from(PRIV).upload(key, new Blob([bytes], { type: 'image/png' }), { cacheControl: '120' });
    assert.equal(up.error, null);
    const down = await asAlice.storage.from(PRIV).download(key);
    assert.deepEqual(Buffer.from(await down.data!.arrayBuffer()), bytes);
    assert.equal(down.data?.type, 'image/png');

    const info = await asAlice.storage.from(PRIV).info(key);
    assert.equal(info.error, null);
    assert.equal(info.data?.size, bytes.length);
    assert.equal(info.data?.contentType, 'image/png');
    assert.equal(info.data?.cacheControl, 'max-age=120');
    assert.equal((await asAlice.storage.from(PRIV).exists(key)).data, true);
    assert.equal((await asAlice.storage.from(PRIV).exists(`${alice}/nope.png`)).data, false);
  });

  test('empty files and concurrent uploads of one key', async () => {
    const bucket = asAlice.storage.from(PRIV);
    assert.equal((await bucket.upload(`${alice}/empty.txt`, Buffer.alloc(0), { contentType: 'text/plain' })).error, null);
    assert.equal((await bucket.upload(`${alice}/empty-blob.txt`, new Blob([], { type: 'text/plain' }))).error, null);
    for (const k of ['empty.txt', 'empty-blob.txt']) {
      const res = await fetch(`${base}/storage/v1/object/${PRIV}/${alice}/${k}`, { headers: auth(aliceJwt) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), '0');
      assert.equal(await res.text(), '');
    }

    const key = `${alice}/race.txt`;
    const bodies = ['first writer', 'second writer', 'third writer'];
    const results = await Promise.all(bodies.map((b) => bucket.upload(key, Buffer.from(b), { contentType: 'text/plain' })));
    const winners = results.filter((r) => r.error === null);
    assert.equal(winners.length, 1);
    for (const r of results.filter((x) => x.error)) assertStorageError(r.error, 409, '409');
    const { rows } = await db.admin.query('select id, metadata from storage.objects where bucket_id = $1 and name = $2', [PRIV, key]);
    assert.equal(rows[0].id, winners[0].data?.id);
    const onDisk = await readFile(diskPath(PRIV, key));
    assert.equal(rows[0].metadata.eTag, `"${createHash('md5').update(onDisk).digest('hex')}"`);

    const upserts = await Promise.all(bodies.map((b) => bucket.upload(key, Buffer.from(b), { contentType: 'text/plain', upsert: true })));
    assert.ok(upserts.every((r) => r.error === null));
    const after = await db.admin.query('select metadata from storage.objects where bucket_id = $1 and name = $2', [PRIV, key]);
    const finalBytes = await readFile(diskPath(PRIV, key));
    assert.equal(after.rows[0].metadata.eTag, `"${createHash('md5').update(finalBytes).digest('hex')}"`);
    assert.deepEqual(await filesUnder(stagingDir()), []);
  });

  test('download streams the stored headers; ETag, Range and ?download work', async () => {
    const path = `/storage/v1/object/authenticated/${PRIV}/${alice}/notes/a.txt`;
    const res = await fetch(base + path, { headers: auth(aliceJwt) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(res.headers.get('content-length'), '13');
    assert.equal(res.headers.get('cache-control'), 'max-age=3600');
    const etag = res.headers.get('etag')!;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    await res.arrayBuffer();

    const cached = await fetch(base + path, { headers: auth(aliceJwt, { 'if-none-match': etag }) });
    assert.equal(cached.status, 304);
    const part = await fetch(base + path, { headers: auth(aliceJwt, { range: 'bytes=6-12' }) });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 6-12/13');
    assert.equal(await part.text(), 'storage');
    const attachment = await fetch(`${base}${path}?download=n.txt`, { headers: auth(aliceJwt) });
    assert.match(attachment.headers.get('content-disposition') ?? '', /^attachment; filename="n\.txt"/);
    await attachment.arrayBuffer();
    const head = await fetch(base + path, { method: 'HEAD', headers: auth(aliceJwt) });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '13');
  });

  test('existing object: 409 without upsert, replaced with upsert, update() overwrites', async () => {
    const key = `${alice}/dup.txt`;
    const bucket = asAlice.storage.from(PRIV);
    assert.equal((await bucket.upload(key, Buffer.from('one'), { contentType: 'text/plain' })).error, null);
    const again = await bucket.upload(key, Buffer.from('two'), { contentType: 'text/plain' });
    assertStorageError(again.error, 409, '409');
    assert.equal(again.error.message, 'The resource already exists');
    assert.equal(await readFile(diskPath(PRIV, key), 'utf8'), 'one');

    const first = await db.admin.query('select id from storage.objects where bucket_id = $1 and name = $2', [PRIV, key]);
    const upserted = await bucket.upload(key, Buffer.from('three'), { contentType: 'text/plain', upsert: true });
    assert.equal(upserted.error, null);
    assert.equal(upserted.data?.id, first.rows[0].id);
    assert.equal(await (await bucket.download(key)).data?.text(), 'three');

    const updated = await bucket.update(key, new Blob(['four'], { type: 'text/plain' }));
    assert.equal(updated.error, null);
    assert.equal(await (await bucket.download(key)).data?.text(), 'four');
    assertStorageError((await bucket.update(`${alice}/missing.txt`, Buffer.from('x'))).error, 400, '404');
    assert.deepEqual(await filesUnder(stagingDir()), []);
  });

  test('list returns folder entries and files with metadata, with search and sort', async () => {
    const bucket = asAlice.storage.from(PRIV);
    await bucket.upload(`${alice}/list/b.txt`, Buffer.from('bb'), { contentType: 'text/plain' });
    await bucket.upload(`${alice}/list/a.txt`, Buffer.from('a'), { contentType: 'text/plain' });
    await bucket.upload(`${alice}/list/sub/deep/c.txt`, Buffer.from('c'), { contentType: 'text/plain' });

    const root = await bucket.list();
    assert.equal(root.error, null);
    assert.deepEqual(root.data, [
      { name: alice, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null },
    ]);

    const listing = await bucket.list(`${alice}/list`);
    assert.deepEqual(listing.data?.map((e) => [e.name, e.id === null]), [['sub', true], ['a.txt', false], ['b.txt', false]]);
    const b = listing.data!.find((e) => e.name === 'b.txt')!;
    assert.equal(b.metadata?.size, 2);
    assert.equal(b.metadata?.mimetype, 'text/plain');
    assert.ok(b.created_at && b.updated_at);

    const desc = await bucket.list(`${alice}/list/`, { sortBy: { column: 'name', order: 'desc' } });
    assert.deepEqual(desc.data?.map((e) => e.name), ['sub', 'b.txt', 'a.txt']);
    const searched = await bucket.list(`${alice}/list`, { search: 'B' });
    assert.deepEqual(searched.data?.map((e) => e.name), ['b.txt']);
    const paged = await bucket.list(`${alice}/list`, { limit: 1, offset: 1 });
    assert.deepEqual(paged.data?.map((e) => e.name), ['a.txt']);
    const noWildcards = await bucket.list(`${alice}/list`, { search: '%' });
    assert.deepEqual(noWildcards.data, []);

    // Bob sees none of Alice's folders.
    assert.deepEqual((await asBob.storage.from(PRIV).list()).data, []);
    assert.deepEqual((await asBob.storage.from(PRIV).list(`${alice}/list`)).data, []);
  });

  test('signed URLs: created for visible objects, fetched without auth, checked on use', async () => {
    const key = `${alice}/notes/a.txt`;
    const signed = await asAlice.storage.from(PRIV).createSignedUrl(key, 60);
    assert.equal(signed.error, null);
    assert.ok(signed.data?.signedUrl.startsWith(`${base}/storage/v1/object/sign/${PRIV}/${key}?token=`));
    const res = await fetch(signed.data!.signedUrl);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello storage');
    const token = new URL(signed.data!.signedUrl).searchParams.get('token')!;
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(payload.url, `${PRIV}/${key}`);
    assert.equal(payload.exp - payload.iat, 60);

    // The same token does not open another object.
    const other = await fetch(`${base}/storage/v1/object/sign/${PRIV}/${alice}/dup.txt?token=${token}`);
    assert.equal(other.status, 400);
    assert.equal((await other.json()).statusCode, '400');

    const expiredToken = await signJwt(cfg.jwtSecret, { url: `${PRIV}/${key}` }, -10);
    const expired = await fetch(`${base}/storage/v1/object/sign/${PRIV}/${key}?token=${expiredToken}`);
    assert.equal(expired.status, 400);
    assert.deepEqual(await expired.json(), { statusCode: '400', code: 'InvalidJWT', error: 'InvalidJWT', message: 'jwt expired' });
    const forged = await signJwt('not-the-secret-not-the-secret-not-the-secret', { url: `${PRIV}/${key}` }, 60);
    const bad = await fetch(`${base}/storage/v1/object/sign/${PRIV}/${key}?token=${forged}`);
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, 'InvalidJWT');
    const none = await fetch(`${base}/storage/v1/object/sign/${PRIV}/${key}`);
    assert.equal((await none.json()).error, 'InvalidJWT');

    const many = await asAlice.storage.from(PRIV).createSignedUrls([key, `${alice}/nope.txt`], 60);
    assert.equal(many.error, null);
    assert.equal(many.data?.[0].error, null);
    assert.equal(await (await fetch(many.data![0].signedUrl!)).text(), 'hello storage');
    assert.equal(many.data?.[1].signedUrl, null);
    assert.equal(many.data?.[1].error, 'Either the object does not exist or you do not have access to it');

    // Bob cannot sign what he cannot select.
    assertStorageError((await asBob.storage.from(PRIV).createSignedUrl(key, 60)).error, 400, '404');
  });

  test('signed upload URLs store as the signer, once RLS allowed the signer', async () => {
    const key = `${alice}/via-signed.txt`;
    const signed = await asAlice.storage.from(PRIV).createSignedUploadUrl(key);
    assert.equal(signed.error, null);
    const up = await client(gw.keys.anon).storage.from(PRIV).uploadToSignedUrl(key, signed.data!.token, Buffer.from('signed!'), {
      contentType: 'text/plain',
    });
    assert.equal(up.error, null);
    assert.equal(up.data?.fullPath, `${PRIV}/${key}`);
    const { rows } = await db.admin.query('select owner from storage.objects where bucket_id = $1 and name = $2', [PRIV, key]);
    assert.equal(rows[0].owner, alice);
    assert.equal(await (await asAlice.storage.from(PRIV).download(key)).data?.text(), 'signed!');
    // A download token is no upload token, and Bob may not sign into Alice's folder.
    const dl = await asAlice.storage.from(PRIV).createSignedUrl(key, 60);
    const dlToken = new URL(dl.data!.signedUrl).searchParams.get('token')!;
    const reuse = await client(gw.keys.anon).storage.from(PRIV).uploadToSignedUrl(key, dlToken, Buffer.from('x'));
    assertStorageError(reuse.error, 400, '400');
    assertStorageError((await asBob.storage.from(PRIV).createSignedUploadUrl(`${alice}/bob.txt`)).error, 403, '403');
  });

  test("another user's object is invisible and undeletable", async () => {
    const key = `${alice}/notes/a.txt`;
    const bucket = asBob.storage.from(PRIV);
    const down = await bucket.download(key);
    assertStorageError(down.error, 400, '404');
    assert.equal(down.error.message, 'Object not found');
    assertStorageError((await bucket.info(key)).error, 400, '404');

    const removed = await bucket.remove([key]);
    assert.equal(removed.error, null);
    assert.deepEqual(removed.data, []);
    assert.ok(existsSync(diskPath(PRIV, key)));
    assert.ok((await rowNames(PRIV)).includes(key));

    const overwrite = await bucket.upload(key, Buffer.from('pwned'), { contentType: 'text/plain', upsert: true });
    assertStorageError(overwrite.error, 403, '403');
    assert.equal(overwrite.error.message, 'new row violates row-level security policy');
    assert.equal(await readFile(diskPath(PRIV, key), 'utf8'), 'hello storage');
    assertStorageError((await bucket.update(key, Buffer.from('pwned'))).error, 400, '404');
    assertStorageError((await bucket.move(key, `${bob}/stolen.txt`)).error, 400, '404');
    assertStorageError((await bucket.copy(key, `${bob}/stolen.txt`)).error, 400, '404');
    assert.equal(existsSync(diskPath(PRIV, `${bob}/stolen.txt`)), false);
  });

  test('an upload RLS rejects leaves no row and no file', async () => {
    const key = `${alice}/bob-was-here.txt`;
    const res = await asBob.storage.from(PRIV).upload(key, Buffer.from('nope'), { contentType: 'text/plain' });
    assertStorageError(res.error, 403, '403');
    const rawRes = await raw('POST', `/storage/v1/object/${PRIV}/${key}`, {
      headers: auth(bobJwt, { 'content-type': 'text/plain' }),
      body: 'nope',
    });
    assert.deepEqual(rawRes.json(), {
      statusCode: '403',
      code: 'AccessDenied',
      error: 'Unauthorized',
      message: 'new row violates row-level security policy',
    });
    assert.ok(!(await rowNames(PRIV)).includes(key));
    assert.equal(existsSync(diskPath(PRIV, key)), false);
    const anon = await client(gw.keys.anon).storage.from(PRIV).upload(`${alice}/anon.txt`, Buffer.from('x'));
    assertStorageError(anon.error, 403, '403');
  });

  test('a row refused after the bytes arrived removes the bytes', async () => {
    const key = `${alice}/big-but-allowed-size.txt`; // 3500 bytes: under the bucket limit, over the policy's
    const res = await asAlice.storage.from(PRIV).upload(key, Buffer.alloc(3500, 'x'), { contentType: 'text/plain' });
    assertStorageError(res.error, 403, '403');
    assert.ok(!(await rowNames(PRIV)).includes(key));
    assert.equal(existsSync(diskPath(PRIV, key)), false);
    assert.deepEqual(await filesUnder(stagingDir()), []);
  });

  test('bytes that cannot be placed roll the row back', async () => {
    const bucket = asAlice.storage.from(PRIV);
    await bucket.upload(`${alice}/clash`, Buffer.from('file'), { contentType: 'text/plain' });
    const res = await bucket.upload(`${alice}/clash/inner.txt`, Buffer.from('x'), { contentType: 'text/plain' });
    assertStorageError(res.error, 400, '400');
    assert.ok(!(await rowNames(PRIV)).includes(`${alice}/clash/inner.txt`));
    assert.equal(await readFile(diskPath(PRIV, `${alice}/clash`), 'utf8'), 'file');

    // The other way round: a key naming a folder of other objects is refused, the folder kept.
    await bucket.upload(`${alice}/folder/inner.txt`, Buffer.from('inner'), { contentType: 'text/plain' });
    for (const upsert of [false, true]) {
      const onFolder = await bucket.upload(`${alice}/folder`, Buffer.from('x'), { contentType: 'text/plain', upsert });
      assertStorageError(onFolder.error, 400, '400');
    }
    assert.ok(!(await rowNames(PRIV)).includes(`${alice}/folder`));
    assert.equal(await (await bucket.download(`${alice}/folder/inner.txt`)).data?.text(), 'inner');
    assert.deepEqual(await filesUnder(stagingDir()), []);
  });

  test('move and copy carry row and bytes', async () => {
    const bucket = asAlice.storage.from(PRIV);
    await bucket.upload(`${alice}/mv/src.txt`, Buffer.from('moving'), { contentType: 'text/plain' });
    const moved = await bucket.move(`${alice}/mv/src.txt`, `${alice}/mv2/dst.txt`);
    assert.equal(moved.error, null);
    assert.equal(existsSync(diskPath(PRIV, `${alice}/mv/src.txt`)), false);
    assert.equal(existsSync(join(cfg.storageDir, PRIV, alice, 'mv')), false); // emptied folder pruned
    assert.equal(await (await bucket.download(`${alice}/mv2/dst.txt`)).data?.text(), 'moving');

    const copied = await bucket.copy(`${alice}/mv2/dst.txt`, `${alice}/mv2/copy.txt`);
    assert.equal(copied.error, null);
    assert.equal(copied.data?.path, `${PRIV}/${alice}/mv2/copy.txt`);
    assert.equal(await readFile(diskPath(PRIV, `${alice}/mv2/copy.txt`), 'utf8'), 'moving');
    assertStorageError((await bucket.copy(`${alice}/mv2/dst.txt`, `${alice}/mv2/copy.txt`)).error, 409, '409');
    // Moving out of her own folder is refused by the update policy's check.
    assertStorageError((await bucket.move(`${alice}/mv2/dst.txt`, `${bob}/gift.txt`)).error, 403, '403');
    assert.ok(existsSync(diskPath(PRIV, `${alice}/mv2/dst.txt`)));

    // Across buckets (service role): the destination bucket's rules apply.
    const across = await asService.storage.from(PRIV).move(`${alice}/mv2/copy.txt`, 'moved/copy.txt', { destinationBucket: PUB });
    assert.equal(across.error, null);
    assert.equal(await (await fetch(`${base}/storage/v1/object/public/${PUB}/moved/copy.txt`)).text(), 'moving');
    assert.equal(existsSync(diskPath(PRIV, `${alice}/mv2/copy.txt`)), false);
    await asService.storage.from(PUB).upload('doc.pdf', Buffer.from('%PDF'), { contentType: 'application/pdf' });
    const refused = await asService.storage.from(PUB).move('doc.pdf', `${alice}/doc.pdf`, { destinationBucket: PRIV });
    assertStorageError(refused.error, 415, '415');
    assert.ok(existsSync(diskPath(PUB, 'doc.pdf')));
  });

  test('remove returns the deleted rows and deletes the files', async () => {
    const bucket = asAlice.storage.from(PRIV);
    const keys = [`${alice}/rm/one.txt`, `${alice}/rm/two.txt`];
    for (const k of keys) await bucket.upload(k, Buffer.from(k), { contentType: 'text/plain' });
    const removed = await bucket.remove([...keys, `${alice}/rm/never.txt`]);
    assert.equal(removed.error, null);
    assert.deepEqual(removed.data?.map((r) => r.name).sort(), keys);
    assert.equal(removed.data?.[0].bucket_id, PRIV);
    for (const k of keys) assert.equal(existsSync(diskPath(PRIV, k)), false);
    assert.equal(existsSync(join(cfg.storageDir, PRIV, alice, 'rm')), false);
    assert.deepEqual((await bucket.list(`${alice}/rm`)).data, []);
  });

  test('public buckets serve without auth; private ones do not', async () => {
    const up = await asService.storage.from(PUB).upload('img/logo.txt', Buffer.from('public!'), { contentType: 'text/plain' });
    assert.equal(up.error, null);
    const { data } = client(gw.keys.anon).storage.from(PUB).getPublicUrl('img/logo.txt');
    const res = await fetch(data.publicUrl);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'public!');
    const priv = await fetch(`${base}/storage/v1/object/public/${PRIV}/${alice}/notes/a.txt`);
    assert.equal(priv.status, 400);
    assert.deepEqual(await priv.json(), {
      statusCode: '404',
      code: 'NoSuchBucket',
      error: 'Bucket not found',
      message: 'Bucket not found',
    });
  });
});

describe('validation', () => {
  test('traversal and malformed keys are refused before disk or DB', async () => {
    const sentinel = join(outsideDir, 'sentinel.txt');
    await writeFile(sentinel, 'untouched');
    const before = await rowNames(PRIV);
    const filesBefore = await filesUnder(cfg.storageDir);
    const escape = '..%2F'.repeat(12) + outsideDir.slice(1).split(sep).join('%2F') + '%2Fsentinel.txt';
    const bad = [
      `${alice}/a/../b.txt`,
      `${alice}/%2e%2e/%2e%2e/x.txt`,
      `${alice}/..%2F..%2F..%2Fescape.txt`,
      `${alice}%2F..%2F..%2Fescape.txt`,
      `${alice}/%5C..%5Cx.txt`,
      `${alice}/a%00b.txt`,
      `${alice}/a%0Ab.txt`,
      `${alice}//double.txt`,
      `%2F${alice}/leading.txt`,
      `${alice}/./dot.txt`,
      `${alice}/bad%E0%A4%A.txt`,
      escape,
    ];
    for (const key of bad) {
      for (const [method, path] of [
        ['POST', `/storage/v1/object/${PRIV}/${key}`],
        ['PUT', `/storage/v1/object/${PRIV}/${key}`],
        ['GET', `/storage/v1/object/${PRIV}/${key}`],
        ['GET', `/storage/v1/object/public/${PUB}/${key}`],
        ['POST', `/storage/v1/object/sign/${PRIV}/${key}`],
      ]) {
        const res = await raw(method, path, {
          headers: auth(aliceJwt, { 'content-type': method === 'POST' && !path.includes('/sign/') ? 'text/plain' : 'application/json', 'x-upsert': 'true' }),
          body: method === 'GET' ? undefined : path.includes('/sign/') ? '{"expiresIn":60}' : 'overwritten',
        });
        assert.equal(res.status, 400, `${method} ${path}`);
        const body = res.json();
        assert.equal(body.statusCode, '400', `${method} ${path}`);
        assert.equal(body.error, 'InvalidKey', `${method} ${path}`);
        assert.match(body.message, /^Invalid key: /);
      }
    }
    const signed = await raw('GET', `/storage/v1/object/sign/${PRIV}/${escape}?token=x`);
    assert.equal(signed.status, 400);
    assert.equal(await readFile(sentinel, 'utf8'), 'untouched');
    assert.deepEqual(await rowNames(PRIV), before);
    assert.deepEqual(await filesUnder(cfg.storageDir), filesBefore);
  });

  test('object paths always resolve inside their bucket directory', () => {
    const root = resolve(cfg.storageDir, PRIV);
    for (const key of ['a.txt', `${alice}/x/y.png`, '...', '.hidden', 'a b/ü.txt', '..a/b..', 'x/.../y']) {
      assert.equal(keyProblem(key), undefined, key);
      const file = objectFilePath(cfg.storageDir, PRIV, key);
      assert.ok(file.startsWith(root + sep), `${key} → ${file}`);
      assert.equal(dirname(file).startsWith(root), true);
    }
    for (const key of ['..', '../x', 'a/../../x', 'a/..', './a', '/etc/passwd', 'a\\..\\b', 'a\u0000b', 'a//b', 'a/', '']) {
      assert.ok(keyProblem(key), JSON.stringify(key));
      assert.throws(() => objectFilePath(cfg.storageDir, PRIV, key), (e: any) => e.body?.code === 'InvalidKey', JSON.stringify(key));
    }
    for (const bucket of ['..', '.', 'a/b', 'x\\y', STAGING_DIR_NAME]) {
      assert.throws(() => objectFilePath(cfg.storageDir, bucket, 'a.txt'), JSON.stringify(bucket));
    }
  });

  test('bodies over the size limit answer 413 and leave nothing behind', async () => {
    const expected = {
      statusCode: '413',
      code: 'EntityTooLarge',
      error: 'Payload too large',
      message: 'The object exceeded the maximum allowed size',
    };
    const key = `${alice}/too-big.txt`;
    // Declared length over the bucket limit.
    const declared = await asAlice.storage.from(PRIV).upload(key, Buffer.alloc(PRIV_LIMIT + 1, 'x'), { contentType: 'text/plain' });
    assertStorageError(declared.error, 413, '413');
    // No declared length: the byte counter stops the stream.
    const chunked = await raw('POST', `/storage/v1/object/${PRIV}/${key}`, {
      headers: auth(aliceJwt, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }),
      chunks: Array.from({ length: 8 }, () => Buffer.alloc(1024, 'y')),
    });
    assert.equal(chunked.status, 413);
    assert.deepEqual(chunked.json(), expected);
    // Multipart: the file part is measured.
    const multipart = await asAlice.storage.from(PRIV).upload(key, new Blob([Buffer.alloc(PRIV_LIMIT + 1)], { type: 'text/plain' }));
    assertStorageError(multipart.error, 413, '413');
    // A bucket without its own limit gets the global one.
    const global = await asService.storage.from(PUB).upload('big.bin', Buffer.alloc(GLOBAL_LIMIT + 1), { contentType: 'application/octet-stream' });
    assertStorageError(global.error, 413, '413');
    // Exactly at the limit is fine.
    const atLimit = await asAlice.storage.from(PRIV).upload(`${alice}/at-limit.bin`, Buffer.alloc(2000, 'z'), { contentType: 'application/octet-stream' });
    assert.equal(atLimit.error, null);

    assert.ok(!(await rowNames(PRIV)).includes(key));
    assert.ok(!(await rowNames(PUB)).includes('big.bin'));
    assert.equal(existsSync(diskPath(PRIV, key)), false);
    assert.equal(existsSync(diskPath(PUB, 'big.bin')), false);
    assert.deepEqual(await filesUnder(stagingDir()), []);
  });

  test('a body that breaks off while the upload is being authorized leaves no staging file', async () => {
    const key = `${alice}/short-${run}.txt`;
    const { port } = server.address() as AddressInfo;
    // Shorter than its Content-Length, then the client stops sending: the body breaks off while
    // the handler still asks the database whether the caller may write.
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((done) => {
        const socket = createConnection(port, '127.0.0.1', () => {
          socket.write(`POST /storage/v1/object/${PRIV}/${key} HTTP/1.1\r\nHost: x\r\n` +
            `Authorization: Bearer ${aliceJwt}\r\napikey: ${gw.keys.anon}\r\nContent-Type: text/plain\r\n` +
            'Content-Length: 1000\r\n\r\nonly a little');
          socket.end();
        });
        socket.on('error', () => {});
        socket.on('close', () => done());
        socket.resume();
      });
    }
    // The handlers may still be authorizing when the sockets are gone, so a staging file can
    // appear after the last socket closed: wait for the area to stay empty, not for one glance.
    let emptyChecks = 0;
    for (let i = 0; i < 50 && emptyChecks < 5; i++) {
      emptyChecks = (await filesUnder(stagingDir())).length ? 0 : emptyChecks + 1;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await filesUnder(stagingDir()), []);
    assert.ok(!(await rowNames(PRIV)).includes(key));
    const whole = await asAlice.storage.from(PRIV).upload(key, Buffer.from('the whole body'), { contentType: 'text/plain' });
    assert.equal(whole.error, null);
  });

  test('MIME types outside the bucket list answer 415', async () => {
    const key = `${alice}/doc.pdf`;
    const rawBody = await asAlice.storage.from(PRIV).upload(key, Buffer.from('%PDF'), { contentType: 'application/pdf' });
    assertStorageError(rawBody.error, 415, '415');
    const blob = await asAlice.storage.from(PRIV).upload(key, new Blob(['%PDF'], { type: 'application/pdf' }));
    assertStorageError(blob.error, 415, '415');
    const res = await raw('POST', `/storage/v1/object/${PRIV}/${key}`, {
      headers: auth(aliceJwt, { 'content-type': 'application/pdf' }),
      body: '%PDF',
    });
    assert.deepEqual(res.json(), {
      statusCode: '415',
      code: 'InvalidMimeType',
      error: 'invalid_mime_type',
      message: 'mime type application/pdf is not supported',
    });
    // Wildcards (`text/*`) and parameters (`; charset=`) are understood.
    const ok = await asAlice.storage.from(PRIV).upload(`${alice}/page.html`, Buffer.from('<p>'), { contentType: 'text/html; charset=utf-8' });
    assert.equal(ok.error, null);
    // Uploaded markup is served sandboxed: the web app shares this origin.
    const page = await fetch(`${base}/storage/v1/object/${PRIV}/${alice}/page.html`, { headers: auth(aliceJwt) });
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('content-security-policy'), 'sandbox');
    await page.arrayBuffer();
    assert.ok(!(await rowNames(PRIV)).includes(key));
    assert.equal(existsSync(diskPath(PRIV, key)), false);
  });

  test('missing, invalid and expired JWTs and unknown buckets', async () => {
    const listPath = `/storage/v1/object/list/${PRIV}`;
    const body = JSON.stringify({ prefix: '' });
    const none = await raw('POST', listPath, { headers: { 'content-type': 'application/json' }, body });
    assert.equal(none.status, 400);
    assert.deepEqual(none.json(), { statusCode: '403', code: 'AccessDenied', error: 'Unauthorized', message: 'jwt must be provided' });

    const expiredJwt = await signJwt(cfg.jwtSecret, { sub: alice, role: 'authenticated' }, -60);
    const expired = await raw('POST', listPath, { headers: auth(expiredJwt, { 'content-type': 'application/json' }), body });
    assert.equal(expired.status, 400);
    assert.equal(expired.json().statusCode, '403');
    assert.equal(expired.json().message, 'jwt expired');

    const forged = await signJwt('wrong-secret-wrong-secret-wrong-secret', { sub: alice, role: 'service_role' }, 60);
    const invalid = await raw('POST', listPath, { headers: auth(forged, { 'content-type': 'application/json' }), body });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.json().message, 'invalid signature');

    const garbage = await raw('GET', `/storage/v1/object/${PRIV}/${alice}/notes/a.txt`, { headers: auth('not.a.jwt') });
    assert.equal(garbage.status, 400);
    assert.equal(garbage.json().error, 'Unauthorized');

    const unknown = await asAlice.storage.from(`st-none-${run}`).upload('x.txt', Buffer.from('x'));
    assertStorageError(unknown.error, 400, '404');
    assert.equal(unknown.error.message, 'Bucket not found');
    assert.equal(existsSync(join(cfg.storageDir, `st-none-${run}`)), false);

    const route = await raw('GET', '/storage/v1/nothing-here', { headers: auth(aliceJwt) });
    assert.equal(route.status, 404);
    const render = await raw('GET', `/storage/v1/render/image/authenticated/${PRIV}/x.png`, { headers: auth(aliceJwt) });
    assert.equal(render.status, 501);
  });

  test('the service role bypasses RLS; the staging area ends empty', async () => {
    const all = await asService.storage.from(PRIV).list(alice);
    assert.ok((all.data ?? []).some((e) => e.name === 'notes'));
    const down = await asService.storage.from(PRIV).download(`${alice}/notes/a.txt`);
    assert.equal(await down.data?.text(), 'hello storage');
    assert.deepEqual(await filesUnder(stagingDir()), []);
  });
});
