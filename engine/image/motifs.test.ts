// Motif segmentation on the fixture styles, and motifs stored in a trained bundle with their tags.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { styleSet, writeStyleSet } from '../../tests/fixtures/styles';
import { readBundle, writeBundle } from '../bundle/bundle';
import { MOTIF_GRID, motifDataOf, segmentMotifs } from './motifs';
import { trainImageModel } from './train';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

describe('motif segmentation', () => {
  it('finds the flash motifs on cream paper, and nothing on a blank page', () => {
    const flash = styleSet('tattoo-flash', { count: 1, size: 256 })[0]!;
    const s = segmentMotifs(flash);
    expect(s.motifs.length).toBeGreaterThanOrEqual(1);
    expect(s.background[0]).toBeGreaterThan(80);
    for (const m of s.motifs) expect(m.mask.length).toBe(m.bbox.width * m.bbox.height);
    const blank = { width: 64, height: 64, rgb: new Uint8Array(64 * 64 * 3).fill(240) };
    expect(segmentMotifs(blank).motifs).toEqual([]);
  });

  it('stores motifs with masks, bbox, asset and tags, and a motif tag index, in the bundle', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-motifs-'));
    dirs.push(root);
    const files = await writeStyleSet(path.join(root, 'flash'), 'tattoo-flash', { count: 3, size: 256 });
    const bundle = await trainImageModel(files.map((f, i) => ({ ...f, tags: [{ kind: 'content' as const, value: i < 2 ? 'heart' : 'star' }] })), {}, {});
    await writeBundle(path.join(root, 'model'), bundle);
    const loaded = await readBundle(path.join(root, 'model'));
    const data = motifDataOf(loaded);
    expect(data.motifs.length).toBeGreaterThanOrEqual(3);
    expect(data.backgrounds).toHaveLength(3);
    for (const m of data.motifs) {
      expect(m.grid).toBe(MOTIF_GRID);
      expect(loaded.blobs.get(m.mask)!.length).toBe(m.bbox.width * m.bbox.height);
      expect(m.tags).toEqual([m.asset < 2 ? 'content:heart' : 'content:star']);
    }
    expect(data.motifTagIndex['content:star']!.every((i) => data.motifs[i]!.asset === 2)).toBe(true);
  });
});
