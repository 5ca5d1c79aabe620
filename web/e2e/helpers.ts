// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core (no browser
// is ever downloaded), the stack under test (SUPABASE_URL = the gateway serving web/dist), the
// demo users, and small helpers to sign in and save screenshots as test artifacts.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { encodePng } from '../../seed/png.ts';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const resultsDir = join(repoRoot, 'test-results', 'web');

export const env = {
  url: process.env.SUPABASE_URL ?? '',
  anonKey: process.env.SUPABASE_ANON_KEY ?? '',
  serviceRoleKey: process.env.SUPABASE_SERVICE_ROLE_KEY ?? '',
  dbUrl: process.env.SUPABASE_DB_URL ?? '',
};

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser suite cannot run here, or null when it can. */
export function skipReason(): string | null {
  if (!env.url || !env.anonKey) return 'SUPABASE_URL and SUPABASE_ANON_KEY are not set (run against a running stack)';
  if (!existsSync(chromiumPath)) return `no Chromium at ${chromiumPath} (apt-get install chromium)`;
  if (!existsSync(join(repoRoot, 'web/dist/index.html'))) return 'web/dist is not built (npm run build:web)';
  return null;
}

export interface DemoUser {
  email: string;
  password: string;
  name: string;
  profile: string;
  companies: string[];
  teams: { team: string; role: string }[];
}

export const demoUsers: DemoUser[] = JSON.parse(readFileSync(join(repoRoot, 'seed/users.json'), 'utf8')).users;

export function demoUser(email: string): DemoUser {
  const u = demoUsers.find((x) => x.email === email);
  if (!u) throw new Error(`no demo user ${email}`);
  return u;
}

/** The SPA reads its URL and anon key from the gateway's GET /config.json; check it is served. */
export async function ensureRuntimeConfig(): Promise<void> {
  const r = await fetch(`${env.url}/config.json`);
  const body = (r.headers.get('content-type') ?? '').includes('json') ? ((await r.json()) as { anonKey?: string }) : {};
  if (body.anonKey !== env.anonKey) {
    throw new Error(`${env.url}/config.json does not serve this stack's anon key: the gateway must answer it`);
  }
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
  });
}

export function newContext(browser: Browser, opts: { width?: number; height?: number; colorScheme?: 'dark' | 'light' } = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: env.url,
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'dark',
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
}

/** Signs in through the UI and waits for the shell. */
export async function signIn(page: Page, user: DemoUser): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  try {
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 20_000 });
  } catch (e) {
    await screenshot(page, `sign-in-failed-${user.email.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => {});
    throw e;
  }
}

/** The labels of the main navigation, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  return (await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).map((s) => s.trim());
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.png`);
  // Sticky header and sidebar belong at the top of a full-page capture.
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Collects uncaught page errors so a test can assert the app did not crash. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Signs a demo user in over the Auth API (no browser) and returns the access token. */
export async function accessToken(user: DemoUser): Promise<string> {
  const r = await fetch(`${env.url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: env.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = (await r.json()) as { access_token?: string; msg?: string };
  if (!body.access_token) throw new Error(`sign-in of ${user.email} failed: ${r.status} ${body.msg ?? ''}`);
  return body.access_token;
}

/** Calls an RPC over REST as the given token (or the service role). */
export async function rpc<T>(fn: string, args: unknown, token: string): Promise<T> {
  const r = await fetch(`${env.url}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = await r.json();
  if (!r.ok) throw new Error(`${fn}: ${r.status} ${JSON.stringify(body)}`);
  return body as T;
}

/** A small PNG creative: diagonal cosmic gradient with a bright block, so a mockup shows it. */
export function creativePng(width = 600, height = 400): Buffer {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const t = (x / width + y / height) / 2;
      const block = x > width * 0.3 && x < width * 0.7 && y > height * 0.35 && y < height * 0.65;
      rgb[i] = block ? 255 : Math.round(47 + t * 92);
      rgb[i + 1] = block ? 214 : Math.round(107 - t * 15);
      rgb[i + 2] = block ? 10 : Math.round(255 - t * 9);
    }
  }
  return encodePng(width, height, rgb);
}

/** A REST call with the service role (test set-up only: grants, fixtures). Returns the JSON body. */
export async function serviceRest<T>(path: string, init: { method?: string; body?: unknown; prefer?: string } = {}): Promise<T> {
  if (!env.serviceRoleKey) throw new Error('SUPABASE_SERVICE_ROLE_KEY is not set');
  const r = await fetch(`${env.url}/rest/v1/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      apikey: env.serviceRoleKey,
      authorization: `Bearer ${env.serviceRoleKey}`,
      'content-type': 'application/json',
      ...(init.prefer ? { prefer: init.prefer } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A REST read as a signed-in user (RLS applies). */
export async function userRest<T>(path: string, token: string): Promise<T> {
  const r = await fetch(`${env.url}/rest/v1/${path}`, { headers: { apikey: env.anonKey, authorization: `Bearer ${token}` } });
  const body = await r.json();
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(body)}`);
  return body as T;
}
