// auth.users rows and their JSON form as GoTrue returns it.
import type pg from 'pg';

export interface AuthUserRow {
  id: string;
  aud: string;
  role: string;
  email: string;
  email_confirmed_at: Date | null;
  phone: string | null;
  confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  banned_until: Date | null;
  is_anonymous: boolean;
}

const USER_COLUMNS = `id, aud, role, email, email_confirmed_at, phone, confirmed_at, last_sign_in_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at, banned_until, is_anonymous`;

export function userJson(u: AuthUserRow, identities: unknown[] = []) {
  return {
    id: u.id,
    aud: u.aud,
    role: u.role,
    email: u.email,
    email_confirmed_at: u.email_confirmed_at,
    phone: u.phone ?? '',
    confirmed_at: u.confirmed_at,
    last_sign_in_at: u.last_sign_in_at,
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities,
    created_at: u.created_at,
    updated_at: u.updated_at,
    is_anonymous: u.is_anonymous,
  };
}

export async function findUserById(db: pg.Pool | pg.PoolClient, id: string): Promise<AuthUserRow | null> {
  const { rows } = await db.query<AuthUserRow>(
    `select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [id]);
  return rows[0] ?? null;
}

/** Returns the user only when the password matches the stored bcrypt hash. */
export async function findUserByPassword(db: pg.Pool, email: string, password: string): Promise<AuthUserRow | null> {
  const { rows } = await db.query<AuthUserRow>(
    `select ${USER_COLUMNS} from auth.users
      where lower(email) = lower($1) and deleted_at is null and encrypted_password is not null
        and encrypted_password = extensions.crypt($2, encrypted_password)`,
    [email, password]);
  return rows[0] ?? null;
}

export async function identitiesOf(db: pg.Pool | pg.PoolClient, userId: string): Promise<unknown[]> {
  const { rows } = await db.query(
    `select id, user_id, identity_data, provider, provider_id as id_in_provider, last_sign_in_at,
            created_at, updated_at, email
       from auth.identities where user_id = $1`, [userId]);
  return rows.map((r) => ({ ...r, identity_id: r.id }));
}

export interface NewUser {
  email: string;
  password?: string;
  emailConfirm?: boolean;
  userMetadata?: Record<string, unknown>;
  appMetadata?: Record<string, unknown>;
}

/** Creates the user and its email identity in one transaction, as GoTrue's admin API does. */
export async function createUser(db: pg.Pool, input: NewUser): Promise<AuthUserRow> {
  const client = await db.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
          raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
          lower($1), case when $2::text is null then null else extensions.crypt($2, extensions.gen_salt('bf', 10)) end,
          case when $3 then now() end, $4, $5, now(), now(), false, false)
       returning id`,
      [input.email, input.password ?? null, input.emailConfirm ?? false,
        { provider: 'email', providers: ['email'], ...(input.appMetadata ?? {}) }, input.userMetadata ?? {}]);
    const id = rows[0].id;
    await client.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at, last_sign_in_at)
       values ($1::text, $1::uuid, jsonb_build_object('sub', $1::text, 'email', lower($2::text), 'email_verified', $3::boolean,
               'phone_verified', false), 'email', now(), now(), now())`,
      [id, input.email, input.emailConfirm ?? false]);
    await client.query('commit');
    // On the held connection, never a second one from the pool (see startSession).
    return (await findUserById(client, id))!;
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}
