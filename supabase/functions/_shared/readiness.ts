// The readiness report every service of the platform answers on its /ready probe — the edge
// functions (probes.ts beside this file), the renderer and the local stack's gateway all build
// it here. Pure TypeScript with no imports, so Deno and Node load the same file:
//
//   { "status": "ready" | "degraded", "service": "...", "checks": { "<name>": { "status":
//     "ok" | "failed" | "off", "detail"?: "..." } } }
//
// "off" is a dependency that is deliberately not configured (no LLM key, no Gotenberg): it is
// reported, not a failure. Any "failed" check makes the service degraded (HTTP 503).

export type CheckStatus = 'ok' | 'failed' | 'off';

export interface CheckResult {
  status: CheckStatus;
  detail?: string;
}

export interface Readiness {
  status: 'ready' | 'degraded';
  service: string;
  checks: Record<string, CheckResult>;
}

/** Thrown by a check whose dependency is switched off on purpose. */
export class CheckOff extends Error {}

/** A check resolves (ok, optionally with a detail), throws CheckOff (off) or throws (failed). */
export type Check = () => Promise<string | void>;

export const CHECK_TIMEOUT_MS = 5000;

async function runOne(check: Check, timeoutMs: number): Promise<CheckResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return detail ? { status: 'ok', detail } : { status: 'ok' };
  } catch (e) {
    // fetch says only "fetch failed"; the cause says what (connection refused, DNS, TLS…).
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    const message = e instanceof Error ? `${e.message}${cause}` : String(e);
    return e instanceof CheckOff ? { status: 'off', detail: message } : { status: 'failed', detail: message };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the checks side by side, each bounded in time. */
export async function readiness(service: string, checks: Record<string, Check>, timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => runOne(checks[n], timeoutMs)));
  const out: Record<string, CheckResult> = {};
  names.forEach((n, i) => (out[n] = results[i]));
  return { status: results.some((r) => r.status === 'failed') ? 'degraded' : 'ready', service, checks: out };
}

/** The failing checks of a report, as "name: detail" lines. */
export function failures(report: Readiness): string[] {
  return Object.entries(report.checks)
    .filter(([, r]) => r.status === 'failed')
    .map(([name, r]) => `${report.service}.${name}: ${r.detail ?? 'failed'}`);
}
