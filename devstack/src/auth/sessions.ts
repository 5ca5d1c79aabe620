// Sessions and refresh tokens. Tokens are single-use: a refresh revokes the old token and issues
// a child. Replaying a revoked token after the reuse interval revokes the whole session, so a
// stolen token dies as soon as either party uses it twice. Only SHA-256 hashes are stored.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { StackConfig } from '../config.ts';
import { signJwt } from '../jwt.ts';
import { authError } from './errors.ts';
import { type AuthUserRow, findUserById, identitiesOf, userJson } from './users.ts';

const REUSE_INTERVAL_MS = 10_000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const newRefreshToken = () => randomBytes(24).toString('base64url');

export async function accessToken(cfg: StackConfig, user: AuthUserRow, sessionId: string, method = 'password') {
  const now = Math.floor(Date.now() / 1000);
  const token = await signJwt(cfg.jwtSecret, {
    iss: `${cfg.apiUrl}/auth/v1`,
    aud: 'authenticated',
    sub: user.id,
    email: user.email,
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role || 'authenticated',
    aal: 'aal1',
    amr: [{ method, timestamp: now }],
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  }, cfg.jwtExpirySeconds, now);
  return { token, expiresAt: now + cfg.jwtExpirySeconds };
}

async function sessionBody(cfg: StackConfig, db: pg.Pool | pg.PoolClient, user: AuthUserRow, sessionId: string, refreshToken: string, method = 'password') {
  const { token, expiresAt } = await accessToken(cfg, user, sessionId, method);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: cfg.jwtExpirySeconds,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user, await identitiesOf(db, user.id)),
  };
}

/** `method` is the sign-in method recorded in the token's `amr` claim (password, magiclink, otp). */
export async function startSession(cfg: StackConfig, db: pg.Pool, user: AuthUserRow, meta: { ip: string; userAgent?: string }, method = 'password') {
  const refresh = newRefreshToken();
  const client = await db.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
       values (gen_random_uuid(), $1, now(), now(), 'aal1', $2, $3) returning id`,
      [user.id, meta.userAgent ?? null, meta.ip.replace(/^::ffff:/, '')]);
    await client.query(
      `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
       values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3)`,
      [hash(refresh), user.id, rows[0].id]);
    await client.query('update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1', [user.id]);
    await client.query('commit');
    // Read back on the connection already held: taking a second one from the pool while holding
    // this one deadlocks as soon as every pooled connection is held by a sign-in.
    const fresh = (await findUserById(client, user.id))!;
    return await sessionBody(cfg, client, fresh, rows[0].id, refresh, method);
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}

export async function refreshSession(cfg: StackConfig, db: pg.Pool, presented: string) {
  const client = await db.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string; user_id: string; revoked: boolean; session_id: string; updated_at: Date }>(
      `select id, user_id, revoked, session_id, updated_at from auth.refresh_tokens where token = $1 for update`,
      [hash(presented)]);
    const row = rows[0];
    if (!row || !row.session_id) throw authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found', 'invalid_grant');
    if (row.revoked) {
      const recent = Date.now() - row.updated_at.getTime() < REUSE_INTERVAL_MS;
      if (!recent) {
        await client.query('delete from auth.sessions where id = $1', [row.session_id]);
        await client.query('commit');
        throw authError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used', 'invalid_grant');
      }
    }
    const user = await findUserById(client, row.user_id);
    if (!user || (user.banned_until && user.banned_until > new Date())) {
      throw authError(400, 'user_banned', 'User is banned or no longer exists', 'invalid_grant');
    }
    // Within the reuse interval a concurrent client gets a fresh child too, so two tabs that
    // refresh at the same moment do not log each other out.
    const next = newRefreshToken();
    await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1 and not revoked', [row.id]);
    await client.query(
      `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
       values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
      [hash(next), row.user_id, hash(presented), row.session_id]);
    await client.query('update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [row.session_id]);
    await client.query('commit');
    return await sessionBody(cfg, client, user, row.session_id, next);
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export async function endSessions(db: pg.Pool, userId: string, sessionId: string | undefined, scope: string): Promise<void> {
  if (scope === 'global' || !sessionId) {
    await db.query('delete from auth.sessions where user_id = $1', [userId]);
  } else if (scope === 'others') {
    await db.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, sessionId]);
  } else {
    await db.query('delete from auth.sessions where id = $1 and user_id = $2', [sessionId, userId]);
  }
}

export async function sessionExists(db: pg.Pool, sessionId: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from auth.sessions where id = $1', [sessionId]);
  return (rowCount ?? 0) > 0;
}
