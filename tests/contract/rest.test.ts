// REST contract: PostgREST behaviour supabase-js depends on, with RLS doing the isolation.
// Fixtures live in throwaway `contract_*` objects created over SUPABASE_DB_URL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { anon, anonKey, isLocalStack, newUser, removeUser, sql, type TestUser, url } from './env.ts';
import { loadConfig } from '../../devstack/src/config.ts';
import { signJwt } from '../../devstack/src/jwt.ts';

const FIXTURES = `
create table public.contract_notes (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  amount numeric(12,2) not null default 0,
  tags text[] not null default '{}',
  created_at timestamptz not null default now()
);
alter table public.contract_notes enable row level security;
create policy "owners read their notes" on public.contract_notes for select to authenticated using (owner_id = (select auth.uid()));
create policy "owners add their notes" on public.contract_notes for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "owners edit their notes" on public.contract_notes for update to authenticated using (owner_id = (select auth.uid()));
create policy "owners delete their notes" on public.contract_notes for delete to authenticated using (owner_id = (select auth.uid()));
create function public.contract_add(a numeric, b numeric) returns numeric language sql immutable as $$ select a + b $$;
create function public.contract_whoami() returns uuid language sql stable as $$ select auth.uid() $$;
create function public.contract_notes_over(min_amount numeric default 0) returns setof public.contract_notes
  language sql stable as $$ select * from public.contract_notes where amount >= min_amount $$;
create function public.contract_fail() returns void language plpgsql as $$ begin raise exception 'contract says no' using hint = 'on purpose'; end $$;
revoke execute on function public.contract_whoami() from public, anon;
notify pgrst, 'reload schema';
`;

