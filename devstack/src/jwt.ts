// HS256 JWTs shaped like GoTrue's: the same secret signs user sessions, the anon and
// service-role API keys and storage signed URLs, as on a Supabase project.
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export type Claims = JWTPayload & { role?: string; [k: string]: unknown };

export class JwtError extends Error {
  constructor(readonly reason: 'expired' | 'invalid' | 'missing', message: string) {
    super(message);
  }
}

const key = (secret: string) => new TextEncoder().encode(secret);

export function signJwt(
  secret: string,
  claims: Claims,
  expiresInSeconds?: number,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now);
  if (expiresInSeconds !== undefined) jwt.setExpirationTime(now + expiresInSeconds);
  return jwt.sign(key(secret));
}

export async function verifyJwt(secret: string, token: string | undefined | null): Promise<Claims> {
  if (!token) throw new JwtError('missing', 'No JWT was provided');
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    return payload as Claims;
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new JwtError('expired', 'JWT expired');
    throw new JwtError('invalid', `Invalid JWT: ${(e as Error).message}`);
  }
}

/** The two API keys of the stack: long-lived JWTs carrying only a role, like Supabase's. */
export async function apiKeys(secret: string): Promise<{ anon: string; serviceRole: string }> {
  // A fixed issue time keeps the keys identical across restarts of one checkout.
  const issuedAt = 1767225600;
  const tenYears = 10 * 365 * 24 * 3600;
  return {
    anon: await signJwt(secret, { iss: 'supabase-devstack', role: 'anon' }, tenYears, issuedAt),
    serviceRole: await signJwt(secret, { iss: 'supabase-devstack', role: 'service_role' }, tenYears, issuedAt),
  };
}
