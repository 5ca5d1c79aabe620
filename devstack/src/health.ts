// Probes of the local stack. The gateway answers GET /health (alive), GET /health/pg_net (the
// pg_net worker inside it is alive) and GET /ready (its dependencies: database, Storage's
// directory, the pg_net worker, the Deno runtime of the edge functions). `npm start` waits for
// the readiness of every service — gateway, renderer, each edge function — before it prints
// "ready", and names each failing check when one stays degraded.
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckOff, failures, type Readiness, readiness } from '../../supabase/functions/_shared/readiness.ts';
import { repoRoot, type StackConfig } from './config.ts';
import { denoBin } from './functions/workers.ts';
import type { Gateway } from './gateway/context.ts';
import type { NetWorker } from './net/worker.ts';

export type { Readiness };

export interface GatewayProbeDeps {
  gw: Gateway;
  net: NetWorker;
  /** False when this gateway runs without the pg_net worker (tests start one that way). */
  netStarted: boolean;
}

export function gatewayReadiness({ gw, net, netStarted }: GatewayProbeDeps): Promise<Readiness> {
  return readiness('gateway', {
    database: async () => {
      await gw.db.admin.query('select 1');
    },
    storage: async () => {
      await access(gw.cfg.storageDir, constants.W_OK);
    },
    pg_net: () => {
      if (!netStarted) return Promise.reject(new CheckOff('the pg_net worker is not started in this gateway'));
      const h = net.health();
      if (!h.alive) {
        return Promise.reject(new Error(h.running
          ? `no queue drain for ${h.sinceLastDrainMs ?? '?'} ms${h.lastError ? `: ${h.lastError}` : ''}`
          : 'the worker is stopped'));
      }
      return Promise.resolve(h.listening ? undefined : 'draining by sweep only: LISTEN connection lost');
    },
    functions_runtime: async () => {
      await access(denoBin, constants.X_OK);
    },
  });
}

/** Names of the edge functions (folders of supabase/functions with an index.ts). */
export async function edgeFunctionNames(): Promise<string[]> {
  const dir = join(repoRoot, 'supabase/functions');
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    try {
      await access(join(dir, entry.name, 'index.ts'));
      names.push(entry.name);
    } catch { /* a folder without an entry point is not a function */ }
  }
  return names.sort();
}

async function probe(service: string, url: string, headers: Record<string, string> = {}): Promise<Readiness> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
    const body = await res.json().catch(() => null) as Readiness | null;
    if (body && typeof body === 'object' && (body.status === 'ready' || body.status === 'degraded') && body.checks) {
      return { ...body, service };
    }
    // Alive (it answered) but without a probe of its own: reported, not waited for.
    if (res.status < 500) {
      return { status: 'ready', service, checks: { probe: { status: 'off', detail: `no readiness probe wired (answered ${res.status}; see supabase/functions/_shared/probes.ts)` } } };
    }
    return { status: 'degraded', service, checks: { probe: { status: 'failed', detail: `${url} answered ${res.status} without a readiness report` } } };
  } catch (e) {
    return { status: 'degraded', service, checks: { probe: { status: 'failed', detail: `${url}: ${(e as Error).message}` } } };
  }
}

export interface StackReadinessOptions {
  anonKey: string;
  withRenderer: boolean;
  /** Give up waiting after this long and report what is still degraded. */
  timeoutMs?: number;
}

/**
 * Polls every service's /ready until all are ready or the time is up; returns the last reports.
 * Probing an edge function starts its worker, so they are warm when the first person calls.
 */
export async function waitForStackReady(cfg: StackConfig, opts: StackReadinessOptions): Promise<Readiness[]> {
  const functions = await edgeFunctionNames();
  const targets: [string, string, Record<string, string>][] = [
    ['gateway', `${cfg.apiUrl}/ready`, {}],
    ...functions.map((name): [string, string, Record<string, string>] => [
      `function ${name}`, `${cfg.apiUrl}/functions/v1/${name}/ready`,
      // verify_jwt functions need a key; the anon key is enough for a probe.
      { authorization: `Bearer ${opts.anonKey}`, 'x-request-id': 'stack-start-probe' },
    ]),
  ];
  if (opts.withRenderer) targets.push(['renderer', `http://127.0.0.1:${cfg.rendererPort}/ready`, {}]);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let reports: Readiness[] = [];
  for (;;) {
    reports = await Promise.all(targets.map(([service, url, headers]) => probe(service, url, headers)));
    if (reports.every((r) => r.status === 'ready') || Date.now() > deadline) return reports;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export { failures };
