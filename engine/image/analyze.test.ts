// The per-asset image checks on generated fixtures: each fires on the image it is about and not on the others.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeBlurredDrawing,
  makeDrawing,
  makeFromSvg,
  makeJpeg,
  makeLineArt,
  makeTextOverlay,
  makeVividPainting,
} from '../../tests/fixtures/images';
import { ingestImage, type ImageIngest } from '../media/image';
import { DESCRIPTOR_LENGTH } from './descriptor';
import { BLUR_MAX_SHARPNESS, OVERLAY_WARN_SCORE } from './thresholds';

let dir: string;
const ingests: Record<string, ImageIngest> = {};
const files: Record<string, string> = {};

const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });
const checks = (name: string) => ingests[name]!.report.findings.map((f) => f.check);
const tags = (name: string) => ingests[name]!.report.suggestedTags.map((t) => t.value);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-analyze-'));
  const at = (name: string) => path.join(dir, name);
  const make: Record<string, () => Promise<string>> = {
    drawing1: () => makeDrawing(at('drawing1.png'), 1600, 1200, 1),
    drawing2: () => makeDrawing(at('drawing2.png'), 1600, 1200, 2),
    blurred1: () => makeBlurredDrawing(at('blurred1.png'), 1600, 1200, 1),
    blurred2: () => makeBlurredDrawing(at('blurred2.png'), 1600, 1200, 2),
    lineArt1: () => makeLineArt(at('line1.png'), 1400, 1400, 1),
    lineArt2: () => makeLineArt(at('line2.png'), 1400, 1400, 2),
    lineArt3: () => makeLineArt(at('line3.png'), 1400, 1400, 3),
    photo: () => makeJpeg(at('photo.jpg'), 1500, 1000, 1),
    vivid: () => makeVividPainting(at('vivid.jpg'), 1200, 1200, 1),
    watermark1: () => makeTextOverlay(at('watermark1.png'), 1600, 1200, 1, { base: 'photo', text: 'SAMPLE', style: 'light', letterShare: 0.1 }),
    watermark2: () => makeTextOverlay(at('watermark2.png'), 1600, 1200, 2, { base: 'photo', text: 'SAMPLE', style: 'light', letterShare: 0.1 }),
    signature: () => makeTextOverlay(at('signature.png'), 1600, 1200, 3, { base: 'drawing', text: 'JANE DOE 2024', letterShare: 0.08 }),
    tiny: () => makeDrawing(at('tiny.png'), 200, 150, 5),
    small: () => makeDrawing(at('small.png'), 800, 600, 6),
    square: () => makeDrawing(at('square.png'), 1200, 1200, 7),
    panorama: () => makeDrawing(at('panorama.png'), 2400, 1000, 8),
    // A wide white page with one vivid disc near its right edge: attention must find it.
    focusRight: () =>
      makeFromSvg(
        at('focus-right.png'),
        '<svg xmlns="http://www.w3.org/2000/svg" width="1800" height="1000"><rect width="1800" height="1000" fill="#f4f4f4"/><circle cx="1550" cy="500" r="180" fill="#e02060"/><circle cx="1500" cy="450" r="60" fill="#20c040"/></svg>',
      ),
  };
  await Promise.all(Object.entries(make).map(async ([name, fn]) => (files[name] = await fn())));
  for (const [name, file] of Object.entries(files)) ingests[name] = await ingestImage({ path: file, name }, ctx());
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('blur', () => {
  it('fires on drawings blurred by σ = 1% of their long side, and on nothing sharp', () => {
    for (const name of ['blurred1', 'blurred2']) {
      expect(checks(name), name).toContain('blur');
      const blur = ingests[name]!.report.findings.find((f) => f.check === 'blur')!;
      expect(blur).toMatchObject({ severity: 'warning', unit: '' });
      expect(blur.metric).toBeLessThan(BLUR_MAX_SHARPNESS);
      expect(blur.threshold).toContain(String(BLUR_MAX_SHARPNESS));
    }
    for (const name of ['drawing1', 'drawing2', 'lineArt1', 'lineArt2', 'lineArt3', 'photo', 'vivid', 'watermark1', 'signature', 'square']) {
      expect(checks(name), name).not.toContain('blur');
    }
  });

  it('reports the sharpness of the same drawing far higher than its blurred copy', () => {
    expect(ingests.drawing1!.report.image.sharpness).toBeGreaterThan(20 * ingests.blurred1!.report.image.sharpness);
  });
});

describe('text / watermark overlay', () => {
  it('fires on a watermark over a photo and lettering over a drawing', () => {
    for (const name of ['watermark1', 'watermark2', 'signature']) {
      expect(checks(name), name).toContain('overlay');
      expect(ingests[name]!.report.image.overlayScore).toBeGreaterThanOrEqual(OVERLAY_WARN_SCORE);
    }
  });

  it('does not fire on drawings, line art, photos, paintings or blurred images', () => {
    for (const name of ['drawing1', 'drawing2', 'lineArt1', 'lineArt2', 'lineArt3', 'photo', 'vivid', 'blurred1', 'square', 'panorama']) {
      expect(checks(name), name).not.toContain('overlay');
      expect(ingests[name]!.report.image.overlayScore, name).toBeLessThan(OVERLAY_WARN_SCORE);
    }
  });
});

