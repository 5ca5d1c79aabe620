// Every demo role signs in and sees exactly the tools its profile opens (spec §6.3, §9); a
// sales user can open Admin neither from the menu nor by typing its URL; signing out ends the
// session; an unknown password is refused with a clear message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { demoUser, demoUsers, ensureRuntimeConfig, launch, navLabels, newContext, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason();

const EXPECTED_TOOLS: Record<string, string[]> = {
  system_admin: ['Chat', 'Proposals', 'Mockups', 'Booking orders', 'Costs', 'Admin', 'Settings'],
  sales_manager: ['Chat', 'Proposals', 'Mockups', 'Booking orders', 'Costs', 'Settings'],
  sales_user: ['Chat', 'Proposals', 'Mockups', 'Booking orders', 'Settings'],
  coordinator: ['Proposals', 'Booking orders', 'Settings'],
  head_of_sales: ['Proposals', 'Mockups', 'Booking orders', 'Costs', 'Settings'],
  finance: ['Booking orders', 'Costs', 'Settings'],
  viewer: ['Proposals', 'Mockups', 'Booking orders', 'Settings'],
};

describe('sign-in and navigation', { skip: skip ?? false }, () => {
  let browser: Browser;
  before(async () => {
    await ensureRuntimeConfig();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const user of demoUsers) {
    it(`${user.email} (${user.profile}) sees exactly the tools of the profile`, async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(page, user);
      assert.deepEqual(await navLabels(page), EXPECTED_TOOLS[user.profile]);
      // The start page is the first tool; it rendered its heading.
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      if (user === demoUsers.find((u) => u.profile === user.profile)) await screenshot(page, `home-${user.profile}`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('a sales user cannot open Admin from the menu or by typing its URL', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, demoUser('dubai.rep1@mmg.demo'));
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 0);
    await page.goto('/admin');
    await page.getByTestId('forbidden').waitFor();
    assert.match(await page.getByTestId('forbidden').innerText(), /do not have access to Admin/);
    assert.equal(await page.getByRole('tab', { name: 'Users' }).count(), 0, 'no admin content is rendered');
    await page.goto('/admin/invites');
    await page.getByTestId('forbidden').waitFor();
    await page.goto('/costs');
    await page.getByTestId('forbidden').waitFor();
    await screenshot(page, 'forbidden-admin-sales-user');
    await context.close();
  });

  it('refuses a wrong password with a message and signs out back to the sign-in screen', async () => {
    const context = await newContext(browser, { colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto('/proposals');
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Email').fill('dubai.rep1@mmg.demo');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Invalid login credentials/);
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password').fill('Sales-demo-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Back where the person wanted to go.
    await page.waitForURL(/\/proposals$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto('/proposals');
    await page.waitForURL(/\/login$/);
    await context.close();
  });
  it('works on a phone-sized screen, by keyboard, and in the light theme', async () => {
    const context = await newContext(browser, { width: 390, height: 844, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill('dubai.lead@mmg.demo');
    await page.getByLabel('Password').fill('Sales-demo-2026');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('heading', { name: 'Chat', level: 1 }).waitFor();
    // From the top of the page the first Tab reaches the skip link; the menu opens from its button.
    await page.reload();
    await page.getByRole('heading', { name: 'Chat', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.getByRole('button', { name: 'Open menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Light' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await screenshot(page, 'settings-mobile-light');
    await context.close();
  });
});
