// `npm test`: every suite of the project against a freshly built `test` stack (its own ports
// and data, so a running `npm start` is untouched). Prints a table of suites and ends with the
// single line `N passed, N failed`, counting individual tests of every suite.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, repoRoot } from '../devstack/src/config.ts';
import { apiKeys } from '../devstack/src/jwt.ts';
import { stopCluster } from '../devstack/src/postgres.ts';

interface SuiteResult { name: string; passed: number; failed: number; seconds: number; note?: string }
const results: SuiteResult[] = [];
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const only = process.env.TEST_ONLY?.split(';').map((s) => s.trim());

function files(dir: string, pattern: RegExp): string[] {
  const abs = join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** Runs a command, echoing its output, and returns it for counting. */
function run(cmd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 20 * 60_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}

async function suite(name: string, fn: () => Promise<Omit<SuiteResult, 'name' | 'seconds'>>): Promise<void> {
  if (only && !only.includes(name)) return;
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const t0 = performance.now();
  let r: Omit<SuiteResult, 'name' | 'seconds'>;
  try {
    r = await fn();
  } catch (e) {
    r = { passed: 0, failed: 1, note: (e as Error).message };
  }
  results.push({ name, seconds: (performance.now() - t0) / 1000, ...r });
}

/** A whole-command check (type check, lint): one test, passed when the command exits 0. */
async function commandSuite(name: string, cmd: string, args: string[]): Promise<void> {
  await suite(name, async () => {
    const { code } = await run(cmd, args);
    return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1, note: `exit ${code}` };
  });
}

