// `/auth/v1`: the GoTrue endpoints supabase-js calls — password sign-in, refresh-token rotation,
// get/update user, sign-out, settings, one-time links (admin generate_link + verify) — and the
// service-role admin user API.
import type { IncomingMessage } from 'node:http';
import type { ApiHandler, Gateway } from '../gateway/context.ts';
import { clientIp, HttpError, readBody, send } from '../http.ts';
import { type Claims, JwtError, verifyJwt } from '../jwt.ts';
import { authError } from './errors.ts';
import { RateLimiter } from './rate-limit.ts';
import { consumeMagicLink, generateMagicLink, LINK_TYPES } from './links.ts';
import { endSessions, refreshSession, sessionExists, startSession } from './sessions.ts';
import { createUser, findUserById, findUserByPassword, identitiesOf, userJson } from './users.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function jsonBody(req: IncomingMessage, limit: number): Promise<Record<string, any>> {
  const raw = await readBody(req, limit, () => authError(413, 'request_too_large', 'Request body is too large'));
  if (raw.length === 0) return {};
  try {
    const v = JSON.parse(raw.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    throw authError(400, 'bad_json', 'Could not parse request body as JSON');
  }
}

function validatePassword(password: unknown, min = 8): string {
  if (typeof password !== 'string' || password.length < min) {
    throw authError(422, 'weak_password', `Password should be at least ${min} characters.`);
  }
  if (password.length > 72) throw authError(422, 'weak_password', 'Password cannot be longer than 72 characters');
  return password;
}

