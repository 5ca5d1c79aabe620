// The render-job lifecycle against the running stack (issue 4, "Job lifecycle"): a duplicated
// delivery is processed once; a renderer killed in the middle of a job leaves it to the sweep,
// which re-leases it to another renderer that finishes it exactly once; a PDF engine that keeps
// failing ends the job after max_attempts with a readable error and no files.
//
// The extra renderers are started here (`node --import tsx renderer/src/main.ts`, the same code
// the stack runs) on ports of their own, with the stack's keys and the secret from
// private.app_settings. While a test needs one of them, app_settings.renderer_url points at it;
// it is restored afterwards. No test hook exists in the renderer: a 10-location combined
// proposal is simply slow enough to be caught mid-job.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { sql } from '../contract/env.ts';
import {
  assertFailedWithoutFiles, assertOneDeck, assertReadableError, attemptTwice, clientSlug, convertingOn, dispatch, expireLeaseAndSweep, finished, job,
  proposalObjects, type Renderer, requestCombinedProposal, setRendererUrl, setting, signIn, sleep, startRenderer, suffix, tenLocations,
} from '../support/render-jobs.ts';

describe('render job lifecycle', () => {
  let rep: { client: SupabaseClient; id: string };
  let secret: string;
  let stackRendererUrl: string;
  let locations: string[];
  const renderers: Renderer[] = [];

  before(async () => {
    rep = await signIn('dubai.rep1@mmg.demo');
    secret = await setting('renderer_secret');
    stackRendererUrl = await setting('renderer_url');
    assert.ok(secret && stackRendererUrl, 'the stack registers its renderer in private.app_settings');
    assert.ok((await fetch(`${stackRendererUrl}/health`)).ok, `the stack's renderer answers at ${stackRendererUrl}`);
    locations = await tenLocations();
    assert.equal(locations.length, 10, 'the demo data has ten active Dubai locations');
  });

  after(async () => {
    await setRendererUrl(stackRendererUrl);
    await Promise.all(renderers.map((r) => r.stop()));
  });

  it('processes a job delivered three times (pg_net plus two duplicates) exactly once', async () => {
    const client = `Duplicate Delivery ${suffix()}`;
    const { data, error } = await rep.client.rpc('request_proposal', {
      request: {
        client_name: client,
        items: [{ location: 'dubai_gateway', options: [{ start_date: '2026-12-01', duration_weeks: 4, net_rate: 1250000 }] }],
      },
    });
    assert.equal(error, null);
    // The trigger has already posted the job; two more deliveries of the same dispatch follow
    // at once, as a retrying network or a second sweep would send them.
    const answers = await Promise.all([dispatch(stackRendererUrl, secret, data.job_id, 'proposal'), dispatch(stackRendererUrl, secret, data.job_id, 'proposal')]);
    assert.deepEqual(answers.map((a) => a.status), [202, 202]);
    const done = await finished(data.job_id);
    assert.equal(done.status, 'succeeded', `job error: ${done.error}`);
    assert.equal(done.attempts, 1, 'claimed once');

    // A late duplicate after the job finished changes nothing.
    assert.equal((await dispatch(stackRendererUrl, secret, data.job_id, 'proposal')).status, 202);
    await sleep(1500);
    const later = await job(data.job_id);
    assert.deepEqual([later.status, later.attempts, later.finished_at?.getTime()], ['succeeded', 1, done.finished_at?.getTime()]);
    const objects = await proposalObjects(rep.id, clientSlug(client));
    assert.deepEqual(objects, [done.result!.pdf_path, done.result!.pptx_path].sort(), 'one PDF and one PPTX');
  });

  it('composites a duplicated mockup job once and logs one usage row for it', async () => {
    const creative = renderBillboardPhoto({ seed: 42, timeOfDay: 'day', width: 400, height: 260 }).png;
    const path = `${rep.id}/creatives/lifecycle-${suffix()}.png`;
    assert.equal((await rep.client.storage.from('uploads').upload(path, creative, { contentType: 'image/png' })).error, null);
    const { data, error } = await rep.client.rpc('request_mockup', {
      request: { location: 'dubai_gateway', time_of_day: 'night', side: 'gold', creative_paths: [path] },
    });
    assert.equal(error, null);
    await Promise.all([dispatch(stackRendererUrl, secret, data.job_id, 'mockup'), dispatch(stackRendererUrl, secret, data.job_id, 'mockup')]);
    const done = await finished(data.job_id);
    assert.equal(done.status, 'succeeded', `job error: ${done.error}`);
    assert.equal(done.attempts, 1);
    const usage = await sql(
      `select user_id::text, company, location_key, time_of_day::text, side::text, photo_path, creative_count, success, error, duration_ms
       from public.mockup_usage where job_id = $1`, [data.job_id]);
    assert.equal(usage.length, 1, 'one usage row for the one attempt');
    assert.deepEqual({ ...usage[0], duration_ms: undefined }, {
      user_id: rep.id, company: 'backlite_dubai', location_key: 'dubai_gateway', time_of_day: 'night', side: 'gold',
      photo_path: 'backlite_dubai/dubai_gateway/outdoor/night/gold/DubaiGateway_2.png', creative_count: 1, success: true, error: null,
      duration_ms: undefined,
    });
    assert.ok(usage[0].duration_ms > 0 && usage[0].duration_ms < 60_000, `duration ${usage[0].duration_ms} ms`);
  });

  it('logs a failed mockup attempt with its error, and fails the job at once (bad input is not retried)', async () => {
    const corrupt = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(200)]);
    const path = `${rep.id}/creatives/corrupt-${suffix()}.png`;
    assert.equal((await rep.client.storage.from('uploads').upload(path, corrupt, { contentType: 'image/png' })).error, null);
    const { data, error } = await rep.client.rpc('request_mockup', {
      request: { location: 'dubai_gateway', time_of_day: 'day', side: 'gold', creative_paths: [path] },
    });
    assert.equal(error, null);
    const done = await finished(data.job_id);
    assert.deepEqual([done.status, done.attempts], ['failed', 1]);
    assert.match(done.error!, /^creative 1/);
    const usage = await sql('select success, error, creative_count, time_of_day::text, side::text from public.mockup_usage where job_id = $1', [data.job_id]);
    assert.deepEqual(usage, [{ success: false, error: done.error, creative_count: 1, time_of_day: 'day', side: 'gold' }]);
    const mockup = (await sql('select status::text, output_path from public.mockups where id = $1', [data.mockup_id]))[0];
    assert.deepEqual(mockup, { status: 'failed', output_path: null });
  });

  it('re-leases the job of a renderer killed mid-job and finishes it exactly once (attempts = 2)', async () => {
    const doomed = await startRenderer(secret);
    renderers.push(doomed);
    const client = `Killed Renderer ${suffix()}`;
    let jobId: string;
    let proposalId: string;
    try {
      await setRendererUrl(doomed.url);
      ({ jobId, proposalId } = await requestCombinedProposal(rep.client, client, locations));
      await convertingOn(jobId, doomed.child.pid!);
      await doomed.kill();
      assert.match(doomed.output(), new RegExp(`"job.claimed","job_id":"${jobId}"`), 'the doomed renderer had claimed the job');
    } finally {
      await setRendererUrl(stackRendererUrl);
    }

    const orphan = await job(jobId!);
    assert.deepEqual([orphan.status, orphan.attempts], ['running', 1], 'the job still holds the dead renderer\'s lease');
    assert.deepEqual(await proposalObjects(rep.id, clientSlug(client)), [], 'nothing was uploaded');

    // The lease would run for another two minutes: end it now and let the sweep do its work.
    const sweep = await expireLeaseAndSweep(jobId!);
    assert.ok(sweep.requeued >= 1 && sweep.dispatched >= 1, `the sweep re-queued and re-dispatched: ${JSON.stringify(sweep)}`);

    const done = await finished(jobId!);
    await assertOneDeck(rep.id, client, proposalId!, done);
    assert.equal(done.attempts, 2, 'the second attempt finished it');
    const pdf = await rep.client.storage.from('proposals').download(done.result!.pdf_path);
    assert.equal(pdf.error, null);
    assert.equal(Buffer.from(await pdf.data!.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    assert.equal(Number(done.result!.pages), 1 + 10 + 1 + 1, 'intro, ten photo slides, the package, outro');
  });

  it('fails a job after max_attempts when the PDF engine keeps failing, with a readable error and no files', async () => {
    // A Gotenberg that answers every conversion with 500, as one whose LibreOffice crashes does.
    const gotenberg: Server = createServer((req, res) => {
      req.resume();
      if (req.url === '/health') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"up"}');
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Internal Server Error');
    });
    await new Promise<void>((r) => gotenberg.listen(0, '127.0.0.1', r));
    const broken = await startRenderer(secret, { GOTENBERG_URL: `http://127.0.0.1:${(gotenberg.address() as AddressInfo).port}` });
    renderers.push(broken);
    const client = `Failing Engine ${suffix()}`;
    let jobId: string;
    let proposalId: string;
    try {
      const run = await attemptTwice(rep.client, client, broken.url);
      ({ jobId, proposalId } = run);
      assert.equal(run.retried.status, 'queued', 'attempt 1 failed and the job went back to the queue');
      assert.match(run.retried.error ?? '', /^PDF conversion failed: Gotenberg conversion failed: .*Status: 500 Internal Server Error/);
      const { done } = run;
      assert.equal(done.status, 'failed');
      assert.equal(done.attempts, 2);
      assert.match(done.error!, /^gave up after 2 attempts: PDF conversion failed: Gotenberg conversion failed: Gotenberg API Error: Endpoint: http:\/\/127\.0\.0\.1:\d+\/forms\/libreoffice\/convert Status: 500 Internal Server Error/);
      assertReadableError(done.error);
      assert.ok(done.finished_at, 'finished');
      const ready = await fetch(`${broken.url}/ready`);
      assert.equal(ready.status, 200, 'the engine\'s /health is up: only conversions fail');
    } finally {
      await setRendererUrl(stackRendererUrl);
      await broken.stop();
      await new Promise((r) => gotenberg.close(r));
    }

    await assertFailedWithoutFiles(rep, client, proposalId!, jobId!);
  });
});
