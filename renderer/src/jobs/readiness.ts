// GET /ready (contract §5): the database answers, Storage has the buckets the jobs write to,
// a PDF engine is there (Gotenberg's /health, or a LibreOffice that starts — SOFFICE_PATH or
// `soffice`) and the OpenCV addon loads. Each check is bounded in time; a failing check is
// reported by name with what went wrong, and makes the renderer "degraded" (HTTP 503).
import { execFile } from 'node:child_process';
import type { SupabaseClient } from '@supabase/supabase-js';
import { loadAddon } from '../mockup/index.ts';
import { CHECK_TIMEOUT_MS, type Readiness, readiness } from '../../../supabase/functions/_shared/readiness.ts';
import { MOCKUP_BUCKET } from './handlers/mockup.ts';
import { PROPOSAL_BUCKET } from './handlers/proposal.ts';

/** The buckets render jobs upload their outputs to. */
const OUTPUT_BUCKETS = [PROPOSAL_BUCKET, MOCKUP_BUCKET];

/** Only a LibreOffice that started once is remembered: a broken one is tried again each probe. */
const libreOfficeSeen = new Set<string>();

function libreOfficeVersion(soffice: string): Promise<string> {
  if (libreOfficeSeen.has(soffice)) return Promise.resolve(soffice);
  return new Promise((resolve, reject) => {
    execFile(soffice, ['--version'], { timeout: CHECK_TIMEOUT_MS }, (error, stdout) => {
      if (error || !/LibreOffice/i.test(stdout)) return reject(new Error(`LibreOffice (${soffice}) did not start: ${error?.message ?? stdout.trim()}`));
      libreOfficeSeen.add(soffice);
      resolve(soffice);
    });
  });
}

export function readinessProbe(supabase: SupabaseClient, gotenbergUrl: string | null): () => Promise<Readiness> {
  const pdfEngine = gotenbergUrl
    ? async () => {
      const res = await fetch(`${gotenbergUrl.replace(/\/+$/, '')}/health`);
      if (!res.ok) throw new Error(`Gotenberg /health answered ${res.status}`);
      return gotenbergUrl;
    }
    : () => libreOfficeVersion(process.env.SOFFICE_PATH ?? 'soffice');
  return () => readiness('renderer', {
    database: async () => {
      const { error } = await supabase.from('render_jobs').select('id').limit(1);
      if (error) throw new Error(error.message);
    },
    storage: async () => {
      for (const bucket of OUTPUT_BUCKETS) {
        const { error } = await supabase.storage.getBucket(bucket);
        if (error) throw new Error(`bucket ${bucket}: ${error.message}`);
      }
    },
    [gotenbergUrl ? 'gotenberg' : 'libreoffice']: pdfEngine,
    mockup_addon: () => {
      loadAddon();
      return Promise.resolve();
    },
  });
}
