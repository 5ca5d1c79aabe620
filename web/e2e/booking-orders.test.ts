// The booking-order workflow in the browser: a sales user's order (submitted through the API —
// document upload and extraction are not in the web app yet) is approved by the coordinator,
// then given final approval by the head of sales, after which finance sees it with its
// reference; each sees only the actions of their stage. The coordinator's inbox announces it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { accessToken, demoUser, ensureRuntimeConfig, launch, newContext, rpc, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason();
const client = `Browser BO Client ${Date.now()}`;

describe('booking orders', { skip: skip ?? false }, () => {
  let browser: Browser;
  let orderId: string;
  before(async () => {
    await ensureRuntimeConfig();
    const order = await rpc<{ id: string }>('create_booking_order', {
      company: 'backlite_dubai',
      data: {
        bo_number: 'BO-E2E-1', bo_date: new Date().toISOString().slice(0, 10), client, agency: 'Blue Agency',
        brand_campaign: 'Winter Launch', category: 'Retail', payment_terms: '60 days', sales_person: 'Karim Saleh',
        currency: 'AED', commission_pct: 0, sla_pct: 0.05, municipality_fee: 520, production_upload_fee: 3000,
        net_pre_vat: null, vat_value: null, gross_amount: null, notes: null, asset: ['dubai_gateway'],
        locations: [{ name: 'The Dubai Gateway', asset: 'dubai_gateway', start_date: '2027-01-01', end_date: '2027-01-28', campaign_duration: '4 weeks', net_amount: 250000 }],
      },
    }, await accessToken(demoUser('dubai.rep1@mmg.demo')));
    orderId = order.id;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  async function as(email: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await newContext(browser)).newPage();
    const errors = watchErrors(page);
    await signIn(page, demoUser(email));
    await page.getByRole('link', { name: 'Booking orders', exact: true }).click();
    return { page, errors };
  }

  it('the coordinator finds the order in the queue and approves it to the head of sales', async () => {
    const { page, errors } = await as('coordinator@mmg.demo');
    const row = page.getByTestId('bo-queue').getByRole('row', { name: new RegExp(client) });
    await row.waitFor();
    // Coordinators are notified of a new order: the header inbox shows it unread.
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    const inbox = page.getByRole('region', { name: 'Notifications' });
    await inbox.getByRole('link', { name: 'Open the booking order' }).first().waitFor();
    await screenshot(page, 'notifications');
    await page.keyboard.press('Escape');
    await inbox.waitFor({ state: 'detached' });
    await screenshot(page, 'booking-orders-queue');
    await row.getByRole('link', { name: /Review/ }).click();
    await page.waitForURL(new RegExp(`/booking-orders/${orderId}$`));
    assert.match(await page.getByTestId('bo-figures').innerText(), /266,196\.00 AED/);
    await screenshot(page, 'booking-orders-detail');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.waitForFunction(() => /Head of sales/i.test(document.querySelector('[data-testid="bo-status"]')?.textContent ?? ''));
    await page.getByTestId('bo-timeline').getByText(/Coordinator Approved/i).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the head of sales gives final approval; the order gets its reference', async () => {
    const { page } = await as('hos.backlite@mmg.demo');
    const row = page.getByTestId('bo-queue').getByRole('row', { name: new RegExp(client) });
    await row.getByRole('link', { name: /Review/ }).click();
    await page.getByRole('button', { name: 'Final approval' }).click();
    await page.getByTestId('bo-ref').waitFor();
    assert.match(await page.getByTestId('bo-status').innerText(), /approved/i);
    await page.close();
  });

  it('finance sees the approved order with its reference; the sales user sees it approved', async () => {
    const { page } = await as('finance@mmg.demo');
    await page.getByRole('tab', { name: 'All I can see' }).click();
    const row = page.getByTestId('bo-list').getByRole('row', { name: new RegExp(client) });
    await row.waitFor();
    assert.match(await row.innerText(), /approved/i);
    await screenshot(page, 'booking-orders-finance');
    await page.close();

    const rep = (await as('dubai.rep1@mmg.demo')).page;
    await rep.getByRole('tab', { name: 'All I can see' }).click();
    await rep.getByTestId('bo-list').getByRole('row', { name: new RegExp(client) }).waitFor();
    await rep.goto(`/booking-orders/${orderId}`);
    await rep.getByText('No action waits for you on this order.').or(rep.getByText(/^Approved/)).first().waitFor();
    assert.equal(await rep.getByRole('button', { name: 'Approve', exact: true }).count(), 0, 'the owner cannot approve');
    await rep.close();
  });
});
