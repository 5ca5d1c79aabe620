// Shared setup of the contract suite. It only needs SUPABASE_URL, the two API keys and (for
// fixtures) SUPABASE_DB_URL, so the same suite runs against the local stack or a real project.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { randomUUID } from 'node:crypto';

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through \`npm test\` or export the values from \`npm run stack:env\``);
  return v;
}

export const url = need('SUPABASE_URL');
export const anonKey = need('SUPABASE_ANON_KEY');
export const serviceKey = need('SUPABASE_SERVICE_ROLE_KEY');
export const dbUrl = need('SUPABASE_DB_URL');
export const isLocalStack = /^http:\/\/(127\.0\.0\.1|localhost)/.test(url);

const noSession = { auth: { persistSession: false, autoRefreshToken: false } };

export const anon = (): SupabaseClient => createClient(url, anonKey, noSession);
export const admin = (): SupabaseClient => createClient(url, serviceKey, noSession);

export async function sql<T extends pg.QueryResultRow = any>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

export interface TestUser { id: string; email: string; password: string; client: SupabaseClient; accessToken: string }

/** A fresh confirmed user created through the admin API, signed in with its own client. */
export async function newUser(label = 'user'): Promise<TestUser> {
  const email = `contract-${label}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const { data, error } = await admin().auth.admin.createUser({ email, password, email_confirm: true, user_metadata: { name: label } });
  if (error) throw error;
  const client = anon();
  const signIn = await client.auth.signInWithPassword({ email, password });
  if (signIn.error) throw signIn.error;
  return { id: data.user.id, email, password, client, accessToken: signIn.data.session!.access_token };
}

export async function removeUser(u: TestUser | undefined): Promise<void> {
  if (u) await admin().auth.admin.deleteUser(u.id);
}
