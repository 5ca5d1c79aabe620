// Storage contract: uploads, downloads, signed URLs and policy denials through supabase-js.
// Uses its own bucket and owner-folder policies so it does not depend on the app's buckets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { anon, anonKey, newUser, removeUser, sql, type TestUser, url } from './env.ts';

const BUCKET = 'contract-files';
const POLICIES = ['contract owners read', 'contract owners write', 'contract owners update', 'contract owners delete'];

describe('storage', () => {
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    await sql(`insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
               values ($1, $1, false, 1048576, array['text/plain', 'image/png', 'application/pdf'])
               on conflict (id) do update set file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types`, [BUCKET]);
    for (const p of POLICIES) await sql(`drop policy if exists "${p}" on storage.objects`);
    const own = `bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid())::text`;
    await sql(`create policy "contract owners read" on storage.objects for select to authenticated using (${own})`);
    await sql(`create policy "contract owners write" on storage.objects for insert to authenticated with check (${own})`);
    await sql(`create policy "contract owners update" on storage.objects for update to authenticated using (${own})`);
    await sql(`create policy "contract owners delete" on storage.objects for delete to authenticated using (${own})`);
    [alice, bob] = await Promise.all([newUser('files-a'), newUser('files-b')]);
  });
  after(async () => {
    await sql('delete from storage.objects where bucket_id = $1', [BUCKET]);
    for (const p of POLICIES) await sql(`drop policy if exists "${p}" on storage.objects`);
    await sql('delete from storage.buckets where id = $1', [BUCKET]);
    await removeUser(alice);
    await removeUser(bob);
  });

  it('uploads into the owner folder and downloads the same bytes', async () => {
    const path = `${alice.id}/notes/brief.txt`;
    const up = await alice.client.storage.from(BUCKET).upload(path, new Blob(['Creative brief: bold, blue'], { type: 'text/plain' }));
    assert.equal(up.error, null);
    assert.equal(up.data?.path, path);
    const down = await alice.client.storage.from(BUCKET).download(path);
    assert.equal(down.error, null);
    assert.equal(await down.data!.text(), 'Creative brief: bold, blue');
  });

  it('refuses a second upload to the same name unless upsert is asked for', async () => {
    const path = `${alice.id}/dup.txt`;
    const bucket = alice.client.storage.from(BUCKET);
    assert.equal((await bucket.upload(path, new Blob(['v1'], { type: 'text/plain' }))).error, null);
    const again = await bucket.upload(path, new Blob(['v2'], { type: 'text/plain' }));
    assert.ok(again.error, 'duplicate upload must fail');
    const upsert = await bucket.upload(path, new Blob(['v3'], { type: 'text/plain' }), { upsert: true });
    assert.equal(upsert.error, null);
    assert.equal(await (await bucket.download(path)).data!.text(), 'v3');
  });

  it('creates a signed URL that works without a token and stops working after expiry', async () => {
    const path = `${alice.id}/signed.txt`;
    await alice.client.storage.from(BUCKET).upload(path, new Blob(['signed content'], { type: 'text/plain' }));
    const signed = await alice.client.storage.from(BUCKET).createSignedUrl(path, 60);
    assert.equal(signed.error, null);
    const r = await fetch(signed.data!.signedUrl);
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'signed content');
    const short = await alice.client.storage.from(BUCKET).createSignedUrl(path, 1);
    await new Promise((res) => setTimeout(res, 2100));
    const late = await fetch(short.data!.signedUrl);
    assert.equal(late.status, 400);
    const tampered = await fetch(signed.data!.signedUrl.replace('signed.txt', 'other.txt'));
    assert.notEqual(tampered.status, 200, 'a token for one object never opens another');
  });

  it('denies another user: no download, no signed URL, no upload into a foreign folder, no delete', async () => {
    const path = `${alice.id}/private.txt`;
    await alice.client.storage.from(BUCKET).upload(path, new Blob(['secret'], { type: 'text/plain' }));
    const down = await bob.client.storage.from(BUCKET).download(path);
    assert.ok(down.error);
    const signed = await bob.client.storage.from(BUCKET).createSignedUrl(path, 60);
    assert.ok(signed.error);
    const forged = await bob.client.storage.from(BUCKET).upload(`${alice.id}/forged.txt`, new Blob(['x'], { type: 'text/plain' }));
    assert.ok(forged.error);
    const rows = await sql('select 1 from storage.objects where bucket_id = $1 and name = $2', [BUCKET, `${alice.id}/forged.txt`]);
    assert.equal(rows.length, 0, 'a refused upload leaves no object row');
    const del = await bob.client.storage.from(BUCKET).remove([path]);
    assert.deepEqual(del.data, []);
    assert.equal(await (await alice.client.storage.from(BUCKET).download(path)).data!.text(), 'secret');
    const anonDown = await anon().storage.from(BUCKET).download(path);
    assert.ok(anonDown.error);
  });

  it('lists the caller\'s folder and removes objects', async () => {
    const bucket = alice.client.storage.from(BUCKET);
    await bucket.upload(`${alice.id}/list/a.txt`, new Blob(['a'], { type: 'text/plain' }));
    await bucket.upload(`${alice.id}/list/b.txt`, new Blob(['b'], { type: 'text/plain' }));
    const listed = await bucket.list(`${alice.id}/list`);
    assert.deepEqual(listed.data!.map((o) => o.name).sort(), ['a.txt', 'b.txt']);
    const removed = await bucket.remove([`${alice.id}/list/a.txt`]);
    assert.equal(removed.data!.length, 1);
    assert.deepEqual((await bucket.list(`${alice.id}/list`)).data!.map((o) => o.name), ['b.txt']);
  });

  it('rejects a disallowed MIME type and an oversized file', async () => {
    const bucket = alice.client.storage.from(BUCKET);
    const exe = await bucket.upload(`${alice.id}/run.exe`, new Blob(['MZ'], { type: 'application/x-msdownload' }));
    assert.ok(exe.error);
    const big = await bucket.upload(`${alice.id}/big.txt`, new Blob(['x'.repeat(1048577)], { type: 'text/plain' }));
    assert.ok(big.error);
    const rows = await sql('select name from storage.objects where bucket_id = $1 and name in ($2, $3)', [BUCKET, `${alice.id}/run.exe`, `${alice.id}/big.txt`]);
    assert.equal(rows.length, 0);
  });

  it('rejects object names that try to leave the bucket', async () => {
    const r = await fetch(`${url}/storage/v1/object/${BUCKET}/${alice.id}/..%2F..%2Fescape.txt`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${alice.accessToken}`, 'content-type': 'text/plain' },
      body: 'x',
    });
    assert.equal(r.status, 400);
  });
});