export function createAuthHandler(
  gw: Gateway,
  opts: { signInsPerMinute?: number; verificationsPerMinute?: number } = {},
): ApiHandler {
  const { cfg, db } = gw;
  const limiter = new RateLimiter(opts.signInsPerMinute ?? cfg.signInsPerMinute);
  // Token verifications per IP (GoTrue limits them separately from password sign-ins); the
  // Slack function verifies once per user and session, so this budget is generous.
  const verifyLimiter = new RateLimiter(opts.verificationsPerMinute ?? 60);

  async function userClaims(req: IncomingMessage): Promise<Claims> {
    const h = req.headers.authorization;
    const token = h && /^Bearer\s+(.+)$/i.exec(h)?.[1];
    try {
      const claims = await verifyJwt(cfg.jwtSecret, token);
      if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) {
        throw authError(403, 'bad_jwt', 'invalid claim: missing sub claim');
      }
      return claims;
    } catch (e) {
      if (e instanceof JwtError) {
        throw e.reason === 'missing'
          ? authError(401, 'no_authorization', 'This endpoint requires a Bearer token')
          : authError(403, 'bad_jwt', e.reason === 'expired' ? 'invalid JWT: token is expired' : 'invalid JWT: unable to parse or verify signature');
      }
      throw e;
    }
  }

  async function requireServiceRole(req: IncomingMessage): Promise<void> {
    const h = req.headers.authorization;
    const token = h && /^Bearer\s+(.+)$/i.exec(h)?.[1];
    let claims: Claims;
    try {
      claims = await verifyJwt(cfg.jwtSecret, token);
    } catch {
      throw authError(401, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
    }
    if (claims.role !== 'service_role') throw authError(403, 'not_admin', 'User not allowed');
  }

  return async (req, res, path, url) => {
    const method = req.method ?? 'GET';
    const limit = cfg.maxBodyBytes;

    if (path === '/health' && method === 'GET') {
      return send(res, 200, { version: 'devstack', name: 'GoTrue', description: 'Local GoTrue-compatible auth' });
    }

    if (path === '/settings' && method === 'GET') {
      return send(res, 200, {
        external: { email: true, phone: false, azure: cfg.azureEnabled, anonymous_users: false },
        disable_signup: true,
        mailer_autoconfirm: true,
        phone_autoconfirm: false,
        sms_provider: '',
        saml_enabled: false,
      });
    }

    if (path === '/token' && method === 'POST') {
      const grant = url.searchParams.get('grant_type');
      const body = await jsonBody(req, limit);
      if (grant === 'password') {
        if (!limiter.take(clientIp(req))) {
          throw authError(429, 'over_request_rate_limit', 'Request rate limit reached');
        }
        if (typeof body.email !== 'string' || typeof body.password !== 'string' || !body.email || !body.password) {
          throw authError(400, 'validation_failed', 'email and password are required', 'invalid_request');
        }
        const user = await findUserByPassword(db.admin, body.email, body.password);
        if (!user) throw authError(400, 'invalid_credentials', 'Invalid login credentials', 'invalid_grant');
        if (user.banned_until && user.banned_until > new Date()) throw authError(400, 'user_banned', 'User is banned', 'invalid_grant');
        if (!user.email_confirmed_at) throw authError(400, 'email_not_confirmed', 'Email not confirmed', 'invalid_grant');
        return send(res, 200, await startSession(cfg, db.admin, user, { ip: clientIp(req), userAgent: req.headers['user-agent'] }));
      }
      if (grant === 'refresh_token') {
        if (typeof body.refresh_token !== 'string' || !body.refresh_token) {
          throw authError(400, 'validation_failed', 'refresh_token is required', 'invalid_request');
        }
        return send(res, 200, await refreshSession(cfg, db.admin, body.refresh_token));
      }
      throw authError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant ?? '(none)'}`, 'unsupported_grant_type');
    }

    if (path === '/admin/generate_link' && method === 'POST') {
      await requireServiceRole(req);
      const body = await jsonBody(req, limit);
      if (!(LINK_TYPES as readonly string[]).includes(body.type)) {
        throw authError(422, 'validation_failed',
          `Invalid email action link type requested: ${String(body.type ?? '(none)')} (this stack issues: ${LINK_TYPES.join(', ')})`);
      }
      if (typeof body.email !== 'string' || !EMAIL.test(body.email)) {
        throw authError(400, 'validation_failed', 'Unable to validate email address: invalid format');
      }
      const redirectTo = url.searchParams.get('redirect_to') ?? body.redirect_to ?? cfg.apiUrl;
      const link = await generateMagicLink(db.admin, body.email);
      const action = new URL(`${cfg.apiUrl}/auth/v1/verify`);
      action.searchParams.set('token', link.hashedToken);
      action.searchParams.set('type', body.type);
      action.searchParams.set('redirect_to', String(redirectTo));
      // GoTrue's shape: the user object with the link properties beside its fields.
      return send(res, 200, {
        ...userJson(link.user, await identitiesOf(db.admin, link.user.id)),
        action_link: action.toString(),
        email_otp: link.code,
        hashed_token: link.hashedToken,
        verification_type: body.type,
        redirect_to: String(redirectTo),
      });
    }

    if (path === '/verify' && method === 'POST') {
      if (!verifyLimiter.take(clientIp(req))) {
        throw authError(429, 'over_request_rate_limit', 'Request rate limit reached');
      }
      const body = await jsonBody(req, limit);
      if (body.type !== 'magiclink' && body.type !== 'email') {
        throw authError(400, 'validation_failed', `Verify requires a verification type this stack issues (magiclink, email), got ${String(body.type ?? '(none)')}`);
      }
      const byHash = typeof body.token_hash === 'string' && body.token_hash.length > 0;
      const byCode = typeof body.email === 'string' && typeof body.token === 'string' && body.token.length > 0;
      if (!byHash && !byCode) {
        throw authError(400, 'validation_failed', 'Verify requires token_hash, or email and token');
      }
      const user = await consumeMagicLink(db.admin, byHash
        ? { tokenHash: body.token_hash }
        : { email: body.email, code: body.token });
      return send(res, 200, await startSession(cfg, db.admin, user,
        { ip: clientIp(req), userAgent: req.headers['user-agent'] }, byHash ? 'magiclink' : 'otp'));
    }

    if (path === '/signup' && method === 'POST') {
      throw authError(422, 'signup_disabled', 'Signups not allowed for this instance');
    }

    if (path === '/authorize' && method === 'GET') {
      const provider = url.searchParams.get('provider');
      if (provider !== 'azure' || !cfg.azureEnabled) {
        throw authError(400, 'validation_failed', 'Unsupported provider: provider is not enabled');
      }
      throw authError(501, 'not_implemented', 'OAuth redirects need hosted Supabase Auth; the local stack cannot reach Microsoft');
    }

    if (path === '/user' && (method === 'GET' || method === 'PUT')) {
      const claims = await userClaims(req);
      if (typeof claims.session_id === 'string' && !(await sessionExists(db.admin, claims.session_id))) {
        throw authError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      }
      if (method === 'PUT') {
        const body = await jsonBody(req, limit);
        if (body.password !== undefined) {
          const pw = validatePassword(body.password);
          await db.admin.query(
            `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 10)), updated_at = now() where id = $1`,
            [claims.sub, pw]);
        }
        if (body.data !== undefined) {
          if (typeof body.data !== 'object' || body.data === null) throw authError(400, 'validation_failed', 'data must be an object');
          await db.admin.query(
            `update auth.users set raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || $2, updated_at = now() where id = $1`,
            [claims.sub, body.data]);
        }
        if (body.email !== undefined) {
          if (typeof body.email !== 'string' || !EMAIL.test(body.email)) throw authError(400, 'validation_failed', 'Unable to validate email address: invalid format');
          await db.admin.query('update auth.users set email = lower($2), updated_at = now() where id = $1', [claims.sub, body.email]);
        }
      }
      const user = await findUserById(db.admin, claims.sub!);
      if (!user) throw authError(404, 'user_not_found', 'User from sub claim in JWT does not exist');
      return send(res, 200, userJson(user, await identitiesOf(db.admin, user.id)));
    }

    if (path === '/logout' && method === 'POST') {
      const claims = await userClaims(req);
      const scope = url.searchParams.get('scope') ?? 'global';
      if (!['global', 'local', 'others'].includes(scope)) throw authError(400, 'validation_failed', 'scope must be global, local or others');
      await endSessions(db.admin, claims.sub!, claims.session_id as string | undefined, scope);
      return send(res, 204, null);
    }

    if (path === '/admin/users' || path.startsWith('/admin/users/')) {
      await requireServiceRole(req);
      const id = path.slice('/admin/users/'.length) || null;
      if (id !== null && !UUID.test(id)) throw authError(404, 'user_not_found', 'User not found');
      if (!id && method === 'GET') {
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const perPage = Math.min(1000, Math.max(1, Number(url.searchParams.get('per_page') ?? 50) || 50));
        const { rows } = await db.admin.query<{ id: string }>(
          'select id from auth.users where deleted_at is null order by created_at, id limit $1 offset $2',
          [perPage, (page - 1) * perPage]);
        const { rows: [{ n }] } = await db.admin.query('select count(*)::int as n from auth.users where deleted_at is null');
        const users = [];
        for (const r of rows) {
          const u = await findUserById(db.admin, r.id);
          if (u) users.push(userJson(u, await identitiesOf(db.admin, u.id)));
        }
        return send(res, 200, { users, aud: 'authenticated' }, { 'x-total-count': String(n) });
      }
      if (!id && method === 'POST') {
        const body = await jsonBody(req, limit);
        if (typeof body.email !== 'string' || !EMAIL.test(body.email)) {
          throw authError(400, 'validation_failed', 'Unable to validate email address: invalid format');
        }
        if (body.password !== undefined) validatePassword(body.password);
        try {
          const user = await createUser(db.admin, {
            email: body.email,
            password: body.password,
            emailConfirm: Boolean(body.email_confirm),
            userMetadata: body.user_metadata ?? body.data,
            appMetadata: body.app_metadata,
          });
          return send(res, 200, userJson(user, await identitiesOf(db.admin, user.id)));
        } catch (e) {
          if ((e as { code?: string }).code === '23505') {
            throw authError(422, 'email_exists', 'A user with this email address has already been registered');
          }
          throw e;
        }
      }
      if (id) {
        const existing = await findUserById(db.admin, id);
        if (!existing) throw authError(404, 'user_not_found', 'User not found');
        if (method === 'GET') return send(res, 200, userJson(existing, await identitiesOf(db.admin, id)));
        if (method === 'DELETE') {
          await db.admin.query('delete from auth.users where id = $1', [id]);
          return send(res, 200, userJson(existing));
        }
        if (method === 'PUT') {
          const body = await jsonBody(req, limit);
          if (body.password !== undefined) {
            await db.admin.query(
              `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 10)) where id = $1`,
              [id, validatePassword(body.password)]);
          }
          if (body.user_metadata !== undefined) {
            await db.admin.query(`update auth.users set raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || $2 where id = $1`, [id, body.user_metadata]);
          }
          if (body.app_metadata !== undefined) {
            await db.admin.query(`update auth.users set raw_app_meta_data = coalesce(raw_app_meta_data, '{}') || $2 where id = $1`, [id, body.app_metadata]);
          }
          if (body.email_confirm === true) {
            await db.admin.query('update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = $1', [id]);
          }
          if (body.ban_duration !== undefined) {
            const hours = body.ban_duration === 'none' ? null : Number(/^(\d+)h$/.exec(String(body.ban_duration))?.[1]);
            if (hours === undefined || Number.isNaN(hours)) throw authError(400, 'validation_failed', 'ban_duration must be like "24h" or "none"');
            await db.admin.query(`update auth.users set banned_until = case when $2::int is null then null else now() + make_interval(hours => $2::int) end where id = $1`, [id, hours]);
          }
          await db.admin.query('update auth.users set updated_at = now() where id = $1', [id]);
          const u = (await findUserById(db.admin, id))!;
          return send(res, 200, userJson(u, await identitiesOf(db.admin, id)));
        }
      }
    }

    throw new HttpError(404, { code: 404, error_code: 'not_found', msg: `No auth endpoint ${method} ${path}` });
  };
}
