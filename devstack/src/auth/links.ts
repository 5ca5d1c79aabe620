// Magic links the GoTrue way, for server-side sign-in on a user's behalf (the Slack function
// acts as the linked user with that user's own JWT): the service role asks
// POST /admin/generate_link {type: "magiclink", email} and gets the link plus its
// `hashed_token`; POST /verify {type: "magiclink", token_hash} (or {email, token} with the
// six-digit code) exchanges it once for a session. As in GoTrue the token is
// sha224(email + code), kept in auth.users.recovery_token until used or expired; no e-mail is
// ever sent here.
import { createHash, randomInt } from 'node:crypto';
import type pg from 'pg';
import { authError } from './errors.ts';
import { type AuthUserRow, findUserById } from './users.ts';

/** GoTrue's default mailer OTP lifetime. */
export const LINK_LIFETIME_SECONDS = 3600;

/** Link types this stack issues; GoTrue's others need e-mail flows the local stack does not run. */
export const LINK_TYPES = ['magiclink'] as const;

export function tokenHash(email: string, code: string): string {
  return createHash('sha224').update(email + code).digest('hex');
}

export interface GeneratedLink {
  user: AuthUserRow;
  code: string;
  hashedToken: string;
}

/** Issues a fresh one-time token for an existing user (a new one replaces any earlier one). */
export async function generateMagicLink(db: pg.Pool, email: string): Promise<GeneratedLink> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const { rows } = await db.query<{ id: string; email: string }>(
    `select id, email from auth.users where lower(email) = lower($1) and deleted_at is null`,
    [email],
  );
  if (!rows[0]) {
    // GoTrue would sign a new address up; sign-up is off on this platform.
    throw authError(422, 'signup_disabled', 'Signups not allowed for this instance');
  }
  const hashedToken = tokenHash(rows[0].email, code);
  await db.query(
    `update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1`,
    [rows[0].id, hashedToken],
  );
  return { user: (await findUserById(db, rows[0].id))!, code, hashedToken };
}

/**
 * Consumes a token: the user whose unexpired token it is, with the token cleared in the same
 * statement (so it works once, even for two concurrent calls). Invalid, used and expired
 * tokens all answer 403 otp_expired, as GoTrue does.
 */
export async function consumeMagicLink(
  db: pg.Pool,
  given: { tokenHash?: string; email?: string; code?: string },
): Promise<AuthUserRow> {
  let hash = given.tokenHash;
  if (!hash && given.email && given.code) {
    const { rows } = await db.query<{ email: string }>(
      'select email from auth.users where lower(email) = lower($1) and deleted_at is null',
      [given.email],
    );
    if (rows[0]) hash = tokenHash(rows[0].email, given.code);
  }
  const { rows } = hash
    ? await db.query<{ id: string }>(
      `update auth.users
          set recovery_token = '', recovery_sent_at = null,
              email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
        where recovery_token = $1 and recovery_token <> '' and deleted_at is null
          and recovery_sent_at > now() - make_interval(secs => $2)
        returning id`,
      [hash, LINK_LIFETIME_SECONDS],
    )
    : { rows: [] };
  if (!rows[0]) throw authError(403, 'otp_expired', 'Email link is invalid or has expired');
  const user = (await findUserById(db, rows[0].id))!;
  if (user.banned_until && user.banned_until > new Date()) {
    throw authError(403, 'user_banned', 'User is banned');
  }
  return user;
}
