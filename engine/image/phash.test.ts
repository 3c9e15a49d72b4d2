// The perceptual hash: re-exported copies stay within NEAR_DUPLICATE_MAX_DISTANCE, different pieces do not.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDrawing, makeJpeg, makeLineArt, makeNearDuplicate, makeVividPainting } from '../../tests/fixtures/images';
import { ingestImage } from '../media/image';
import { NEAR_DUPLICATE_MAX_DISTANCE, hammingDistance } from './phash';

let dir: string;
const hashes: Record<string, string> = {};
const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-phash-'));
  const at = (name: string) => path.join(dir, name);
  const originals: Record<string, string> = {};
  for (const seed of [1, 2, 3]) {
    originals[`drawing${seed}`] = await makeDrawing(at(`drawing${seed}.png`), 1200, 900, seed);
    originals[`line${seed}`] = await makeLineArt(at(`line${seed}.png`), 1000, 1000, seed);
    originals[`photo${seed}`] = await makeJpeg(at(`photo${seed}.jpg`), 1200, 800, seed);
    originals[`vivid${seed}`] = await makeVividPainting(at(`vivid${seed}.jpg`), 900, 900, seed);
  }
  const copies: Record<string, string> = {
    'drawing1~copy': await makeNearDuplicate(originals.drawing1!, at('drawing1-copy.jpg')),
    'line2~copy': await makeNearDuplicate(originals.line2!, at('line2-copy.jpg'), { scale: 0.5 }),
    'photo3~copy': await makeNearDuplicate(originals.photo3!, at('photo3-copy.jpg'), { scale: 0.3, quality: 30 }),
    'vivid1~copy': await makeNearDuplicate(originals.vivid1!, at('vivid1-copy.jpg'), { scale: 0.8, brightness: 1.1 }),
  };
  for (const [name, file] of Object.entries({ ...originals, ...copies })) {
    hashes[name] = (await ingestImage({ path: file, name }, ctx())).report.image.phash;
  }
}, 120_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('hammingDistance', () => {
  it('counts differing bits and treats anything but 16 hex digits as 64 apart', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0123456789abcdef', '0123456789ABCDEF')).toBe(0);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('', '0000000000000000')).toBe(64);
    expect(hammingDistance('zz00000000000000', '0000000000000000')).toBe(64);
  });
});

describe('perceptual hash', () => {
  it('matches resized, recompressed and brightened copies', () => {
    for (const copy of Object.keys(hashes).filter((k) => k.includes('~'))) {
      const original = copy.split('~')[0]!;
      expect(hammingDistance(hashes[copy]!, hashes[original]!), copy).toBeLessThanOrEqual(NEAR_DUPLICATE_MAX_DISTANCE);
    }
  });

  it('keeps different pieces apart', () => {
    const originals = Object.keys(hashes).filter((k) => !k.includes('~'));
    for (const a of originals) {
      for (const b of originals) {
        if (a < b) expect(hammingDistance(hashes[a]!, hashes[b]!), `${a} vs ${b}`).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE);
      }
    }
  });
});
