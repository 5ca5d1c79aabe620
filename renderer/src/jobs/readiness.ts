// GET /ready (contract §5): the database answers, Storage has the buckets the jobs write to,
// a PDF engine is there (Gotenberg's /health, or a LibreOffice that starts — SOFFICE_PATH or
// `soffice`) and the OpenCV addon loads. Each check is bounded in time; a failing check is
// reported by name with what went wrong, and makes the renderer "degraded" (HTTP 503).
import { execFile } from 'node:child_process';
import type { SupabaseClient } from '@supabase/supabase-js';
import { loadAddon } from '../mockup/index.ts';
import { MOCKUP_BUCKET } from './handlers/mockup.ts';
import { PROPOSAL_BUCKET } from './handlers/proposal.ts';
import type { ReadinessReport } from './server.ts';

const CHECK_TIMEOUT_MS = 5000;
/** The buckets render jobs upload their outputs to. */
const OUTPUT_BUCKETS = [PROPOSAL_BUCKET, MOCKUP_BUCKET];

async function check(name: string, probe: () => Promise<void>, checks: Record<string, string>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    checks[name] = 'ok';
  } catch (e) {
    checks[name] = e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
}

let libreOfficeSeen = false;

function libreOfficeVersion(soffice: string): Promise<void> {
  if (libreOfficeSeen) return Promise.resolve();
  return new Promise((resolve, reject) => {
    execFile(soffice, ['--version'], { timeout: CHECK_TIMEOUT_MS }, (error, stdout) => {
      if (error || !/LibreOffice/i.test(stdout)) return reject(new Error(`LibreOffice (${soffice}) did not start: ${error?.message ?? stdout.trim()}`));
      libreOfficeSeen = true;
      resolve();
    });
  });
}

export function readinessProbe(supabase: SupabaseClient, gotenbergUrl: string | null): () => Promise<ReadinessReport> {
  return async () => {
    const checks: Record<string, string> = {};
    await Promise.all([
      check('database', async () => {
        const { error } = await supabase.from('render_jobs').select('id').limit(1);
        if (error) throw new Error(error.message);
      }, checks),
      check('storage', async () => {
        for (const bucket of OUTPUT_BUCKETS) {
          const { error } = await supabase.storage.getBucket(bucket);
          if (error) throw new Error(`bucket ${bucket}: ${error.message}`);
        }
      }, checks),
      check(gotenbergUrl ? 'gotenberg' : 'libreoffice', async () => {
        if (!gotenbergUrl) return await libreOfficeVersion(process.env.SOFFICE_PATH ?? 'soffice');
        const res = await fetch(`${gotenbergUrl.replace(/\/+$/, '')}/health`);
        if (!res.ok) throw new Error(`Gotenberg /health answered ${res.status}`);
      }, checks),
      check('mockup_addon', () => {
        loadAddon();
        return Promise.resolve();
      }, checks),
    ]);
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  };
}
