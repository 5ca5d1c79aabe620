// Entry point of the local stack: `start` (setup database, gateway, pg_net worker; Ctrl-C stops
// everything, data persists), `reset` (rebuild the database from migrations + seed), `env`
// (print connection settings of the stack), `stop` (stop a Postgres left running).
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type ProfileName, repoRoot, type StackConfig } from './config.ts';
import { apiKeys } from './jwt.ts';
import { failures, waitForStackReady } from './health.ts';
import { log, setLogFile } from './log.ts';
import { prepareDatabase, stopCluster, withSuperuser } from './postgres.ts';
import { startGateway } from './gateway/server.ts';
import { uploadSeedPhotos } from '../../seed/upload-photos.ts';
import { registerRenderer, startRenderer } from './renderer-process.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

async function envLines(cfg: StackConfig): Promise<string[]> {
  const keys = await apiKeys(cfg.jwtSecret);
  return [
    `SUPABASE_URL=${cfg.apiUrl}`,
    `SUPABASE_ANON_KEY=${keys.anon}`,
    `SUPABASE_SERVICE_ROLE_KEY=${keys.serviceRole}`,
    `SUPABASE_DB_URL=${cfg.dbUrl}`,
  ];
}

interface DemoUser { email: string; password: string; profile?: string; companies?: string[]; teams?: string[] }

function demoUsers(): DemoUser[] {
  const file = join(repoRoot, 'seed/users.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).users as DemoUser[]) : [];
}

function demoPhotosMissing(cfg: StackConfig): Promise<boolean> {
  return withSuperuser(cfg, async (c) => {
    const { rows } = await c.query<{ missing: boolean }>(
      `select not exists (select 1 from storage.objects where bucket_id = 'location-photos') as missing`);
    return rows[0].missing;
  });
}

async function start(cfg: StackConfig): Promise<void> {
  const t0 = performance.now();
  setLogFile(join(cfg.logDir, 'stack.log'));
  const created = await prepareDatabase(cfg, { fresh: flag('fresh') });
  const gateway = await startGateway(cfg);
  await registerRenderer(cfg);
  const renderer = flag('no-renderer') ? null : startRenderer(cfg, gateway.gw.keys.serviceRole);
  // The SQL seed names demo photos; their bytes go through Storage once the gateway is up, also
  // after `npm run db:reset`, which rebuilds the database without a gateway.
  if (created || await demoPhotosMissing(cfg)) {
    const n = await uploadSeedPhotos(cfg.apiUrl, gateway.gw.keys.serviceRole);
    log.info('demo photos uploaded', { count: n });
  }
  // "ready" means every service says so on its /ready probe, not just that it was started.
  const reports = await waitForStackReady(cfg, { anonKey: gateway.gw.keys.anon, withRenderer: renderer !== null });
  const degraded = reports.flatMap(failures);
  const readyFile = join(cfg.stackDir, 'ready.json');
  const lines = await envLines(cfg);
  writeFileSync(readyFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const users = demoUsers();
  const out = [
    '',
    `MMG sales platform is ${degraded.length ? 'up but DEGRADED' : 'ready'} (${cfg.profile} stack, ${created ? 'new database with demo data' : 'existing data'}, ${seconds} s)`,
    ...(degraded.length ? ['', '  Failing readiness checks (docs/operations.md says what to do):', ...degraded.map((d) => `    ${d}`)] : []),
    '',
    `  Web app        ${cfg.apiUrl}/`,
    `  API gateway    ${cfg.apiUrl}  (auth, rest, storage, functions)`,
    `  Renderer       ${renderer ? `http://127.0.0.1:${cfg.rendererPort}` : 'not started (--no-renderer)'}`,
    `  Postgres       ${cfg.dbUrl}`,
    `  Probes         ${cfg.apiUrl}/ready, ${cfg.apiUrl}/metrics, ${cfg.apiUrl}/functions/v1/<name>/ready`,
    `  Logs           ${cfg.logDir}/ (stack.log, renderer.log, function-<name>.log)`,
    '',
    ...lines.map((l) => `  ${l}`),
    '',
    users.length ? '  Demo logins (email / password / profile):' : '',
    ...users.map((u) => `    ${u.email.padEnd(34)} ${u.password.padEnd(16)} ${u.profile ?? ''}`),
    '',
    'Press Ctrl-C to stop. Data is kept in .stack/ across restarts (npm run db:reset rebuilds it).',
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    await renderer?.stop().catch(() => {});
    await gateway.close().catch(() => {});
    stopCluster(cfg);
    rmSync(readyFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'start';
  const cfg = loadConfig((arg('profile') as ProfileName | undefined) ?? 'dev');
  switch (command) {
    case 'start':
      return start(cfg);
    case 'reset': {
      await prepareDatabase(cfg, { fresh: true });
      stopCluster(cfg);
      process.stdout.write('Database rebuilt from migrations and seed.\n');
      return;
    }
    case 'env': {
      process.stdout.write(`${(await envLines(cfg)).join('\n')}\n`);
      if (!existsSync(join(cfg.stackDir, 'ready.json'))) process.stderr.write('note: the stack is not running (npm start)\n');
      return;
    }
    case 'stop':
      stopCluster(cfg);
      return;
    default:
      throw new Error(`unknown command "${command}" (start, reset, env, stop)`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
