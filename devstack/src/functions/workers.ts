// One real Deno process per edge function, started on first use and kept warm. The function's
// own `Deno.serve(handler)` is pointed at a private port with DENO_SERVE_ADDRESS, so the code
// under supabase/functions runs exactly as written for hosted Supabase.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../config.ts';
import { logger } from '../log.ts';

const log = logger('functions');

export interface FunctionWorker {
  name: string;
  port: number;
  process: ChildProcess;
  ready: Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export const denoBin = join(repoRoot, 'node_modules/.bin/deno');

export class FunctionWorkers {
  private workers = new Map<string, FunctionWorker>();

  constructor(
    private readonly env: () => Record<string, string>,
    private readonly logDir: string,
    private readonly startTimeoutMs = 60_000,
  ) {}

  entryOf(name: string): string | null {
    const entry = join(repoRoot, 'supabase/functions', name, 'index.ts');
    return existsSync(entry) ? entry : null;
  }

  async get(name: string): Promise<FunctionWorker> {
    const existing = this.workers.get(name);
    if (existing && existing.process.exitCode === null && !existing.process.killed) {
      await existing.ready;
      return existing;
    }
    const entry = this.entryOf(name);
    if (!entry) throw new Error(`function ${name} has no index.ts`);
    const port = await freePort();
    mkdirSync(this.logDir, { recursive: true });
    const out = createWriteStream(join(this.logDir, `function-${name}.log`), { flags: 'a' });
    const child = spawn(denoBin, ['run', '--allow-all', '--no-prompt', entry], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env(), DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    const worker: FunctionWorker = { name, port, process: child, ready: this.waitReady(child, port, name) };
    this.workers.set(name, worker);
    child.once('exit', (code) => {
      if (this.workers.get(name) === worker) this.workers.delete(name);
      log.info('function stopped', { name, code });
    });
    await worker.ready;
    return worker;
  }

  private async waitReady(child: ChildProcess, port: number, name: string): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`function ${name} exited during start (code ${child.exitCode}); see function-${name}.log`);
      if (await portOpen(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`function ${name} did not start within ${this.startTimeoutMs} ms`);
  }

  /** Stops a worker so the next request starts it again (used after code changes). */
  stop(name: string): void {
    this.workers.get(name)?.process.kill('SIGTERM');
    this.workers.delete(name);
  }

  stopAll(): void {
    for (const w of this.workers.values()) w.process.kill('SIGTERM');
    this.workers.clear();
  }
}
