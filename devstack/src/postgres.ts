// The private Postgres 15 cluster of a stack: created with initdb, started and stopped with
// pg_ctl, always as the `postgres` OS user when we run as root (initdb refuses root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { authenticatorPassword, repoRoot, type StackConfig } from './config.ts';
import { log } from './log.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

function asPostgres(cmd: string, args: string[]): { status: number | null; out: string } {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args]] : [join(PG_BIN, cmd), args];
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function ownByPostgres(path: string): void {
  if (!isRoot) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(path, uid, gid);
}

function ensureDir(path: string, forPostgres: boolean): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (forPostgres) ownByPostgres(path);
}

export function clusterExists(cfg: StackConfig): boolean {
  return existsSync(join(cfg.pgDataDir, 'PG_VERSION'));
}

export function initCluster(cfg: StackConfig): void {
  ensureDir(cfg.stackDir, false);
  ensureDir(cfg.pgDataDir, true);
  ensureDir(cfg.pgSocketDir, true);
  ensureDir(cfg.logDir, true);
  const pwFile = join(cfg.pgSocketDir, 'initpw');
  writeFileSync(pwFile, 'postgres\n', { mode: 0o600 });
  ownByPostgres(pwFile);
  const r = asPostgres('initdb', [
    '-D', cfg.pgDataDir, '-U', 'postgres', '--pwfile', pwFile, '--auth-local=trust',
    '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8',
  ]);
  rmSync(pwFile, { force: true });
  if (r.status !== 0) throw new Error(`initdb failed:\n${r.out}`);
  writeClusterConf(cfg);
}

/** The stack's server settings; rewritten on every start so existing clusters pick up changes. */
function writeClusterConf(cfg: StackConfig): boolean {
  const conf = [
    `port = ${cfg.dbPort}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${cfg.pgSocketDir}'`,
    `shared_preload_libraries = 'pg_cron'`,
    `cron.database_name = 'postgres'`,
    `max_connections = 200`,
    `shared_buffers = 256MB`,
    `fsync = ${cfg.profile === 'test' ? 'off' : 'on'}`,
    `synchronous_commit = ${cfg.profile === 'test' ? 'off' : 'on'}`,
    `timezone = 'UTC'`,
    `log_min_messages = warning`,
    // pg_cron runs jobs in background workers instead of connecting over TCP with a password.
    `cron.use_background_workers = on`,
    `max_worker_processes = 16`,
  ].join('\n') + '\n';
  const file = join(cfg.pgDataDir, 'postgresql.auto.conf');
  if (existsSync(file) && readFileSync(file, 'utf8') === conf) return false;
  writeFileSync(file, conf);
  ownByPostgres(file);
  return true;
}

export function isRunning(cfg: StackConfig): boolean {
  return clusterExists(cfg) && asPostgres('pg_ctl', ['-D', cfg.pgDataDir, 'status']).status === 0;
}

export function startCluster(cfg: StackConfig): void {
  const changed = writeClusterConf(cfg);
  if (isRunning(cfg)) {
    if (!changed) return;
    stopCluster(cfg);
  }
  ensureDir(cfg.pgSocketDir, true);
  ensureDir(cfg.logDir, true);
  const r = asPostgres('pg_ctl', ['-D', cfg.pgDataDir, '-l', join(cfg.logDir, 'postgres.log'), '-w', '-t', '60', 'start']);
  if (r.status !== 0) {
    const tail = existsSync(join(cfg.logDir, 'postgres.log'))
      ? readFileSync(join(cfg.logDir, 'postgres.log'), 'utf8').split('\n').slice(-20).join('\n')
      : '';
    throw new Error(`Postgres did not start (port ${cfg.dbPort} busy?):\n${r.out}\n${tail}`);
  }
}

export function stopCluster(cfg: StackConfig): void {
  if (!isRunning(cfg)) return;
  asPostgres('pg_ctl', ['-D', cfg.pgDataDir, '-m', 'fast', '-w', 'stop']);
}

export function destroyCluster(cfg: StackConfig): void {
  stopCluster(cfg);
  rmSync(cfg.pgDataDir, { recursive: true, force: true });
  rmSync(cfg.storageDir, { recursive: true, force: true });
}

export async function withSuperuser<T>(cfg: StackConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: cfg.dbUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Applies the Supabase-image bootstrap; every file is idempotent. */
export async function applyBootstrap(cfg: StackConfig): Promise<void> {
  const dir = join(repoRoot, 'devstack/bootstrap');
  await withSuperuser(cfg, async (c) => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
      await c.query(readFileSync(join(dir, file), 'utf8'));
    }
    await c.query(`alter role authenticator with login password ${pg.escapeLiteral(authenticatorPassword(cfg))}`);
  });
}

const MIGRATION_NAME = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export function migrationFiles(): { version: string; name: string; path: string }[] {
  const dir = join(repoRoot, 'supabase/migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const m = MIGRATION_NAME.exec(f);
      if (!m) throw new Error(`migration file name must be YYYYMMDDHHMMSS_name.sql: ${f}`);
      return { version: m[1], name: m[2], path: join(dir, f) };
    });
}

/**
 * Applies pending migrations, each in its own transaction, and records them in the table the
 * Supabase CLI uses, so `supabase db push` and this runner agree on what is applied.
 */
export function applyMigrations(cfg: StackConfig): Promise<{ applied: string[]; wasEmpty: boolean }> {
  return withSuperuser(cfg, async (c) => {
    await c.query(`create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations
        (version text primary key, statements text[], name text)`);
    const { rows } = await c.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: string[] = [];
    for (const m of migrationFiles()) {
      if (applied.has(m.version)) continue;
      const sql = readFileSync(m.path, 'utf8');
      try {
        await c.query('begin');
        await c.query(sql);
        await c.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [m.version, m.name, [sql]]);
        await c.query('commit');
      } catch (e) {
        await c.query('rollback');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(e as Error).message}`);
      }
      done.push(`${m.version}_${m.name}`);
    }
    return { applied: done, wasEmpty: applied.size === 0 };
  });
}

export async function applySeedSql(cfg: StackConfig): Promise<void> {
  const file = join(repoRoot, 'supabase/seed.sql');
  if (!existsSync(file)) return;
  await withSuperuser(cfg, async (c) => {
    await c.query(readFileSync(file, 'utf8'));
  });
}

/**
 * Brings a cluster to "bootstrapped and migrated". A database that had no migration applied
 * before is new: it gets the seed, and the function returns true.
 */
export async function prepareDatabase(cfg: StackConfig, opts: { fresh?: boolean } = {}): Promise<boolean> {
  if (opts.fresh) destroyCluster(cfg);
  if (!clusterExists(cfg)) {
    log.info('creating Postgres cluster', { dir: cfg.pgDataDir });
    initCluster(cfg);
  }
  startCluster(cfg);
  await applyBootstrap(cfg);
  const { applied, wasEmpty } = await applyMigrations(cfg);
  if (applied.length) log.info('migrations applied', { count: applied.length });
  if (wasEmpty) await applySeedSql(cfg);
  return wasEmpty;
}
