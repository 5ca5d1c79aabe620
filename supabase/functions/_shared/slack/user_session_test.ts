// Sessions of linked Slack users through a running stack's Auth (admin generateLink + verifyOtp,
// refresh): one sign-in per user however many messages arrive at once, a refresh near expiry,
// and never a session for the wrong account. Ignored without SUPABASE_URL and the API keys.
import assert from 'node:assert/strict';
import pg from 'pg';
import { UserSessionError, UserSessions } from './user_session.ts';

const url = Deno.env.get('SUPABASE_URL');
const anonKey = Deno.env.get('SUPABASE_ANON_KEY');
const serviceRoleKey = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
const dbUrl = Deno.env.get('SUPABASE_DB_URL');
const ignore = !url || !anonKey || !serviceRoleKey || !dbUrl;
const opts = { ignore, sanitizeOps: false, sanitizeResources: false };

const claims = (token: string) =>
  JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));

async function platformUser(email: string): Promise<{ user_id: string; email: string }> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const { rows: [row] } = await db.query('select id from public.users where email = $1', [email]);
    return { user_id: row.id, email };
  } finally {
    await db.end();
  }
}

Deno.test({
  name: "user sessions: concurrent messages share one sign-in; the token is the user's own",
  ...opts,
  async fn() {
    const user = await platformUser('hos.viola@mmg.demo');
    const sessions = new UserSessions({
      supabaseUrl: url!,
      anonKey: anonKey!,
      serviceRoleKey: serviceRoleKey!,
    });
    const tokens = await Promise.all([1, 2, 3].map(() => sessions.accessToken(user)));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(sessions.stats.signIns, 1);
    const payload = claims(tokens[0]);
    assert.equal(payload.sub, user.user_id);
    assert.equal(payload.role, 'authenticated');
    assert.equal(await sessions.accessToken(user), tokens[0], 'kept while valid');
    assert.equal(sessions.stats.signIns, 1);
  },
});

Deno.test({
  name: 'user sessions: near expiry the session is refreshed, not signed in again',
  ...opts,
  async fn() {
    const user = await platformUser('hos.viola@mmg.demo');
    let shift = 0;
    const sessions = new UserSessions({
      supabaseUrl: url!,
      anonKey: anonKey!,
      serviceRoleKey: serviceRoleKey!,
      now: () => Math.floor(Date.now() / 1000) + shift,
    });
    const first = await sessions.accessToken(user);
    shift = claims(first).exp - Math.floor(Date.now() / 1000) - 60; // inside the 120 s margin
    const second = await sessions.accessToken(user);
    assert.equal(sessions.stats.refreshes, 1);
    assert.equal(sessions.stats.signIns, 1);
    assert.equal(claims(second).session_id, claims(first).session_id, 'the same session continues');
    assert.equal(claims(second).sub, user.user_id);
  },
});

Deno.test({
  name: 'user sessions: an e-mail that belongs to another account, or none, gives no token',
  ...opts,
  async fn() {
    const sessions = new UserSessions({
      supabaseUrl: url!,
      anonKey: anonKey!,
      serviceRoleKey: serviceRoleKey!,
    });
    const other = await platformUser('hos.viola@mmg.demo');
    await assert.rejects(
      sessions.accessToken({ user_id: crypto.randomUUID(), email: other.email }),
      (e: Error) => e instanceof UserSessionError && /not the linked platform user/.test(e.message),
    );
    await assert.rejects(
      sessions.accessToken({
        user_id: crypto.randomUUID(),
        email: `nobody-${Date.now()}@example.test`,
      }),
      (e: Error) => e instanceof UserSessionError && !/eyJ/.test(e.message),
    );
  },
});
