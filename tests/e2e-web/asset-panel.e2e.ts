// The asset panel in a real browser against a real studio: quality report, a one-click fix, a dragged and
// saved square crop, a dragged and saved audio trim, tags, the text preview — with screenshots.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/dispatch';
import type { AssetDetail } from '../../preload/contract';
import { padSilence, voice, writeFixture, writeWav } from '../fixtures/audio';
import { makeDrawing } from '../fixtures/images';
import {
  ARTIFACTS_DIR,
  STEP_TIMEOUT_MS,
  createProfile,
  useStudioPage,
  type StudioUnderTest,
} from './harness';

let page: Page;
let problems: string[];
let s: StudioUnderTest;

useStudioPage({ viewport: { width: 1440, height: 900 }, failurePrefix: 'asset-panel' }, (t) => {
  ({ page, problems, studio: s } = t);
});

/** What the studio holds for an asset, asked the way the app asks. */
async function assetDetail(assetId: string): Promise<AssetDetail> {
  const result = await dispatch(s.studio.handlers, 'assets:get', { assetId });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as AssetDetail;
}

async function importFiles(files: string[]): Promise<void> {
  await page.getByTestId('import-input').setInputFiles(files);
  await expect.poll(() => page.getByTestId('asset-tile').count(), { timeout: STEP_TIMEOUT_MS }).toBe(files.length);
}

/** Opens an asset the way a creator does (double-click on its tile) and waits for its report. */
async function openPanel(name: string): Promise<Locator> {
  await page.getByTestId('asset-tile').filter({ hasText: name }).dblclick();
  const panel = page.getByTestId('asset-panel');
  await expect.poll(() => panel.getAttribute('data-state'), { timeout: STEP_TIMEOUT_MS }).toBe('ready');
  await expect.poll(() => page.getByTestId('asset-panel-name').textContent()).toBe(name);
  return panel;
}

async function numberAttr(locator: Locator, name: string): Promise<number> {
  return Number(await locator.getAttribute(name));
}

