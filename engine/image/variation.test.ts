// Variation mode on a fixture style set at 256 px: layout changes (low structure SSIM), hand kept (high style gain).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceImage, styleSet, writeStyleSet } from '../../tests/fixtures/styles';
import { readBundle, writeBundle, type LoadedBundle } from '../bundle/bundle';
import { AtelierError } from '../errors';
import { structureSimilarity, styleGain, styleSetStatistics } from './quality';
import { trainImageModel } from './train';
import { generateVariation } from './variation';

const SIZE = 256;
/** "Not its layout": blurred-luminance SSIM to the original stays below this (reference mode keeps ≥ 0.5). */
const MAX_STRUCTURE = 0.5;
/** "Its character": style gain against a still-life photo as the far-away yardstick. */
const MIN_STYLE_GAIN = 0.6;

let root: string;
let model: LoadedBundle;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-variation-'));
  const files = await writeStyleSet(path.join(root, 'flash'), 'tattoo-flash', { size: SIZE });
  const bundle = await trainImageModel(files.map((f) => ({ ...f, tags: [] })), {}, {});
  await writeBundle(path.join(root, 'model'), bundle);
  model = await readBundle(path.join(root, 'model'));
}, 60_000);
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('variation', () => {
  it('re-places the asset’s motifs: low structure similarity, high style gain, deterministic per seed', async () => {
    const original = styleSet('tattoo-flash', { size: SIZE })[0]!;
    const sha = model.manifest.assets[0]!.sha256;
    const a = await generateVariation(model, { assetSha256: sha, size: SIZE, seed: 4 });
    const b = await generateVariation(model, { assetSha256: sha, size: SIZE, seed: 4 });
    expect(Buffer.compare(Buffer.from(a.image), Buffer.from(b.image))).toBe(0);
    const image = { width: a.width, height: a.height, rgb: a.rgb };
    expect(structureSimilarity(image, original)).toBeLessThan(MAX_STRUCTURE);
    const set = styleSetStatistics(styleSet('tattoo-flash'));
    expect(styleGain(image, referenceImage('still-life', SIZE), set)).toBeGreaterThanOrEqual(MIN_STYLE_GAIN);
  }, 120_000);

  it('refuses an asset that is not in the training set', async () => {
    const e = await generateVariation(model, { assetSha256: 'f'.repeat(64), size: SIZE, seed: 1 }).catch((err: unknown) => err);
    expect((e as AtelierError).code).toBe('NOT_FOUND');
  });
});