describe('rest', () => {
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    await sql('drop table if exists public.contract_notes cascade; drop function if exists public.contract_add, public.contract_whoami, public.contract_notes_over, public.contract_fail');
    await sql(FIXTURES);
    [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
    const ins = await alice.client.from('contract_notes').insert([
      { title: 'Dubai Gateway spring', amount: 1250000.5, tags: ['digital', 'landmark'] },
      { title: 'Sheikh Zayed Road', amount: 300000, tags: ['static'] },
      { title: 'dubai mall atrium', amount: 75000.25, tags: ['indoor'] },
    ]);
    assert.equal(ins.error, null);
    const b = await bob.client.from('contract_notes').insert({ title: 'Bob only', amount: 10 });
    assert.equal(b.error, null);
  });
  after(async () => {
    await removeUser(alice);
    await removeUser(bob);
    await sql('drop table if exists public.contract_notes cascade; drop function if exists public.contract_add, public.contract_whoami, public.contract_notes_over, public.contract_fail');
  });

  it('selects only the caller\'s rows (RLS) with column lists, filters, order and exact count', async () => {
    const { data, error, count } = await alice.client
      .from('contract_notes')
      .select('title, amount', { count: 'exact' })
      .gte('amount', 100000)
      .order('amount', { ascending: false });
    assert.equal(error, null);
    assert.equal(count, 2);
    assert.deepEqual(data, [
      { title: 'Dubai Gateway spring', amount: 1250000.5 },
      { title: 'Sheikh Zayed Road', amount: 300000 },
    ]);
    const all = await alice.client.from('contract_notes').select('title');
    assert.ok(!all.data!.some((r) => r.title === 'Bob only'), 'another user\'s row must never be returned');
  });

  it('supports eq, neq, in, ilike, is, contains, or and range', async () => {
    const c = alice.client.from('contract_notes');
    assert.equal((await c.select('title').eq('title', 'Sheikh Zayed Road')).data!.length, 1);
    assert.equal((await c.select('title').neq('title', 'Sheikh Zayed Road')).data!.length, 2);
    assert.equal((await c.select('title').in('title', ['Sheikh Zayed Road', 'dubai mall atrium'])).data!.length, 2);
    assert.equal((await c.select('title').ilike('title', '%DUBAI%')).data!.length, 2);
    assert.equal((await c.select('title').is('title', null)).data!.length, 0);
    assert.equal((await c.select('title').contains('tags', ['landmark'])).data!.length, 1);
    assert.equal((await c.select('title').or('amount.lt.100000,title.eq.Sheikh Zayed Road')).data!.length, 2);
    const page = await c.select('title', { count: 'exact' }).order('title').range(0, 1);
    assert.equal(page.data!.length, 2);
    assert.equal(page.count, 3);
  });

  it('returns a single object, and PGRST116 (406) when there is none', async () => {
    const one = await alice.client.from('contract_notes').select('title').eq('title', 'Sheikh Zayed Road').single();
    assert.deepEqual(one.data, { title: 'Sheikh Zayed Road' });
    const none = await alice.client.from('contract_notes').select('title').eq('title', 'Bob only').single();
    assert.equal(none.status, 406);
    assert.equal(none.error?.code, 'PGRST116');
  });

  it('calls functions: exact numeric arithmetic, the caller\'s identity, set-returning with filters', async () => {
    const add = await anon().rpc('contract_add', { a: '0.1', b: '0.2' });
    assert.equal(add.error, null);
    assert.equal(String(add.data), '0.3');
    const who = await alice.client.rpc('contract_whoami');
    assert.equal(who.data, alice.id);
    const over = await alice.client.rpc('contract_notes_over', { min_amount: 100000 }).select('title').order('title');
    assert.deepEqual(over.data, [{ title: 'Dubai Gateway spring' }, { title: 'Sheikh Zayed Road' }]);
  });

  it('maps a raised exception to 400 with the message and hint, and unknown functions to 404', async () => {
    const fail = await alice.client.rpc('contract_fail');
    assert.equal(fail.status, 400);
    assert.equal(fail.error?.code, 'P0001');
    assert.equal(fail.error?.message, 'contract says no');
    assert.equal(fail.error?.hint, 'on purpose');
    const missing = await alice.client.rpc('contract_no_such_function', { x: 1 });
    assert.equal(missing.status, 404);
    assert.equal(missing.error?.code, 'PGRST202');
  });

  it('denies execute where the grant is missing: anon cannot call contract_whoami', async () => {
    const r = await anon().rpc('contract_whoami');
    assert.equal(r.status, 401);
    assert.equal(r.error?.code, '42501');
  });

  it('refuses an insert that RLS rejects, and no row is written', async () => {
    const r = await alice.client.from('contract_notes').insert({ title: 'forged for bob', owner_id: bob.id });
    assert.equal(r.status, 403);
    assert.equal(r.error?.code, '42501');
    const rows = await sql('select 1 from public.contract_notes where title = $1', ['forged for bob']);
    assert.equal(rows.length, 0, 'a rejected insert must leave nothing behind');
    const asAnon = await anon().from('contract_notes').insert({ title: 'anonymous', owner_id: bob.id });
    assert.equal(asAnon.status, 401);
  });

  it('rolls back a whole batch when one row violates a constraint', async () => {
    const r = await alice.client.from('contract_notes').insert([{ title: 'good row' }, { title: '' }]);
    assert.equal(r.status, 400);
    assert.equal(r.error?.code, '23514');
    const rows = await sql('select 1 from public.contract_notes where title = $1', ['good row']);
    assert.equal(rows.length, 0, 'half a batch must never be written');
  });

  it('updates and deletes only rows RLS lets the caller touch', async () => {
    const upd = await alice.client.from('contract_notes').update({ amount: 1 }).eq('title', 'Bob only').select();
    assert.deepEqual(upd.data, []);
    const del = await alice.client.from('contract_notes').delete().eq('title', 'Bob only').select();
    assert.deepEqual(del.data, []);
    const still = await sql('select amount from public.contract_notes where title = $1', ['Bob only']);
    assert.equal(still[0].amount, '10.00', 'another user\'s row is unchanged');
    const own = await alice.client.from('contract_notes').update({ amount: 300000.75 }).eq('title', 'Sheikh Zayed Road').select('amount').single();
    assert.deepEqual(own.data, { amount: 300000.75 });
  });

  it('upserts on the primary key', async () => {
    const first = await alice.client.from('contract_notes').insert({ title: 'upsert me', amount: 1 }).select('id').single();
    const up = await alice.client.from('contract_notes').upsert({ id: first.data!.id, title: 'upserted', amount: 2 }).select('title, amount').single();
    assert.equal(up.error, null);
    assert.deepEqual(up.data, { title: 'upserted', amount: 2 });
  });

  it('answers 501 for features outside the supported subset instead of a wrong answer', async () => {
    if (!isLocalStack) return;
    const r = await alice.client.from('contract_notes').select('title, owner:users(*)');
    assert.equal(r.status, 501);
  });

  it('answers 401 for a malformed or expired JWT, in PostgREST\'s shape', async () => {
    const bad = await fetch(`${url}/rest/v1/contract_notes`, { headers: { apikey: anonKey, Authorization: 'Bearer abc.def.ghi' } });
    assert.equal(bad.status, 401);
    assert.ok((await bad.json()).message);
    if (!isLocalStack) return;
    const secret = loadConfig('test').jwtSecret;
    const expired = await signJwt(secret, { sub: alice.id, role: 'authenticated', aud: 'authenticated' }, -60);
    const r = await fetch(`${url}/rest/v1/contract_notes`, { headers: { apikey: anonKey, Authorization: `Bearer ${expired}` } });
    assert.equal(r.status, 401);
    assert.equal((await r.json()).code, 'PGRST303');
  });

  it('refuses a request without any API key', async () => {
    const r = await fetch(`${url}/rest/v1/contract_notes`);
    assert.equal(r.status, 401);
  });

  it('answers 413 for a body over the limit and writes nothing', async () => {
    if (!isLocalStack) return;
    const big = JSON.stringify({ title: 'x'.repeat(11 * 1024 * 1024) });
    const r = await fetch(`${url}/rest/v1/contract_notes`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
      body: big,
    });
    assert.equal(r.status, 413);
  });
});
