// The booking-order workflow in the browser, from the document on: a sales rep uploads a
// booking order (an Excel workbook; the booking-orders function classifies and reads it with the
// scripted model on FAKE_LLM_PORT and submits it) — an artwork image is refused with a clear
// message first. The coordinator finds it in the queue (and the inbox), changes it in plain
// words and in the field form (a bad value is refused next to its field), and approves it; the
// head of sales gives final approval; finance sees it with its reference and downloads the
// rendered workbook and the stamped PDF. Each person sees only the actions of their stage.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type FakeLlmRequest, formatName, promptText, startFakeLlm } from './fake-llm.ts';
import { creativePng, demoUser, ensureRuntimeConfig, launch, newContext, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';
import { writeXlsx } from './xlsx.ts';

const fakePort = Number(process.env.FAKE_LLM_PORT ?? 0);
const skip = skipReason() ?? (fakePort ? null : 'FAKE_LLM_PORT is not set: the booking-orders function needs the scripted model (run under npm test)');

// A client, reference and dates of this run only, so the order is found again, the file is new
// to the platform, and its locations are free.
const run = Date.now();
const client = `Emaar Properties ${run}`;
const boRef = `HMZ-${run}`;
const month = String((Math.floor(run / 1000) % 12) + 1).padStart(2, '0');
const year = 2030 + (Math.floor(run / 12_000) % 20);
const workbook = writeXlsx([
  ['BOOKING ORDER'],
  [],
  ['Agency', 'Horizon Media FZ-LLC'],
  ['Client', client],
  ['Campaign', 'Dubai Hills Estate Launch'],
  ['BO Ref', boRef],
  ['BO Date', '12/11/2026'],
  ['Media owner', 'Backlite Dubai'],
  ['Payment terms', '60 days PDC'],
  ['Sales person', 'karim saleh'],
  [],
  ['Location', 'Start', 'End', 'Net rate (AED)'],
  ['The Dubai Gateway', `01/${month}/${year}`, `28/${month}/${year}`, 250000],
  ['Business Bay Crossing', `01/${month}/${year}`, `14/${month}/${year}`, 90000],
  [],
  ['Upload fee (digital)', '', '', 5000],
  ['Municipality fee', '', '', 3400],
  ['Net (excl. VAT)', '', '', 348400],
  ['VAT 5%', '', '', 17420],
  ['Gross', '', '', 365820],
  ['SLA', '10%'],
]);

/** The scripted model: what the document is, its fields, and the coordinator's change. */
function scriptedModel(request: FakeLlmRequest): string {
  const prompt = promptText(request);
  switch (formatName(request)) {
    case 'document_classification':
      return JSON.stringify(prompt.includes(boRef)
        ? { kind: 'BOOKING_ORDER', confidence: 'high', company: 'backlite_dubai', reasoning: 'An agency booking order for Backlite Dubai sites.' }
        : { kind: 'ARTWORK', confidence: 'high', company: null, reasoning: 'A creative image without any order details.' });
    case 'booking_order_extraction':
      if (!prompt.includes(boRef) || !prompt.includes(client)) throw new Error('the extraction request does not carry the workbook text');
      return JSON.stringify({
        bo_number: boRef, bo_date: '12/11/2026', client, agency: 'Horizon Media FZ-LLC', brand_campaign: 'Dubai Hills Estate Launch',
        category: 'Real Estate', asset: ['dubai_gateway', 'business_bay_bridge'], payment_terms: '60 days PDC', sales_person: 'Karim Saleh',
        currency: 'AED', commission_pct: null, sla_pct: 0.1, municipality_fee: 3400, production_upload_fee: 5000, net_pre_vat: 348400,
        vat_value: 17420, gross_amount: 365820, notes: null,
        locations: [
          { name: 'The Dubai Gateway', asset: 'dubai_gateway', start_date: `${year}-${month}-01`, end_date: `${year}-${month}-28`, campaign_duration: '4 weeks', net_amount: 250000 },
          { name: 'Business Bay Crossing', asset: 'business_bay_bridge', start_date: `${year}-${month}-01`, end_date: `${year}-${month}-14`, campaign_duration: '2 weeks', net_amount: 90000 },
        ],
      });
    case 'coordinator_response':
      return JSON.stringify({ action: 'edit', fields: { sla_pct: 0.05 }, message: 'The SLA is now 5 %.' });
    default:
      return 'I can only read booking orders in this test.';
  }
}

describe('booking orders', { skip: skip ?? false }, () => {
  let browser: Browser;
  let fake: Awaited<ReturnType<typeof startFakeLlm>>;
  let orderId = '';
  before(async () => {
    fake = await startFakeLlm(fakePort, scriptedModel);
    await ensureRuntimeConfig();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await fake?.close();
  });

  async function as(email: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await newContext(browser)).newPage();
    const errors = watchErrors(page);
    await signIn(page, demoUser(email));
    await page.getByRole('link', { name: 'Booking orders', exact: true }).click();
    return { page, errors };
  }

  it('a sales rep uploads the booking order document; an artwork is refused clearly', async () => {
    const { page, errors } = await as('dubai.rep1@mmg.demo');
    await page.getByRole('tab', { name: 'Upload' }).click();
    const fileInput = page.getByLabel('Booking order document');

    await fileInput.setInputFiles({ name: 'artwork.png', mimeType: 'image/png', buffer: creativePng() });
    await page.getByRole('button', { name: 'Read and submit' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'This does not look like a booking order' });
    await alert.waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('bo-upload-error').innerText(), /artwork|booking order/i);

    await fileInput.setInputFiles({ name: 'booking_order.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook });
    await page.getByLabel('Notes for the assistant').fill('Client confirmed by phone.');
    await screenshot(page, 'booking-orders-upload');
    await page.getByRole('button', { name: 'Read and submit' }).click();
    await page.waitForURL(/\/booking-orders\/[0-9a-f-]{36}$/, { timeout: 120_000 });
    orderId = page.url().split('/').pop()!;
    await page.getByText('Booking order submitted').waitFor();
    assert.match(await page.getByRole('heading', { level: 2 }).first().innerText(), new RegExp(client));
    assert.match(await page.getByTestId('bo-figures').innerText(), /AED/);
    assert.equal(await page.getByRole('button', { name: 'Approve', exact: true }).count(), 0, 'the submitter cannot approve');
    await screenshot(page, 'booking-orders-uploaded');
    assert.deepEqual(errors, []);
    assert.deepEqual(fake.bodies.map(formatName).filter(Boolean), ['document_classification', 'document_classification', 'booking_order_extraction']);
    await page.close();
  });

  it('the coordinator changes the order in plain words and in the form, then approves it', async () => {
    assert.ok(orderId, 'the upload created an order');
    const { page, errors } = await as('coordinator@mmg.demo');
    const row = page.getByTestId('bo-queue').getByRole('row', { name: new RegExp(client) });
    await row.waitFor();
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    const inbox = page.getByRole('region', { name: 'Notifications' });
    await inbox.getByRole('link', { name: 'Open the booking order' }).first().waitFor();
    await screenshot(page, 'notifications');
    await page.keyboard.press('Escape');
    await inbox.waitFor({ state: 'detached' });
    await screenshot(page, 'booking-orders-queue');
    await row.getByRole('link', { name: /Review/ }).click();
    await page.waitForURL(new RegExp(`/booking-orders/${orderId}$`));

    await page.getByLabel('Describe the change').fill('The SLA is 5 percent, not 10.');
    await page.getByRole('button', { name: 'Apply the change' }).click();
    assert.match(await page.getByTestId('bo-change-answer').innerText({ timeout: 60_000 }), /SLA is now 5/);
    await page.getByText('5.0%').waitFor();

    await page.getByRole('button', { name: 'Edit the fields' }).click();
    const sla = page.getByLabel('SLA deduction (%)');
    assert.equal(await sla.inputValue(), '5');
    await sla.fill('150');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const fieldError = page.getByRole('form', { name: 'Booking order fields' }).locator('.field-error');
    await fieldError.waitFor();
    assert.match(await fieldError.innerText(), /sla_pct: must be a fraction from 0 to 1/);
    await screenshot(page, 'booking-orders-edit');
    await sla.fill('5');
    await page.getByLabel('Payment terms').fill('90 days PDC');
    await page.getByRole('group', { name: 'Location 2' }).getByLabel('Net amount').fill('95,000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.match(await page.getByTestId('bo-edit-saved').innerText(), /Saved\. Net/);
    await page.getByText('90 days PDC').first().waitFor();
    assert.match(await page.getByRole('table').filter({ hasText: 'After SLA' }).innerText(), /95,000\.00/);

    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.waitForFunction(() => /Head of sales/i.test(document.querySelector('[data-testid="bo-status"]')?.textContent ?? ''));
    await page.getByTestId('bo-timeline').getByText(/Coordinator Approved/i).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Change the order' }).count(), 0, 'no edits once it left the coordinator');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the head of sales gives final approval; the order gets its reference', async () => {
    const { page } = await as('hos.backlite@mmg.demo');
    const row = page.getByTestId('bo-queue').getByRole('row', { name: new RegExp(client) });
    await row.getByRole('link', { name: /Review/ }).click();
    assert.equal(await page.getByRole('heading', { name: 'Change the order' }).count(), 0, 'the head of sales does not edit');
    await screenshot(page, 'booking-orders-detail');
    await page.getByRole('button', { name: 'Final approval' }).click();
    await page.getByTestId('bo-ref').waitFor();
    assert.match(await page.getByTestId('bo-status').innerText(), /approved/i);
    await page.close();
  });

  it('finance sees the approved order and downloads its workbook and stamped PDF', async () => {
    const { page, errors } = await as('finance@mmg.demo');
    await page.getByRole('tab', { name: 'All I can see' }).click();
    const row = page.getByTestId('bo-list').getByRole('row', { name: new RegExp(client) });
    await row.waitFor();
    assert.match(await row.innerText(), /approved/i);
    await screenshot(page, 'booking-orders-finance');
    await row.getByRole('link').first().click();
    const documents = page.getByTestId('bo-documents');
    const pdfButton = documents.getByRole('button', { name: 'PDF (stamped)' });
    await pdfButton.waitFor({ timeout: 180_000 });
    const [pdf] = await Promise.all([page.waitForEvent('download'), pdfButton.click()]);
    const pdfBytes = readFileSync(await pdf.path());
    assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.suggestedFilename(), /\.pdf$/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), documents.getByRole('button', { name: 'Excel' }).click()]);
    const xlsxBytes = readFileSync(await xlsx.path());
    assert.equal(xlsxBytes.subarray(0, 2).toString('latin1'), 'PK', 'the workbook is an OOXML (zip) file');
    await screenshot(page, 'booking-orders-documents');
    assert.deepEqual(errors, []);
    await page.close();

    const rep = (await as('dubai.rep1@mmg.demo')).page;
    await rep.goto(`/booking-orders/${orderId}`);
    await rep.getByText(/^Approved/).first().waitFor();
    assert.equal(await rep.getByRole('button', { name: 'Approve', exact: true }).count(), 0, 'the owner cannot approve');
    await rep.close();
  });
});
