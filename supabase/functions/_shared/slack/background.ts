// Work that continues after the HTTP answer. Slack wants an acknowledgement within 3 s (the
// platform target is 100 ms) and retries otherwise, so handlers answer first and hand the rest
// to a BackgroundRunner:
//   - hosted Supabase: EdgeRuntime.waitUntil(promise) keeps the isolate alive until the work
//     ends (within the platform's wall-clock limit);
//   - anywhere else (the local stack runs functions as long-lived `deno run` processes): a
//     detached promise — the process stays up, so the work completes.
// Failures are logged: the person was already acknowledged, and the dedupe claim stays taken,
// so a retry of the same event never runs the work a second time.

export type BackgroundRunner = (label: string, task: () => Promise<void>) => void;

interface EdgeRuntimeLike {
  waitUntil(promise: Promise<unknown>): void;
}

function edgeRuntime(): EdgeRuntimeLike | null {
  const runtime = (globalThis as { EdgeRuntime?: EdgeRuntimeLike }).EdgeRuntime;
  return runtime && typeof runtime.waitUntil === 'function' ? runtime : null;
}

export interface RunnerOptions {
  /** Tasks running at once; the rest wait in order. */
  concurrency?: number;
  /**
   * True while requests are still being acknowledged: waiting tasks hold back so the
   * acknowledgements of a burst go first — but never longer than `maxDeferMs`.
   */
  busy?: () => boolean;
  maxDeferMs?: number;
}

/**
 * A runner that keeps at most `concurrency` tasks running and queues the rest, so a burst of
 * events cannot starve the acknowledgements of the next requests of CPU and connections (and
 * Slack's per-method rate limits are not hit by a hundred posts at once).
 */
export function createBackgroundRunner(options: RunnerOptions = {}): BackgroundRunner {
  const concurrency = options.concurrency ?? 8;
  const busy = options.busy ?? (() => false);
  const maxDeferMs = options.maxDeferMs ?? 250;
  let running = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Array<{ start: () => void; queuedAt: number }> = [];
  const next = () => {
    timer = undefined;
    while (running < concurrency && queue.length) {
      if (busy() && performance.now() - queue[0].queuedAt < maxDeferMs) {
        timer ??= setTimeout(next, 5);
        return;
      }
      running++;
      queue.shift()!.start();
    }
  };
  return (label, task) => {
    const done = new Promise<void>((resolve) => {
      queue.push({
        queuedAt: performance.now(),
        start: () => {
          Promise.resolve()
            .then(task)
            .catch((e) => console.error(`background task ${label} failed:`, e))
            .finally(() => {
              running--;
              resolve();
              next();
            });
        },
      });
    });
    edgeRuntime()?.waitUntil(done);
    // Started after the current request's answer is on its way.
    timer ??= setTimeout(next, 0);
  };
}

export const runInBackground: BackgroundRunner = createBackgroundRunner();

/** For tests: runs tasks in the background and lets the test wait until all have ended. */
export function collectingRunner(): BackgroundRunner & {
  settle(): Promise<void>;
  failures: unknown[];
} {
  const pending = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const runner = ((label: string, task: () => Promise<void>) => {
    const p: Promise<void> = Promise.resolve()
      .then(task)
      .catch((e) => {
        failures.push(e);
        console.error(`background task ${label} failed:`, e);
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }) as BackgroundRunner & { settle(): Promise<void>; failures: unknown[] };
  runner.failures = failures;
  runner.settle = async () => {
    while (pending.size) await Promise.all([...pending]);
  };
  return runner;
}
