// Focused browser checks of issue 5's screens: a rejected prompt with its reason, the stale badge after a crop
// change, the training quota line, and an audio model whose Train button says when audio training arrives.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { STEP_TIMEOUT_MS, createProfile, useStudioPage, type StudioUnderTest } from './harness';
import { TRAIN_TIMEOUT_MS, call, createModel, importDrawings, onlyModel, shotPath, subscribe, trainTo } from './creator-steps';

let page: Page;
let problems: string[];
let s: StudioUnderTest;

useStudioPage({ viewport: { width: 1280, height: 860 }, failurePrefix: 'models-focused' }, (t) => {
  ({ page, problems, studio: s } = t);
});

/** A tattoo model with every imported image, trained once through its page. */
async function trainedModel(count = 6): Promise<void> {
  await importDrawings(page, s, count);
  await createModel(page, 'tattoo');
  await page.getByTestId('picker-select-all').click();
  await expect.poll(() => page.getByTestId('picker-count').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe(`${count} selected`);
  await trainTo(page, 1);
}

describe('models, focused', () => {
  it('refuses a prompt with markup and says where and why, next to the prompt', async () => {
    await createProfile(page, 'Rune', 'a long enough password');
    await subscribe(s);
    await trainedModel();
    await page.getByTestId('nav-playground').click();
    await page.getByTestId('pg-prompt').fill('a <b>bold</b> rose 🌹');
    await page.getByTestId('pg-generate').click();
    // Each problem is listed by kind when the studio sends them (details.problems); otherwise its message names them.
    const said = page.locator('[data-testid="pg-prompt-problems"], [data-testid="pg-form-error"]');
    await said.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const text = (await said.first().textContent()) ?? '';
    expect(text).toMatch(/markup|tag|HTML/i);
    expect(text).toMatch(/emoji/i);
    if (await page.getByTestId('pg-prompt-problems').isVisible()) {
      const kinds = await page.getByTestId('pg-prompt-problems').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(kinds).toEqual(expect.arrayContaining(['markup', 'emoji']));
      expect(await page.getByTestId('pg-prompt').getAttribute('aria-invalid')).toBe('true');
    }
    await page.screenshot({ path: shotPath('focused-prompt-rejected.png') });
    // Nothing was generated.
    expect((await call(s, 'playground:list', { modelId: (await onlyModel(s)).id })).total).toBe(0);
    // What was typed is still there after a visit to another section, to be fixed rather than retyped.
    await page.getByTestId('nav-models').click();
    await page.getByTestId('nav-playground').click();
    await expect.poll(() => page.getByTestId('pg-prompt').inputValue(), { timeout: STEP_TIMEOUT_MS }).toBe('a <b>bold</b> rose 🌹');
    expect(problems).toEqual([]);
  });

  it('marks a trained model stale when the crop of one of its assets changes, naming the asset', async () => {
    await createProfile(page, 'Mira', 'a long enough password');
    await subscribe(s);
    await trainedModel();
    const asset = (await call(s, 'assets:list', { limit: 10 })).items.find((a) => a.originalName === 'sketch-03.png')!;
    await call(s, 'assets:crop', { assetId: asset.id, crop: { x: 0, y: 0, size: 200 } });
    await page.getByTestId('model-back').click();
    const badge = page.getByTestId('model-card').getByTestId('model-stale-badge');
    await badge.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await badge.textContent()).toContain('sketch-03.png');
    await page.screenshot({ path: shotPath('focused-stale-badge.png') });
    expect(problems).toEqual([]);
  });

  it('shows the quota line, and it counts down with each training', async () => {
    await createProfile(page, 'Oskar', 'a long enough password');
    // No subscription: the two free trainings per model.
    await importDrawings(page, s, 5);
    await createModel(page, 'illustration');
    const line = () => page.getByTestId('training-panel').getByTestId('model-quota').textContent();
    await expect.poll(line, { timeout: STEP_TIMEOUT_MS }).toBe('2 of 2 free trainings left');
    await page.getByTestId('picker-select-all').click();
    await expect.poll(() => page.getByTestId('picker-count').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('5 selected');
    await trainTo(page, 1);
    await expect.poll(line, { timeout: STEP_TIMEOUT_MS }).toBe('1 of 2 free trainings left');
    await page.getByTestId('model-back').click();
    await expect.poll(() => page.getByTestId('model-card').getByTestId('model-quota').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('1 of 2 free trainings left');
    await page.screenshot({ path: shotPath('focused-quota-line.png') });
    expect(problems).toEqual([]);
  }, TRAIN_TIMEOUT_MS * 2);

  it('lets an audio model be created and priced, and says honestly that its training comes later', async () => {
    await createProfile(page, 'Vera', 'a long enough password');
    await createModel(page, 'voice_over');
    await page.getByTestId('picker-empty').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await page.getByTestId('model-train').isDisabled()).toBe(true);
    expect(await page.getByTestId('train-blocked').textContent()).toMatch(/audio engine/);
    await page.screenshot({ path: shotPath('focused-audio-model.png') });

    await page.getByTestId('nav-pricing').click();
    await page.getByTestId('pricing-scheme-base').check();
    await page.getByTestId('pricing-base-qty').fill('30');
    await page.getByTestId('pricing-base-price').fill('25');
    await page.getByTestId('pricing-inc-qty').fill('10');
    await page.getByTestId('pricing-inc-price').fill('5');
    await page.getByTestId('pricing-commercial-on').check();
    await page.getByTestId('pricing-commercial').fill('2');
    await page.getByTestId('pricing-quote-licence').selectOption('commercial');
    // 45 s with a 30 s base and 10 s increments: base + 2 increments + the commercial licence.
    await expect.poll(() => page.getByTestId('pricing-quote').textContent(), { timeout: STEP_TIMEOUT_MS }).toBe('45 s, commercial licence → $37.00');
    await page.getByTestId('pricing-broadcast-on').check();
    await page.getByTestId('pricing-broadcast').fill('0');
    // The studio's rule, at the field when the problems come by field, else under the quote.
    await expect
      .poll(() => page.getByTestId('pricing-screen').textContent(), { timeout: STEP_TIMEOUT_MS })
      .toContain('The broadcast rights price must be more than $0.00.');
    expect(await page.getByTestId('pricing-quote').count()).toBe(0);
    await page.screenshot({ path: shotPath('focused-audio-pricing.png') });

    // The same screens in dark, and Settings saying how the subscription is set today.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('subscription-line').getAttribute('data-status'), { timeout: STEP_TIMEOUT_MS }).toBe('none');
    expect(await page.getByTestId('subscription-card').textContent()).toContain('command line');
    await page.screenshot({ path: shotPath('focused-settings-dark.png') });
    await page.getByTestId('nav-models').click();
    // Models reopens on the model last open; its back link leads to the list.
    await page.getByTestId('model-back').click();
    await page.getByTestId('model-card').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('focused-models-list-dark.png') });
    await page.getByTestId('model-new').click();
    await page.getByTestId('model-new-dialog').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: shotPath('focused-new-model-dark.png') });
    expect(problems).toEqual([]);
  });
});
