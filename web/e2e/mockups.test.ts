// A sales user generates a mockup: picks a location with billboard photos, uploads a creative
// (upload progress through Storage), watches the render job and sees the composited image,
// which then appears in the history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { creativePng, demoUser, ensureRuntimeConfig, launch, newContext, screenshot, signIn, skipReason, watchErrors } from './helpers.ts';

const skip = skipReason();

describe('mockups', { skip: skip ?? false }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  before(async () => {
    await ensureRuntimeConfig();
    browser = await launch();
    page = await (await newContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, demoUser('dubai.rep2@mmg.demo'));
  });
  after(async () => {
    await browser?.close();
  });

  it('generates a mockup from an uploaded creative and shows the image', async () => {
    await page.getByRole('link', { name: 'Mockups' }).click();
    const select = page.getByLabel('Location');
    await page.waitForFunction(() => (document.querySelector('select')?.options.length ?? 0) > 1);
    await select.selectOption({ label: 'The Dubai Gateway' });
    await page.getByRole('group', { name: 'Time of day' }).getByRole('button', { name: 'Day' }).click();
    await page.getByLabel('Creative images').setInputFiles({ name: 'creative.png', mimeType: 'image/png', buffer: creativePng() });
    await page.getByRole('img', { name: /Creative 1: creative\.png/ }).waitFor();
    await screenshot(page, 'mockups-generate');
    await page.getByRole('button', { name: 'Generate mockup' }).click();
    const image = page.getByTestId('mockup-result');
    await image.waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="mockup-result"]');
      return Boolean(img?.complete && img.naturalWidth > 0);
    }, undefined, { timeout: 30_000 });
    const size = await image.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight }));
    assert.ok(size.w > 100 && size.h > 100, `the mockup image loaded (${size.w}×${size.h})`);
    await screenshot(page, 'mockups-result');
  });

  it('lists the new mockup in the history with its image', async () => {
    await page.getByRole('tab', { name: 'History' }).click();
    const first = page.getByTestId('mockup-history').getByRole('listitem').first();
    await first.waitFor();
    assert.match(await first.innerText(), /Dubai Gateway/);
    assert.match(await first.innerText(), /ready/i);
    await first.getByRole('img').waitFor();
    await screenshot(page, 'mockups-history');
    assert.deepEqual(errors, []);
  });
});