/** Counts TAP `ok` / `not ok` lines (pg_prove -v and node --test-reporter=tap). */
function countTap(out: string, code: number): Omit<SuiteResult, 'name' | 'seconds'> {
  let passed = 0;
  let failed = 0;
  for (const line of out.split('\n')) {
    if (/^\s*ok \d+/.test(line) && !/# (SKIP|TODO)/i.test(line)) passed++;
    else if (/^\s*not ok \d+/.test(line) && !/# TODO/i.test(line)) failed++;
  }
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed, note: code !== 0 ? `exit ${code}` : undefined };
}

/** node:test's TAP nests subtests; only leaf results are counted once via the summary lines. */
function countNodeTap(out: string, code: number): Omit<SuiteResult, 'name' | 'seconds'> {
  const pass = [...out.matchAll(/^# pass (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
  const fail = [...out.matchAll(/^# fail (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
  const failed = code !== 0 && fail === 0 ? 1 : fail;
  return { passed: pass, failed, note: code !== 0 ? `exit ${code}` : undefined };
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const cfg = loadConfig('test');
  const keys = await apiKeys(cfg.jwtSecret);
  const stackEnv = {
    STACK_PROFILE: 'test',
    // The chat end-to-end tests answer as the model from this port; the stack's functions call it.
    // It sits below Linux's ephemeral range (32768+), so no outgoing connection can be holding it.
    FAKE_LLM_PORT: String(31390 + (Number(process.env.STACK_PORT_OFFSET ?? 0) || 0)),
    // The Slack tests start a stand-in of Slack's Web API here and sign events with this secret.
    SLACK_SIGNING_SECRET: 'test-signing-secret-for-the-local-stack',
    SLACK_API_URL: `http://127.0.0.1:${31391 + (Number(process.env.STACK_PORT_OFFSET ?? 0) || 0)}/api/`,
    // supabase-js creates a realtime client that needs a global WebSocket (built in from Node 22).
    NODE_OPTIONS: '--experimental-websocket',
    SUPABASE_URL: cfg.apiUrl,
    SUPABASE_ANON_KEY: keys.anon,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRole,
    SUPABASE_DB_URL: cfg.dbUrl,
  };

  await commandSuite('typecheck (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  const functionEntries = files('supabase/functions', /^index\.ts$/);
  await commandSuite('typecheck (deno check)', bin('deno'), ['check', ...functionEntries]);
  await commandSuite('typecheck (web)', 'npm', ['run', 'typecheck', '--workspace', 'web', '--silent']);
  await commandSuite('lint (deno lint)', bin('deno'), ['lint']);


  await suite('node tests (renderer)', async () => {
    const { code, out } = await run(bin('tsx'), ['--test', '--test-reporter=tap', ...files('renderer/test', /\.test\.ts$/)]);
    return countNodeTap(out, code);
  });

  // The test stack: rebuilt from migrations + seed, run as a child so a crash cannot hang CI.
  process.stdout.write('\n━━ starting the test stack ━━\n');
  rmSync(join(cfg.stackDir, 'ready.json'), { force: true });
  const stack = spawn(bin('tsx'), ['devstack/src/cli.ts', 'start', '--profile', 'test', '--fresh'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: stackEnv.NODE_OPTIONS,
      OPENAI_API_KEY: 'test-key-for-the-local-fake',
      OPENAI_BASE_URL: `http://127.0.0.1:${stackEnv.FAKE_LLM_PORT}/v1`,
      SLACK_SIGNING_SECRET: stackEnv.SLACK_SIGNING_SECRET,
      SLACK_API_URL: stackEnv.SLACK_API_URL,
      SLACK_BOT_TOKEN: 'xoxb-test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stackLog = '';
  stack.stdout.on('data', (d) => (stackLog += d));
  stack.stderr.on('data', (d) => (stackLog += d));
  let stackUp = true;
  try {
    await Promise.race([
      waitFor(`${cfg.apiUrl}/health`, 120_000),
      new Promise((_, reject) => stack.once('exit', (c) => reject(new Error(`stack exited with ${c}`)))),
    ]);
  } catch (e) {
    stackUp = false;
    process.stdout.write(`${stackLog}\n`);
    results.push({ name: 'test stack start', passed: 0, failed: 1, seconds: 0, note: (e as Error).message });
  }

  if (stackUp) {
    // pgTAP runs first, on the freshly seeded database; later suites add data of their own.
    const sqlTests = files('supabase/tests', /\.test\.sql$/);
    await suite('pgTAP (supabase/tests)', async () => {
      if (!sqlTests.length) return { passed: 0, failed: 0, note: 'no tests' };
      const { code, out } = await run('pg_prove', ['-v', '-h', '127.0.0.1', '-p', String(cfg.dbPort), '-U', 'postgres', '-d', 'postgres', ...sqlTests], { PGPASSWORD: 'postgres' });
      return countTap(out, code);
    });
    await suite('deno tests (edge functions)', async () => {
      // With the stack env the functions' end-to-end tests run too (none is ignored).
      const { code, out } = await run(bin('deno'), ['test', '--allow-all', 'supabase/functions'], stackEnv);
      const m = /(\d+) passed.*?(\d+) failed/.exec(out);
      return m ? { passed: Number(m[1]), failed: Number(m[2]) || (code ? 1 : 0) } : { passed: 0, failed: 1, note: `exit ${code}` };
    });
    await suite('node tests (devstack, seed)', async () => {
      const tests = [...files('devstack/test', /\.test\.ts$/), ...files('seed/test', /\.test\.ts$/)];
      const { code, out } = await run(bin('tsx'), ['--test', '--test-reporter=tap', '--test-concurrency=1', ...tests], stackEnv);
      return countNodeTap(out, code);
    });
    await suite('browser tests (web, Chromium)', async () => {
      const { code, out } = await run(bin('tsx'), ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files('web/e2e', /\.test\.ts$/)], stackEnv);
      return countNodeTap(out, code);
    });
    await suite('model-based RLS isolation', async () => {
      const { code, out } = await run(bin('tsx'), ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files('tests/model', /\.test\.ts$/)], stackEnv);
      return countNodeTap(out, code);
    });
    await suite('end-to-end tests', async () => {
      const { code, out } = await run(bin('tsx'), ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files('tests/e2e', /\.test\.ts$/)], stackEnv);
      return countNodeTap(out, code);
    });
    await suite('contract tests (supabase-js)', async () => {
      const tests = files('tests/contract', /\.test\.ts$/);
      const { code, out } = await run(bin('tsx'), ['--test', '--test-reporter=tap', '--test-concurrency=1', ...tests], stackEnv);
      return countNodeTap(out, code);
    });
  }

  stack.kill('SIGTERM');
  await new Promise((r) => stack.once('exit', r).once('error', r));
  stopCluster(cfg);

  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  process.stdout.write('\n━━ summary ━━\n');
  for (const r of results) {
    process.stdout.write(`${r.failed ? '✗' : '✓'} ${r.name.padEnd(34)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${r.seconds.toFixed(1).padStart(7)} s${r.note ? `  (${r.note})` : ''}\n`);
  }
  process.stdout.write(`total time ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
