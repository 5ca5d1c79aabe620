// End to end through the running stack: a demo sales user asks for a proposal and a mockup
// over the REST API; the insert's trigger posts to the renderer through pg_net, the renderer
// claims the job, renders with LibreOffice / OpenCV, uploads to Storage and completes the job.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { repoRoot } from '../../devstack/src/config.ts';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { anonKey, sql, url } from '../contract/env.ts';

const demo = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users as { email: string; password: string }[];

async function signIn(email: string): Promise<{ client: SupabaseClient; id: string }> {
  const user = demo.find((u) => u.email === email)!;
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signInWithPassword({ email, password: user.password });
  if (error) throw error;
  return { client, id: data.user.id };
}

async function waitForJob(client: SupabaseClient, jobId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data, error } = await client.from('render_jobs').select('status, progress, error, result, attempts').eq('id', jobId).single();
    if (error) throw error;
    if (data.status === 'succeeded' || data.status === 'failed') return data;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${data.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('render jobs end to end', () => {
  let rep: { client: SupabaseClient; id: string };
  before(async () => {
    rep = await signIn('dubai.rep1@mmg.demo');
  });

  it('renders a two-location proposal: job succeeds once, proposal ready, PDF and PPTX downloadable by the owner only', async () => {
    const { data, error } = await rep.client.rpc('request_proposal', {
      request: {
        proposal_type: 'separate',
        client_name: 'Emirates NBD',
        items: [
          { location: 'dubai_gateway', options: [{ start_date: '2026-12-01', duration_weeks: 4, net_rate: 1250000 }] },
          { location: 'szr_unipole_north', production_fee: 8500, options: [{ start_date: '2027-01-01', duration_weeks: 4, net_rate: 195000 }] },
        ],
      },
    });
    assert.equal(error, null);
    const job = await waitForJob(rep.client, data.job_id);
    assert.equal(job.status, 'succeeded', `job error: ${job.error}`);
    assert.equal(job.attempts, 1, 'rendered exactly once');
    const { data: proposal } = await rep.client.from('proposals').select('status, pdf_path, pptx_path, total_amount').eq('id', data.proposal_id).single();
    assert.equal(proposal!.status, 'ready');
    assert.equal(proposal!.total_amount, Number(data.quote.totals.total.aed));
    const pdf = await rep.client.storage.from('proposals').download(proposal!.pdf_path);
    assert.equal(pdf.error, null);
    const bytes = Buffer.from(await pdf.data!.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const pptx = await rep.client.storage.from('proposals').download(proposal!.pptx_path);
    assert.equal(Buffer.from(await pptx.data!.arrayBuffer()).subarray(0, 2).toString(), 'PK');

    const other = await signIn('uk.rep@mmg.demo');
    const foreign = await other.client.storage.from('proposals').download(proposal!.pdf_path);
    assert.ok(foreign.error, 'another team\'s sales user must never download the PDF');
    const hidden = await other.client.from('proposals').select('id').eq('id', data.proposal_id);
    assert.deepEqual(hidden.data, []);
  });

  it('composites a mockup onto a demo billboard photo from an uploaded creative', async () => {
    const creative = renderBillboardPhoto({ seed: 99, timeOfDay: 'day', width: 600, height: 400 }).png;
    const path = `${rep.id}/creatives/e2e-${Date.now()}.png`;
    const up = await rep.client.storage.from('uploads').upload(path, creative, { contentType: 'image/png' });
    assert.equal(up.error, null);
    const { data, error } = await rep.client.rpc('request_mockup', {
      request: { location: 'dubai_gateway', time_of_day: 'day', side: 'all', environment: 'outdoor', creative_paths: [path] },
    });
    assert.equal(error, null);
    const job = await waitForJob(rep.client, data.job_id);
    assert.equal(job.status, 'succeeded', `job error: ${job.error}`);
    const out = await rep.client.storage.from('mockups').download(job.result.output_path);
    assert.equal(out.error, null);
    const jpg = Buffer.from(await out.data!.arrayBuffer());
    assert.deepEqual([...jpg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  });

  it('refuses a mockup whose creative lives in someone else\'s folder, and queues nothing', async () => {
    const other = await signIn('dubai.rep2@mmg.demo');
    const before = await sql('select count(*)::int as n from public.render_jobs');
    const { error } = await other.client.rpc('request_mockup', {
      request: { location: 'dubai_gateway', time_of_day: 'day', side: 'all', environment: 'outdoor', creative_paths: [`${rep.id}/creatives/anything.png`] },
    });
    assert.ok(error);
    const after = await sql('select count(*)::int as n from public.render_jobs');
    assert.equal(after[0].n, before[0].n);
  });
});
