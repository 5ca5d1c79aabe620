// Runs the renderer service beside the gateway and tells the database where it is: the
// render-job dispatch trigger reads `renderer_url` and `renderer_secret` from
// private.app_settings, exactly the settings an admin sets on a hosted project.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type StackConfig } from './config.ts';
import { logger } from './log.ts';
import { withSuperuser } from './postgres.ts';

const log = logger('renderer');

export async function registerRenderer(cfg: StackConfig): Promise<void> {
  await withSuperuser(cfg, async (c) => {
    // Booking-order documents are rendered by the same service (the queue posts that kind to its own setting).
    await c.query(
      `insert into private.app_settings (key, value) values ('renderer_url', $1), ('renderer_secret', $2),
         ('booking_order_worker_url', $1), ('booking_order_worker_secret', $2)
       on conflict (key) do update set value = excluded.value, updated_at = now()`,
      [`http://127.0.0.1:${cfg.rendererPort}`, cfg.rendererSecret],
    );
  });
}

export interface RendererProcess {
  stop(): Promise<void>;
}

/** Starts the renderer and restarts it if it crashes (with a growing pause, capped at 30 s). */
export function startRenderer(cfg: StackConfig, serviceRoleKey: string): RendererProcess {
  mkdirSync(cfg.logDir, { recursive: true });
  const out = createWriteStream(join(cfg.logDir, 'renderer.log'), { flags: 'a' });
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  const launch = () => {
    child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['renderer/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SUPABASE_URL: cfg.apiUrl,
        SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
        RENDERER_SECRET: cfg.rendererSecret,
        RENDERER_PORT: String(cfg.rendererPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      restarts += 1;
      const pause = Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      log.warn('renderer exited; restarting', { code, signal, pauseMs: pause, log: join(cfg.logDir, 'renderer.log') });
      setTimeout(() => !stopping && launch(), pause);
    });
  };
  launch();
  return {
    stop() {
      stopping = true;
      const c = child;
      if (!c || c.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
        c.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        c.kill('SIGTERM');
      });
    },
  };
}
