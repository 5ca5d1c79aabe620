// A private `test` stack for the heavy suites (load, faults): rebuilt from migrations and seed on
// ports of its own (STACK_PORT_OFFSET, default per suite), so it never meets `npm test` or
// `npm start`, with its chat function pointed at the scripted model and its Slack functions at
// the Slack stand-in (fakes.ts). Loopback only. The stack runs in a process group of its own, so
// stopping it reaches its function workers and renderer too.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, repoRoot, type StackConfig } from '../../devstack/src/config.ts';
import { apiKeys } from '../../devstack/src/jwt.ts';
import { stopCluster } from '../../devstack/src/postgres.ts';
import { type FakeServices, startFakeServices } from './fakes.ts';

export interface SuiteStack {
  cfg: StackConfig;
  offset: number;
  signingSecret: string;
  fakes: FakeServices;
  /** False once the stack process (gateway, pg_net worker, supervisor) has exited. */
  alive(): boolean;
  /** The stack's own output (warnings and errors), last `chars` characters. */
  logTail(chars?: number): string;
  /** Stops Postgres (fast shutdown), keeps it down for `downMs`, starts it again. */
  restartPostgres(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Runs postgres-ctl.ts in a child process, so this one keeps serving its traffic meanwhile. */
function postgresCtl(command: 'stop' | 'start', offset: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['tests/support/postgres-ctl.ts', command], {
      cwd: repoRoot,
      env: { ...process.env, STACK_PORT_OFFSET: String(offset) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`postgres ${command} failed (${code}): ${err.slice(-2000)}`))));
  });
}

/**
 * Starts the fakes and the stack, and exports SUPABASE_URL, the API keys and SUPABASE_DB_URL
 * into this process's environment for the helpers that read them (tests/contract/env.ts).
 */
export async function startSuiteStack(defaultOffset: number): Promise<SuiteStack> {
  const offset = Number(process.env.STACK_PORT_OFFSET ?? defaultOffset) || defaultOffset;
  process.env.STACK_PORT_OFFSET = String(offset);
  const cfg = loadConfig('test');
  if (await answers(`${cfg.apiUrl}/health`)) {
    throw new Error(`a stack already answers on ${cfg.apiUrl}: stop it or choose another STACK_PORT_OFFSET`);
  }
  // The same port plan as scripts/run-tests.ts, moved by the offset.
  const fakes = await startFakeServices({ llm: 31390 + offset, slack: 31391 + offset });
  const signingSecret = `suite-signing-secret-${offset}`;
  const readyFile = join(cfg.stackDir, 'ready.json');
  rmSync(readyFile, { force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    NODE_OPTIONS: '--experimental-websocket',
    OPENAI_API_KEY: 'test-key-for-the-scripted-model',
    OPENAI_BASE_URL: fakes.modelUrl,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fakes.slackApiUrl,
    SLACK_BOT_TOKEN: 'xoxb-suite',
  };
  delete env.GOTENBERG_URL; // the stack's renderer converts with LibreOffice, as locally everywhere
  const child: ChildProcess = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['devstack/src/cli.ts', 'start', '--profile', 'test', '--fresh'], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  // Last resort when this process ends without stop() (an uncaught error, a signal): the stack
  // runs detached and would outlive it.
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch { /* the group is gone */ }
  };
  process.once('exit', () => {
    killGroup();
    stopCluster(cfg);
  });

  const stop = async () => {
    if (alive()) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
    }
    killGroup(); // whatever of the group is left (a stuck shutdown, workers, renderer, LibreOffice)
    stopCluster(cfg);
    await fakes.stop();
  };

  const deadline = Date.now() + 180_000;
  while (!existsSync(readyFile)) {
    if (!alive() || Date.now() > deadline) {
      await stop();
      throw new Error(`the test stack did not start (offset ${offset}):\n${log.slice(-4000)}`);
    }
    await sleep(200);
  }
  const keys = await apiKeys(cfg.jwtSecret);
  Object.assign(process.env, {
    SUPABASE_URL: cfg.apiUrl,
    SUPABASE_ANON_KEY: keys.anon,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRole,
    SUPABASE_DB_URL: cfg.dbUrl,
  });
  return {
    cfg,
    offset,
    signingSecret,
    fakes,
    alive,
    logTail: (chars = 4000) => log.slice(-chars),
    async restartPostgres(downMs) {
      await postgresCtl('stop', offset);
      await sleep(downMs);
      await postgresCtl('start', offset);
    },
    stop,
  };
}

/** The id of the process listening on a TCP port (the stack's renderer, say), from `ss`. */
export function listenerPid(port: number): number | null {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  return m ? Number(m[1]) : null;
}

/**
 * The frame of a suite's entry point: starts the stack, runs `body` (which imports the modules
 * that read the stack's environment), stops the stack on every way out — Ctrl-C included — and
 * exits with `body`'s exit code (1 when it throws).
 */
export function runSuite(defaultOffset: number, body: (stack: SuiteStack) => Promise<number>): void {
  const main = async () => {
    const t0 = performance.now();
    const stack = await startSuiteStack(defaultOffset);
    process.stdout.write(`test stack up on ${stack.cfg.apiUrl} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const stopOnSignal = () => void stack.stop().finally(() => process.exit(130));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    try {
      return await body(stack);
    } finally {
      await stack.stop();
    }
  };
  main().then((code) => process.exit(code), (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
