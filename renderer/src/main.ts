// Starts the render-job worker: `npx tsx renderer/src/main.ts` with SUPABASE_URL,
// SUPABASE_SERVICE_ROLE_KEY and RENDERER_SECRET set (renderer/README.md lists the rest).
// SIGTERM/SIGINT stop new dispatches and wait for running jobs; a job cut off by a harder stop
// is re-leased by the sweep once its lease expires.
import { createClient } from '@supabase/supabase-js';
import { loadConfig } from './jobs/config.ts';
import { readinessProbe } from './jobs/readiness.ts';
import { createRenderServer } from './jobs/server.ts';
import { jsonLog, processJob } from './jobs/worker.ts';
import { pdfConversions, pdfEngine } from './proposal/pdf.ts';

/** The renderer never subscribes to Realtime; this keeps supabase-js from needing a WebSocket on Node 20. */
class NoRealtime {
  constructor() {
    throw new Error('the renderer does not use Realtime');
  }
}

const config = loadConfig();
const supabase = createClient(config.supabaseUrl, config.serviceRoleKey, {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: NoRealtime as never },
});
const deps = { supabase, leaseSeconds: config.leaseSeconds };
const renderer = createRenderServer({
  secret: config.secret,
  concurrency: config.renderConcurrency,
  process: (job) => processJob(job.job_id, deps),
  ready: readinessProbe(supabase, config.gotenbergUrl),
  metricsToken: config.metricsToken,
});

renderer.server.listen(config.port, config.host, () => {
  jsonLog('renderer.listening', {
    url: `http://${config.host}:${config.port}`,
    pdf_engine: pdfEngine(),
    pdf_concurrency: pdfConversions.limit,
    render_concurrency: config.renderConcurrency,
  });
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1); // a second signal: leave now
  stopping = true;
  jsonLog('renderer.stopping', { signal, pending: renderer.pending() });
  renderer.server.close();
  renderer.drain().then(() => process.exit(0));
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
