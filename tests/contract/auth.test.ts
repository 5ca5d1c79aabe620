// Auth contract: what supabase-js's auth client relies on, checked through supabase-js itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthApiError } from '@supabase/supabase-js';
import { admin, anon, anonKey, newUser, removeUser, type TestUser, url } from './env.ts';

describe('auth', () => {
  let user: TestUser;
  before(async () => {
    user = await newUser('auth');
  });
  after(async () => {
    await removeUser(user);
  });

  it('signs in with email and password and returns a session with a JWT for the user', async () => {
    const c = anon();
    const { data, error } = await c.auth.signInWithPassword({ email: user.email, password: user.password });
    assert.equal(error, null);
    assert.equal(data.user?.id, user.id);
    assert.equal(data.session?.token_type, 'bearer');
    const payload = JSON.parse(Buffer.from(data.session!.access_token.split('.')[1], 'base64url').toString());
    assert.equal(payload.sub, user.id);
    assert.equal(payload.role, 'authenticated');
    assert.equal(payload.aud, 'authenticated');
    assert.ok(payload.session_id, 'session_id claim');
    assert.ok(payload.exp > Date.now() / 1000);
  });

  it('refuses a wrong password with invalid_credentials and issues no session', async () => {
    const { data, error } = await anon().auth.signInWithPassword({ email: user.email, password: 'not-the-password' });
    assert.ok(error instanceof AuthApiError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_credentials');
    assert.equal(data.session, null);
  });

  it('refuses an unknown email exactly like a wrong password (no account probing)', async () => {
    const { error } = await anon().auth.signInWithPassword({ email: 'nobody-here@example.test', password: 'whatever-123' });
    assert.equal(error?.status, 400);
    assert.equal(error?.code, 'invalid_credentials');
  });

  it('rotates the refresh token and refuses the old one once the new one exists', async () => {
    const c = anon();
    const first = await c.auth.signInWithPassword({ email: user.email, password: user.password });
    const oldRefresh = first.data.session!.refresh_token;
    const refreshed = await c.auth.refreshSession({ refresh_token: oldRefresh });
    assert.equal(refreshed.error, null);
    assert.notEqual(refreshed.data.session!.refresh_token, oldRefresh);
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
    assert.equal(claims(refreshed.data.session!.access_token).session_id, claims(first.data.session!.access_token).session_id,
      'a refresh continues the same session');
    // The new token works again (rotation continues).
    const again = await anon().auth.refreshSession({ refresh_token: refreshed.data.session!.refresh_token });
    assert.equal(again.error, null);
  });

  it('refuses an unknown refresh token', async () => {
    const { error } = await anon().auth.refreshSession({ refresh_token: 'made-up-token' });
    assert.equal(error?.status, 400);
    assert.equal(error?.code, 'refresh_token_not_found');
  });

  it('gets and updates the signed-in user', async () => {
    const got = await user.client.auth.getUser();
    assert.equal(got.data.user?.email, user.email);
    const upd = await user.client.auth.updateUser({ data: { title: 'Account manager' } });
    assert.equal(upd.error, null);
    assert.equal(upd.data.user?.user_metadata.title, 'Account manager');
    assert.equal(upd.data.user?.user_metadata.name, 'auth', 'existing metadata kept');
  });

  it('signs out: the refresh token dies with the session', async () => {
    const c = anon();
    const s = await c.auth.signInWithPassword({ email: user.email, password: user.password });
    const refresh = s.data.session!.refresh_token;
    const out = await c.auth.signOut({ scope: 'local' });
    assert.equal(out.error, null);
    const { error } = await anon().auth.refreshSession({ refresh_token: refresh });
    assert.ok(error, 'refresh after sign-out must fail');
  });

  it('rejects a garbage access token on /user with 403 bad_jwt', async () => {
    const r = await fetch(`${url}/auth/v1/user`, { headers: { apikey: anonKey, Authorization: 'Bearer not.a.jwt' } });
    assert.equal(r.status, 403);
    assert.equal((await r.json()).error_code, 'bad_jwt');
  });

  it('lets only the service role use the admin API', async () => {
    const asUser = await fetch(`${url}/auth/v1/admin/users`, { headers: { apikey: anonKey, Authorization: `Bearer ${user.accessToken}` } });
    assert.equal(asUser.status, 403);
    const list = await admin().auth.admin.listUsers({ page: 1, perPage: 1000 });
    assert.equal(list.error, null);
    assert.ok(list.data.users.some((u) => u.id === user.id));
  });

  it('refuses to create a second account with the same email', async () => {
    const { error } = await admin().auth.admin.createUser({ email: user.email, password: 'another-pass-1', email_confirm: true });
    assert.equal(error?.status, 422);
    assert.equal(error?.code, 'email_exists');
  });

  it('deletes a user through the admin API; the account can no longer sign in', async () => {
    const temp = await newUser('deleted');
    const del = await admin().auth.admin.deleteUser(temp.id);
    assert.equal(del.error, null);
    const { error } = await anon().auth.signInWithPassword({ email: temp.email, password: temp.password });
    assert.equal(error?.code, 'invalid_credentials');
  });

  it('publishes settings with open sign-up disabled and the Azure provider off by default', async () => {
    const r = await fetch(`${url}/auth/v1/settings`, { headers: { apikey: anonKey } });
    const body = await r.json();
    assert.equal(r.status, 200);
    assert.equal(body.disable_signup, true);
    assert.equal(body.external.azure, false);
    const signUp = await anon().auth.signUp({ email: 'new-person@example.test', password: 'long-enough-1' });
    assert.ok(signUp.error, 'open sign-up must be refused');
  });
});
