// The studio in a real browser against a real studio: profiles, importing by chooser and by drag-and-drop, errors, locking.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/dispatch';
import type { AssetPage } from '../../preload/contract';
import { makeDrawing, makeTruncated } from '../fixtures/images';
import {
  ARTIFACTS_DIR,
  STEP_TIMEOUT_MS,
  createProfile,
  expectThumbnails,
  useStudioPage,
  type StudioUnderTest,
} from './harness';

let page: Page;
let problems: string[];
let s: StudioUnderTest;

useStudioPage({ viewport: { width: 1280, height: 800 }, failurePrefix: 'studio' }, (t) => {
  ({ page, problems, studio: s } = t);
});

/** What the studio itself holds, asked the way the app asks. */
async function libraryNames(): Promise<string[]> {
  const page = await dispatch(s.studio.handlers, 'assets:list', {});
  if (!page.ok) throw new Error(page.error.message);
  return (page.value as AssetPage).items.map((a) => a.originalName).sort();
}

describe('the studio in a browser', () => {
  it('creates a profile, imports two images with the file chooser and shows both thumbnails', async () => {
    const sketch = await makeDrawing(path.join(s.filesDir, 'harbour-sketch.jpg'), 1600, 1200, 11, 'jpeg');
    const study = await makeDrawing(path.join(s.filesDir, 'figure-study.png'), 900, 1200, 23, 'png');

    await createProfile(page, 'Mira', 'a long enough password');
    await expect.poll(() => page.getByTestId('assets-empty').isVisible(), { timeout: STEP_TIMEOUT_MS }).toBe(true);

    // The import button opens the browser's file chooser; the creator picks two files.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-button').click()]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([sketch, study]);

    await expectThumbnails(page, ['figure-study.png', 'harbour-sketch.jpg']);
    await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(2);
    expect(await page.getByTestId('assets-empty').count()).toBe(0);
    expect(await libraryNames()).toEqual(['figure-study.png', 'harbour-sketch.jpg']);

    // The jobs tray reports the finished import.
    if (!(await page.getByTestId('jobs-tray').isVisible())) await page.getByTestId('jobs-tray-toggle').click();
    await expect
      .poll(() => page.locator('[data-testid="job-item"]').first().getAttribute('data-state'), { timeout: STEP_TIMEOUT_MS })
      .toBe('succeeded');
    if (await page.getByTestId('jobs-tray').isVisible()) await page.getByTestId('jobs-tray-toggle').click();

    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'shell-with-thumbnails.png') });
    expect(problems).toEqual([]);
  });

  it('imports files dropped on the grid', async () => {
    const first = await fs.readFile(await makeDrawing(path.join(s.filesDir, 'dropped-one.png'), 640, 480, 5, 'png'));
    const second = await fs.readFile(await makeDrawing(path.join(s.filesDir, 'dropped-two.jpg'), 480, 640, 6, 'jpeg'));
    await createProfile(page, 'Dropper', 'another password');

    // A synthetic drag-and-drop: the DataTransfer and its Files are built inside the page.
    const dataTransfer = await page.evaluateHandle(
      (files) => {
        const dt = new DataTransfer();
        for (const f of files) {
          const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
          dt.items.add(new File([bytes], f.name, { type: f.type }));
        }
        return dt;
      },
      [
        { name: 'dropped-one.png', type: 'image/png', base64: first.toString('base64') },
        { name: 'dropped-two.jpg', type: 'image/jpeg', base64: second.toString('base64') },
      ],
    );
    const zone = page.getByTestId('asset-dropzone');
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    await zone.dispatchEvent('drop', { dataTransfer });

    await expectThumbnails(page, ['dropped-one.png', 'dropped-two.jpg']);
    expect(await libraryNames()).toEqual(['dropped-one.png', 'dropped-two.jpg']);
    expect(problems).toEqual([]);
  });

  it('names a broken file in an error toast while the good one imports', async () => {
    const good = await makeDrawing(path.join(s.filesDir, 'good-piece.jpg'), 800, 600, 9, 'jpeg');
    const broken = await makeTruncated(path.join(s.filesDir, 'broken-scan.jpg'), 'jpeg', 0.3);
    await createProfile(page, 'Batch', 'batch password');

    await page.getByTestId('import-input').setInputFiles([good, broken]);

    await expectThumbnails(page, ['good-piece.jpg']);
    const errorToast = page.locator('[data-testid="toast"][data-kind="error"]', { hasText: 'broken-scan.jpg' });
    await errorToast.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await libraryNames()).toEqual(['good-piece.jpg']);
  });

  it('locks back to the picker and refuses a wrong password with a visible error', async () => {
    await createProfile(page, 'Locksmith', 'the right password');
    await page.getByTestId('lock-button').click();
    await page.getByTestId('profile-picker').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await page.getByTestId('shell').count()).toBe(0);

    await page.getByTestId('profile-item').filter({ hasText: 'Locksmith' }).click();
    await page.getByTestId('unlock-password').fill('not the password');
    await page.getByTestId('unlock-submit').click();
    const error = page.getByTestId('unlock-error');
    await error.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect((await error.textContent())?.toLowerCase()).toContain('wrong password');
    expect(await page.getByTestId('shell').count()).toBe(0);

    // The right password still opens it.
    await page.getByTestId('unlock-password').fill('the right password');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('shell').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  });
});
