// Steps a new creator takes in the browser tests of issue 5: fixture images, a subscription, a model, training.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { studioClient } from '../fixtures/studio-client';
import type { Channel, ChannelInput, ChannelOutput, ModelSummary } from '../../preload/contract';
import { makeDrawing } from '../fixtures/images';
import { ARTIFACTS_DIR, STEP_TIMEOUT_MS, type StudioUnderTest } from './harness';

/** Small pictures keep training quick (the brief: 256 px fixtures). */
export const FIXTURE_SIDE = 256;
/** Training runs real workers on two shared cores; give it longer than a plain step. */
export const TRAIN_TIMEOUT_MS = 90_000;

/** Calls the studio the way the app does (the same handlers behind the page's host). */
export function call<C extends Channel>(s: StudioUnderTest, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return studioClient(() => s.studio).value(channel, input);
}

/** Only the CLI sets the subscription today; the test sets it through the studio's own handler. */
export async function subscribe(s: StudioUnderTest): Promise<void> {
  const since = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();
  await call(s, 'subscription:set', { state: { status: 'active', since, source: 'cli' } });
}

/** Imports `count` 256 px drawings through the Assets screen and waits for the library to hold them. */
export async function importDrawings(page: Page, s: StudioUnderTest, count: number): Promise<string[]> {
  const files = await Promise.all(
    Array.from({ length: count }, (_, i) => makeDrawing(path.join(s.filesDir, `sketch-${String(i + 1).padStart(2, '0')}.png`), FIXTURE_SIDE, FIXTURE_SIDE, 100 + i, 'png')),
  );
  await page.getByTestId('nav-assets').click();
  await page.getByTestId('import-input').setInputFiles(files);
  await expect
    .poll(async () => (await call(s, 'assets:list', { limit: 1000 })).total, { timeout: STEP_TIMEOUT_MS })
    .toBe(count);
  if (await page.getByTestId('jobs-tray').isVisible()) await page.getByTestId('jobs-tray-toggle').click();
  return files.map((f) => path.basename(f));
}

/**
 * Tags the imported drawings the way a creator would before training: a prompt composes from tag words, so an
 * untagged model can only redraw references. The tagging screens have their own spec (library.e2e.ts).
 */
export async function tagDrawings(s: StudioUnderTest, tagsByName: Readonly<Record<string, readonly string[]>>): Promise<void> {
  const items = (await call(s, 'assets:list', { limit: 1000 })).items;
  for (const [name, values] of Object.entries(tagsByName)) {
    const asset = items.find((a) => a.originalName === name);
    if (!asset) throw new Error(`No imported asset is called ${name}.`);
    await call(s, 'assets:tag', { assetIds: [asset.id], add: values.map((value) => ({ kind: 'content' as const, value })), remove: [] });
  }
}

/** Models → New model → the subcategory; ends on the new model's page. */
export async function createModel(page: Page, subcategory: string): Promise<void> {
  await page.getByTestId('nav-models').click();
  await page.getByTestId('model-new').click();
  await page.getByTestId(`subcategory-${subcategory}`).click();
  await page.getByTestId('model-page').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

/** Models → the (first) model's page; the Models section reopens on the model last open, else shows the cards. */
export async function openModelPage(page: Page): Promise<void> {
  await page.getByTestId('nav-models').click();
  const pageOrCard = page.locator('[data-testid="model-page"], [data-testid="model-card"]').first();
  await pageOrCard.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  if ((await pageOrCard.getAttribute('data-testid')) === 'model-card') await pageOrCard.click();
  await page.getByTestId('model-page').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

export async function onlyModel(s: StudioUnderTest): Promise<ModelSummary> {
  const models = await call(s, 'models:list', {});
  expect(models).toHaveLength(1);
  return models[0]!;
}

/** Presses Train on the open model page, sees the progress, and waits for version `n` to be listed. */
export async function trainTo(page: Page, n: number, shot?: string): Promise<void> {
  await page.getByTestId('model-train').click();
  const progress = page.getByTestId('training-progress');
  // A 256 px set can finish between two polls; then the new version is the proof it ran.
  const sawProgress = await progress
    .waitFor({ state: 'visible', timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  if (sawProgress && shot) {
    // Show the bar moving rather than at "Starting… 0%", when the run lasts long enough to see it.
    await page
      .waitForFunction(() => ((document.querySelector('[data-testid="training-progress"] progress') as HTMLProgressElement | null)?.value ?? 0) > 0.1, null, {
        timeout: 10_000,
        polling: 50,
      })
      .catch(() => undefined);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, shot) });
  }
  await page.locator(`[data-testid="version-row"][data-version="${n}"]`).waitFor({ state: 'visible', timeout: TRAIN_TIMEOUT_MS });
  await expect.poll(() => page.locator('[data-testid="version-row"][data-active="true"]').getAttribute('data-version'), { timeout: STEP_TIMEOUT_MS }).toBe(String(n));
}

export function shotPath(name: string): string {
  return path.join(ARTIFACTS_DIR, name);
}
