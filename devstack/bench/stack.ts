// `npm run bench:stack`: cold start of a fresh test stack to ready, REST rpc round trip
// p50/p95 and auth sign-in p50, measured through supabase-js on loopback. Prints figures only.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { loadConfig, repoRoot } from '../src/config.ts';
import { apiKeys } from '../src/jwt.ts';
import { stopCluster } from '../src/postgres.ts';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const cfg = loadConfig('test');
  const t0 = performance.now();
  const stack = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['devstack/src/cli.ts', 'start', '--profile', 'test', '--fresh'], {
    cwd: repoRoot, stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  for (;;) {
    try {
      if ((await fetch(`${cfg.apiUrl}/health`)).ok) break;
    } catch { /* starting */ }
    if (performance.now() - t0 > 180_000) throw new Error('stack did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const coldStart = (performance.now() - t0) / 1000;

  try {
    const keys = await apiKeys(cfg.jwtSecret);
    const db = new pg.Client({ connectionString: cfg.dbUrl });
    await db.connect();
    await db.query(`create or replace function public.bench_ping(n int) returns int language sql stable as $$ select n + 1 $$`);
    await db.end();
    const opts = { auth: { persistSession: false, autoRefreshToken: false } };
    const adminClient = createClient(cfg.apiUrl, keys.serviceRole, opts);
    const email = `bench-${Date.now()}@example.test`;
    const password = 'bench-password-1';
    await adminClient.auth.admin.createUser({ email, password, email_confirm: true });

    const signIns: number[] = [];
    let userClient = createClient(cfg.apiUrl, keys.anon, opts);
    for (let i = 0; i < 30; i++) {
      userClient = createClient(cfg.apiUrl, keys.anon, opts);
      const t = performance.now();
      const { error } = await userClient.auth.signInWithPassword({ email, password });
      if (error) throw error;
      signIns.push(performance.now() - t);
    }
    const rpc: number[] = [];
    for (let i = 0; i < 550; i++) {
      const t = performance.now();
      const { error } = await userClient.rpc('bench_ping', { n: i });
      if (error) throw error;
      if (i >= 50) rpc.push(performance.now() - t);
    }
    process.stdout.write([
      `cold start to ready:       ${coldStart.toFixed(2)} s (fresh cluster, migrations, seed, gateway)`,
      `rest rpc round trip:       p50 ${pct(rpc, 50).toFixed(2)} ms, p95 ${pct(rpc, 95).toFixed(2)} ms (n=${rpc.length}, authenticated)`,
      `auth sign-in (password):   p50 ${pct(signIns, 50).toFixed(1)} ms (n=${signIns.length}, bcrypt cost 10)`,
      '',
    ].join('\n'));
  } finally {
    stack.kill('SIGTERM');
    await new Promise((r) => stack.once('exit', r));
    stopCluster(cfg);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
