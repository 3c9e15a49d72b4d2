// The bundle format: atomic write, verified read, refusal of damaged or hostile bundles.
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT_VERSION, MANIFEST_FILE, MAX_BLOB_BYTES, readBundle, sha256Hex, writeBundle, type Bundle, type BundleManifest } from './bundle';
import { xorshift32 } from '../random';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-bundle-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function sample(): Bundle {
  return {
    manifest: {
      modality: 'image',
      engine: 'image-patch/1',
      created: '2026-01-01T00:00:00.000Z',
      assets: [{ sha256: 'a'.repeat(64), name: 'wolf.png', crop: { x: 0, y: 0, size: 10 }, tags: [{ kind: 'style', value: 'ink' }] }],
      metrics: { consistency: 0.9 },
      data: { levels: 3 },
    },
    blobs: new Map([
      ['exemplar-000-l0.rgb', new Uint8Array([1, 2, 3, 4, 5, 6])],
      ['segments-000.u8', new Uint8Array([0, 1])],
    ]),
  };
}

describe('model bundle', () => {
  it('round-trips the manifest and every blob, leaving no temporary folder', async () => {
    const dir = path.join(root, 'v1');
    const written = await writeBundle(dir, sample());
    expect(written.formatVersion).toBe(BUNDLE_FORMAT_VERSION);
    expect(written.blobs.map((b) => b.name)).toEqual(['exemplar-000-l0.rgb', 'segments-000.u8']);
    const loaded = await readBundle(dir);
    expect(loaded.manifest.assets[0]!.tags).toEqual([{ kind: 'style', value: 'ink' }]);
    expect([...loaded.blobs.get('exemplar-000-l0.rgb')!]).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(fs.stat(`${dir}.tmp`)).rejects.toThrow();
  });

  it('never overwrites an existing version', async () => {
    const dir = path.join(root, 'v2');
    await writeBundle(dir, sample());
    expect((await rejectedAtelierError(writeBundle(dir, sample()))).code).toBe('CONFLICT');
  });

  it('refuses a blob whose bytes changed, naming the blob', async () => {
    const dir = path.join(root, 'v3');
    await writeBundle(dir, sample());
    await fs.writeFile(path.join(dir, 'segments-000.u8'), new Uint8Array([0, 2]));
    const e = await rejectedAtelierError(readBundle(dir));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('segments-000.u8');
  });

  it('refuses a truncated or missing blob', async () => {
    const dir = path.join(root, 'v4');
    await writeBundle(dir, sample());
    await fs.writeFile(path.join(dir, 'exemplar-000-l0.rgb'), new Uint8Array([1, 2, 3]));
    expect((await rejectedAtelierError(readBundle(dir))).message).toContain('exemplar-000-l0.rgb');
    await fs.rm(path.join(dir, 'exemplar-000-l0.rgb'));
    expect((await rejectedAtelierError(readBundle(dir))).code).toBe('CORRUPT_FILE');
  });

  it('refuses a manifest that names a file outside the bundle, garbage, or a newer format', async () => {
    const dir = path.join(root, 'v5');
    const manifest = await writeBundle(dir, sample());
    const hostile = { ...manifest, blobs: [{ name: '../../etc/passwd', sha256: 'x', size: 1 }] };
    await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(hostile));
    expect((await rejectedAtelierError(readBundle(dir))).code).toBe('CORRUPT_FILE');
    await fs.writeFile(path.join(dir, MANIFEST_FILE), '{"format": "atelier-model-bund');
    expect((await rejectedAtelierError(readBundle(dir))).code).toBe('CORRUPT_FILE');
    await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, formatVersion: BUNDLE_FORMAT_VERSION + 1 }));
    expect((await rejectedAtelierError(readBundle(dir))).code).toBe('UNSUPPORTED_FILE');
    expect((await rejectedAtelierError(readBundle(path.join(root, 'nothing-here')))).code).toBe('NOT_FOUND');
  });

  it('refuses to write a blob name that could escape the folder, leaving nothing behind', async () => {
    const dir = path.join(root, 'v6');
    const bad = sample();
    bad.blobs.set('../escape', new Uint8Array([1]));
    expect((await rejectedAtelierError(writeBundle(dir, bad))).code).toBe('VALIDATION');
    await expect(fs.stat(dir)).rejects.toThrow();
    await expect(fs.stat(`${dir}.tmp`)).rejects.toThrow();
  });

  it('passes the manifest through the signing hook and checks it on read', async () => {
    const dir = path.join(root, 'v7');
    const written = await writeBundle(dir, sample(), { sign: (bytes) => `len:${bytes.byteLength}` });
    expect(written.signature).toMatch(/^len:\d+$/);
    await expect(readBundle(dir, { verify: (bytes, sig) => sig === `len:${bytes.byteLength}` })).resolves.toBeTruthy();
    expect((await rejectedAtelierError(readBundle(dir, { verify: () => false }))).code).toBe('CORRUPT_FILE');
  });
});

/** A bundle with a picture-like blob (flat colour runs, compresses well) and a noise blob (does not). */
function pictureBundle(): { bundle: Bundle; picture: Uint8Array; noise: Uint8Array } {
  const picture = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < picture.length; i++) picture[i] = ((i / 3) % 64 < 32 ? 40 : 220) + (i % 3);
  const rand = xorshift32(7);
  const noise = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256));
  const bundle = sample();
  bundle.blobs = new Map([
    ['exemplar-000-l0.rgb', picture],
    ['noise.bin', noise],
  ]);
  return { bundle, picture, noise };
}

