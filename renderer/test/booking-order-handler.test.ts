// The booking_order job handler against a recording context (the database's answers are the
// document JSON shapes private.booking_order_document produces; conversions are real): a stale
// version renders and uploads nothing, a current one stores both files in its version's
// folder, a version that goes stale while rendering uploads nothing, and input that can never
// render fails for good instead of being retried.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobError } from '../src/jobs/errors.ts';
import type { ClaimedJob, JobContext } from '../src/jobs/worker.ts';
import { clientOrderPdf, emaarFinal } from './booking-order-fixtures.ts';

delete process.env.GOTENBERG_URL;
const { renderBookingOrderJob } = await import('../src/jobs/handlers/booking-order.ts');

const BO = '5b0c3d1e-8a41-4c55-9a57-1f2e3d4c5b6a';

interface Recorded {
  ctx: JobContext;
  rpcCalls: Array<{ fn: string; args: Record<string, unknown> }>;
  downloads: string[];
  uploads: Array<{ bucket: string; path: string; contentType: string; bytes: Buffer; upsert?: boolean }>;
}

function context(payload: Record<string, unknown>, answers: unknown[], original?: Buffer): Recorded {
  const job: ClaimedJob = { id: '11111111-2222-4333-8444-555555555555', kind: 'booking_order', payload, owner_id: emaarFinal().owner_id, lease_token: 't', attempts: 1 };
  const rec: Recorded = { rpcCalls: [], downloads: [], uploads: [], ctx: undefined as unknown as JobContext };
  let answer = 0;
  rec.ctx = {
    job,
    startedAt: new Date('2026-11-22T10:00:00Z'),
    progress: () => Promise.resolve(),
    log: () => {},
    convertPdf: () => Promise.reject(new Error('not used by booking-order jobs')),
    download: (bucket, path) => {
      rec.downloads.push(`${bucket}/${path}`);
      return original ? Promise.resolve(original) : Promise.reject(new JobError('missing', false));
    },
    upload: (object, bytes, contentType, options) => {
      rec.uploads.push({ ...object, contentType, bytes, upsert: options?.upsert });
      return Promise.resolve();
    },
    rpc: (fn, args) => {
      rec.rpcCalls.push({ fn, args });
      return Promise.resolve(answers[Math.min(answer++, answers.length - 1)]);
    },
  } as JobContext;
  return rec;
}

const current = (version: number) => ({ booking_order_id: BO, version, current_version: version, document: JSON.parse(JSON.stringify(emaarFinal())) });
const stale = (version: number, now: number) => ({ booking_order_id: BO, version, current_version: now, document: null });

describe('booking_order job handler', () => {
  it('renders nothing for a version that is no longer current', async () => {
    const rec = context({ booking_order_id: BO, version: 2, final: false }, [stale(2, 3)]);
    const result = await renderBookingOrderJob(rec.ctx);
    assert.deepEqual(result, { booking_order_id: BO, version: 2, stale: true, current_version: 3 });
    assert.deepEqual(rec.rpcCalls, [{ fn: 'booking_order_render_input', args: { booking_order_id: BO, version: 2 } }]);
    assert.deepEqual([rec.downloads, rec.uploads], [[], []], 'no download, no upload');
  });

  it('stores the workbook and the stamped combined PDF in the version\'s folder and reports their paths', async () => {
    const rec = context({ booking_order_id: BO, version: 4, final: true }, [current(4)], await clientOrderPdf({ pages: 1 }));
    const result = await renderBookingOrderJob(rec.ctx);
    const folder = `backlite_dubai/${BO}/v4/`;
    assert.deepEqual(rec.downloads, [`uploads/${emaarFinal().source_document!.path}`]);
    assert.deepEqual(rec.uploads.map((u) => [u.bucket, u.path, u.contentType, u.upsert]), [
      ['booking-orders', `${folder}EM_2026_118.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', true],
      ['booking-orders', `${folder}EM_2026_118.pdf`, 'application/pdf', true],
    ]);
    assert.equal(rec.uploads[0].bytes.subarray(0, 2).toString(), 'PK');
    assert.equal(rec.uploads[1].bytes.subarray(0, 5).toString(), '%PDF-');
    assert.equal(result.excel_path, `${folder}EM_2026_118.xlsx`);
    assert.equal(result.combined_pdf_path, `${folder}EM_2026_118.pdf`);
    assert.deepEqual(result.pages, { workbook: 1, original: 1 });
    assert.deepEqual({ ...(result.stamp as object), scale: undefined }, { applied: true, page: 2, corner: 'bottom-right', scale: undefined, empty_corner: true });
    assert.equal(rec.rpcCalls.length, 2, 'the version is checked again before uploading');
  });

  it('uploads nothing when an edit made the version stale while it rendered', async () => {
    const rec = context({ booking_order_id: BO, version: 4, final: true }, [current(4), stale(4, 5)], await clientOrderPdf({ pages: 1 }));
    const result = await renderBookingOrderJob(rec.ctx);
    assert.deepEqual(result, { booking_order_id: BO, version: 4, stale: true, current_version: 5 });
    assert.deepEqual(rec.uploads, []);
  });

  it('fails for good on a payload, document or original that can never render', async () => {
    const final = (e: unknown) => e instanceof JobError && !e.retryable;
    await assert.rejects(renderBookingOrderJob(context({ booking_order_id: 'nope', version: 1 }, []).ctx), final);
    await assert.rejects(renderBookingOrderJob(context({ booking_order_id: BO, version: 0 }, []).ctx), final);
    const broken = current(1);
    broken.document.figures.gross_amount = 12.5;
    await assert.rejects(renderBookingOrderJob(context({ booking_order_id: BO, version: 1 }, [broken]).ctx),
      (e: unknown) => final(e) && /gross_amount must be a decimal string/.test((e as Error).message));
    await assert.rejects(renderBookingOrderJob(context({ booking_order_id: BO, version: 1 }, [current(1)], Buffer.from('not a document')).ctx),
      (e: unknown) => final(e) && /is not a PDF, an image/.test((e as Error).message));
  });
});
