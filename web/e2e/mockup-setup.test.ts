// Mockup setup in the browser: a sales lead given the template permission set uploads a
// billboard photo with a green face, lets the app find the face, drags and nudges a corner,
// tunes an effect, saves — and the new template is stored exactly as shown, offered on the
// Generate tab and rendered into a mockup. A sales rep without the permission sees no Setup
// tab, gets "no access" at its URL, and the database refuses the save.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { renderBillboardPhoto } from '../../seed/billboard-photo.ts';
import {
  accessToken, creativePng, demoUser, env, ensureRuntimeConfig, launch, newContext, screenshot, serviceRest, signIn, skipReason,
  userRest, watchErrors,
} from './helpers.ts';

const skip = skipReason();
const LEAD = demoUser('dubai.lead@mmg.demo');
const LOCATION = { key: 'business_bay_bridge', name: 'Business Bay Crossing' };

type Pt = [number, number];

function parseCorners(text: string): Pt[] {
  return text.split('·').map((s) => s.trim().split(',').map(Number) as Pt);
}

function near(a: Pt, b: Pt, tolerance: number): boolean {
  return Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance;
}

describe('mockup setup', { skip: skip ?? false }, () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let grant: { user_id: string; set_id: string } | null = null;
  const photo = renderBillboardPhoto({ seed: 7301, timeOfDay: 'night', orientation: 'landscape' });

  before(async () => {
    await ensureRuntimeConfig();
    // The lead gets the "Manage templates" set (sales:mockups:setup) for this test only.
    const [set] = await serviceRest<{ id: string }[]>('permission_sets?name=eq.manage_templates&select=id');
    const [user] = await serviceRest<{ id: string }[]>(`users?email=eq.${encodeURIComponent(LEAD.email)}&select=id`);
    await serviceRest('user_permission_sets', { method: 'POST', body: { user_id: user.id, set_id: set.id }, prefer: 'resolution=ignore-duplicates' });
    grant = { user_id: user.id, set_id: set.id };
    browser = await launch();
    page = await (await newContext(browser)).newPage();
    errors = watchErrors(page);
    await signIn(page, LEAD);
  });
  after(async () => {
    if (grant) await serviceRest(`user_permission_sets?user_id=eq.${grant.user_id}&set_id=eq.${grant.set_id}`, { method: 'DELETE' });
    await browser?.close();
  });

  it('detects the green face of an uploaded photo, adjusts a corner and saves the template', async () => {
    await page.getByRole('link', { name: 'Mockups' }).click();
    await page.getByRole('tab', { name: 'Setup' }).click();
    await page.waitForURL(/\/mockups\/setup$/);
    await page.waitForFunction(() => [...document.querySelectorAll('select')].some((s) => s.options.length > 2));
    await page.getByLabel('Location').selectOption({ label: LOCATION.name });
    await page.getByLabel('New billboard photo').setInputFiles({ name: 'night-silver.png', mimeType: 'image/png', buffer: photo.png });
    const canvas = page.getByTestId('frame-canvas');
    await canvas.waitFor();
    await page.getByRole('group', { name: 'Time of day' }).getByRole('button', { name: 'Night' }).click();
    await page.getByRole('group', { name: 'Billboard side' }).getByRole('button', { name: 'Silver' }).click();

    await page.getByRole('button', { name: 'Detect green screen' }).click();
    await page.getByText('Found 1 green screen').waitFor();
    const corners = page.getByTestId('frame-corners');
    const detected = parseCorners(await corners.innerText());
    assert.equal(detected.length, 4);
    photo.face.forEach((p, i) => assert.ok(near(detected[i], p as Pt, 3), `corner ${i + 1} ${detected[i]} is the painted face's ${p}`));
    await screenshot(page, 'mockup-setup-detected');

    // Drag the top-left corner 40 × 20 photo pixels inwards.
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const s = box.width / photo.width;
    const [x0, y0] = detected[0];
    await page.mouse.move(box.x + x0 * s, box.y + y0 * s);
    await page.mouse.down();
    await page.mouse.move(box.x + (x0 + 20) * s, box.y + (y0 + 10) * s, { steps: 4 });
    await page.mouse.move(box.x + (x0 + 40) * s, box.y + (y0 + 20) * s, { steps: 4 });
    await page.mouse.up();
    const dragged = parseCorners(await corners.innerText());
    assert.ok(near(dragged[0], [x0 + 40, y0 + 20], 2), `the dragged corner moved to ${dragged[0]}`);
    assert.deepEqual(dragged.slice(1), detected.slice(1), 'the other corners stayed');

    // The keyboard nudges the selected corner: three pixels right, one down.
    await canvas.focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown']) await page.keyboard.press(key);
    const nudged = parseCorners(await corners.innerText());
    assert.deepEqual(nudged[0], [dragged[0][0] + 3, dragged[0][1] + 1]);
    assert.equal(await page.getByLabel('top-left x').inputValue(), String(nudged[0][0]));

    // A second frame drawn corner by corner, then deleted from the list; a rectangle added and
    // deleted from the keyboard.
    const frameItems = page.getByRole('list', { name: 'Frames' }).getByRole('listitem');
    await page.getByRole('button', { name: 'Draw a frame' }).click();
    for (const [x, y] of [[60, 620], [300, 610], [310, 760], [50, 770]]) await page.mouse.click(box.x + x * s, box.y + y * s);
    assert.equal(await frameItems.count(), 2);
    assert.deepEqual(parseCorners(await corners.nth(1).innerText()).map(([x, y]) => [Math.round(x / 10), Math.round(y / 10)]),
      [[6, 62], [30, 61], [31, 76], [5, 77]], 'the drawn frame has the clicked corners, top-left first');
    await page.getByRole('button', { name: 'Delete frame 2' }).click();
    assert.equal(await frameItems.count(), 1);
    await page.getByRole('button', { name: 'Add a rectangle' }).click();
    assert.equal(await frameItems.count(), 2);
    await canvas.focus();
    await page.keyboard.press('Delete');
    assert.equal(await frameItems.count(), 1);
    assert.deepEqual(parseCorners(await corners.innerText()), nudged, 'the first frame is untouched');
    await page.getByRole('button', { name: 'Frame 1', exact: true }).click();

    await page.getByLabel(/^Brightness/).fill('125');
    await page.getByLabel('Preview a creative').check();
    await screenshot(page, 'mockup-setup-preview');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await screenshot(page, 'mockup-setup-saved');

    // Stored as shown: read back over REST as the lead.
    const token = await accessToken(LEAD);
    // The newest night/silver template of the location is the one just saved (reruns add more).
    const mine = await userRest<{ photo_path: string; frames_data: { points: Pt[]; config?: Record<string, number> }[] }[]>(
      `all_mockup_frames?company=eq.backlite_dubai&time_of_day=eq.night&side=eq.silver&photo_path=like.backlite_dubai/${LOCATION.key}/*` +
        '&select=photo_path,frames_data&order=updated_at.desc&limit=1', token);
    assert.equal(mine.length, 1, `a night/silver template of ${LOCATION.key} was saved`);
    assert.match(mine[0].photo_path, new RegExp(`^backlite_dubai/${LOCATION.key}/outdoor/night/silver/BusinessBayBridge_\\d+\\.png$`));
    assert.deepEqual(mine[0].frames_data, [{ points: nudged, config: { brightness: 125 } }]);
    const object = await fetch(`${env.url}/storage/v1/object/authenticated/location-photos/${mine[0].photo_path}`, {
      headers: { apikey: env.anonKey, authorization: `Bearer ${token}` },
    });
    assert.equal(object.status, 200, 'the photo is in the location-photos bucket');
    assert.equal(Buffer.from(await object.arrayBuffer()).length, photo.png.length);
  });

  it('offers the new template on the Generate tab and renders a mockup with it', async () => {
    await page.getByRole('tab', { name: 'Generate' }).click();
    await page.waitForFunction(() => (document.querySelector('select')?.options.length ?? 0) > 1);
    await page.getByLabel('Location').selectOption({ label: LOCATION.name });
    const night = page.getByRole('group', { name: 'Time of day' }).getByRole('button', { name: 'Night' });
    await night.click();
    const silver = page.getByRole('group', { name: 'Billboard side' }).getByRole('button', { name: 'Silver' });
    assert.equal(await silver.isDisabled(), false, 'the silver side is offered at night');
    await silver.click();
    await page.getByLabel('Creative images').setInputFiles({ name: 'creative.png', mimeType: 'image/png', buffer: creativePng() });
    await page.getByRole('button', { name: 'Generate mockup' }).click();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="mockup-result"]');
      return Boolean(img?.complete && img.naturalWidth > 0);
    }, undefined, { timeout: 180_000 });
    const size = await page.getByTestId('mockup-result').evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight }));
    assert.deepEqual(size, { w: photo.width, h: photo.height }, 'the mockup is rendered on the new photo');
    await screenshot(page, 'mockup-setup-generated');
    assert.deepEqual(errors, []);
  });

  it('a sales rep without the setup permission has no Setup tab and cannot save frames', async () => {
    const rep = demoUser('dubai.rep2@mmg.demo');
    const other = await (await newContext(browser)).newPage();
    await signIn(other, rep);
    await other.goto('/mockups');
    await other.getByRole('tab', { name: 'Generate' }).waitFor();
    assert.equal(await other.getByRole('tab', { name: 'Setup' }).count(), 0);
    await other.goto('/mockups/setup');
    await other.getByText('No access to billboard setup').waitFor();
    await other.close();

    const r = await fetch(`${env.url}/rest/v1/rpc/save_location_photo_frames`, {
      method: 'POST',
      headers: { apikey: env.anonKey, authorization: `Bearer ${await accessToken(rep)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        company: 'backlite_dubai', location_key: LOCATION.key,
        photo: { storage_path: `backlite_dubai/${LOCATION.key}/outdoor/day/gold/x.png`, width_px: 100, height_px: 100, time_of_day: 'day', side: 'gold' },
        frames: [{ points: [[10, 10], [90, 10], [90, 90], [10, 90]] }],
      }),
    });
    assert.equal(r.status, 403);
    assert.equal(((await r.json()) as { code: string }).code, '42501');
  });
});
