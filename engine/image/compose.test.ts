// Prompt-composed generation on fixture style sets at 256 px: determinism, diversity across seeds, refusals.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceImage, styleSet, writeStyleSet } from '../../tests/fixtures/styles';
import { readBundle, writeBundle, type LoadedBundle } from '../bundle/bundle';
import { AtelierError } from '../errors';
import { generateFromPrompt, layoutMotifs, seededRng } from './compose';
import { pairwiseDiversity, styleGain, styleSetStatistics } from './quality';
import { trainImageModel } from './train';

const SIZE = 256;
/** Different seeds must differ in structure: mean 1 − SSIM between outputs at least this (same-seed = 0). */
const MIN_DIVERSITY = 0.1;
/** Composed pictures must read as the artist's: style gain against a still-life photo as the far-away yardstick. */
const MIN_STYLE_GAIN = 0.6;

let root: string;
let model: LoadedBundle;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-compose-'));
  const files = await writeStyleSet(path.join(root, 'flash'), 'tattoo-flash');
  const bundle = await trainImageModel(files.map((f, i) => ({ ...f, tags: [{ kind: 'content' as const, value: i % 2 ? 'heart' : 'star' }] })), {}, {});
  await writeBundle(path.join(root, 'model'), bundle);
  model = await readBundle(path.join(root, 'model'));
}, 60_000);
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('prompt-composed generation', () => {
  it('is deterministic per seed, differs across seeds, and stays in the artist’s hand', async () => {
    const a = await generateFromPrompt(model, { prompt: 'a pair of red hearts', size: SIZE, seed: 1 });
    const again = await generateFromPrompt(model, { prompt: 'a pair of red hearts', size: SIZE, seed: 1 });
    expect(Buffer.compare(Buffer.from(a.image), Buffer.from(again.image))).toBe(0);
    const b = await generateFromPrompt(model, { prompt: 'a pair of red hearts', size: SIZE, seed: 2 });
    const c = await generateFromPrompt(model, { prompt: 'a pair of red hearts', size: SIZE, seed: 3 });
    const images = [a, b, c].map((o) => ({ width: o.width, height: o.height, rgb: o.rgb }));
    expect(pairwiseDiversity(images)).toBeGreaterThanOrEqual(MIN_DIVERSITY);
    const set = styleSetStatistics(styleSet('tattoo-flash'));
    for (const image of images) expect(styleGain(image, referenceImage('still-life', SIZE), set)).toBeGreaterThanOrEqual(MIN_STYLE_GAIN);
    expect(a.provenance.map.length).toBe(SIZE * SIZE);
    expect([a.width, a.height, a.seed]).toEqual([SIZE, SIZE, 1]);
  }, 120_000);

  it('refuses a prompt naming nothing the model knows and lists its tags', async () => {
    const e = await generateFromPrompt(model, { prompt: 'a dragon', size: SIZE, seed: 1 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AtelierError);
    expect((e as AtelierError).code).toBe('VALIDATION');
    expect((e as AtelierError).message).toContain('heart');
    expect((e as AtelierError).message).toContain('star');
  });

  it('lays motifs out without overlaps and respects a side hint', () => {
    const sizes = [
      { width: 80, height: 60 },
      { width: 70, height: 70 },
    ];
    const placed = layoutMotifs(sizes, 256, ['left'], seededRng(5));
    expect(placed).toHaveLength(2);
    const [p, q] = placed;
    expect(p!.x + p!.width <= q!.x || q!.x + q!.width <= p!.x || p!.y + p!.height <= q!.y || q!.y + q!.height <= p!.y).toBe(true);
    for (const r of placed) expect(r.x + r.width / 2).toBeLessThan(128);
  });
});
