// Profile paths: the layout of ARCHITECTURE.md, the traversal guard on ids, and owner-only folders.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import { ensureProfileDirs, profilePaths, workstationDbPath } from './paths';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-paths-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('paths', () => {
  it('lays a profile out as ARCHITECTURE.md describes', () => {
    const id = crypto.randomUUID();
    const root = path.join(dataDir, 'profiles', id);
    expect(workstationDbPath(dataDir)).toBe(path.join(dataDir, 'workstation.db'));
    expect(profilePaths(dataDir, id)).toEqual({
      root,
      studioDb: path.join(root, 'studio.db'),
      assets: path.join(root, 'assets'),
      cache: path.join(root, 'cache'),
      thumbs: path.join(root, 'cache', 'thumbs'),
      models: path.join(root, 'models'),
      outputs: path.join(root, 'outputs'),
      tmp: path.join(root, 'tmp'),
    });
  });

  it.each([
    '../x',
    '..',
    '.',
    '',
    'a/b',
    'a\\b',
    '/etc',
    'C:',
    '0123abcd/../..',
    'abc\u0000',
    'ABCDEF',
    'con',
    'nul',
    '-abc',
    'abc-',
    'a'.repeat(65),
    '%2e%2e',
  ])('refuses the hostile or foreign profile id %j', (id) => {
    let error: unknown;
    try {
      profilePaths(dataDir, id);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).code).toBe('VALIDATION');
  });

  it('accepts the ids Atelier creates', () => {
    for (let i = 0; i < 20; i++) expect(() => profilePaths(dataDir, crypto.randomUUID())).not.toThrow();
    expect(() => profilePaths(dataDir, 'deadbeef')).not.toThrow();
  });

  it('creates every folder owner-only, and tightens folders that already exist', () => {
    const paths = profilePaths(dataDir, crypto.randomUUID());
    fs.mkdirSync(paths.cache, { recursive: true, mode: 0o755 });
    fs.chmodSync(paths.cache, 0o755);
    ensureProfileDirs(paths);
    ensureProfileDirs(paths); // idempotent
    const dirs = [paths.root, paths.assets, paths.cache, paths.thumbs, paths.models, paths.outputs, paths.tmp];
    for (const dir of dirs) {
      expect(fs.statSync(dir).isDirectory()).toBe(true);
      if (process.platform !== 'win32') expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('names the folder when it cannot be created (a file in the way)', () => {
    const paths = profilePaths(dataDir, crypto.randomUUID());
    fs.mkdirSync(paths.root, { recursive: true });
    fs.writeFileSync(paths.assets, 'not a folder');
    expect(() => ensureProfileDirs(paths)).toThrow(paths.assets);
  });
});
