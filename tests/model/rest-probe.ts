// What a user actually gets through the REST API with their own JWT, via the real supabase-js:
// one select for every read decision, and one update and one delete over all of the run's
// proposals sent with `Prefer: tx=rollback`, so each returns exactly the rows the user may
// change while nothing is changed.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { loadConfig } from '../../devstack/src/config.ts';
import { signJwt } from '../../devstack/src/jwt.ts';
import type { LoadedOrg } from './org-loader.ts';
import type { Action } from './reference-model.ts';

export interface StackEnv {
  url: string;
  anonKey: string;
  dbUrl: string;
  jwtSecret: string;
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through \`npm test\` or export the values from \`npm run stack:env\``);
  return v;
}

/** The running stack; the JWT secret is the checkout's (SUPABASE_JWT_SECRET overrides it). */
export function stackEnv(): StackEnv {
  return {
    url: need('SUPABASE_URL'),
    anonKey: need('SUPABASE_ANON_KEY'),
    dbUrl: need('SUPABASE_DB_URL'),
    jwtSecret: process.env.SUPABASE_JWT_SECRET ?? loadConfig().jwtSecret,
  };
}

/** A supabase-js client whose every request carries a session JWT signed for the user. */
export async function clientFor(env: StackEnv, userId: string): Promise<SupabaseClient> {
  const jwt = await signJwt(env.jwtSecret, { sub: userId, role: 'authenticated', aud: 'authenticated' }, 3600);
  return createClient(env.url, env.anonKey, {
    accessToken: () => Promise.resolve(jwt),
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

export type Observed = Record<Action, Set<string>>;

const LEVEL: Record<Action, string> = { read: 'read', update: 'read_write', delete: 'full' };

/** public.can_access for one proposal at the level each action needs (one RPC per level). */
export async function canAccess(client: SupabaseClient, proposalId: string): Promise<Record<Action, boolean>> {
  const ask = async (action: Action) => {
    const { data, error } = await client.rpc('can_access', { record_type: 'proposal', record_id: proposalId, level: LEVEL[action] });
    if (error) throw new Error(`can_access failed: ${error.message}`);
    return data === true;
  };
  return { read: await ask('read'), update: await ask('update'), delete: await ask('delete') };
}

const PAGE = 1000;

function keysOf(loaded: LoadedOrg, rows: { id: string }[] | null, error: { message: string } | null, what: string): string[] {
  if (error) throw new Error(`${what} failed: ${error.message}`);
  // Only the run's proposals count: admins also see everybody else's.
  return (rows ?? []).flatMap((r) => loaded.proposalKeys.get(r.id) ?? []);
}

export async function observe(client: SupabaseClient, loaded: LoadedOrg): Promise<Observed> {
  const read: string[] = [];
  for (let from = 0; ; from += PAGE) {
    const { data, error } = await client.from('proposals').select('id')
      .like('client_name', loaded.proposalPattern).order('id').range(from, from + PAGE - 1);
    read.push(...keysOf(loaded, data, error, 'select'));
    if ((data?.length ?? 0) < PAGE) break;
  }
  const updated = await client.from('proposals').update({ payment_terms: 'model check: rolled back' })
    .like('client_name', loaded.proposalPattern).select('id').rollback();
  const deleted = await client.from('proposals').delete()
    .like('client_name', loaded.proposalPattern).select('id').rollback();
  return {
    read: new Set(read),
    update: new Set(keysOf(loaded, updated.data, updated.error, 'update')),
    delete: new Set(keysOf(loaded, deleted.data, deleted.error, 'delete')),
  };
}