async function rewriteManifest(dir: string, change: (m: BundleManifest) => unknown): Promise<void> {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as BundleManifest;
  await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(change(manifest)));
}

describe('compressed model files', () => {
  it('stores picture data deflated and noise raw, and hands back the raw bytes either way', async () => {
    const dir = path.join(root, 'c1');
    const { bundle, picture, noise } = pictureBundle();
    const written = await writeBundle(dir, bundle);
    const [pic, rnd] = written.blobs;
    expect(pic).toMatchObject({ name: 'exemplar-000-l0.rgb', encoding: 'deflate', size: picture.length, sha256: sha256Hex(picture) });
    expect(pic!.storedSize).toBeLessThan(picture.length / 10);
    expect((await fs.stat(path.join(dir, 'exemplar-000-l0.rgb'))).size).toBe(pic!.storedSize);
    expect(rnd!.encoding).toBeUndefined();
    const loaded = await readBundle(dir);
    expect(Buffer.compare(Buffer.from(loaded.blobs.get('exemplar-000-l0.rgb')!), Buffer.from(picture))).toBe(0);
    expect(Buffer.compare(Buffer.from(loaded.blobs.get('noise.bin')!), Buffer.from(noise))).toBe(0);
  });

  it('writes everything raw when asked, and still reads a format-1 bundle with no encodings', async () => {
    const dir = path.join(root, 'c2');
    const { bundle, picture } = pictureBundle();
    const written = await writeBundle(dir, bundle, { encoding: 'none' });
    expect(written.blobs.every((b) => b.encoding === undefined)).toBe(true);
    expect((await fs.stat(path.join(dir, 'exemplar-000-l0.rgb'))).size).toBe(picture.length);
    await rewriteManifest(dir, (m) => ({ ...m, formatVersion: 1, blobs: m.blobs.map(({ name, sha256, size }) => ({ name, sha256, size })) }));
    const loaded = await readBundle(dir);
    expect(loaded.manifest.formatVersion).toBe(1);
    expect(Buffer.compare(Buffer.from(loaded.blobs.get('exemplar-000-l0.rgb')!), Buffer.from(picture))).toBe(0);
  });

  it('refuses an encoding it does not know, or a missing stored size, naming the file', async () => {
    const dir = path.join(root, 'c3');
    await writeBundle(dir, pictureBundle().bundle);
    await rewriteManifest(dir, (m) => ({ ...m, blobs: m.blobs.map((b) => (b.encoding ? { ...b, encoding: 'zstd' } : b)) }));
    let e = await rejectedAtelierError(readBundle(dir));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('exemplar-000-l0.rgb');
    expect(e.message).toContain('zstd');
    await rewriteManifest(dir, (m) => ({ ...m, blobs: m.blobs.map((b) => (b.encoding ? { ...b, encoding: 'deflate', storedSize: undefined } : b)) }));
    e = await rejectedAtelierError(readBundle(dir));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('exemplar-000-l0.rgb');
  });

  it('stops an inflate bomb at the declared size instead of buffering it', async () => {
    const dir = path.join(root, 'c4');
    await writeBundle(dir, pictureBundle().bundle);
    // 64 MiB of zeros deflates to ~64 KB: a file claiming 12 KB must not be inflated to 64 MiB.
    const bomb = zlib.deflateSync(Buffer.alloc(64 * 1024 * 1024));
    await fs.writeFile(path.join(dir, 'exemplar-000-l0.rgb'), bomb);
    await rewriteManifest(dir, (m) => ({ ...m, blobs: m.blobs.map((b) => (b.encoding ? { ...b, storedSize: bomb.byteLength } : b)) }));
    const e = await rejectedAtelierError(readBundle(dir));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('exemplar-000-l0.rgb');
  });

  it('refuses a declared size beyond any model file before reading it', async () => {
    const dir = path.join(root, 'c5');
    await writeBundle(dir, pictureBundle().bundle);
    await rewriteManifest(dir, (m) => ({ ...m, blobs: m.blobs.map((b) => (b.encoding ? { ...b, size: MAX_BLOB_BYTES + 1 } : b)) }));
    const e = await rejectedAtelierError(readBundle(dir));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain('exemplar-000-l0.rgb');
  });

  it('refuses a compressed file that was truncated, garbled or swapped for another', async () => {
    const dir = path.join(root, 'c6');
    const written = await writeBundle(dir, pictureBundle().bundle);
    const file = path.join(dir, 'exemplar-000-l0.rgb');
    const good = await fs.readFile(file);
    await fs.writeFile(file, good.subarray(0, good.length - 5));
    expect((await rejectedAtelierError(readBundle(dir))).message).toContain('exemplar-000-l0.rgb');
    const garbled = Buffer.from(good);
    for (let i = 2; i < garbled.length; i += 3) garbled[i] = garbled[i]! ^ 0x5a;
    await fs.writeFile(file, garbled);
    expect((await rejectedAtelierError(readBundle(dir))).code).toBe('CORRUPT_FILE');
    // A valid stream of the right stored size but other pixels: only the checksum over the raw bytes can tell.
    const other = new Uint8Array(written.blobs[0]!.size).fill(9);
    const swapped = zlib.deflateSync(other);
    await fs.writeFile(file, swapped);
    await rewriteManifest(dir, (m) => ({ ...m, blobs: m.blobs.map((b) => (b.encoding ? { ...b, storedSize: swapped.byteLength } : b)) }));
    const e = await rejectedAtelierError(readBundle(dir));
    expect(e.message).toContain('checksum');
    expect(e.message).toContain('exemplar-000-l0.rgb');
  });
});
