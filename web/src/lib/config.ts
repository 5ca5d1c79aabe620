// Runtime configuration. The gateway serves the SPA and the APIs on one origin, and each stack
// has its own anon key (a JWT signed with a per-checkout secret), so the key cannot be baked
// into the bundle: the app reads GET /config.json ({supabaseUrl?, anonKey}) first and falls
// back to build-time VITE_SUPABASE_URL / VITE_SUPABASE_ANON_KEY. Only the public anon key is
// ever read here; the service-role key never reaches the browser.

export interface RuntimeConfig {
  supabaseUrl: string;
  anonKey: string;
  source: 'config.json' | 'build';
}

export class ConfigError extends Error {}

function fromJson(value: unknown): { supabaseUrl?: string; anonKey?: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const anonKey = typeof v.anonKey === 'string' ? v.anonKey : typeof v.supabaseAnonKey === 'string' ? v.supabaseAnonKey : undefined;
  const supabaseUrl = typeof v.supabaseUrl === 'string' ? v.supabaseUrl : undefined;
  return anonKey ? { anonKey, supabaseUrl } : null;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const origin = window.location.origin;
  try {
    const r = await fetch('/config.json', { headers: { accept: 'application/json' }, cache: 'no-store' });
    // A gateway without the endpoint answers with index.html: only JSON counts.
    if (r.ok && (r.headers.get('content-type') ?? '').includes('json')) {
      const parsed = fromJson(await r.json());
      if (parsed?.anonKey) return { supabaseUrl: parsed.supabaseUrl || origin, anonKey: parsed.anonKey, source: 'config.json' };
    }
  } catch {
    // Fall through to the build-time values.
  }
  const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY as string | undefined;
  if (anonKey) {
    return { supabaseUrl: (import.meta.env.VITE_SUPABASE_URL as string | undefined) || origin, anonKey, source: 'build' };
  }
  throw new ConfigError(
    'The app has no API key: the server must answer GET /config.json with {"supabaseUrl", "anonKey"}, ' +
      'or the app must be built with VITE_SUPABASE_ANON_KEY.',
  );
}
