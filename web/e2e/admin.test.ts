// An administrator manages access through the Admin screens: gives a sales lead a permission
// set with an expiry (the lead then sees the mockup Setup tab), removes it again, invites a new
// person (one-time link) and revokes the invitation; teams and companies show as trees.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoUser, ensureRuntimeConfig, launch, newContext, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason();

describe('admin', { skip: skip ?? false }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  before(async () => {
    await ensureRuntimeConfig();
    browser = await launch();
    page = await (await newContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, demoUser('admin@mmg.demo'));
  });
  after(async () => {
    await browser?.close();
  });

  it('lists the users and gives a permission set with an expiry that takes effect', async () => {
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    const table = page.getByTestId('users-table');
    await table.getByRole('row', { name: /Layla Nasser/ }).waitFor();
    assert.ok((await table.getByRole('row').count()) >= 14, 'every demo user is listed');
    await page.getByRole('button', { name: 'Manage Layla Nasser' }).click();
    const detail = page.getByTestId('user-detail');
    await detail.getByLabel('Permission set', { exact: true }).selectOption({ label: 'Manage templates' });
    const tomorrow = new Date(Date.now() + 86_400_000);
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T18:00`;
    await detail.getByLabel('Expires', { exact: true }).fill(local);
    await detail.getByRole('button', { name: 'Assign set' }).click();
    const assigned = detail.getByRole('list', { name: 'Assigned permission sets' }).getByRole('listitem').filter({ hasText: 'Manage templates' });
    await assigned.waitFor();
    assert.match(await assigned.innerText(), /until/i);
    await screenshot(page, 'admin-users');

    // The lead now holds sales:mockups:setup until tomorrow: the Setup tab appears for her.
    const lead = await (await newContext(browser)).newPage();
    await signIn(lead, demoUser('dubai.lead@mmg.demo'));
    await lead.goto('/mockups');
    await lead.getByRole('tab', { name: 'Setup' }).click();
    await lead.getByRole('heading', { name: 'Billboard photo' }).waitFor();
    await lead.close();

    await detail.getByRole('button', { name: 'Remove Manage templates' }).click();
    await assigned.waitFor({ state: 'detached' });
  });

  it('invites a new person with a one-time link and revokes the invitation', async () => {
    await page.getByRole('tab', { name: 'Invites' }).click();
    const email = `new.person.${Date.now()}@mmg.demo`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Profile').selectOption({ label: 'Sales User' });
    await page.getByLabel('Companies').selectOption({ label: 'Backlite Dubai' });
    await page.getByRole('button', { name: 'Create invite' }).click();
    const link = page.getByTestId('invite-link');
    await link.waitFor();
    assert.match(await link.inputValue(), /\/invite\?token=[\w-]{20,}/);
    const row = page.getByTestId('invites-table').getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) });
    await row.waitFor();
    assert.match(await row.innerText(), /pending/i);
    await screenshot(page, 'admin-invites');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.waitForFunction((e) => [...document.querySelectorAll('[data-testid="invites-table"] tr')].some((tr) => tr.textContent?.includes(e) && /revoked/i.test(tr.textContent ?? '')), email);
  });

  it('shows the team tree with members and the company tree', async () => {
    await page.getByRole('tab', { name: 'Teams' }).click();
    const tree = page.getByRole('list', { name: 'Teams' });
    await tree.waitFor();
    await tree.getByRole('button', { name: 'Dubai Digital', exact: true }).click();
    await page.getByRole('complementary', { name: 'Team details' }).getByText('Karim Saleh').waitFor();
    await screenshot(page, 'admin-teams');
    await page.getByRole('tab', { name: 'Companies' }).click();
    const companies = page.getByRole('list', { name: 'Companies' });
    await companies.waitFor();
    const text = await companies.innerText();
    for (const name of ['Backlite Dubai', 'Backlite UK', 'Backlite Abu Dhabi', 'Viola']) assert.match(text, new RegExp(name));
    await screenshot(page, 'admin-companies');
    await page.getByRole('tab', { name: 'Permission sets' }).click();
    await page.getByRole('article', { name: 'Manage templates' }).waitFor();
    await screenshot(page, 'admin-permission-sets');
    assert.deepEqual(errors, []);
  });
});
