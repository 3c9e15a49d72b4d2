// The bundle format: atomic write, verified read, refusal of damaged or hostile bundles.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT_VERSION, MANIFEST_FILE, readBundle, writeBundle, type Bundle } from './bundle';
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
