// Booking-order documents end to end through the running stack: a sales person uploads the
// client's PDF and submits the order through the RPCs; the database queues a booking_order
// render job, pg_net wakes the renderer, which builds the workbook with exceljs, converts it with
// LibreOffice, appends the original and stores both files; the coordinator and the head of sales
// approve, and the final PDF comes back stamped on the original's first page. A worker that
// finishes an outdated version after a newer one must never replace the newer files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { repoRoot } from '../../devstack/src/config.ts';
import { admin, anonKey, sql, url } from '../contract/env.ts';

const demo = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users as { email: string; password: string }[];
const BUCKET = 'booking-orders';

interface Actor { client: SupabaseClient; id: string }

async function signIn(email: string): Promise<Actor> {
  const user = demo.find((u) => u.email === email)!;
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signInWithPassword({ email, password: user.password });
  if (error) throw error;
  return { client, id: data.user.id };
}

async function call<T = Record<string, unknown>>(actor: Actor, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await actor.client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.message}`);
  return data as T;
}

interface Documents { excel_path: string | null; combined_pdf_path: string | null; documents_version: number; documents_rendered_version: number | null }

/** Waits until the order's current documents version has been rendered and recorded. */
async function rendered(actor: Actor, id: string, version: number, timeoutMs = 120_000): Promise<Documents> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await call<Documents & { documents_pending: boolean }>(actor, 'get_booking_order', { booking_order_id: id });
    if (order.documents_version === version && order.documents_rendered_version === version) return order;
    const [job] = await sql<{ status: string; error: string | null }>(
      "select status::text, error from public.render_jobs where kind = 'booking_order' and payload ->> 'booking_order_id' = $1 and payload ->> 'version' = $2",
      [id, String(version)]);
    if (job?.status === 'failed') throw new Error(`the version ${version} job failed: ${job.error}`);
    if (Date.now() > deadline) throw new Error(`version ${version} of ${id} not rendered after ${timeoutMs} ms: ${JSON.stringify(order)} job ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function download(actor: Actor, path: string): Promise<Buffer> {
  const { data, error } = await actor.client.storage.from(BUCKET).download(path);
  if (error) throw new Error(`download ${path}: ${error.message}`);
  return Buffer.from(await data.arrayBuffer());
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr}`)) : resolve(stdout)));
  });
}

let dir: string;
async function pdfText(pdf: Buffer, page: number): Promise<string> {
  const file = join(dir, `${randomUUID()}.pdf`);
  await writeFile(file, pdf);
  return await run('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-']);
}

async function workbook(xlsx: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  return wb.worksheets[0];
}

/** The client's order: two pages of text, as a scanner or their system would send it. */
async function clientPdf(marker: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const n of [1, 2]) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`${marker} purchase order, page ${n}`, { x: 120, y: 700, size: 16, font });
    page.drawText('Two Dubai screens, December 2026, net rental as agreed', { x: 120, y: 670, size: 10, font });
  }
  return Buffer.from(await doc.save());
}

async function setWorkerUrl(value: string): Promise<void> {
  await sql(`update private.app_settings set value = $1, updated_at = now() where key = 'booking_order_worker_url'`, [value]);
}

describe('booking-order documents end to end', () => {
  const created: string[] = [];
  let rep: Actor;
  let coordinator: Actor;
  let hos: Actor;
  let finance: Actor;
  let stranger: Actor;
  let workerUrl: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bo-e2e-'));
    [rep, coordinator, hos, finance, stranger] = await Promise.all(
      ['dubai.rep1@mmg.demo', 'coordinator@mmg.demo', 'hos.backlite@mmg.demo', 'finance@mmg.demo', 'uk.rep@mmg.demo'].map(signIn));
    [{ value: workerUrl }] = await sql<{ value: string }>("select value from private.app_settings where key = 'booking_order_worker_url'");
    assert.ok(workerUrl, 'the stack registers the renderer as the booking-order worker');
  });

  after(async () => {
    await setWorkerUrl(workerUrl);
    if (created.length) {
      await sql('delete from backlite_dubai.location_occupations where booking_order_id = any ($1)', [created]);
      await sql("delete from public.render_jobs where kind = 'booking_order' and payload ->> 'booking_order_id' = any ($1)", [created]);
      await sql('delete from public.documents where booking_order_id = any ($1)', [created]);
      await sql('delete from public.booking_orders where id = any ($1)', [created]);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the draft on submission, re-renders edits, stamps the final version, and a late job never overwrites', async () => {
    const marker = `E2E-${randomUUID().slice(0, 8)}`;
    const originalPath = `${rep.id}/${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/${randomUUID()}_order.pdf`;
    const original = await clientPdf(marker);
    const up = await rep.client.storage.from('uploads').upload(originalPath, original, { contentType: 'application/pdf' });
    assert.equal(up.error, null, up.error?.message);
    const { data: document, error: docError } = await rep.client.from('documents').insert({
      owner_id: rep.id, company: 'backlite_dubai', bucket: 'uploads', storage_path: originalPath,
      original_filename: `${marker} order.pdf`, mime_type: 'application/pdf', size_bytes: original.length, document_type: 'bo_pdf',
    }).select('id').single();
    assert.equal(docError, null, docError?.message);

    // 1. Submission: the draft, workbook then the original, no stamp.
    const order = await call<{ id: string }>(rep, 'create_booking_order', {
      company: 'backlite_dubai',
      source_document_id: document!.id,
      data: {
        bo_number: `${marker}/118`, client: 'Emaar Properties', brand_campaign: 'Dubai Hills', currency: 'AED',
        sla_pct: 0.10, municipality_fee: 1040, production_upload_fee: 3000, payment_terms: '60 days PDC', sales_person: 'Karim Saleh',
        locations: [
          { name: 'The Dubai Gateway', start_date: '2026-12-01', end_date: '2026-12-14', campaign_duration: '2 weeks', net_amount: 250000 },
          { name: 'Dubai Marina Mega Screen', start_date: '2026-12-01', end_date: '2026-12-28', campaign_duration: '1 month', net_amount: 254000 },
        ],
      },
    });
    created.push(order.id);
    const draft = await rendered(rep, order.id, 1);
    assert.match(draft.combined_pdf_path!, new RegExp(`^backlite_dubai/${order.id}/v1/BO Draft - Emaar Properties - BACKLITE\\.pdf$`));
    assert.match(draft.excel_path!, /\/v1\/BO Draft - Emaar Properties - BACKLITE\.xlsx$/);

    const draftPdf = await download(coordinator, draft.combined_pdf_path!);
    assert.equal((await PDFDocument.load(draftPdf)).getPageCount(), 1 + 2, 'the workbook page, then both pages of the original');
    const draftFirst = await pdfText(draftPdf, 1);
    assert.match(draftFirst, /Booking Order Form/);
    assert.match(draftFirst, /533,442\.00 AED/);
    assert.match(draftFirst, /1\. The Dubai Gateway - 225,000\.00 AED/);
    assert.match(await pdfText(draftPdf, 2), new RegExp(`${marker} purchase order, page 1`));
    assert.doesNotMatch(await pdfText(draftPdf, 2), /APPROVED/, 'a draft is not stamped');
    const draftSheet = await workbook(await download(rep, draft.excel_path!));
    assert.equal(draftSheet.getCell('B13').value, 'Emaar Properties');
    assert.equal(draftSheet.getCell('B21').value, 533442);
    assert.equal(draftSheet.getCell('B21').numFmt, '#,##0.00" AED"');
    assert.ok((await finance.client.storage.from(BUCKET).download(draft.combined_pdf_path!)).error,
      'finance sees an order only once it is approved');

    // 2. A worker still busy with an outdated version finishes after the newer one.
    await setWorkerUrl('http://127.0.0.1:9'); // nothing listens: jobs queue up undelivered
    await call(coordinator, 'edit_booking_order', { booking_order_id: order.id, patch: { sla_pct: 0.15 } });
    const [v2] = await sql<{ id: string }>(
      "select id from public.render_jobs where kind = 'booking_order' and payload ->> 'booking_order_id' = $1 and payload ->> 'version' = '2'", [order.id]);
    assert.ok(v2, 'the edit queued version 2');
    const service = admin();
    const { data: slow, error: claimError } = await service.rpc('claim_render_job', { job_id: v2.id, lease_seconds: 300 });
    assert.equal(claimError, null);
    assert.ok(slow?.lease_token, 'a slow worker holds version 2');

    await call(coordinator, 'edit_booking_order', { booking_order_id: order.id, patch: { payment_terms: '90 days PDC' } });
    await setWorkerUrl(workerUrl);
    await sql(`update public.render_jobs set last_dispatched_at = now() - interval '1 minute'
               where kind = 'booking_order' and payload ->> 'booking_order_id' = $1 and status = 'queued'`, [order.id]);
    await sql('select private.sweep_render_jobs()');
    const v3 = await rendered(rep, order.id, 3);
    const v3Sheet = await workbook(await download(rep, v3.excel_path!));
    assert.equal(v3Sheet.getCell('E25').value, '90 days PDC', 'version 3 shows the latest edit');

    const stalePaths = { excel_path: `backlite_dubai/${order.id}/v2/stale.xlsx`, combined_pdf_path: `backlite_dubai/${order.id}/v2/stale.pdf` };
    for (const [path, bytes] of [[stalePaths.excel_path, Buffer.from('PK stale')], [stalePaths.combined_pdf_path, draftPdf]] as const) {
      assert.equal((await service.storage.from(BUCKET).upload(path, bytes, { upsert: true })).error, null);
    }
    const late = await service.rpc('complete_render_job', { job_id: v2.id, lease_token: slow.lease_token, result: stalePaths });
    assert.equal(late.error, null);
    assert.equal(late.data, true, 'the late job completes');
    const afterLate = await call<Documents>(rep, 'get_booking_order', { booking_order_id: order.id });
    assert.deepEqual([afterLate.excel_path, afterLate.combined_pdf_path, afterLate.documents_rendered_version],
      [v3.excel_path, v3.combined_pdf_path, 3], 'the late version 2 never replaces version 3');
    assert.ok((await rep.client.storage.from(BUCKET).download(stalePaths.combined_pdf_path)).error,
      'and its files are not even readable: only the recorded pair is');

    // 3. Approval through the chain: the final version, signed and stamped.
    await call(coordinator, 'coordinator_approve_booking_order', { booking_order_id: order.id });
    const approved = await call<{ bo_ref: string }>(hos, 'hos_approve_booking_order', { booking_order_id: order.id });
    assert.match(approved.bo_ref, /^BO-\d{4}-\d{4,}$/);
    const final = await rendered(finance, order.id, 4);
    const stem = `${marker}_118`;
    assert.equal(final.combined_pdf_path, `backlite_dubai/${order.id}/v4/${stem}.pdf`, 'the final file is named after the client BO number');
    assert.equal(final.excel_path, `backlite_dubai/${order.id}/v4/${stem}.xlsx`);

    const finalPdf = await download(finance, final.combined_pdf_path!);
    assert.equal((await PDFDocument.load(finalPdf)).getPageCount(), 3);
    const [{ today }] = await sql<{ today: string }>("select to_char(now() at time zone 'Asia/Dubai', 'DD-MM-YYYY') as today");
    const stamped = await pdfText(finalPdf, 2);
    assert.match(stamped, new RegExp(`${marker} purchase order, page 1`));
    assert.match(stamped, /APPROVED/, 'the first page of the original carries the stamp');
    assert.ok(stamped.includes(today), `with today's date ${today}:\n${stamped}`);
    assert.ok(stamped.includes(approved.bo_ref), 'and the reference');
    assert.doesNotMatch(await pdfText(finalPdf, 3), /APPROVED/, 'only that page');
    assert.match(await pdfText(finalPdf, 1), /Tariq Aziz/, 'the workbook is signed by the head of sales');
    const finalSheet = await workbook(await download(hos, final.excel_path!));
    assert.equal(finalSheet.getCell('B39').value, 'Tariq Aziz');
    assert.equal(finalSheet.getCell('B39').font?.italic, true);
    assert.equal(finalSheet.getCell('B4').value, approved.bo_ref);

    const [job] = await sql<{ result: { stamp: { applied: boolean; page: number; corner: string } } }>(
      "select result from public.render_jobs where kind = 'booking_order' and payload ->> 'booking_order_id' = $1 and payload ->> 'version' = '4'", [order.id]);
    assert.deepEqual([job.result.stamp.applied, job.result.stamp.page, job.result.stamp.corner], [true, 2, 'bottom-right']);

    for (const reader of [rep, coordinator, hos, finance]) {
      assert.equal((await download(reader, final.combined_pdf_path!)).subarray(0, 5).toString(), '%PDF-');
    }
    assert.ok((await stranger.client.storage.from(BUCKET).download(final.combined_pdf_path!)).error,
      'a sales person of another company never downloads it');
    const [{ jobs }] = await sql<{ jobs: number }>(
      "select count(*)::int as jobs from public.render_jobs where kind = 'booking_order' and payload ->> 'booking_order_id' = $1", [order.id]);
    assert.equal(jobs, 4, 'one job per version: submission, two edits, approval');
  });
});
