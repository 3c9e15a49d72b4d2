// What every browser test needs: Debian's Chromium, a fresh studio + loopback host per test, and the built renderer.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { startHost, type RunningHost } from '../../electron/host/server';
import { createStudio, type Studio } from '../../electron/studio';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIR = path.join(REPO_ROOT, 'out', 'web');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'tests', '.artifacts', 'e2e-web');
/** Debian's Chromium; Playwright's own browser download is not possible here. CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags for a quiet, reproducible headless run in a container (no sandbox: tests run as root in CI). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** scrypt at test cost: the real cost protects people, not a test suite. */
export const TEST_KDF = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
/** How long a step may take before the test fails (imports run real sharp in real workers). */
export const STEP_TIMEOUT_MS = 30_000;

/** Playwright's launch() starts Chromium on a new, empty temporary profile and deletes it on close. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface StudioUnderTest {
  studio: Studio;
  host: RunningHost;
  /** A scratch folder for the test's input files. */
  filesDir: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A studio on a fresh data folder, served by its own host from out/web. */
export async function startStudio(): Promise<StudioUnderTest> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-e2e-web-'));
  const dataDir = path.join(root, 'data');
  const filesDir = path.join(root, 'files');
  await fs.mkdir(filesDir, { recursive: true });
  const studio = createStudio({ dataDir, appVersion: '0.0.0-e2e', transport: 'host', kdf: TEST_KDF });
  const host = await startHost({ studio, staticDir: WEB_DIR });
  return {
    studio,
    host,
    filesDir,
    dataDir,
    close: async () => {
      await host.close();
      await studio.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** Problems the page reports by itself: uncaught exceptions, and console errors such as CSP violations. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

/** Opens the studio and creates (and so unlocks) a profile; ends in the shell. */
export async function createProfile(page: Page, name: string, password: string): Promise<void> {
  await expect.poll(() => page.getByTestId('profile-picker').isVisible(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
  await page.getByTestId('profile-create-name').fill(name);
  await page.getByTestId('profile-create-password').fill(password);
  await page.getByTestId('profile-create-password-confirm').fill(password);
  await page.getByTestId('profile-create-submit').click();
  await page.getByTestId('shell').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await expect.poll(() => page.getByTestId('current-profile').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain(name);
}

/** Waits until exactly these files show as decoded thumbnails in the grid. */
export async function expectThumbnails(page: Page, names: string[]): Promise<void> {
  const loaded = page.locator('[data-testid="asset-thumb"][data-loaded="true"]');
  await expect
    .poll(async () => (await loaded.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt') ?? ''))).sort(), {
      timeout: STEP_TIMEOUT_MS,
    })
    .toEqual([...names].sort());
  // Decoded for real: the browser knows the pixel size of each thumbnail.
  const sizes = await loaded.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
  for (const width of sizes) expect(width).toBeGreaterThan(0);
}

export interface StudioPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far (tests assert it stays empty). */
  problems: string[];
  studio: StudioUnderTest;
}

/**
 * Registers the hooks every browser test file uses: one Chromium per file; per test a fresh studio + host,
 * a new page on it, and a screenshot of the page when the test fails. `onReady` receives each test's page.
 */
export function useStudioPage(
  opts: { viewport: { width: number; height: number }; failurePrefix: string },
  onReady: (t: StudioPage) => void,
): void {
  let browser: Browser | undefined;
  let current: StudioPage | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    await fs.mkdir(ARTIFACTS_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    const studio = await startStudio();
    const context = await browser!.newContext({ viewport: opts.viewport, colorScheme: 'light' });
    const page = await context.newPage();
    const problems = watchPageProblems(page);
    await page.goto(studio.host.url);
    current = { page, context, problems, studio };
    onReady(current);
  });
  afterEach(async (ctx) => {
    // The page's own view of a failure is the first thing to look at.
    if (ctx.task.result?.state === 'fail' && current) {
      const file = `failed-${opts.failurePrefix}-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-')}.png`;
      await current.page.screenshot({ path: path.join(ARTIFACTS_DIR, file) }).catch(() => undefined);
    }
    await current?.context.close();
    await current?.studio.close();
    current = undefined;
  });
}
