// The one typed supabase-js client of the app, created once the runtime config is known.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types';
import type { RuntimeConfig } from './config';

export type Supabase = SupabaseClient<Database>;

let client: Supabase | null = null;
let config: RuntimeConfig | null = null;

export function initSupabase(cfg: RuntimeConfig): Supabase {
  config = cfg;
  client = createClient<Database>(cfg.supabaseUrl, cfg.anonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true, storageKey: 'mmg.auth' },
  });
  return client;
}

export function supabase(): Supabase {
  if (!client) throw new Error('supabase client used before initSupabase()');
  return client;
}

export function runtimeConfig(): RuntimeConfig {
  if (!config) throw new Error('runtime config used before initSupabase()');
  return config;
}