/** Screenshots of the panel: its top (the editor) and, scrolled to the end, its report and tags. */
async function shootPanel(name: string): Promise<void> {
  const panel = page.getByTestId('asset-panel');
  const body = panel.locator('.asset-panel-body');
  await body.evaluate((el) => el.scrollTo(0, 0));
  await panel.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
  await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await panel.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-end.png`) });
  await body.evaluate((el) => el.scrollTo(0, 0));
}

/** Presses the mouse at a point, moves in small steps (as a hand does) and releases. */
async function drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

describe('the asset panel', () => {
  it('applies the suggested square crop, then saves a crop dragged and resized on the canvas', async () => {
    const image = await makeDrawing(path.join(s.filesDir, 'harbour-wide.png'), 1600, 1000, 31, 'png');
    await createProfile(page, 'Cropper', 'a long enough password');
    await importFiles([image]);

    const panel = await openPanel('harbour-wide.png');
    const assetId = (await panel.getAttribute('data-asset-id')) ?? '';
    const before = await assetDetail(assetId);
    const suggested = before.report.image?.suggestedCrop;
    expect(suggested, 'a 1600×1000 image gets a suggested square crop').toBeTruthy();
    if (!suggested) return;
    expect(before.crop).toBeNull();

    // The report names the non-square finding with its one-click fix.
    const nonSquare = panel.locator('[data-testid="finding"][data-check="non-square"]');
    await nonSquare.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await nonSquare.getByTestId('finding-fix').click();
    const saved = page.getByTestId('crop-saved');
    await expect.poll(() => saved.getAttribute('data-size'), { timeout: STEP_TIMEOUT_MS }).toBe(String(suggested.size));
    expect((await assetDetail(assetId)).crop).toEqual(suggested);

    // Drag the square 120 screen pixels toward the side with room, then its bottom-right corner up-left by 40.
    const stage = page.getByTestId('crop-stage');
    await stage.locator('canvas').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    // The fix button is further down the panel; bring the editor back into view before using the mouse on it.
    await stage.scrollIntoViewIfNeeded();
    const box = await stage.boundingBox();
    if (!box) throw new Error('The crop stage has no size.');
    const readout = page.getByTestId('crop-readout');
    const scale = box.width / 1600;
    const x0 = await numberAttr(readout, 'data-x');
    const size0 = await numberAttr(readout, 'data-size');
    // Toward the side with more room; the square stops at the image's edge, so the move may be clamped.
    const roomLeft = x0;
    const roomRight = 1600 - size0 - x0;
    const direction = roomLeft > roomRight ? -1 : 1;
    const expectedMove = Math.min(Math.round(120 / scale), direction < 0 ? roomLeft : roomRight);
    const centre = { x: box.x + (x0 + size0 / 2) * scale, y: box.y + (size0 / 2) * scale };
    await drag(centre, { x: centre.x + direction * 120, y: centre.y });
    const x1 = await numberAttr(readout, 'data-x');
    expect((x1 - x0) * direction).toBeGreaterThan(0);
    expect(Math.abs(Math.abs(x1 - x0) - expectedMove)).toBeLessThanOrEqual(Math.ceil(2 / scale));

    const corner = { x: box.x + (x1 + size0) * scale - 2, y: box.y + size0 * scale - 2 };
    await drag(corner, { x: corner.x - 40, y: corner.y - 40 });
    const dragged = {
      x: await numberAttr(readout, 'data-x'),
      y: await numberAttr(readout, 'data-y'),
      size: await numberAttr(readout, 'data-size'),
    };
    expect(dragged.size).toBeLessThan(size0);
    expect(dragged.x).toBe(x1);
    expect(dragged.x + dragged.size).toBeLessThanOrEqual(1600);
    expect(dragged.y + dragged.size).toBeLessThanOrEqual(1000);

    // Keyboard nudging moves it too (one screen pixel's worth of original pixels per press).
    await stage.focus();
    await page.keyboard.press('ArrowRight');
    const nudged = await numberAttr(readout, 'data-x');
    expect(nudged - dragged.x).toBe(Math.max(1, Math.round(1600 / box.width)));
    dragged.x = nudged;

    await page.getByTestId('crop-save').click();
    await expect.poll(() => saved.getAttribute('data-x'), { timeout: STEP_TIMEOUT_MS }).toBe(String(dragged.x));
    expect(await saved.textContent()).toBe(`x ${dragged.x}, y ${dragged.y}, size ${dragged.size}`);
    expect((await assetDetail(assetId)).crop).toEqual(dragged);

    // Tags: a suggestion from the analysis, and a typed one.
    const suggestion = page.getByTestId('tag-suggestion').first();
    if (await suggestion.count()) {
      const text = ((await suggestion.textContent()) ?? '').replace(/^\+\s*/, '');
      await suggestion.click();
      await expect.poll(() => page.getByTestId('tag-chip').count(), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThan(0);
      expect(text.length).toBeGreaterThan(0);
    }
    await page.getByTestId('tag-add-kind').selectOption('content');
    await page.getByTestId('tag-add-input').fill('  Harbour Scene ');
    await page.getByTestId('tag-add-input').press('Enter');
    await page.locator('[data-testid="tag-chip"][data-kind="content"][data-value="harbour scene"]').waitFor({ timeout: STEP_TIMEOUT_MS });
    expect((await assetDetail(assetId)).tags).toContainEqual({ kind: 'content', value: 'harbour scene' });

    await shootPanel('asset-panel-crop');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'asset-panel-crop-page.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shootPanel('asset-panel-crop-dark');

    // Escape closes the panel.
    await page.getByTestId('asset-panel-name').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('asset-panel').waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    expect(problems).toEqual([]);
  });

  it('trims a recording by dragging the region handle and saves the span', async () => {
    // 2 s of silence, 9 s of a synthetic talker, 1.5 s of silence: 12.5 s in all.
    const rate = 22_050;
    const take = padSilence(voice({ seconds: 9, rate, f0: 140 }), rate, 2, 1.5);
    const wav = writeFixture(s.filesDir, 'voice-take.wav', writeWav([take], rate));
    await createProfile(page, 'Trimmer', 'a long enough password');
    await importFiles([wav]);

    const panel = await openPanel('voice-take.wav');
    const assetId = (await panel.getAttribute('data-asset-id')) ?? '';
    const waveform = page.getByTestId('audio-waveform');
    await expect.poll(() => waveform.getAttribute('data-ready'), { timeout: STEP_TIMEOUT_MS }).toBe('true');
    await page.getByTestId('audio-spectrogram').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });

    const readout = page.getByTestId('trim-readout');
    expect(await numberAttr(readout, 'data-start-ms')).toBe(0);
    const durationMs = await numberAttr(readout, 'data-end-ms');
    expect(Math.abs(durationMs - 12_500)).toBeLessThanOrEqual(50);

    // The region's left handle lives in wavesurfer's shadow root; Playwright's CSS engine pierces it.
    const handle = waveform.locator('[part~="region-handle-left"]');
    const handleBox = await handle.boundingBox();
    const waveBox = await waveform.boundingBox();
    if (!handleBox || !waveBox) throw new Error('The waveform or its region handle has no size.');
    const from = { x: handleBox.x + handleBox.width / 2, y: handleBox.y + handleBox.height / 2 };
    // About 1.5 s into a 12.5 s recording.
    await drag(from, { x: waveBox.x + waveBox.width * 0.12, y: from.y });
    await expect.poll(() => numberAttr(readout, 'data-start-ms'), { timeout: STEP_TIMEOUT_MS }).toBeGreaterThan(1000);
    const startMs = await numberAttr(readout, 'data-start-ms');
    expect(startMs).toBeLessThan(2500);

    await page.getByTestId('trim-save').click();
    const saved = page.getByTestId('trim-saved');
    await expect.poll(() => saved.getAttribute('data-start-ms'), { timeout: STEP_TIMEOUT_MS }).toBe(String(startMs));
    const trim = (await assetDetail(assetId)).trim;
    expect(trim?.startMs).toBe(startMs);
    expect(trim?.startMs ?? 0).toBeGreaterThan(0);
    expect(trim?.endMs).toBe(durationMs);

    // The silence suggestion, when the analysis measured silence, moves the span to where the sound is.
    const toSilence = page.getByTestId('trim-to-silence');
    if (await toSilence.isEnabled()) {
      await toSilence.click();
      const suggestedStart = await numberAttr(readout, 'data-start-ms');
      expect(Math.abs(suggestedStart - 2000)).toBeLessThanOrEqual(300);
      await page.getByTestId('trim-reset').click();
      expect(await numberAttr(readout, 'data-start-ms')).toBe(startMs);
    }

    // The span can be set from the keyboard too: the end field steps by 50 ms with the arrow keys.
    await page.getByTestId('trim-end-input').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => numberAttr(readout, 'data-end-ms')).toBe(durationMs - 100);
    await page.getByTestId('trim-reset').click();
    expect(await numberAttr(readout, 'data-end-ms')).toBe(durationMs);

    // Zoom in: the spectrogram stays as wide as the waveform.
    await page.getByTestId('audio-zoom').fill('200');
    await expect
      .poll(async () => {
        const img = await page.getByTestId('audio-spectrogram').boundingBox();
        return img ? Math.round(img.width) : 0;
      }, { timeout: STEP_TIMEOUT_MS })
      .toBeGreaterThan(Math.round(waveBox.width) + 100);
    await page.getByTestId('audio-zoom').fill('0');

    await shootPanel('asset-panel-audio');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'asset-panel-audio-page.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shootPanel('asset-panel-audio-dark');
    expect(problems).toEqual([]);
  });

  it('shows a Markdown file as text with its headings and never runs markup in it', async () => {
    const md = path.join(s.filesDir, 'bakery-brief.md');
    await fs.writeFile(md, '# Bakery jingle\n\nWarm and bright, <img src=x onerror="window.__pwned=1"> 30 seconds.\n\n## Mood\nMorning light.\n');
    await createProfile(page, 'Writer', 'a long enough password');
    await importFiles([md]);

    await openPanel('bakery-brief.md');
    const preview = page.getByTestId('text-preview');
    await preview.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await preview.getByRole('heading').allTextContents()).toEqual(['Bakery jingle', 'Mood']);
    expect(await preview.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await preview.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await shootPanel('asset-panel-text');
    expect(problems).toEqual([]);
  });
});