describe('colour', () => {
  it('finds line art monochrome, says so as information, and suggests "monochrome" and "line art"', () => {
    for (const name of ['lineArt1', 'lineArt2']) {
      const report = ingests[name]!.report;
      expect(report.image.monochrome).toBe(true);
      expect(report.findings.find((f) => f.check === 'colour')).toMatchObject({ severity: 'info' });
      expect(tags(name)).toEqual(expect.arrayContaining(['monochrome', 'line art', 'high contrast']));
      expect(tags(name)).not.toContain('colour');
    }
  });

  it('finds colour drawings and paintings colourful, with palette names and no "line art"', () => {
    for (const name of ['drawing1', 'drawing2', 'vivid', 'photo']) {
      const report = ingests[name]!.report;
      expect(report.image.monochrome, name).toBe(false);
      expect(checks(name)).not.toContain('colour');
      expect(tags(name)).toContain('colour');
      expect(tags(name)).not.toContain('line art');
    }
    expect(tags('vivid')).toContain('vivid');
    expect(tags('drawing1').some((t) => ['pink', 'blue', 'purple', 'red', 'green', 'orange', 'yellow', 'teal', 'brown'].includes(t))).toBe(true);
    for (const hex of ingests.vivid!.report.image.palette) expect(hex).toMatch(/^#[0-9a-f]{6}$/);
    expect(ingests.vivid!.report.image.palette.length).toBeGreaterThanOrEqual(3);
    expect(ingests.vivid!.report.image.colourfulness).toBeGreaterThan(ingests.drawing1!.report.image.colourfulness);
  });
});

describe('resolution', () => {
  it('keeps a tiny image but marks it an error, warns below 1024 and is quiet above', () => {
    expect(ingests.tiny!.report.findings.find((f) => f.check === 'resolution')).toMatchObject({ severity: 'error', metric: 150, unit: 'px' });
    expect(ingests.small!.report.findings.find((f) => f.check === 'resolution')).toMatchObject({ severity: 'warning', metric: 600 });
    expect(checks('drawing1')).not.toContain('resolution');
    expect(checks('square')).not.toContain('resolution');
  });
});

describe('non-square', () => {
  it('suggests the largest square crop inside the image, in its own pixels', () => {
    for (const name of ['drawing1', 'panorama', 'photo', 'small', 'tiny']) {
      const { width, height, suggestedCrop } = ingests[name]!.report.image;
      expect(suggestedCrop, name).not.toBeNull();
      const crop = suggestedCrop!;
      expect(crop.size).toBe(Math.min(width, height));
      expect(crop.x).toBeGreaterThanOrEqual(0);
      expect(crop.y).toBeGreaterThanOrEqual(0);
      expect(crop.x + crop.size).toBeLessThanOrEqual(width);
      expect(crop.y + crop.size).toBeLessThanOrEqual(height);
      expect(Number.isInteger(crop.x) && Number.isInteger(crop.y)).toBe(true);
      expect(ingests[name]!.report.findings.find((f) => f.check === 'non-square')).toMatchObject({ fix: 'apply-suggested-crops' });
    }
  });

  it('is information at 4:3 and a warning for a panorama; silent for a square image', () => {
    expect(ingests.drawing1!.report.findings.find((f) => f.check === 'non-square')).toMatchObject({ severity: 'info', metric: 1.33 });
    expect(ingests.panorama!.report.findings.find((f) => f.check === 'non-square')).toMatchObject({ severity: 'warning', metric: 2.4 });
    expect(checks('square')).not.toContain('non-square');
    expect(ingests.square!.report.image.suggestedCrop).toBeNull();
  });

  it('places the crop on what stands out (the attention strategy), mapped back to the original pixels', () => {
    const crop = ingests.focusRight!.report.image.suggestedCrop!;
    expect(crop.size).toBe(1000);
    expect(crop.y).toBe(0);
    // The discs sit at x ≈ 1370–1730; the square must hold them, so it starts well right of centre (400).
    expect(crop.x).toBeGreaterThan(700);
    expect(crop.x).toBeLessThanOrEqual(800);
  });
});

describe('stability', () => {
  it('gives the same report and descriptor for the same file every time', async () => {
    const again = await ingestImage({ path: files.signature!, name: 'signature' }, ctx());
    expect(again.report).toEqual(ingests.signature!.report);
    expect(again.descriptor).toEqual(ingests.signature!.descriptor);
  });

  it('describes every image with a fixed-length, finite style descriptor', () => {
    for (const [name, ingest] of Object.entries(ingests)) {
      expect(ingest.descriptor, name).toHaveLength(DESCRIPTOR_LENGTH);
      expect(ingest.descriptor.every((v) => Number.isFinite(v))).toBe(true);
      expect(ingest.report.image.phash).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
