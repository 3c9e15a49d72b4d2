// FileStore and writeFileAtomic on a real folder: atomic writes, dedupe, hash checks, hostile addresses, the sweep.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import { FileStore, removeLeftoverParts, writeFileAtomic } from './file-store';

let dir: string;
let store: FileStore;

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

async function filesUnder(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(AtelierError);
    return (e as AtelierError).code;
  }
  throw new Error('expected a refusal');
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-store-'));
  store = new FileStore(path.join(dir, 'assets'), path.join(dir, 'tmp'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the whole file, creating its folder, and leaves no partial file', async () => {
    const target = path.join(dir, 'cache', 'thumbs', 'a.webp');
    await writeFileAtomic(target, Buffer.from('first'));
    await writeFileAtomic(target, Buffer.from('second version'));
    expect(await fs.readFile(target, 'utf8')).toBe('second version');
    expect(await filesUnder(path.join(dir, 'cache'))).toEqual(['thumbs/a.webp']);
  });

  it('fails with a clear error and no leftovers when the folder cannot be made', async () => {
    await fs.writeFile(path.join(dir, 'blocker'), 'a file where a folder should be');
    const code = await codeOf(writeFileAtomic(path.join(dir, 'blocker', 'x.webp'), Buffer.from('x')));
    expect(code).toBe('INTERNAL');
    expect(await filesUnder(dir)).toEqual(['blocker']);
  });
});

describe('FileStore', () => {
  it('stores a file under its content address and keeps no temp copy', async () => {
    const src = path.join(dir, 'sketch.png');
    await fs.writeFile(src, 'pretend png bytes');
    const stored = await store.putFile(src, 'png');
    const hash = sha('pretend png bytes');
    expect(stored).toEqual({ sha256: hash, path: path.join(dir, 'assets', hash.slice(0, 2), `${hash}.png`), byteSize: 17, existed: false });
    expect(await fs.readFile(stored.path, 'utf8')).toBe('pretend png bytes');
    expect(store.has(hash, 'png')).toBe(true);
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('keeps the existing original when the same bytes arrive again', async () => {
    const a = path.join(dir, 'a.jpg');
    const b = path.join(dir, 'copy of a.jpg');
    await fs.writeFile(a, 'same bytes');
    await fs.writeFile(b, 'same bytes');
    const first = await store.putFile(a, 'jpg');
    const before = await fs.stat(first.path);
    const second = await store.putFile(b, 'jpg', first.sha256);
    expect(second).toMatchObject({ sha256: first.sha256, path: first.path, existed: true });
    expect((await fs.stat(first.path)).ino).toBe(before.ino);
    expect(await filesUnder(path.join(dir, 'assets'))).toHaveLength(1);
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses with CONFLICT a file whose bytes changed after they were hashed, storing nothing', async () => {
    const src = path.join(dir, 'drawing.png');
    await fs.writeFile(src, 'version the importer decoded');
    const decodedHash = sha('version the importer decoded');
    await fs.writeFile(src, 'version saved a moment later');
    const error = await store.putFile(src, 'png', decodedHash).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).code).toBe('CONFLICT');
    expect((error as AtelierError).message).toContain('“drawing.png”');
    expect(await filesUnder(path.join(dir, 'assets'))).toEqual([]);
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('names a missing or folder source in its error', async () => {
    expect(await codeOf(store.putFile(path.join(dir, 'gone.png'), 'png'))).toBe('NOT_FOUND');
    await fs.mkdir(path.join(dir, 'a folder'));
    expect(await codeOf(store.putFile(path.join(dir, 'a folder'), 'png'))).toBe('UNSUPPORTED_FILE');
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses addresses and extensions that could escape the store', () => {
    const good = sha('x');
    for (const [hash, ext] of [
      ['../../etc/passwd', 'png'],
      [good.toUpperCase(), 'png'],
      [good, 'png/../../x'],
      [good, ''],
      [good, 'PNG'],
    ] as const) {
      expect(() => store.pathFor(hash, ext)).toThrowError(AtelierError);
    }
  });

  it('removes a stored file, and removing it twice is harmless', async () => {
    const src = path.join(dir, 'a.gif');
    await fs.writeFile(src, 'gif-ish');
    const stored = await store.putFile(src, 'gif');
    await store.remove(stored.sha256, 'gif');
    await store.remove(stored.sha256, 'gif');
    expect(store.has(stored.sha256, 'gif')).toBe(false);
  });

  it('lists what it stores and ignores files that are not its own', async () => {
    const stored = [];
    for (const text of ['one', 'two', 'three']) {
      const src = path.join(dir, `${text}.png`);
      await fs.writeFile(src, text);
      stored.push(await store.putFile(src, 'png'));
    }
    await fs.writeFile(path.join(dir, 'assets', 'README.txt'), 'not ours');
    await fs.mkdir(path.join(dir, 'assets', 'zz'), { recursive: true });
    await fs.writeFile(path.join(dir, 'assets', 'zz', `${sha('x')}.png`), 'wrong shard');
    const listed = [];
    for await (const f of store.listAll()) listed.push(f);
    expect(listed.map((f) => f.sha256).sort()).toEqual(stored.map((s) => s.sha256).sort());
    expect(listed.every((f) => f.ext === 'png')).toBe(true);
  });

  it('lists nothing for a store that was never written', async () => {
    const listed = [];
    for await (const f of store.listAll()) listed.push(f);
    expect(listed).toEqual([]);
  });

  it('sweeps partial files a crash left behind, and nothing else', async () => {
    const src = path.join(dir, 'kept.png');
    await fs.writeFile(src, 'kept');
    const stored = await store.putFile(src, 'png');
    const shardDir = path.dirname(stored.path);
    await fs.writeFile(path.join(dir, 'tmp', 'store-dead.part'), 'half a copy');
    await fs.writeFile(path.join(shardDir, '.atelier-dead.part'), 'half a copy');
    await fs.writeFile(path.join(dir, 'tmp', 'unrelated.txt'), 'not a part');
    expect(await store.removeLeftoverParts()).toBe(2);
    expect(await filesUnder(path.join(dir, 'tmp'))).toEqual(['unrelated.txt']);
    expect(await fs.readFile(stored.path, 'utf8')).toBe('kept');
    expect(await removeLeftoverParts(path.join(dir, 'nowhere'))).toBe(0);
  });
});
