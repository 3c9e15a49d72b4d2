// Training on real fixture files: pyramids, statistics, tag index, set metrics, bad input and cancel.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStyleSet, type WrittenStyleImage } from '../../tests/fixtures/styles';
import { IMAGE_ENGINE, PYRAMID_LEVELS, trainImageModel, type ImageModelData, type ImageTrainingInput, type ImageTrainingMetrics } from './train';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';
import { readBundle, writeBundle } from '../bundle/bundle';

let root: string;
let ink: WrittenStyleImage[];
let pastel: WrittenStyleImage[];
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-train-'));
  ink = await writeStyleSet(path.join(root, 'ink'), 'hatching', { count: 6, size: 256 });
  pastel = await writeStyleSet(path.join(root, 'pastel'), 'pastel', { count: 1, size: 256 });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const asInputs = (files: WrittenStyleImage[]): ImageTrainingInput[] => files.map((f) => ({ ...f, tags: [{ kind: 'style', value: 'ink' }] }));

describe('image training', () => {
  it('stores a three-level exemplar pyramid per image, the palette, tone quantiles and a tag index', async () => {
    const stages: string[] = [];
    const bundle = await trainImageModel(asInputs(ink), {}, { progress: (_f, stage) => stages.push(stage) });
    const data = bundle.manifest.data as unknown as ImageModelData;
    expect(bundle.manifest.engine).toBe(IMAGE_ENGINE);
    expect(data.exemplars).toHaveLength(6);
    expect(data.exemplars[0]!.sizes).toEqual([256, 128, 64]);
    expect(data.exemplars[0]!.blobs).toHaveLength(PYRAMID_LEVELS);
    expect(bundle.blobs.get(data.exemplars[0]!.blobs[1]!)!.length).toBe(128 * 128 * 3);
    expect(bundle.blobs.get(data.exemplars[0]!.segments)!.length).toBe(256 * 256);
    // An ink drawing's palette is paper and ink: the largest segment is light, some segment is dark.
    expect(data.palette[0]!.lab[0]).toBeGreaterThan(80);
    expect(Math.min(...data.palette.map((p) => p.lab[0]))).toBeLessThan(50);
    expect(data.toneQuantiles[0]).toHaveLength(257);
    expect(data.tagIndex['style:ink']).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stages.at(-1)).toBe('Trained');
  });

  it('saves its pyramids compressed and reads back the same raw pixels that generation uses', async () => {
    const bundle = await trainImageModel(asInputs(ink.slice(0, 2)), {}, {});
    const dir = path.join(root, 'saved-model');
    const manifest = await writeBundle(dir, bundle);
    const data = bundle.manifest.data as unknown as ImageModelData;
    const finest = manifest.blobs.find((b) => b.name === data.exemplars[0]!.blobs[0])!;
    expect(finest.encoding).toBe('deflate');
    expect(finest.storedSize).toBeLessThan(finest.size);
    const loaded = await readBundle(dir);
    for (const [name, bytes] of bundle.blobs) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(loaded.blobs.get(name)!))).toBe(0);
    expect(loaded.blobs.get(data.exemplars[0]!.blobs[0]!)!.length).toBe(256 * 256 * 3);
  });

  it('applies the crop: a crop of the top-left quarter trains on that quarter only', async () => {
    const bundle = await trainImageModel([{ ...asInputs(ink)[0]!, crop: { x: 0, y: 0, size: 128 } }], {}, {});
    const data = bundle.manifest.data as unknown as ImageModelData;
    expect(data.exemplars[0]!.sizes[0]).toBe(128);
    expect(bundle.manifest.assets[0]!.crop).toEqual({ x: 0, y: 0, size: 128 });
  });

  it('is deterministic: the same set gives the same pyramids and statistics', async () => {
    const a = await trainImageModel(asInputs(ink.slice(0, 2)), {}, {});
    const b = await trainImageModel(asInputs(ink.slice(0, 2)), {}, {});
    expect(a.manifest.data).toEqual(b.manifest.data);
    for (const [name, bytes] of a.blobs) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(b.blobs.get(name)!))).toBe(0);
  });

  it('reports an image of another hand as an outlier, and tag coverage', async () => {
    const inputs = [...asInputs(ink), { ...pastel[0]!, tags: [] }];
    const bundle = await trainImageModel(inputs, {}, {});
    const metrics = bundle.manifest.metrics as unknown as ImageTrainingMetrics;
    expect(metrics.outliers.map((o) => o.name)).toEqual([pastel[0]!.name]);
    expect(metrics.tagCoverage.tagged).toBeCloseTo(6 / 7, 5);
    expect(metrics.tagCoverage.perTag['style:ink']).toBe(6);
    expect(metrics.consistency).toBeGreaterThan(0);
  });

  it('refuses an empty set, a crop outside the image, a tiny crop and a file that is not an image', async () => {
    expect((await rejectedAtelierError(trainImageModel([], {}, {}))).code).toBe('VALIDATION');
    expect((await rejectedAtelierError(trainImageModel([{ ...asInputs(ink)[0]!, crop: { x: 200, y: 0, size: 128 } }], {}, {}))).code).toBe('VALIDATION');
    expect((await rejectedAtelierError(trainImageModel([{ ...asInputs(ink)[0]!, crop: { x: 0, y: 0, size: 20 } }], {}, {}))).code).toBe('VALIDATION');
    const junk = path.join(root, 'junk.png');
    await fs.writeFile(junk, 'not a picture at all');
    const e = await rejectedAtelierError(trainImageModel([{ sha256: 'x', path: junk, name: 'junk.png', tags: [] }], {}, {}));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('junk.png');
  });

  it('stops with CANCELLED when the job is cancelled', async () => {
    const controller = new AbortController();
    const p = trainImageModel(asInputs(ink), {}, {
      signal: controller.signal,
      progress: (f) => {
        if (f > 0.2) controller.abort();
      },
    });
    expect((await rejectedAtelierError(p)).code).toBe('CANCELLED');
  });
});
