// Switching better-sqlite3 between its Node and Electron builds on a scratch copy of the module.
import { cpSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  abiOfBinary,
  BINARY_PATH,
  cachedBuild,
  cacheDirFor,
  ensureNativeBuild,
  installedBuild,
  planSwitch,
  sha256,
  targetFor,
  type RuntimeTarget,
} from './native-abi.mjs';

const repo = path.resolve(import.meta.dirname, '..');
const realModule = path.join(repo, 'node_modules', 'better-sqlite3');
const realBinary = readFileSync(path.join(realModule, BINARY_PATH));
const NODE_ABI = Number(process.versions.modules);
const ELECTRON_ABI = 150;
const ELECTRON_VERSION = '45.4.1';

/** Stands in for an Electron build: the export symbol that names its ABI, inside some machine code. */
function fakeElectronBinary(abi = ELECTRON_ABI): Buffer {
  return Buffer.concat([Buffer.alloc(512, 0x90), Buffer.from(`\0node_register_module_v${abi}\0`), Buffer.alloc(512, 0xcc)]);
}

let root: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);
const binaryFile = () => path.join(root, 'node_modules', 'better-sqlite3', BINARY_PATH);
const neverCalled = () => {
  throw new Error('no rebuild expected');
};

beforeEach(() => {
  lines.length = 0;
  root = mkdtempSync(path.join(os.tmpdir(), 'atelier-native-'));
  const modules = path.join(root, 'node_modules');
  const copy = path.join(modules, 'better-sqlite3');
  mkdirSync(path.join(copy, 'build', 'Release'), { recursive: true });
  cpSync(path.join(realModule, 'lib'), path.join(copy, 'lib'), { recursive: true });
  cpSync(path.join(realModule, 'package.json'), path.join(copy, 'package.json'));
  writeFileSync(path.join(copy, BINARY_PATH), realBinary);
  // better-sqlite3 finds its addon through `bindings`, resolved from the real tree.
  symlinkSync(path.join(repo, 'node_modules', 'bindings'), path.join(modules, 'bindings'), 'dir');
  mkdirSync(path.join(modules, 'electron'));
  writeFileSync(path.join(modules, 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: ELECTRON_VERSION }));
  writeFileSync(path.join(modules, 'electron', 'abi_version'), `${ELECTRON_ABI}`);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('abiOfBinary', () => {
  it('reads the ABI the installed better-sqlite3 was compiled for', () => {
    expect(abiOfBinary(realBinary)).toBe(NODE_ABI);
  });

  it('reads a foreign ABI and gives null for bytes that are no addon', () => {
    expect(abiOfBinary(fakeElectronBinary(150))).toBe(150);
    expect(abiOfBinary(Buffer.alloc(4096, 0x41))).toBeNull();
    expect(abiOfBinary(new Uint8Array(0))).toBeNull();
  });
});

describe('planSwitch', () => {
  const node: RuntimeTarget = { runtime: 'node', abi: 115, version: '20.20.2' };
  const electron: RuntimeTarget = { runtime: 'electron', abi: 150, version: ELECTRON_VERSION };
  const nodeBuild = { file: 'x', abi: 115, sha256: 'n' };
  const electronBuild = { file: 'x', abi: 150, sha256: 'e' };

  it('does nothing when the installed build already fits', () => {
    expect(planSwitch({ target: node, installed: nodeBuild, cached: null, loads: true, nodeAbi: 115 })).toBe('none');
    expect(planSwitch({ target: electron, installed: electronBuild, cached: null, loads: false, nodeAbi: 115 })).toBe('none');
  });

  it('copies from the cache when it can, and rebuilds only when it cannot', () => {
    expect(planSwitch({ target: node, installed: electronBuild, cached: { file: 'c', sha256: 'n' }, loads: false, nodeAbi: 115 })).toBe('restore');
    expect(planSwitch({ target: node, installed: electronBuild, cached: null, loads: false, nodeAbi: 115 })).toBe('rebuild');
    expect(planSwitch({ target: electron, installed: nodeBuild, cached: null, loads: true, nodeAbi: 115 })).toBe('rebuild');
    expect(planSwitch({ target: node, installed: null, cached: null, loads: false, nodeAbi: 115 })).toBe('rebuild');
  });

  it('does not trust a Node build that claims the right ABI but fails to load', () => {
    expect(planSwitch({ target: node, installed: nodeBuild, cached: { file: 'c', sha256: 'n' }, loads: false, nodeAbi: 115 })).toBe('restore');
  });

  it('tells Electron and Node builds apart by their bytes when both runtimes share an ABI number', () => {
    const same: RuntimeTarget = { ...electron, abi: 115 };
    expect(planSwitch({ target: same, installed: nodeBuild, cached: null, loads: true, nodeAbi: 115 })).toBe('rebuild');
    expect(planSwitch({ target: same, installed: nodeBuild, cached: { file: 'c', sha256: 'n' }, loads: true, nodeAbi: 115 })).toBe('none');
  });
});

describe('ensureNativeBuild', () => {
  it('is a no-op for Node when the Node build is in place, and keeps a copy for later', async () => {
    expect(await ensureNativeBuild('node', { root, log, rebuildForNode: neverCalled })).toBe('none');
    expect(cachedBuild(root, targetFor('node', root))?.sha256).toBe(sha256(realBinary));
    expect(await ensureNativeBuild('node', { root, log, rebuildForNode: neverCalled })).toBe('none');
    expect(lines.at(-1)).toMatch(/already in place/);
  });

  it('switches to Electron and back by copying, compiling only the first time', async () => {
    let compiles = 0;
    const compileForElectron = () => {
      compiles++;
      writeFileSync(binaryFile(), fakeElectronBinary());
    };
    expect(await ensureNativeBuild('electron', { root, log, rebuildForElectron: compileForElectron })).toBe('rebuild');
    expect(installedBuild(root)?.abi).toBe(ELECTRON_ABI);
    expect(cacheDirFor(root, targetFor('electron', root))).toContain(path.join('atelier-native', `electron-${ELECTRON_ABI}`));

    expect(await ensureNativeBuild('node', { root, log, rebuildForNode: neverCalled })).toBe('restore');
    expect(sha256(readFileSync(binaryFile()))).toBe(sha256(realBinary));

    expect(await ensureNativeBuild('electron', { root, log, rebuildForElectron: compileForElectron })).toBe('restore');
    expect(await ensureNativeBuild('electron', { root, log, rebuildForElectron: compileForElectron })).toBe('none');
    expect(compiles).toBe(1);

    expect(await ensureNativeBuild('node', { root, log, rebuildForNode: neverCalled })).toBe('restore');
    expect(installedBuild(root)?.abi).toBe(NODE_ABI);
  });

  it('puts the Node build back and explains what to do when the Electron build cannot be made', async () => {
    const offline = () => {
      // node-gyp deletes the old build before it fails on the header download.
      rmSync(path.dirname(binaryFile()), { recursive: true, force: true });
      throw new Error('getaddrinfo ENOTFOUND www.electronjs.org');
    };
    const attempt = ensureNativeBuild('electron', { root, log, rebuildForElectron: offline });
    await expect(attempt).rejects.toThrow(/Could not build better-sqlite3 for electron 45\.4\.1 \(ABI 150\): getaddrinfo ENOTFOUND/);
    await expect(attempt).rejects.toThrow(/Electron 45\.4\.1 headers.*internet connection.*Node build was put back/s);
    expect(sha256(readFileSync(binaryFile()))).toBe(sha256(realBinary));
    expect(await ensureNativeBuild('node', { root, log, rebuildForNode: neverCalled })).toBe('none');
  });

  it('refuses a rebuild that produced a build for the wrong runtime', async () => {
    const wrong = () => writeFileSync(binaryFile(), fakeElectronBinary(999));
    await expect(ensureNativeBuild('electron', { root, log, rebuildForElectron: wrong })).rejects.toThrow(/ABI 999, not 150/);
  });

  it('ignores a cached build whose bytes were changed, and rebuilds instead', async () => {
    await ensureNativeBuild('node', { root, log });
    writeFileSync(binaryFile(), fakeElectronBinary());
    const cachedFile = path.join(cacheDirFor(root, targetFor('node', root)), 'better_sqlite3.node');
    const tampered = Buffer.from(realBinary);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0xff, tampered.length - 1);
    writeFileSync(cachedFile, tampered);
    let compiled = false;
    const action = await ensureNativeBuild('node', {
      root,
      log,
      rebuildForNode: () => {
        compiled = true;
        writeFileSync(binaryFile(), realBinary);
      },
    });
    expect(action).toBe('rebuild');
    expect(compiled).toBe(true);
    expect(cachedBuild(root, targetFor('node', root))?.sha256).toBe(sha256(realBinary));
  });

  it('replaces the addon through a new file, so a hard-linked copy elsewhere is left alone', async () => {
    // npm's cache may hard-link installed files; writing into the addon in place would change those too.
    await ensureNativeBuild('electron', { root, log, rebuildForElectron: () => writeFileSync(binaryFile(), fakeElectronBinary()) });
    await ensureNativeBuild('node', { root, log, rebuildForNode: neverCalled });
    const twin = path.join(root, 'twin.node');
    linkSync(binaryFile(), twin);
    expect(await ensureNativeBuild('electron', { root, log, rebuildForElectron: neverCalled })).toBe('restore');
    expect(installedBuild(root)?.abi).toBe(ELECTRON_ABI);
    expect(sha256(readFileSync(twin))).toBe(sha256(realBinary));
  });

  it('says to run npm install when better-sqlite3 is missing', async () => {
    rmSync(path.join(root, 'node_modules', 'better-sqlite3'), { recursive: true, force: true });
    await expect(ensureNativeBuild('node', { root, log })).rejects.toThrow(/not installed.*npm install/);
  });
});
