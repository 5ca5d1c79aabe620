// Render faults. The lifecycle e2e test kills an extra renderer and feeds another one a failing
// Gotenberg; here the stack's own, supervised renderer is killed, and the failing engine is the
// local one: LibreOffice dying of a signal.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertFailedWithoutFiles, assertOneDeck, assertReadableError, attemptTwice, clientSlug, convertingOn, expireLeaseAndSweep, finished, job,
  killRendererProcess, proposalObjects, requestCombinedProposal, setRendererUrl, setting, signIn, startRenderer, suffix, tenLocations, waitFor,
} from '../support/render-jobs.ts';
import { listenerPid } from '../support/suite-stack.ts';
import type { FaultCase } from './case.ts';

/** Resolves once a process that is not our child has exited. */
const gone = (pid: number) => waitFor(`process ${pid} to exit`, () => {
  try {
    process.kill(pid, 0);
    return Promise.resolve(false);
  } catch {
    return Promise.resolve(true);
  }
}, 10_000, 20);

export const rendererKilledMidJob: FaultCase = {
  name: 'renderer killed mid-job (SIGKILL while LibreOffice converts)',
  expected: 'the supervisor restarts it; after the lease, the sweep re-queues the job; finished once (attempts 2), one PDF + one PPTX',
  async run(stack) {
    const rep = await signIn('dubai.rep1@mmg.demo');
    const client = `Fault Killed ${suffix()}`;
    const pid = listenerPid(stack.cfg.rendererPort);
    assert.ok(pid, `the stack's renderer listens on port ${stack.cfg.rendererPort}`);
    const { jobId, proposalId } = await requestCombinedProposal(rep.client, client, await tenLocations());
    await convertingOn(jobId, pid);
    await killRendererProcess(pid, gone(pid));

    const orphan = await job(jobId);
    assert.deepEqual([orphan.status, orphan.attempts], ['running', 1], 'the job still holds the dead renderer\'s lease');
    assert.deepEqual(await proposalObjects(rep.id, clientSlug(client)), [], 'nothing was uploaded by the killed attempt');
    const renderer = `http://127.0.0.1:${stack.cfg.rendererPort}`;
    await waitFor('the supervisor to restart the renderer', () => fetch(`${renderer}/health`).then((r) => r.ok, () => false), 30_000, 200);
    const restarted = listenerPid(stack.cfg.rendererPort);
    assert.ok(restarted && restarted !== pid, 'a new renderer process serves the port');

    // The lease (2 min) would run out by itself and pg_cron would sweep within a minute: both now.
    const sweep = await expireLeaseAndSweep(jobId);
    assert.ok(sweep.requeued >= 1 && sweep.dispatched >= 1, `the sweep re-queued and re-dispatched: ${JSON.stringify(sweep)}`);
    const done = await finished(jobId, 90_000);
    await assertOneDeck(rep.id, client, proposalId, done);
    assert.equal(done.attempts, 2, 'the second attempt finished it');
    return `renderer pid ${pid} killed at progress ${orphan.progress}%, restarted as ${restarted}; job succeeded on attempt ${done.attempts}, ` +
      `${done.result?.pages} pages, one PDF + one PPTX`;
  },
};

export const pdfEngineCrashes: FaultCase = {
  name: 'PDF engine fails (LibreOffice dies of SIGSEGV on every conversion)',
  expected: 'retried up to max_attempts, then failed with one readable error line; proposal failed, no files',
  async run() {
    const rep = await signIn('dubai.rep2@mmg.demo');
    const dir = await mkdtemp(join(tmpdir(), 'mmg-fault-soffice-'));
    const soffice = join(dir, 'soffice');
    await writeFile(soffice, '#!/bin/sh\necho "simulated crash of soffice.bin" >&2\nkill -SEGV $$\n');
    await chmod(soffice, 0o755);
    const stackRenderer = await setting('renderer_url');
    const broken = await startRenderer(await setting('renderer_secret'), { SOFFICE_PATH: soffice });
    const client = `Fault Engine ${suffix()}`;
    try {
      const { jobId, proposalId, retried, done } = await attemptTwice(rep.client, client, broken.url);
      assert.equal(retried.status, 'queued', `attempt 1 went back to the queue (${retried.status}: ${retried.error})`);
      assert.match(retried.error ?? '', /^PDF conversion failed: LibreOffice produced no PDF \(signal SIGSEGV\)/);
      assert.deepEqual([done.status, done.attempts], ['failed', 2]);
      assert.match(done.error ?? '', /^gave up after 2 attempts: PDF conversion failed: LibreOffice produced no PDF \(signal SIGSEGV\)/);
      assertReadableError(done.error);
      await assertFailedWithoutFiles(rep, client, proposalId, jobId);
      return `attempt 1 re-queued, attempt 2 gave up: "${done.error}"; proposal failed, no files`;
    } finally {
      await setRendererUrl(stackRenderer);
      await broken.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
