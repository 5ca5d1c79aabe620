// A sales user builds a two-location proposal: the live totals shown are exactly what
// quote_proposal answers for the same request, generation reports progress, and the PDF
// downloads. The history lists it with its download.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { accessToken, demoUser, ensureRuntimeConfig, launch, newContext, rpc, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason();
const rep = demoUser('dubai.rep1@mmg.demo');

describe('proposals', { skip: skip ?? false }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    await ensureRuntimeConfig();
    browser = await launch();
    page = await (await newContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, rep);
  });
  after(async () => {
    await browser?.close();
  });

  async function addLocation(search: string, name: string) {
    const box = page.getByRole('combobox', { name: 'Add a location' });
    await box.fill(search);
    await page.getByRole('option', { name: new RegExp(name) }).first().click();
    await page.getByRole('article', { name: new RegExp(name) }).waitFor();
  }

  it('shows live totals equal to quote_proposal for a two-location proposal, generates and downloads the PDF', async () => {
    await page.getByRole('link', { name: 'Proposals' }).click();
    await page.getByLabel('Client name').fill('Browser Test Client');
    await addLocation('gateway', 'The Dubai Gateway');
    await addLocation('marina', 'Dubai Marina Mega Screen');

    const first = page.getByRole('article', { name: /The Dubai Gateway/ });
    await first.getByLabel('Net rate (AED)').fill('250,000');
    await first.getByLabel('Weeks').fill('4');
    const second = page.getByRole('article', { name: /Dubai Marina Mega Screen/ });
    await second.getByLabel('Net rate (AED)').fill('180000');
    await second.getByLabel('Weeks').fill('2');
    const startFirst = await first.getByLabel(/start/).inputValue();
    const startSecond = await second.getByLabel(/start/).inputValue();

    // The same request, quoted directly as the same user.
    const quote = await rpc<{ totals: Record<'subtotal' | 'vat' | 'total', { display: string }> }>('quote_proposal', {
      request: {
        proposal_type: 'separate', client_name: 'Browser Test Client', payment_terms: '100% upfront', currency: 'AED',
        items: [
          { location: 'dubai_gateway', company: 'backlite_dubai', spots: '1', options: [{ start_date: startFirst, duration_weeks: '4', net_rate: '250,000' }] },
          { location: 'marina_mega_screen', company: 'backlite_dubai', spots: '1', options: [{ start_date: startSecond, duration_weeks: '2', net_rate: '180000' }] },
        ],
      },
    }, await accessToken(rep));
    const expected = quote.totals;

    const total = page.getByTestId('quote-total');
    await page.waitForFunction((want) => document.querySelector('[data-testid="quote-total"]')?.textContent === want, expected.total.display, { timeout: 15_000 });
    assert.equal(await total.textContent(), expected.total.display);
    assert.equal(await page.getByTestId('quote-subtotal').textContent(), expected.subtotal.display);
    assert.equal(await page.getByTestId('quote-vat').textContent(), expected.vat.display);
    await screenshot(page, 'proposals-builder');

    await page.getByRole('button', { name: 'Generate proposal' }).click();
    await page.getByRole('progressbar').or(page.getByTestId('download-pdf')).first().waitFor({ timeout: 15_000 });
    const downloadButton = page.getByTestId('download-pdf');
    await downloadButton.waitFor({ timeout: 180_000 });
    await screenshot(page, 'proposals-generated');

    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    assert.match(download.suggestedFilename(), /^Browser_Test_Client_\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = await download.path();
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-', 'the download is a PDF');
    assert.ok(bytes.length > 1000);
  });

  it('lists the generated proposal in the history with its PDF', async () => {
    await page.getByRole('tab', { name: 'History' }).click();
    const table = page.getByTestId('proposal-history');
    await table.waitFor();
    const row = table.getByRole('row', { name: /Browser Test Client/ }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /The Dubai Gateway/);
    assert.match(await row.innerText(), /ready/i);
    await screenshot(page, 'proposals-history');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: /Download the PDF/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    assert.deepEqual(errors, []);
  });
});
