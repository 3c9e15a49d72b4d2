// "Check a file" in Settings: a picture marked through the API names its draft and client; an unmarked picture has
// no mark; a marked recording names its draft; a text file cannot be checked — dropped and chosen, with screenshots.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { music, writeWav } from '../fixtures/audio';
import { pngOf } from '../fixtures/styles';
import { corpusImage } from '../fixtures/watermark';
import { STEP_TIMEOUT_MS, createProfile, useStudioPage, type StudioUnderTest } from './harness';
import { call, createModel, shotPath } from './creator-steps';

let page: Page;
let problems: string[];
let s: StudioUnderTest;

useStudioPage({ viewport: { width: 1280, height: 900 }, failurePrefix: 'watermark' }, (t) => {
  ({ page, problems, studio: s } = t);
});

/** Draft 1042 for client 77 with the profile's first model (number 1): engine/watermark/payload's 32 + 20 + 12 bits. */
const PAYLOAD = '000004120004d001';

/** Drops one file on the panel the way a file manager does (a real DataTransfer holding a File). */
async function dropOnPanel(name: string, bytes: Uint8Array, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (f) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return dt;
    },
    { name, type, base64: Buffer.from(bytes).toString('base64') },
  );
  const zone = page.getByTestId('check-file-drop');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

async function resultFor(name: string): Promise<{ found: string | null; text: string }> {
  const result = page.getByTestId('check-file-result');
  await expect.poll(async () => (await result.isVisible()) && ((await result.textContent()) ?? '').includes(name), { timeout: STEP_TIMEOUT_MS }).toBe(true);
  return { found: await result.getAttribute('data-found'), text: (await result.textContent()) ?? '' };
}

async function openPanel(): Promise<void> {
  await page.getByTestId('nav-settings').click();
  const panel = page.getByTestId('check-file-panel');
  await panel.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await panel.scrollIntoViewIfNeeded();
}

describe('Check a file', () => {
  it('names the draft, client and model of a marked picture, and finds nothing on an unmarked one', async () => {
    await createProfile(page, 'Ines', 'a long enough password');
    await createModel(page, 'tattoo');
    const model = (await call(s, 'models:list', {}))[0]!;
    // A generated picture (the mixed corpus's flat illustration), marked through the API as the Market will.
    const picture = new Uint8Array(await pngOf(corpusImage(3, 512).image));
    const marked = await call(s, 'watermark:embed', { source: { kind: 'bytes', name: 'lantern.png', bytes: picture }, payload: PAYLOAD });
    expect(marked.mime).toBe('image/png');
    await fs.writeFile(path.join(s.filesDir, marked.name), marked.bytes);

    await openPanel();
    expect(await page.getByTestId('check-file-empty').isVisible()).toBe(true);
    await page.getByTestId('check-file-panel').screenshot({ path: shotPath('watermark-check-empty.png') });

    await dropOnPanel(marked.name, marked.bytes, 'image/png');
    const found = await resultFor(marked.name);
    expect(found.found).toBe('true');
    expect(await page.getByTestId('check-file-draft').textContent()).toBe('1042');
    expect(await page.getByTestId('check-file-client').textContent()).toBe('77');
    expect(await page.getByTestId('check-file-model').textContent()).toBe(model.displayName);
    expect(await page.getByTestId('check-file-confidence').textContent()).toMatch(/^(> )?99\.\d+%$/);
    await page.getByTestId('check-file-panel').screenshot({ path: shotPath('watermark-check-found.png') });

    // The same picture before it was marked, chosen with the file chooser this time.
    await fs.writeFile(path.join(s.filesDir, 'lantern.png'), picture);
    await page.getByTestId('check-file-input').setInputFiles(path.join(s.filesDir, 'lantern.png'));
    const none = await resultFor('lantern.png');
    expect(none.found).toBe('false');
    expect(none.text).toContain('No mark of yours');
    expect(await page.getByTestId('check-file-draft').count()).toBe(0);
    await page.getByTestId('check-file-panel').screenshot({ path: shotPath('watermark-check-none.png') });
    expect(problems).toEqual([]);
  });

  it('names the draft of a marked recording, and says a text file cannot be checked', async () => {
    await createProfile(page, 'Oskar', 'a long enough password');
    const rate = 22050;
    const marked = await call(s, 'watermark:embed', {
      source: { kind: 'bytes', name: 'jingle.wav', bytes: new Uint8Array(writeWav([music(5, rate)], rate)) },
      payload: '00000bb80000c000',
    });
    await openPanel();
    await dropOnPanel(marked.name, marked.bytes, 'audio/wav');
    const found = await resultFor(marked.name);
    expect(found.found).toBe('true');
    expect(await page.getByTestId('check-file-result').getAttribute('data-kind')).toBe('audio');
    expect(await page.getByTestId('check-file-draft').textContent()).toBe('3000');
    expect(await page.getByTestId('check-file-client').textContent()).toBe('12');
    await page.getByTestId('check-file-panel').screenshot({ path: shotPath('watermark-check-audio.png') });

    await dropOnPanel('notes.txt', new TextEncoder().encode('Call the printer about the proofs.\n'), 'text/plain');
    const error = page.getByTestId('check-file-error');
    await error.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await error.getAttribute('data-code')).toBe('UNSUPPORTED_FILE');
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('cannot be checked');
    expect(text).toContain('notes.txt');
    await page.getByTestId('check-file-panel').screenshot({ path: shotPath('watermark-check-text.png') });
    expect(problems).toEqual([]);
  });
});
