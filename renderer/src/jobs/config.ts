// The renderer's configuration, from the environment only (hosted and local deployments set
// the same variables). Missing essentials stop the process at start, never at the first job.
import { positiveIntFromEnv } from '../semaphore.ts';

export interface RendererConfig {
  supabaseUrl: string;
  serviceRoleKey: string;
  /** Shared with `private.app_settings.renderer_secret`; pg_net sends it as a Bearer token. */
  secret: string;
  host: string;
  port: number;
  /** Whole jobs at once (RENDER_CONCURRENCY). PDF conversions have their own limit. */
  renderConcurrency: number;
  leaseSeconds: number;
  gotenbergUrl: string | null;
  /** METRICS_TOKEN: when set, /metrics wants it as a Bearer token (the figures include LLM spend). */
  metricsToken: string | null;
}

export const MIN_SECRET_LENGTH = 16;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RendererConfig {
  const missing = ['SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'RENDERER_SECRET'].filter((k) => !env[k]?.trim());
  if (missing.length) throw new Error(`renderer: missing environment variable(s): ${missing.join(', ')}`);
  const secret = env.RENDERER_SECRET!.trim();
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`renderer: RENDERER_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  const port = positiveIntFromEnv('RENDERER_PORT', 54340, env);
  if (port > 65535) throw new Error(`renderer: RENDERER_PORT must be a TCP port, got ${port}`);
  return {
    supabaseUrl: env.SUPABASE_URL!.trim(),
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY!.trim(),
    secret,
    host: env.RENDERER_HOST?.trim() || '127.0.0.1',
    port,
    renderConcurrency: positiveIntFromEnv('RENDER_CONCURRENCY', 2, env),
    leaseSeconds: positiveIntFromEnv('RENDER_LEASE_SECONDS', 120, env),
    gotenbergUrl: env.GOTENBERG_URL?.trim() || null,
    metricsToken: env.METRICS_TOKEN?.trim() || null,
  };
}
