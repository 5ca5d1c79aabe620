// The proposal and mockup handlers with a JobContext whose storage is in memory: the worker's
// seam between claiming/reporting (tested end to end against the stack) and rendering.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import { JobError } from '../src/jobs/errors.ts';
import { renderMockup } from '../src/jobs/handlers/mockup.ts';
import { PPTX_TYPE, renderProposal } from '../src/jobs/handlers/proposal.ts';
import type { ClaimedJob, JobContext } from '../src/jobs/worker.ts';
import { MockupInputError } from '../src/mockup/index.ts';
import { convertPptxToPdf } from '../src/proposal/pdf.ts';
import { QuoteError } from '../src/proposal/quote.ts';
import { photosFor } from './fixtures/photos.ts';
import { separateUsd } from './fixtures/quotes.ts';
import { solidPng } from './images.ts';
import { slideXml } from './zip.ts';

const OWNER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PROPOSAL = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const MOCKUP = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function contextFor(payload: Record<string, unknown>, objects: Map<string, Buffer>) {
  const uploads: Array<{ key: string; contentType: string; upsert: boolean; bytes: Buffer }> = [];
  const progress: number[] = [];
  const job: ClaimedJob = { id: 'e0c1c2b4-1111-4222-8333-944455556666', kind: 'x', payload, owner_id: OWNER, lease_token: 'lease', attempts: 1 };
  const ctx: JobContext = {
    job,
    startedAt: new Date('2026-11-22T10:15:30Z'),
    log: () => {},
    convertPdf: convertPptxToPdf,
    progress: (p) => {
      progress.push(p);
      return Promise.resolve();
    },
    download: (bucket, path, what) => {
      const bytes = objects.get(`${bucket}/${path}`);
      if (!bytes) return Promise.reject(new JobError(`${what} is missing from storage (${bucket}/${path})`, false));
      return Promise.resolve(bytes);
    },
    upload: (object, bytes, contentType, options) => {
      uploads.push({ key: `${object.bucket}/${object.path}`, contentType, upsert: options?.upsert ?? false, bytes });
      return Promise.resolve();
    },
  };
  return { ctx, uploads, progress };
}

describe('proposal job', () => {
  it('renders the deck and the PDF and stores both under <owner>/<YYYY>/<MM>/<client-slug>_<time>', async () => {
    const photos = new Map([...photosFor(separateUsd)].map(([path, bytes]) => [`location-photos/${path}`, bytes]));
    const { ctx, uploads, progress } = contextFor({ proposal_id: PROPOSAL, quote: JSON.parse(JSON.stringify(separateUsd)) }, photos);
    const result = await renderProposal(ctx);
    const stem = `${OWNER}/2026/11/emirates-nbd_20261122T101530Z`;
    assert.deepEqual(result, { proposal_id: PROPOSAL, bucket: 'proposals', pdf_path: `${stem}.pdf`, pptx_path: `${stem}.pptx`, pages: 6 });
    assert.deepEqual(uploads.map((u) => [u.key, u.contentType, u.upsert]), [
      [`proposals/${stem}.pptx`, PPTX_TYPE, false],
      [`proposals/${stem}.pdf`, 'application/pdf', false],
    ]);
    assert.equal(slideXml(uploads[0].bytes).length, 6);
    assert.equal((await PDFDocument.load(uploads[1].bytes)).getPageCount(), 6);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only grows');
  });

  it('fails without retry on a missing photo or a quote that breaks the contract, before uploading anything', async () => {
    const { ctx, uploads } = contextFor({ proposal_id: PROPOSAL, quote: JSON.parse(JSON.stringify(separateUsd)) }, new Map());
    await assert.rejects(renderProposal(ctx), (e: unknown) => e instanceof JobError && !e.retryable && /the photo of The Dubai Gateway is missing/.test(e.message));
    const broken = contextFor({ proposal_id: PROPOSAL, quote: { ...separateUsd, locations: [] } }, new Map());
    await assert.rejects(renderProposal(broken.ctx), QuoteError);
    const noId = contextFor({ quote: separateUsd }, new Map());
    await assert.rejects(renderProposal(noId.ctx), /no valid proposal_id/);
    assert.equal(uploads.length + broken.uploads.length + noId.uploads.length, 0);
  });
});

describe('mockup job', () => {
  const scene = renderBillboardPhoto({ seed: 3, timeOfDay: 'night', width: 640, height: 420 });
  const creative = `${OWNER}/creatives/red.png`;
  const objects = new Map([
    ['location-photos/backlite_dubai/gateway/night.png', scene.png],
    [`uploads/${creative}`, solidPng(320, 160, [220, 30, 30])],
  ]);
  const payload = {
    mockup_id: MOCKUP,
    company: 'backlite_dubai',
    photo_path: 'backlite_dubai/gateway/night.png',
    frames: [{ points: scene.face }],
    photo_config: null,
    creative_paths: [creative],
    config: { vignette: 0 },
    time_of_day: 'night',
  };

  it('composites the creative and stores <owner>/<mockup>.jpg', async () => {
    const { ctx, uploads } = contextFor(payload, objects);
    const result = await renderMockup(ctx);
    assert.deepEqual(result, { mockup_id: MOCKUP, bucket: 'mockups', output_path: `${OWNER}/${MOCKUP}.jpg` });
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0].key, `mockups/${OWNER}/${MOCKUP}.jpg`);
    assert.equal(uploads[0].contentType, 'image/jpeg');
    assert.deepEqual([...uploads[0].bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  });

  it('refuses creatives outside the requester\'s own uploads folder', async () => {
    for (const path of ['someone-else/secret.png', `${OWNER}/../someone-else/secret.png`]) {
      const { ctx } = contextFor({ ...payload, creative_paths: [path] }, objects);
      await assert.rejects(renderMockup(ctx), (e: unknown) => e instanceof JobError && !e.retryable && /not in the requester's uploads folder/.test(e.message));
    }
  });

  it('passes the compositor\'s input errors through for the requester', async () => {
    const { ctx, uploads } = contextFor({ ...payload, creative_paths: [creative, creative] }, objects);
    await assert.rejects(renderMockup(ctx), MockupInputError);
    assert.equal(uploads.length, 0);
  });
});
