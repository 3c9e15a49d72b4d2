// The curation library in a real browser against a real studio: file and folder drops, the folder chooser, bulk tags, tag filter, a one-click fix and its undo.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/dispatch';
import type { AssetPage, AssetQuery, AssetSummary } from '../../preload/contract';
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

useStudioPage({ viewport: { width: 1440, height: 900 }, failurePrefix: 'library' }, (t) => {
  ({ page, problems, studio: s } = t);
});

/** What the studio itself holds, asked the way the app asks. */
async function list(query: AssetQuery = {}): Promise<AssetSummary[]> {
  const answer = await dispatch(s.studio.handlers, 'assets:list', { limit: 1000, ...query });
  if (!answer.ok) throw new Error(answer.error.message);
  return (answer.value as AssetPage).items;
}

async function names(query: AssetQuery = {}): Promise<string[]> {
  return (await list(query)).map((a) => a.originalName).sort();
}

/** The names on the tiles the grid shows now. */
async function tileNames(): Promise<string[]> {
  return (await page.getByTestId('asset-tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('aria-label') ?? ''))).sort();
}

async function waitForTiles(expected: string[]): Promise<void> {
  await expect.poll(tileNames, { timeout: STEP_TIMEOUT_MS }).toEqual([...expected].sort());
}

async function closeTray(): Promise<void> {
  if (await page.getByTestId('jobs-tray').isVisible()) await page.getByTestId('jobs-tray-toggle').click();
}

interface DropFile {
  /** Path inside the drop: "flash/roses/lily.jpg". */
  path: string;
  type: string;
  base64: string;
}

async function dropFile(file: string, type: string, inDrop = path.basename(file)): Promise<DropFile> {
  return { path: inDrop, type, base64: (await fs.readFile(file)).toString('base64') };
}

/**
 * Drops a folder on the grid. A page cannot build a DataTransfer that holds a directory, so the drop
 * event carries a DataTransfer-like object whose items answer webkitGetAsEntry() with entries of the
 * File and Directory Entries API (FileSystemDirectoryEntry/FileSystemFileEntry shapes) over real File
 * objects built in the page — exactly what the renderer reads from a real folder drop in Chromium.
 */
async function dropFolder(files: DropFile[]): Promise<void> {
  await page.getByTestId('asset-dropzone').evaluate((zone, dropped) => {
    type Node = { dir: Map<string, Node> } | { file: File };
    const root = new Map<string, Node>();
    for (const f of dropped) {
      const parts = f.path.split('/');
      let at = root;
      parts.slice(0, -1).forEach((part) => {
        let next = at.get(part);
        if (!next || !('dir' in next)) {
          next = { dir: new Map() };
          at.set(part, next);
        }
        at = next.dir;
      });
      const name = parts[parts.length - 1]!;
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      at.set(name, { file: new File([bytes], name, { type: f.type }) });
    }
    const entry = (name: string, node: Node, parent: string): unknown => {
      const fullPath = `${parent}/${name}`;
      if ('file' in node) {
        return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => setTimeout(() => ok(node.file), 0) };
      }
      const children = [...node.dir.entries()].map(([n, c]) => entry(n, c, fullPath));
      return {
        isFile: false,
        isDirectory: true,
        name,
        fullPath,
        createReader() {
          let given = false;
          // Like Chromium: entries in one or more batches, then an empty batch.
          return { readEntries: (ok: (e: unknown[]) => void) => setTimeout(() => ok(given ? [] : ((given = true), children)), 0) };
        },
      };
    };
    const items = [...root.entries()].map(([name, node]) => ({
      kind: 'file',
      type: '',
      webkitGetAsEntry: () => entry(name, node, ''),
      getAsFile: () => ('file' in node ? node.file : null),
    }));
    const data = { types: ['Files'], items, files: [], dropEffect: 'none', effectAllowed: 'all' };
    for (const type of ['dragenter', 'dragover', 'drop']) {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: data });
      zone.dispatchEvent(event);
    }
  }, files);
}

