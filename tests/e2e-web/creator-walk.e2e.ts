// A new creator in a real browser against a real studio: create a model, pick assets, train (twice), generate,
// compare two versions, export a clean signed copy, set a price, pass the publish check and publish — with
// screenshots of every screen.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../engine/watermark/c2pa';
import { STEP_TIMEOUT_MS, createProfile, useStudioPage, type StudioUnderTest } from './harness';
import { TRAIN_TIMEOUT_MS, call, importDrawings, onlyModel, openModelPage, shotPath, subscribe, tagDrawings, trainTo } from './creator-steps';

let page: Page;
let problems: string[];
let s: StudioUnderTest;
/** The clean export downloaded from the generation detail, checked again in Settings. */
let exportedFile = '';

useStudioPage({ viewport: { width: 1440, height: 900 }, failurePrefix: 'creator-walk' }, (t) => {
  ({ page, problems, studio: s } = t);
});

describe('a new creator, from assets to a published model', () => {
  it('creates, trains, generates, compares, prices and publishes', async () => {
    await createProfile(page, 'Ilse', 'a long enough password');
    await subscribe(s);
    const names = await importDrawings(page, s, 10);
    // Half are roses, half thorns: the prompt below names both.
    await tagDrawings(s, Object.fromEntries(names.map((n, i) => [n, [i < 5 ? 'rose' : 'thorns']])));

    // Models: the empty state says what to do, then the subcategory picker shows "later" ones as coming.
    await page.getByTestId('nav-models').click();
    await page.getByTestId('models-empty').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('walk-01-models-empty.png') });
    await page.getByTestId('model-new').click();
    await expect.poll(() => page.getByTestId('subcategory-graphics_design').isDisabled(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
    await page.screenshot({ path: shotPath('walk-02-new-model.png') });
    await page.getByTestId('subcategory-tattoo').click();
    await page.getByTestId('model-page').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });

    // Pick every image; the count and the set's health follow.
    await expect.poll(() => page.getByTestId('picker-tile').count(), { timeout: STEP_TIMEOUT_MS }).toBe(10);
    await page.getByTestId('picker-select-all').click();
    await expect.poll(() => page.getByTestId('picker-count').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('10 selected');
    await page.getByTestId('set-health').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('walk-03-model-assets.png') });

    // Train: progress visible, then version 1 active.
    await trainTo(page, 1, 'walk-04-training.png');
    await page.screenshot({ path: shotPath('walk-05-trained.png') });

    // Rename inline.
    await page.getByTestId('model-name').click();
    await page.getByTestId('model-rename-input').fill('Ilse flash');
    await page.getByTestId('model-rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('model-name').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('Ilse flash');

    // Drop one asset: the model is stale; train again for version 2.
    await page.locator('[data-testid="picker-tile"][data-asset-name="sketch-10.png"] [data-testid="picker-check"]').uncheck();
    await page.getByTestId('model-stale-badge').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await trainTo(page, 2);
    await expect.poll(() => page.getByTestId('model-stale-badge').count(), { timeout: STEP_TIMEOUT_MS }).toBe(0);

    // The publish check lists what is missing (playground and pricing) with what to do.
    const conditions = () => page.getByTestId('publish-blocker').evaluateAll((els) => els.map((e) => e.getAttribute('data-condition')));
    await expect.poll(conditions, { timeout: STEP_TIMEOUT_MS }).toEqual(['playground', 'pricing']);
    await page.screenshot({ path: shotPath('walk-06-publish-check.png') });

    // Playground: generate with Ctrl+Enter; the piece lands in the gallery.
    await page.getByTestId('nav-playground').click();
    await page.getByTestId('pg-prompt').fill('a rose with thorns');
    await page.getByTestId('pg-seed').fill('1234');
    await page.getByTestId('pg-size').fill('512');
    await page.getByTestId('pg-prompt').press('Control+Enter');
    await page.getByTestId('pg-job').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await expect.poll(() => page.getByTestId('pg-gallery-item').count(), { timeout: TRAIN_TIMEOUT_MS }).toBe(1);
    await page.locator('[data-testid="pg-gallery-thumb"]').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('walk-07-playground.png') });

    // Favourite with F, open the detail with Enter; hover shows the provenance overlay and names an asset.
    await page.getByTestId('pg-gallery-item').first().focus();
    await page.keyboard.press('f');
    await expect.poll(() => page.getByTestId('pg-gallery-item').first().getAttribute('data-favourite'), { timeout: STEP_TIMEOUT_MS }).toBe('true');
    await page.keyboard.press('Enter');
    await page.getByTestId('pg-detail-image').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('pg-provenance-overlay').waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    const box = (await page.getByTestId('pg-detail-image').boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('pg-provenance-tip').textContent(), { timeout: STEP_TIMEOUT_MS }).toMatch(/sketch-\d\d\.png/);
    expect(await page.getByTestId('pg-provenance-legend').locator('li').count()).toBeGreaterThan(0);
    // The overlay is really shown while the pointer is over the picture, not only present in the page.
    await expect
      .poll(() => page.getByTestId('pg-provenance-overlay').evaluate((el) => Number(getComputedStyle(el).opacity)), { timeout: STEP_TIMEOUT_MS })
      .toBeGreaterThan(0.5);
    await page.screenshot({ path: shotPath('walk-08-detail-provenance.png') });

    // Export: the browser downloads the output without any mark, with content credentials naming model and creator.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), page.getByTestId('pg-export-png').click()]);
    const version = /-v(\d+)-seed1234\.png$/.exec(download.suggestedFilename())?.[1];
    expect(version, download.suggestedFilename()).toBeDefined();
    exportedFile = path.join(s.filesDir, download.suggestedFilename());
    await download.saveAs(exportedFile);
    const exported = new Uint8Array(await fs.readFile(exportedFile));
    const credentials = await readCredentials(exported);
    expect(credentials?.description).toMatch(/^AI-generated with .+ by Ilse$/);
    expect(credentials?.atelier).toMatchObject({ creatorName: 'Ilse', modelVersion: `v${version}` });
    expect(credentials?.atelier?.trainingSetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(credentials?.verdict).toBe('untrusted');
    // No visible (or any) mark: the pixels are exactly the playground output's.
    const generationId = (await call(s, 'playground:list', { modelId: (await onlyModel(s)).id, limit: 1 })).items[0]!.id;
    const original = await call(s, 'playground:output', { generationId });
    const rgb = (b: Uint8Array) => sharp(b).removeAlpha().raw().toBuffer();
    expect((await rgb(exported)).equals(await rgb(original.bytes))).toBe(true);
    await expect.poll(() => page.getByTestId('pg-export-status').textContent(), { timeout: STEP_TIMEOUT_MS }).toContain('content credentials');
    await page.screenshot({ path: shotPath('walk-08b-exported.png') });
    await page.getByTestId('pg-detail-close').click();

    // Compare versions 1 and 2 on the same prompt and seed: version 1's output is generated, then both shown.
    await page.getByTestId('pg-compare-open').click();
    await page.getByTestId('pg-compare-a').selectOption('1');
    await page.getByTestId('pg-compare-b').selectOption('2');
    await page.getByTestId('pg-compare-run').click();
    await expect.poll(() => page.locator('[data-testid="pg-compare-image"]').count(), { timeout: TRAIN_TIMEOUT_MS }).toBe(2);
    await expect.poll(() => page.getByTestId('pg-gallery-item').count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
    const seeds = await page.getByTestId('pg-gallery-item').evaluateAll((els) => els.map((e) => [e.getAttribute('data-version'), e.getAttribute('data-seed')].join('@')).sort());
    expect(seeds).toEqual(['1@1234', '2@1234']);
    await page.screenshot({ path: shotPath('walk-09-compare.png') });

    // Redraw a library picture in the style: the detail shows reference and output with a divider the arrows move.
    await page.getByTestId('pg-reference-library').click();
    await page.locator('[data-testid="pg-reference-option"][data-asset-name="sketch-01.png"]').click();
    await expect.poll(() => page.getByTestId('pg-reference-name').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('sketch-01.png');
    await page.getByTestId('pg-generate').click();
    const fromReference = page.locator('[data-testid="pg-gallery-item"][data-mode="reference"]');
    await fromReference.waitFor({ state: 'visible', timeout: TRAIN_TIMEOUT_MS });
    await fromReference.getByTestId('pg-gallery-thumb').click();
    await page.getByTestId('pg-before-after').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('pg-slider').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('pg-slider').getAttribute('aria-valuenow'), { timeout: STEP_TIMEOUT_MS }).toBe('30');
    await page.screenshot({ path: shotPath('walk-09b-before-after.png') });
    await page.getByTestId('pg-detail-close').click();

    // Pricing: a bad amount is named at its field; a good one quotes live and saves.
    await page.getByTestId('nav-pricing').click();
    await page.getByTestId('pricing-unit').fill('12.345');
    await page.getByTestId('pricing-unit-error').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('pricing-unit').fill('25');
    await page.getByTestId('pricing-commercial-on').check();
    await page.getByTestId('pricing-commercial').fill('12');
    await page.getByTestId('pricing-quote-qty').fill('2');
    await page.getByTestId('pricing-quote-licence').selectOption('commercial');
    await expect.poll(() => page.getByTestId('pricing-quote').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('2 designs, commercial licence → $62.00');
    await page.screenshot({ path: shotPath('walk-10-pricing.png') });
    await page.getByTestId('pricing-save').click();
    await expect.poll(async () => (await onlyModel(s)).pricing?.scheme, { timeout: STEP_TIMEOUT_MS }).toBe('per-unit');

    // Back on the model: nothing blocks; publish.
    await openModelPage(page);
    await page.getByTestId('publish-ready').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('model-publish').click();
    await expect.poll(async () => (await onlyModel(s)).active, { timeout: STEP_TIMEOUT_MS }).toBe(true);
    await expect.poll(() => page.getByTestId('model-publish').isEnabled(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
    expect(await page.getByTestId('model-publish').textContent()).toBe('Withdraw');
    await page.screenshot({ path: shotPath('walk-11-published.png') });
    await page.getByTestId('model-back').click();
    await page.getByTestId('model-published-badge').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('walk-12-models-list.png') });

    // Settings shows the subscription honestly; and the same screens in dark.
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('subscription-line').getAttribute('data-status'), { timeout: STEP_TIMEOUT_MS }).toBe('active');
    await page.screenshot({ path: shotPath('walk-13-settings.png') });
    // "Check a file" reads the exported picture's credentials as signed by this studio.
    await page.getByTestId('check-file-input').setInputFiles(exportedFile);
    const credentialsLine = page.getByTestId('check-file-credentials');
    await credentialsLine.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await credentialsLine.getAttribute('data-verdict')).toBe('untrusted');
    expect(await credentialsLine.textContent()).toMatch(/^Content credentials: AI-generated with .+ v\d+ by Ilse — signed by this studio \(not on a public trust list\)$/);
    expect(await page.getByTestId('check-file-result').getAttribute('data-found')).toBe('false');
    await page.getByTestId('check-file-panel').scrollIntoViewIfNeeded();
    await page.getByTestId('check-file-panel').screenshot({ path: shotPath('walk-13b-check-credentials.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('nav-playground').click();
    await page.getByTestId('pg-gallery-item').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('walk-14-playground-dark.png') });
    await openModelPage(page);
    await page.getByTestId('versions-panel').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('walk-15-model-dark.png') });

    expect(await call(s, 'versions:list', { modelId: (await onlyModel(s)).id })).toHaveLength(2);
    expect(problems).toEqual([]);
  });
});
