// Set-level image checks on real ingests of generated fixtures: size, colour mix, near-duplicates, style outliers.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDrawing, makeLineArt, makeNearDuplicate, makeVividPainting } from '../../tests/fixtures/images';
import { ingestImage } from '../media/image';
import { analyzeImageSet, type ImageSetItem } from './set';

let dir: string;
const items: Record<string, ImageSetItem> = {};
const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });
const pick = (...ids: string[]) => ids.map((id) => items[id]!);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-set-'));
  const at = (name: string) => path.join(dir, name);
  const files: Record<string, string> = {};
  for (let seed = 1; seed <= 8; seed++) files[`line${seed}`] = await makeLineArt(at(`line${seed}.png`), 700, 700, seed);
  for (let seed = 1; seed <= 3; seed++) files[`drawing${seed}`] = await makeDrawing(at(`drawing${seed}.png`), 800, 600, seed);
  files.vivid = await makeVividPainting(at('vivid.jpg'), 700, 700, 1);
  files['line1-copy'] = await makeNearDuplicate(files.line1!, at('line1-copy.jpg'), { scale: 0.5 });
  files['line1-copy2'] = await makeNearDuplicate(files.line1!, at('line1-copy2.jpg'), { scale: 0.7 });
  files.tiny = await makeLineArt(at('tiny.png'), 200, 200, 9);
  for (const [id, file] of Object.entries(files)) {
    const ingest = await ingestImage({ path: file, name: id }, ctx());
    items[id] = { id, metrics: ingest.report.image, descriptor: ingest.descriptor };
  }
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line${i + 1}`);

describe('analyzeImageSet', () => {
  it('flags a style outlier with its z-score, and only that one', () => {
    const result = analyzeImageSet(pick(...lines(8), 'vivid'));
    const flagged = Object.entries(result.perAsset).filter(([, fs]) => fs.some((f) => f.check === 'style-outlier'));
    expect(flagged.map(([id]) => id)).toEqual(['vivid']);
    const finding = result.perAsset.vivid!.find((f) => f.check === 'style-outlier')!;
    expect(finding).toMatchObject({ severity: 'warning', unit: 'z' });
    expect(finding.metric).toBeGreaterThanOrEqual(3);
    expect(finding.reason).toMatch(/colour|edges|texture/);
    expect(result.findings.find((f) => f.check === 'style-outlier')).toMatchObject({ relatedAssetIds: ['vivid'] });
    // 1 colour of 9 is 11%: under the 20% mix line.
    expect(result.findings.map((f) => f.check)).not.toContain('colour-mix');
  });

  it('says outliers need 5+ images in a smaller set', () => {
    const result = analyzeImageSet(pick('line1', 'line2', 'line3', 'vivid'));
    expect(result.findings.find((f) => f.check === 'style-outlier')).toMatchObject({ severity: 'info', metric: 4, unit: 'count' });
    expect(result.findings.find((f) => f.check === 'style-outlier')!.reason).toContain('5 or more distinct images');
    expect(Object.values(result.perAsset).flat().some((f) => f.check === 'style-outlier')).toBe(false);
  });

  it('warns below 10 images, says nothing from 10 to 50, and leaves images under 256 px out of the count', () => {
    const few = analyzeImageSet(pick(...lines(8), 'tiny'));
    expect(few.findings.find((f) => f.check === 'set-size')).toMatchObject({ severity: 'warning', metric: 8, unit: 'count', threshold: '10–50 images recommended' });
    expect(few.findings.find((f) => f.check === 'set-size')!.reason).toContain('1 image is below 256 px and left out');
    const enough = analyzeImageSet(pick(...lines(8), 'drawing1', 'vivid'));
    expect(enough.findings.map((f) => f.check)).not.toContain('set-size');
    const many = analyzeImageSet(Array.from({ length: 51 }, (_, i) => ({ ...items[`line${(i % 8) + 1}`]!, id: `a${i}` })));
    expect(many.findings.find((f) => f.check === 'set-size')).toMatchObject({ severity: 'info', metric: 51 });
    expect(analyzeImageSet([]).findings.find((f) => f.check === 'set-size')).toMatchObject({ metric: 0 });
  });

  it('warns when colour and monochrome mix, naming the share', () => {
    const result = analyzeImageSet(pick(...lines(8), 'drawing1', 'drawing2', 'drawing3'));
    const mix = result.findings.find((f) => f.check === 'colour-mix')!;
    expect(mix).toMatchObject({ severity: 'warning', metric: 27.3, unit: '%' });
    expect(mix.reason).toContain('3 images are colour');
    expect(mix.relatedAssetIds).toEqual(['drawing1', 'drawing2', 'drawing3']);
  });

  it('groups near-duplicates, keeps the largest and offers to drop the others with their distance', () => {
    const result = analyzeImageSet(pick('line1-copy', 'line2', 'line1', 'line3', 'line1-copy2'));
    expect(result.duplicateGroups).toEqual([['line1', 'line1-copy2', 'line1-copy']]);
    for (const copy of ['line1-copy', 'line1-copy2']) {
      const finding = result.perAsset[copy]!.find((f) => f.check === 'near-duplicate')!;
      expect(finding).toMatchObject({ severity: 'warning', unit: 'bits', fix: 'drop-duplicates', relatedAssetIds: ['line1'] });
      expect(finding.metric).toBeLessThanOrEqual(10);
    }
    expect(result.perAsset.line1!.find((f) => f.check === 'near-duplicate')).toMatchObject({ severity: 'info' });
    expect(result.findings.find((f) => f.check === 'near-duplicate')).toMatchObject({
      metric: 2,
      fix: 'drop-duplicates',
      relatedAssetIds: ['line1-copy2', 'line1-copy'],
    });
    expect(result.perAsset.line2).toBeUndefined();
  });

  it('is deterministic and independent of the order of the items', () => {
    const ids = [...lines(8), 'vivid', 'drawing1', 'line1-copy'];
    const a = analyzeImageSet(pick(...ids));
    const b = analyzeImageSet(pick(...[...ids].reverse()));
    expect(analyzeImageSet(pick(...ids))).toEqual(a);
    expect(b.duplicateGroups).toEqual(a.duplicateGroups);
    expect(Object.keys(b.perAsset).sort()).toEqual(Object.keys(a.perAsset).sort());
    for (const id of Object.keys(a.perAsset)) expect(b.perAsset[id]).toEqual(a.perAsset[id]);
  });
});