/** Drops plain files the way a file manager does (a real DataTransfer with Files). */
async function dropFiles(files: DropFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((dropped) => {
    const dt = new DataTransfer();
    for (const f of dropped) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.path, { type: f.type }));
    return dt;
  }, files);
  const zone = page.getByTestId('asset-dropzone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

describe('the curation library', () => {
  it('imports dropped files and a dropped folder, tags three assets at once and filters by the tag', async () => {
    const d = s.filesDir;
    const loose = await dropFile(await makeDrawing(path.join(d, 'loose-sketch.png'), 1200, 1200, 3, 'png'), 'image/png');
    const rose = await dropFile(await makeDrawing(path.join(d, 'rose.png'), 1100, 1100, 5, 'png'), 'image/png', 'flash/rose.png');
    const lily = await dropFile(await makeDrawing(path.join(d, 'lily.jpg'), 1400, 1000, 7, 'jpeg'), 'image/jpeg', 'flash/roses/lily.jpg');
    const fern = await dropFile(await makeDrawing(path.join(d, 'fern.png'), 1024, 1024, 9, 'png'), 'image/png', 'flash/roses/fern.png');
    const notes: DropFile = { path: 'flash/notes.md', type: 'text/markdown', base64: Buffer.from('# Flash sheet\nRoses, lilies and ferns for the spring flash day.\n').toString('base64') };
    const hidden: DropFile = { path: 'flash/.DS_Store', type: '', base64: Buffer.from('junk').toString('base64') };
    const hiddenDir: DropFile = { path: 'flash/.thumbs/rose.png', type: 'image/png', base64: rose.base64 };

    await createProfile(page, 'Ines', 'a long enough password');
    await page.getByTestId('assets-empty').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });

    await dropFiles([loose]);
    await waitForTiles(['loose-sketch.png']);
    await dropFolder([rose, lily, fern, notes, hidden, hiddenDir]);

    const expected = ['flash/notes.md', 'flash/rose.png', 'flash/roses/fern.png', 'flash/roses/lily.jpg', 'loose-sketch.png'];
    await expect.poll(() => names(), { timeout: STEP_TIMEOUT_MS }).toEqual(expected);
    await waitForTiles(expected);
    await closeTray();
    await expect.poll(() => page.getByTestId('library-count').textContent()).toContain('5 assets');
    // The text file shows a glyph with its word count instead of a thumbnail.
    await expect
      .poll(() => page.locator('[data-testid="asset-tile"][aria-label="flash/notes.md"] [data-testid="asset-glyph"]').textContent(), { timeout: STEP_TIMEOUT_MS })
      .toMatch(/\d+ words/);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-after-drop.png') });

    // Select three: click, then Ctrl/Cmd-click two more.
    const tile = (name: string) => page.locator(`[data-testid="asset-tile"][aria-label="${name}"]`);
    await tile('flash/rose.png').click();
    await tile('flash/roses/lily.jpg').click({ modifiers: ['ControlOrMeta'] });
    await tile('loose-sketch.png').click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toContain('3 assets selected');

    await page.getByTestId('bulk-tag-button').click();
    const dialog = page.getByTestId('bulk-tag-dialog');
    await dialog.waitFor({ state: 'visible' });
    await page.getByTestId('bulk-tag-kind').selectOption('style');
    await page.getByTestId('bulk-tag-value').fill('Line Art');
    await page.getByTestId('bulk-tag-add').click();
    await page.getByTestId('bulk-tag-kind').selectOption('content');
    await page.getByTestId('bulk-tag-value').fill('flash');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-bulk-tag-dialog.png') });
    await page.getByTestId('bulk-tag-apply').click();
    await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });

    await expect.poll(() => names({ tag: 'line art' }), { timeout: STEP_TIMEOUT_MS }).toEqual(['flash/rose.png', 'flash/roses/lily.jpg', 'loose-sketch.png']);
    expect(await names({ tag: 'flash' })).toEqual(['flash/rose.png', 'flash/roses/lily.jpg', 'loose-sketch.png']);
    const tagged = (await list({ tag: 'line art' }))[0]!;
    expect(tagged.tags).toEqual(expect.arrayContaining([{ kind: 'style', value: 'line art' }, { kind: 'content', value: 'flash' }]));
    // The tiles show the new tags, and the undo button names the step.
    await expect.poll(() => tile('flash/rose.png').getByTestId('asset-tag').allTextContents(), { timeout: STEP_TIMEOUT_MS }).toEqual(
      expect.arrayContaining(['line art', 'flash']),
    );
    await expect.poll(() => page.getByTestId('undo-button').isEnabled()).toBe(true);

    // Filter by the tag: exactly the three tagged assets remain.
    await expect.poll(() => page.getByTestId('filter-tag').locator('option', { hasText: 'line art' }).count()).toBe(1);
    await page.getByTestId('filter-tag').selectOption('line art');
    await waitForTiles(['flash/rose.png', 'flash/roses/lily.jpg', 'loose-sketch.png']);
    await expect.poll(() => page.getByTestId('library-count').textContent()).toContain('3 matching assets');
    await page.keyboard.press('Escape');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-filtered-by-tag.png') });

    // A filter that matches nothing says so and offers a way back.
    await page.getByTestId('filter-search').fill('no such thing anywhere');
    await page.getByTestId('assets-no-matches').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-no-matches.png') });
    await page.getByTestId('clear-filters').click();
    await waitForTiles(expected);
    expect(problems).toEqual([]);
  });

  it('imports a folder picked with the folder chooser (webkitdirectory), skipping hidden files', async () => {
    const folder = path.join(s.filesDir, 'portfolio');
    await makeDrawing(path.join(folder, 'koi.png'), 1024, 1024, 21, 'png');
    await makeDrawing(path.join(folder, 'sleeves', 'dragon.jpg'), 1280, 1024, 22, 'jpeg');
    await fs.writeFile(path.join(folder, '.DS_Store'), 'junk');
    await createProfile(page, 'Oskar', 'a long enough password');

    await page.getByTestId('import-source').selectOption('portfolio');
    await page.getByTestId('import-folder-input').setInputFiles(folder);

    await expect.poll(() => names(), { timeout: STEP_TIMEOUT_MS }).toEqual(['portfolio/koi.png', 'portfolio/sleeves/dragon.jpg']);
    expect((await list()).every((a) => a.source === 'portfolio')).toBe(true);
    await waitForTiles(['portfolio/koi.png', 'portfolio/sleeves/dragon.jpg']);
    expect(problems).toEqual([]);
  });

  it('applies suggested crops from the set health panel in one click, and Ctrl+Z takes them back', async () => {
    const files = await Promise.all([
      makeDrawing(path.join(s.filesDir, 'wide-harbour.png'), 1800, 1100, 31, 'png'),
      makeDrawing(path.join(s.filesDir, 'tall-figure.jpg'), 1100, 1700, 32, 'jpeg'),
      makeDrawing(path.join(s.filesDir, 'square-study.png'), 1200, 1200, 33, 'png'),
    ]);
    await createProfile(page, 'Teodor', 'a long enough password');
    await page.getByTestId('import-input').setInputFiles(files);
    await expect.poll(() => names(), { timeout: STEP_TIMEOUT_MS }).toHaveLength(3);
    await waitForTiles(['square-study.png', 'tall-figure.jpg', 'wide-harbour.png']);
    await closeTray();

    await page.getByTestId('health-open').click();
    const panel = page.getByTestId('health-panel');
    await panel.waitFor({ state: 'visible' });
    await page.getByTestId('health-scope-library').check();
    await page.getByTestId('health-kind').selectOption('image');
    const fix = page.locator('[data-testid="health-fix"][data-fix="apply-suggested-crops"]');
    await fix.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await fix.textContent()).toMatch(/2 suggested crops/);
    await expect.poll(() => page.getByTestId('health-count').textContent()).toContain('3 assets');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-health-panel.png') });

    await fix.click();
    await expect
      .poll(async () => (await list()).filter((a) => a.crop !== null).map((a) => a.originalName).sort(), { timeout: STEP_TIMEOUT_MS })
      .toEqual(['tall-figure.jpg', 'wide-harbour.png']);
    for (const a of await list()) {
      if (!a.crop) continue;
      // A square inside the image.
      expect(a.crop.x + a.crop.size).toBeLessThanOrEqual(a.width!);
      expect(a.crop.y + a.crop.size).toBeLessThanOrEqual(a.height!);
    }
    await expect
      .poll(() => page.locator('[data-testid="asset-tile"][aria-label="wide-harbour.png"]').textContent(), { timeout: STEP_TIMEOUT_MS })
      .toContain('cropped');
    // The fix is gone from the panel once applied, and the undo button names it.
    await expect.poll(() => fix.count(), { timeout: STEP_TIMEOUT_MS }).toBe(0);
    await expect.poll(() => page.getByTestId('undo-button').getAttribute('title')).toMatch(/crop/i);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-health-fixed.png') });

    // Ctrl+Z (with the focus on the grid, not in a field) undoes the whole fix in one step.
    await page.getByTestId('asset-grid').focus();
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(async () => (await list()).filter((a) => a.crop !== null).length, { timeout: STEP_TIMEOUT_MS }).toBe(0);
    await fix.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await expect.poll(() => page.getByTestId('redo-button').isEnabled()).toBe(true);

    // Enter on the focused tile opens the asset panel beside the grid; closing it brings set health back.
    await page.getByTestId('asset-grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByTestId('asset-panel').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'library-asset-panel.png') });
    await page.getByTestId('asset-panel-close').click();
    await page.getByTestId('health-panel').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(problems).toEqual([]);
  });
});
