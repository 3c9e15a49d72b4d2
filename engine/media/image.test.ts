// ingestImage on real files: every imported format, EXIF orientation, wrong names, and the hostile corpus.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtelierError } from '../errors';
import { makeDrawing, makeHostileCorpus, makeImage, makePng, type FixtureFormat, type HostileCase } from '../../tests/fixtures/images';
import { IMAGE_FORMATS, MAX_IMAGE_PIXELS, THUMBNAIL_SIZE, ingestImage, makeImagePreview, type JobContext } from './image';
import { sniffImageFormat } from './sniff';

let dir: string;

function context(signal: AbortSignal = new AbortController().signal): JobContext & { fractions: number[] } {
  const fractions: number[] = [];
  return { signal, progress: (f) => fractions.push(f), fractions };
}

async function ingestError(file: string, name: string, signal?: AbortSignal): Promise<AtelierError> {
  try {
    await ingestImage({ path: file, name }, context(signal));
  } catch (e) {
    expect(e).toBeInstanceOf(AtelierError);
    return e as AtelierError;
  }
  throw new Error(`expected “${name}” to be refused`);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-image-'));
});

afterAll(async () => {
  await fs.chmod(path.join(dir, 'hostile', 'locked.jpg'), 0o600).catch(() => undefined);
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ingestImage: formats', () => {
  const expectations: Record<FixtureFormat, { mime: string; ext: string }> = {
    jpeg: { mime: 'image/jpeg', ext: 'jpg' },
    png: { mime: 'image/png', ext: 'png' },
    webp: { mime: 'image/webp', ext: 'webp' },
    avif: { mime: 'image/avif', ext: 'avif' },
    tiff: { mime: 'image/tiff', ext: 'tif' },
    gif: { mime: 'image/gif', ext: 'gif' },
  };

  it('covers every format the issue lists', () => {
    expect([...IMAGE_FORMATS].sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const format of IMAGE_FORMATS) {
    it(`imports a ${format} with its size, real format, hash and a WebP thumbnail`, async () => {
      const file = await makeImage(path.join(dir, `photo-${format}.${expectations[format].ext}`), {
        format,
        width: 640,
        height: 400,
        seed: 21,
        frames: format === 'gif' ? 3 : undefined,
      });
      const ctx = context();
      const result = await ingestImage({ path: file, name: path.basename(file) }, ctx);

      const bytes = await fs.readFile(file);
      expect(result).toMatchObject({
        format,
        mime: expectations[format].mime,
        ext: expectations[format].ext,
        width: 640,
        height: 400,
        byteSize: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const thumb = await sharp(result.thumbnail).metadata();
      expect(thumb.format).toBe('webp');
      expect([thumb.width, thumb.height]).toEqual([THUMBNAIL_SIZE, 160]);
      expect(thumb.pages ?? 1).toBe(1);
      expect(ctx.fractions.at(-1)).toBe(1);
      expect([...ctx.fractions].sort((a, b) => a - b)).toEqual(ctx.fractions);
    });
  }

  it('reports the displayed size of an EXIF-rotated JPEG and rotates its thumbnail', async () => {
    const file = await makeImage(path.join(dir, 'portrait.jpg'), { format: 'jpeg', width: 600, height: 300, seed: 4, orientation: 6 });
    const result = await ingestImage({ path: file, name: 'portrait.jpg' }, context());
    expect([result.width, result.height]).toEqual([300, 600]);
    const thumb = await sharp(result.thumbnail).metadata();
    expect([thumb.width, thumb.height]).toEqual([128, 256]);
  });

  it('imports PNG bytes named .jpg as a PNG', async () => {
    const file = await makePng(path.join(dir, 'really-a-png.jpg'), 50, 40, 9);
    const result = await ingestImage({ path: file, name: 'really-a-png.jpg' }, context());
    expect(result).toMatchObject({ format: 'png', mime: 'image/png', ext: 'png', width: 50, height: 40 });
  });

  it('never enlarges a small image for its thumbnail', async () => {
    const file = await makeDrawing(path.join(dir, 'tiny.png'), 40, 30, 2);
    const result = await ingestImage({ path: file, name: 'tiny.png' }, context());
    const thumb = await sharp(result.thumbnail).metadata();
    expect([thumb.width, thumb.height]).toEqual([40, 30]);
  });

  it('gives the thumbnail a buffer of its own so a worker can transfer it', async () => {
    const file = await makeDrawing(path.join(dir, 'sketch.png'), 300, 200, 8);
    const result = await ingestImage({ path: file, name: 'sketch.png' }, context());
    expect(result.thumbnail.byteOffset).toBe(0);
    expect(result.thumbnail.buffer.byteLength).toBe(result.thumbnail.byteLength);
  });
});

describe('ingestImage: report', () => {
  it('carries the quality report and descriptor from the same decode, with the displayed size', async () => {
    const file = await makeImage(path.join(dir, 'rotated-report.jpg'), { format: 'jpeg', width: 1200, height: 600, seed: 4, orientation: 6 });
    const result = await ingestImage({ path: file, name: 'rotated-report.jpg' }, context());
    expect(result.report.kind).toBe('image');
    expect(result.report.image).toMatchObject({ width: 600, height: 1200, monochrome: false });
    // Portrait after rotation: the square crop runs down the picture.
    expect(result.report.image.suggestedCrop).toMatchObject({ x: 0, size: 600 });
    expect(result.report.findings.find((f) => f.check === 'resolution')).toMatchObject({ severity: 'warning', metric: 600 });
    expect(result.descriptor.length).toBeGreaterThan(20);
  });

  it('imports an image below 256 px with an error finding rather than refusing it', async () => {
    const file = await makeDrawing(path.join(dir, 'stamp.png'), 120, 90, 3);
    const result = await ingestImage({ path: file, name: 'stamp.png' }, context());
    expect(result.report.findings.find((f) => f.check === 'resolution')).toMatchObject({ severity: 'error', metric: 90, unit: 'px' });
  });
});

describe('makeImagePreview', () => {
  it('makes a WebP of 1024 px on the long side, EXIF-rotated', async () => {
    const file = await makeImage(path.join(dir, 'preview-portrait.jpg'), { format: 'jpeg', width: 2000, height: 1000, seed: 6, orientation: 6 });
    const preview = await makeImagePreview({ path: file, name: 'preview-portrait.jpg' });
    expect(await sharp(preview).metadata()).toMatchObject({ format: 'webp', width: 512, height: 1024 });
  });

  it('never enlarges a small image, honours another size, and refuses what ingest refuses', async () => {
    const small = await makeDrawing(path.join(dir, 'preview-small.png'), 300, 200, 2);
    expect(await sharp(await makeImagePreview({ path: small, name: 'preview-small.png' })).metadata()).toMatchObject({ width: 300, height: 200 });
    const big = await makeDrawing(path.join(dir, 'preview-big.png'), 1600, 800, 2);
    expect(await sharp(await makeImagePreview({ path: big, name: 'preview-big.png' }, 256)).metadata()).toMatchObject({ width: 256, height: 128 });
    const hostile = await makeHostileCorpus(path.join(dir, 'preview-hostile'));
    await expect(makeImagePreview({ path: hostile.bomb!.path, name: 'bomb.png' })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    await expect(makeImagePreview({ path: hostile.truncatedPng!.path, name: 'half.png' })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    await expect(makeImagePreview({ path: hostile.svg!.path, name: 'logo.svg' })).rejects.toMatchObject({ code: 'UNSUPPORTED_FILE' });
    await expect(makeImagePreview({ path: big, name: 'preview-big.png' }, 1)).rejects.toMatchObject({ code: 'VALIDATION' });
    await fs.chmod(path.join(dir, 'preview-hostile', 'locked.jpg'), 0o600).catch(() => undefined);
  });
});

describe('ingestImage: bad input', () => {
  let corpus: Record<string, HostileCase>;

  beforeAll(async () => {
    corpus = await makeHostileCorpus(path.join(dir, 'hostile'));
  });

  const cases = [
    'truncatedJpeg',
    'truncatedPng',
    'empty',
    'jpegGarbage',
    'textNamedPng',
    'pdf',
    'svg',
    'svgBroken',
    'bomb',
    'hugeFile',
    'folder',
    'missing',
    'unreadable',
  ] as const;

  for (const key of cases) {
    it(`refuses ${key} with the right code, naming the file`, async (test) => {
      const c = corpus[key];
      if (!c) throw new Error(`corpus has no ${key}`);
      if (!c.enforced) {
        console.log(`skipped ${key}: this process runs as root, which can read a mode-000 file`);
        test.skip();
        return;
      }
      const error = await ingestError(c.path, c.name);
      expect(error.code).toBe(c.expected);
      expect(error.message).toContain(`“${c.name}”`);
    });
  }

  it('says what to use instead of a file that is not an image', async () => {
    const c = corpus.pdf!;
    const error = await ingestError(c.path, c.name);
    expect(error.message).toBe('“notes.pdf” is not an image Atelier can read. Use JPEG, PNG, WebP, AVIF, TIFF, GIF or SVG.');
  });

  it('says why an SVG with a DOCTYPE is refused', async () => {
    const error = await ingestError(corpus.svg!.path, 'logo.svg');
    expect(error.message).toMatch(/DOCTYPE or entity declarations/);
  });

  it('states the size and the limit of a decompression bomb', async () => {
    const error = await ingestError(corpus.bomb!.path, 'bomb.png');
    expect(error.message).toContain('30000 × 30000');
    expect(error.message).toContain(`${Math.round(MAX_IMAGE_PIXELS / 1e6)} megapixels`);
  });

  it('states the size and the limit of a file too big to read', async () => {
    const error = await ingestError(corpus.hugeFile!.path, 'huge.jpg');
    expect(error.message).toContain('600 MB');
    expect(error.message).toContain('512 MB');
  });

  it('stops with CANCELLED when the import was cancelled', async () => {
    const file = await makePng(path.join(dir, 'later.png'), 64, 64, 1);
    const controller = new AbortController();
    controller.abort();
    const error = await ingestError(file, 'later.png', controller.signal);
    expect(error.code).toBe('CANCELLED');
  });
});

describe('sniffImageFormat', () => {
  const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  const ftyp = (major: string, ...compatible: string[]) => {
    const body = ascii(`ftyp${major}\0\0\0\0${compatible.join('')}`);
    const box = new Uint8Array(4 + body.length);
    new DataView(box.buffer).setUint32(0, box.length);
    box.set(body, 4);
    return box;
  };

  it('finds AVIF by its brands, also when listed as compatible', () => {
    expect(sniffImageFormat(ftyp('avif', 'mif1', 'miaf'))).toEqual({ kind: 'image', format: 'avif' });
    expect(sniffImageFormat(ftyp('mif1', 'avif', 'miaf'))).toEqual({ kind: 'image', format: 'avif' });
  });

  it('recognises a HEIC photo as not importable', () => {
    expect(sniffImageFormat(ftyp('heic', 'mif1', 'heic'))).toEqual({ kind: 'other', label: 'heic' });
  });

  it('recognises an SVG behind a byte-order mark and XML prologue', () => {
    expect(sniffImageFormat(new TextEncoder().encode('\uFEFF<?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ kind: 'svg' });
  });

  it('does not mistake too-short or empty input for anything', () => {
    expect(sniffImageFormat(new Uint8Array(0))).toEqual({ kind: 'other', label: null });
    expect(sniffImageFormat(Uint8Array.of(0xff, 0xd8))).toEqual({ kind: 'other', label: null });
    expect(sniffImageFormat(ascii('RIFF'))).toEqual({ kind: 'other', label: null });
  });
});
