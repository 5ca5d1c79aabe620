// Settings of one local stack instance. Two profiles share the code: `dev` (the CLI's ports, data
// kept across restarts) and `test` (other ports, rebuilt for every test run) so `npm test` never
// touches the data of a running `npm start`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type ProfileName = 'dev' | 'test';

export interface BucketConfig {
  id: string;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
}

export interface StackConfig {
  profile: ProfileName;
  stackDir: string;
  pgDataDir: string;
  pgSocketDir: string;
  storageDir: string;
  logDir: string;
  apiPort: number;
  dbPort: number;
  /** The renderer service the render-job dispatch trigger posts to. */
  rendererPort: number;
  rendererSecret: string;
  apiUrl: string;
  dbUrl: string;
  authenticatorUrl: string;
  jwtSecret: string;
  jwtExpirySeconds: number;
  exposedSchemas: string[];
  /** Schemas PostgREST appends to the request schema in search_path ([api] extra_search_path). */
  extraSearchPath: string[];
  maxRows: number;
  buckets: BucketConfig[];
  storageFileSizeLimit: number;
  functionsVerifyJwt: Record<string, boolean>;
  azureEnabled: boolean;
  signInsPerMinute: number;
  /** Bodies of REST, auth and function calls above this size answer 413. */
  maxBodyBytes: number;
}

interface Secrets {
  jwtSecret: string;
  authenticatorPassword: string;
  rendererSecret?: string;
}

const PROFILES: Record<ProfileName, { apiPort: number; dbPort: number; rendererPort: number }> = {
  dev: { apiPort: 54321, dbPort: 54322, rendererPort: 54340 },
  test: { apiPort: 54331, dbPort: 54332, rendererPort: 54341 },
};

export function parseSize(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(String(value));
  if (!m) throw new Error(`config.toml: cannot read size "${value}"`);
  const units: Record<string, number> = {
    b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3,
  };
  return Math.round(Number(m[1]) * units[(m[2] ?? 'b').toLowerCase()]);
}

function loadSecrets(stackDir: string): Secrets {
  const file = join(stackDir, 'secrets.json');
  if (existsSync(file)) {
    const existing = JSON.parse(readFileSync(file, 'utf8')) as Secrets;
    if (existing.rendererSecret) return existing;
    // Checkouts created before the renderer existed get its secret added.
    const upgraded = { ...existing, rendererSecret: randomBytes(32).toString('base64url') };
    writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  mkdirSync(stackDir, { recursive: true });
  // Generated per checkout: no well-known keys ever ship in the repository.
  const secrets: Secrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    authenticatorPassword: randomBytes(24).toString('base64url'),
    rendererSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function readSupabaseToml(): Record<string, any> {
  return parseToml(readFileSync(join(repoRoot, 'supabase/config.toml'), 'utf8')) as Record<string, any>;
}

export function loadConfig(profile: ProfileName = (process.env.STACK_PROFILE as ProfileName) ?? 'dev'): StackConfig {
  if (!(profile in PROFILES)) throw new Error(`unknown stack profile "${profile}" (dev or test)`);
  const toml = readSupabaseToml();
  // STACK_PORT_OFFSET moves a test stack to other ports and its own folder, so a second copy
  // (a CI rehearsal beside a developer's test run) never collides with the first.
  const offset = profile === 'test' ? Number(process.env.STACK_PORT_OFFSET ?? 0) || 0 : 0;
  const stackDir = join(repoRoot, '.stack', offset ? `${profile}-${offset}` : profile);
  const base = PROFILES[profile];
  const [apiPort, dbPort, rendererPort] = [base.apiPort + offset, base.dbPort + offset, base.rendererPort + offset];
  const secrets = loadSecrets(stackDir);
  const buckets = Object.entries<Record<string, unknown>>(toml.storage?.buckets ?? {}).map(([id, b]) => ({
    id,
    public: Boolean(b.public),
    fileSizeLimit: parseSize(b.file_size_limit),
    allowedMimeTypes: (b.allowed_mime_types as string[] | undefined) ?? null,
  }));
  const functionsVerifyJwt: Record<string, boolean> = {};
  for (const [name, f] of Object.entries<Record<string, unknown>>(toml.functions ?? {})) {
    functionsVerifyJwt[name] = f.verify_jwt !== false;
  }
  return {
    profile,
    stackDir,
    pgDataDir: join(stackDir, 'pgdata'),
    pgSocketDir: join(stackDir, 'run'),
    storageDir: join(stackDir, 'storage'),
    logDir: join(stackDir, 'logs'),
    apiPort,
    dbPort,
    rendererPort,
    rendererSecret: secrets.rendererSecret!,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    authenticatorUrl:
      `postgresql://authenticator:${secrets.authenticatorPassword}@127.0.0.1:${dbPort}/postgres`,
    jwtSecret: secrets.jwtSecret,
    jwtExpirySeconds: Number(toml.auth?.jwt_expiry ?? 3600),
    exposedSchemas: (toml.api?.schemas as string[]) ?? ['public'],
    extraSearchPath: (toml.api?.extra_search_path as string[]) ?? ['public', 'extensions'],
    maxRows: Number(toml.api?.max_rows ?? 1000),
    buckets,
    storageFileSizeLimit: parseSize(toml.storage?.file_size_limit) ?? 50 * 1024 ** 2,
    functionsVerifyJwt,
    azureEnabled: Boolean(toml.auth?.external?.azure?.enabled),
    // The test stack signs in far more often than a person; the limit itself is tested on a
    // gateway started with a small budget.
    signInsPerMinute: profile === 'test' ? 10_000 : 10,
    maxBodyBytes: 10 * 1024 ** 2,
  };
}

export function authenticatorPassword(cfg: StackConfig): string {
  return new URL(cfg.authenticatorUrl).password;
}
