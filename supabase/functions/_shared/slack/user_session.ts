// Signed-in sessions of linked Slack users, obtained the Supabase-native way so everything the
// agent does for them runs with their OWN JWT (RLS, auth.uid(), the workflow's actor checks):
// the service role asks Auth for a magic link (admin generateLink — nothing is e-mailed) and
// exchanges its hashed token at once (verifyOtp token_hash). Sessions are kept per user until
// shortly before they expire, then refreshed with their refresh token (a new link only when
// that fails). Tokens are never logged or put into error messages.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

export interface SessionUser {
  user_id: string;
  email: string;
}

export class UserSessionError extends Error {}

interface Session {
  accessToken: string;
  refreshToken: string;
  /** Unix seconds. */
  expiresAt: number;
}

export interface UserSessionOptions {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Renew this many seconds before expiry (a turn must not outlive its token). */
  marginSeconds?: number;
  /** Unix seconds. */
  now?: () => number;
}

const CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
};

export class UserSessions {
  readonly #service: SupabaseClient;
  readonly #options: UserSessionOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #pending = new Map<string, Promise<Session>>();
  /** How many sessions were started from a magic link / refreshed (for tests and logs). */
  readonly stats = { signIns: 0, refreshes: 0 };

  constructor(options: UserSessionOptions) {
    this.#options = options;
    this.#service = createClient(options.supabaseUrl, options.serviceRoleKey, CLIENT_OPTIONS);
  }

  #now(): number {
    return this.#options.now?.() ?? Math.floor(Date.now() / 1000);
  }

  #anon(): SupabaseClient {
    return createClient(this.#options.supabaseUrl, this.#options.anonKey, CLIENT_OPTIONS);
  }

  /** A valid access token of the user; concurrent callers for one user share one sign-in. */
  async accessToken(user: SessionUser): Promise<string> {
    const cached = this.#sessions.get(user.user_id);
    const margin = this.#options.marginSeconds ?? 120;
    if (cached && cached.expiresAt - margin > this.#now()) return cached.accessToken;
    let pending = this.#pending.get(user.user_id);
    if (!pending) {
      pending = this.#renew(user, cached).finally(() => this.#pending.delete(user.user_id));
      this.#pending.set(user.user_id, pending);
    }
    return (await pending).accessToken;
  }

  /** Forgets a user's session (unlinked, deactivated, or refused by the API). */
  forget(userId: string): void {
    this.#sessions.delete(userId);
  }

  async #renew(user: SessionUser, previous: Session | undefined): Promise<Session> {
    let session: Session | null = null;
    if (previous) {
      const { data, error } = await this.#anon().auth.refreshSession({
        refresh_token: previous.refreshToken,
      });
      if (!error && data.session && data.user?.id === user.user_id) {
        session = this.#keep(data.session);
        this.stats.refreshes++;
      }
    }
    if (!session) session = await this.#signIn(user);
    this.#sessions.set(user.user_id, session);
    return session;
  }

  async #signIn(user: SessionUser): Promise<Session> {
    const link = await this.#service.auth.admin.generateLink({
      type: 'magiclink',
      email: user.email,
    });
    const tokenHash = link.data?.properties?.hashed_token;
    if (link.error || !tokenHash) {
      throw new UserSessionError(
        `could not start a session for ${user.email}: ${link.error?.message ?? 'no token'}`,
      );
    }
    const { data, error } = await this.#anon().auth.verifyOtp({
      token_hash: tokenHash,
      type: 'magiclink',
    });
    if (error || !data.session) {
      throw new UserSessionError(
        `could not start a session for ${user.email}: ${error?.message ?? 'no session'}`,
      );
    }
    // The link was asked for by e-mail: make sure it signed in the user we resolved.
    if (data.user?.id !== user.user_id) {
      throw new UserSessionError(`the account of ${user.email} is not the linked platform user`);
    }
    this.stats.signIns++;
    return this.#keep(data.session);
  }

  #keep(
    session: {
      access_token: string;
      refresh_token: string;
      expires_at?: number;
      expires_in?: number;
    },
  ): Session {
    return {
      accessToken: session.access_token,
      refreshToken: session.refresh_token,
      expiresAt: session.expires_at ?? this.#now() + (session.expires_in ?? 3600),
    };
  }
}
