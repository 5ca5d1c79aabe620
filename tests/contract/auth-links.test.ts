// One-time sign-in links, as supabase-js's admin.generateLink and verifyOtp use them: the way a
// server (the Slack function) obtains a user's own session without their password. Checked
// through supabase-js itself, so the same test runs against a hosted project.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, anon, anonKey, newUser, removeUser, type TestUser, url } from './env.ts';

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('auth: magic links (generate_link + verify)', () => {
  let user: TestUser;
  before(async () => {
    user = await newUser('links');
  });
  after(async () => {
    await removeUser(user);
  });

  it('generates a magic link for an existing user without a password, in GoTrue\'s shape', async () => {
    const { data, error } = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
    assert.equal(error, null);
    assert.equal(data.user?.id, user.id);
    assert.equal(data.user?.email, user.email);
    assert.equal(data.properties?.verification_type, 'magiclink');
    assert.match(data.properties?.hashed_token ?? '', /^[0-9a-f]{56}$/, 'sha224 hex, as GoTrue');
    assert.match(data.properties?.email_otp ?? '', /^\d{6}$/);
    assert.match(data.properties?.action_link ?? '', /\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=magiclink/);
  });

  it('exchanges the hashed token once for a session of that user; a second use is refused', async () => {
    const link = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
    const tokenHash = link.data.properties!.hashed_token;
    const client = anon();
    const { data, error } = await client.auth.verifyOtp({ token_hash: tokenHash, type: 'magiclink' });
    assert.equal(error, null);
    assert.equal(data.user?.id, user.id);
    const payload = claims(data.session!.access_token);
    assert.equal(payload.sub, user.id);
    assert.equal(payload.role, 'authenticated');
    assert.ok(payload.session_id);
    assert.ok(data.session!.refresh_token);
    // The session works like any other: the user's own data, and a refresh continues it.
    const me = await client.auth.getUser(data.session!.access_token);
    assert.equal(me.data.user?.id, user.id);
    const refreshed = await anon().auth.refreshSession({ refresh_token: data.session!.refresh_token });
    assert.equal(refreshed.error, null);
    assert.equal(claims(refreshed.data.session!.access_token).session_id, payload.session_id);

    const again = await anon().auth.verifyOtp({ token_hash: tokenHash, type: 'magiclink' });
    assert.equal(again.error?.status, 403);
    assert.equal(again.error?.code, 'otp_expired');
    assert.equal(again.data.session, null);
  });

  it('accepts the six-digit code with the e-mail address instead of the hash', async () => {
    const link = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
    const { data, error } = await anon().auth.verifyOtp({ email: user.email, token: link.data.properties!.email_otp, type: 'email' });
    assert.equal(error, null);
    assert.equal(data.user?.id, user.id);
  });

  it('a newer link replaces an older one', async () => {
    const first = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
    const second = await admin().auth.admin.generateLink({ type: 'magiclink', email: user.email });
    const old = await anon().auth.verifyOtp({ token_hash: first.data.properties!.hashed_token, type: 'magiclink' });
    assert.equal(old.error?.code, 'otp_expired');
    const current = await anon().auth.verifyOtp({ token_hash: second.data.properties!.hashed_token, type: 'magiclink' });
    assert.equal(current.error, null);
  });

  it('refuses made-up tokens with otp_expired and issues no session', async () => {
    const { data, error } = await anon().auth.verifyOtp({ token_hash: 'f'.repeat(56), type: 'magiclink' });
    assert.equal(error?.status, 403);
    assert.equal(error?.code, 'otp_expired');
    assert.equal(data.session, null);
  });

  it('lets only the service role generate links', async () => {
    const asUser = await fetch(`${url}/auth/v1/admin/generate_link`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'magiclink', email: user.email }),
    });
    assert.equal(asUser.status, 403);
    const asAnon = await fetch(`${url}/auth/v1/admin/generate_link`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${anonKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'magiclink', email: user.email }),
    });
    assert.equal(asAnon.status, 403);
  });

  it('does not create accounts for unknown addresses (sign-up is off)', async () => {
    const { data, error } = await admin().auth.admin.generateLink({ type: 'magiclink', email: `nobody-${Date.now()}@example.test` });
    assert.ok(error);
    assert.equal(data.user, null);
    const list = await admin().auth.admin.listUsers({ page: 1, perPage: 1000 });
    assert.ok(!list.data.users.some((u) => u.email?.startsWith('nobody-')));
  });
});
