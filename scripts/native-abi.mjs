#!/usr/bin/env node
// `node scripts/native-abi.mjs <node|electron>`: makes better-sqlite3's native build match the runtime about to
// run (Node for tests and the CLI, Electron for the app), keeping each build in a cache so switching is a copy.
//
// @electron/rebuild is pinned at 3.6.2 on purpose: 3.7 fetches node-gyp from GitHub at install time (no
// internet but the npm registry on CI and here), and 4.x needs Node >= 22.12 while we support Node 20.19.
// electron-builder 26 brings its own @electron/rebuild 4, used only while packaging.
// sharp needs none of this: it is a Node-API module, one build serves Node and Electron.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MODULE_NAME = 'better-sqlite3';
/** Where node-gyp (and @electron/rebuild, which runs node-gyp) leaves the compiled addon. */
export const BINARY_PATH = path.join('build', 'Release', 'better_sqlite3.node');
export const CACHE_PATH = path.join('node_modules', '.cache', 'atelier-native');
const CACHED_BINARY = 'better_sqlite3.node';
const MANIFEST = 'build.json';

/**
 * The NODE_MODULE_VERSION a compiled addon was built for. Non-Node-API addons export the symbol
 * `node_register_module_v<ABI>` (node.h's NODE_MODULE_INIT), readable in ELF, Mach-O and PE files alike.
 */
export function abiOfBinary(bytes) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const match = /node_register_module_v(\d{2,4})/.exec(text);
  return match ? Number(match[1]) : null;
}

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The runtime a build must match: its name, ABI and version. */
export function targetFor(runtime, root) {
  if (runtime === 'node') {
    return { runtime, abi: Number(process.versions.modules), version: process.versions.node };
  }
  if (runtime === 'electron') {
    const electronDir = path.join(root, 'node_modules', 'electron');
    const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
    // electron ships its ABI in a file; node-abi (a dependency of @electron/rebuild) knows older versions.
    let abi = null;
    const abiFile = path.join(electronDir, 'abi_version');
    if (existsSync(abiFile)) abi = Number(readFileSync(abiFile, 'utf8').trim());
    if (!abi) {
      const require = createRequire(path.join(root, 'package.json'));
      abi = Number(require('node-abi').getAbi(version, 'electron'));
    }
    return { runtime, abi, version };
  }
  throw new Error(`Unknown runtime "${runtime}": use node or electron.`);
}

export function cacheDirFor(root, target) {
  return path.join(root, CACHE_PATH, `${target.runtime}-${target.abi}`);
}

function moduleDir(root) {
  return path.join(root, 'node_modules', MODULE_NAME);
}

function moduleVersion(root) {
  return JSON.parse(readFileSync(path.join(moduleDir(root), 'package.json'), 'utf8')).version;
}

/** The build currently installed: its bytes' ABI and hash, or null when there is none. */
export function installedBuild(root) {
  const file = path.join(moduleDir(root), BINARY_PATH);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  return { file, abi: abiOfBinary(bytes), sha256: sha256(bytes) };
}

/**
 * A cached build for `target`, valid only when it was made from the same better-sqlite3 version on the same
 * platform and its bytes still match the recorded hash (a half-copied or edited file is ignored).
 */
export function cachedBuild(root, target) {
  const dir = cacheDirFor(root, target);
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8'));
    const bytes = readFileSync(path.join(dir, CACHED_BINARY));
    const valid =
      manifest.moduleVersion === moduleVersion(root) &&
      manifest.platform === process.platform &&
      manifest.arch === process.arch &&
      manifest.abi === target.abi &&
      manifest.sha256 === sha256(bytes) &&
      abiOfBinary(bytes) === target.abi;
    return valid ? { file: path.join(dir, CACHED_BINARY), sha256: manifest.sha256 } : null;
  } catch {
    return null;
  }
}

/** Writes `bytes` to `file` through a temp name and a rename: never a half-written addon, never through a hard link. */
function replaceFile(file, bytes) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}

export function storeInCache(root, target) {
  const build = installedBuild(root);
  if (!build || build.abi !== target.abi) throw new Error(`The installed ${MODULE_NAME} build is not for ${target.runtime} (ABI ${target.abi}).`);
  const dir = cacheDirFor(root, target);
  const bytes = readFileSync(build.file);
  replaceFile(path.join(dir, CACHED_BINARY), bytes);
  const manifest = {
    module: MODULE_NAME,
    moduleVersion: moduleVersion(root),
    runtime: target.runtime,
    runtimeVersion: target.version,
    abi: target.abi,
    platform: process.platform,
    arch: process.arch,
    sha256: sha256(bytes),
  };
  replaceFile(path.join(dir, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 2)));
}

function restoreFromCache(root, cached) {
  replaceFile(path.join(moduleDir(root), BINARY_PATH), readFileSync(cached.file));
}

/** Loads the module and opens an in-memory database in a fresh `node`, the only proof a Node build works. */
export function loadsInNode(root) {
  const probe = `const Database = require(${JSON.stringify(moduleDir(root))}); new Database(':memory:').prepare('select 1').get();`;
  const run = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return run.status === 0;
}

/**
 * What to do for `target`, from what is installed and cached:
 * 'none' (already right), 'restore' (copy the cached build in), or 'rebuild'.
 * For Node the installed build counts only if it also loads (`loads`); Electron cannot be loaded here, so
 * an installed Electron build counts when its ABI matches and, if Node shares that ABI number, when its
 * bytes are the cached Electron build's.
 */
export function planSwitch({ target, installed, cached, loads, nodeAbi }) {
  if (installed && installed.abi === target.abi) {
    if (target.runtime === 'node' && loads) return 'none';
    if (target.runtime === 'electron') {
      const ambiguous = target.abi === nodeAbi;
      if (!ambiguous || (cached && cached.sha256 === installed.sha256)) return 'none';
    }
  }
  return cached ? 'restore' : 'rebuild';
}

function defaultRebuildForNode(root) {
  // npm runs better-sqlite3's own install script: a prebuilt binary if one can be fetched, else node-gyp.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['rebuild', MODULE_NAME], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (run.status !== 0) throw new Error(`npm rebuild ${MODULE_NAME} exited with ${run.status ?? run.signal}`);
}

async function defaultRebuildForElectron(root, target) {
  const require = createRequire(path.join(root, 'package.json'));
  const { rebuild } = require('@electron/rebuild');
  // npm exports .npmrc's nodedir to scripts; node-gyp would then compile against Node's headers instead
  // of Electron's and produce a Node build again.
  for (const key of Object.keys(process.env)) if (key.toLowerCase() === 'npm_config_nodedir') delete process.env[key];
  await rebuild({ buildPath: root, electronVersion: target.version, onlyModules: [MODULE_NAME], force: true });
}

/**
 * Makes the installed build match `runtime`. Returns the action taken. Throws an Error whose message says
 * what went wrong and what to do; the Node build is put back if an Electron rebuild fails half-way.
 */
export async function ensureNativeBuild(runtime, options = {}) {
  const root = options.root ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const log = options.log ?? ((line) => console.log(`[native-abi] ${line}`));
  const rebuildForNode = options.rebuildForNode ?? defaultRebuildForNode;
  const rebuildForElectron = options.rebuildForElectron ?? defaultRebuildForElectron;

  if (!existsSync(path.join(moduleDir(root), 'package.json'))) {
    throw new Error(`${MODULE_NAME} is not installed in ${root}. Run npm install first.`);
  }
  const target = targetFor(runtime, root);
  const node = targetFor('node', root);
  const installed = installedBuild(root);
  // Loading is checked only when the bytes claim the right ABI: a wrong one can be ruled out without a process.
  const loads = runtime === 'node' && installed?.abi === target.abi ? loadsInNode(root) : false;
  const cached = cachedBuild(root, target);
  const action = planSwitch({ target, installed, cached, loads, nodeAbi: node.abi });
  const label = `${MODULE_NAME} for ${runtime} ${target.version} (ABI ${target.abi})`;

  // Keep the Node build before anything replaces it, so coming back to Node is a copy, not a compile.
  if (installed?.abi === node.abi && !cachedBuild(root, node) && (runtime === 'node' ? loads : loadsInNode(root))) {
    storeInCache(root, node);
  }

  if (action === 'none') {
    if (!cachedBuild(root, target)) storeInCache(root, target);
    log(`${label}: already in place.`);
    return 'none';
  }
  if (action === 'restore') {
    restoreFromCache(root, cached);
    if (runtime === 'node' && !loadsInNode(root)) {
      throw new Error(`The cached ${label} does not load. Delete ${path.join(root, CACHE_PATH)} and run this again.`);
    }
    log(`${label}: restored from the cache.`);
    return 'restore';
  }

  log(`${label}: building (first time only; later switches are copies)…`);
  try {
    if (runtime === 'node') await rebuildForNode(root, target);
    else await rebuildForElectron(root, target);
  } catch (error) {
    const nodeBuild = cachedBuild(root, node);
    if (runtime === 'electron' && nodeBuild) restoreFromCache(root, nodeBuild);
    const why = error instanceof Error ? error.message : String(error);
    const help =
      runtime === 'electron'
        ? `Building it needs the Electron ${target.version} headers, downloaded from electronjs.org the first time, and a C++ toolchain (Python 3, make, a C++ compiler; on Windows the Visual Studio Build Tools). Check your internet connection and try again.${nodeBuild ? ' The Node build was put back, so tests and the CLI still work.' : ''}`
        : `Building it needs the Node headers (node-gyp downloads them, or set npm's nodedir) and a C++ toolchain. Try \`npm rebuild ${MODULE_NAME}\` to see the full output.`;
    throw new Error(`Could not build ${label}: ${why}\n${help}`, { cause: error });
  }
  const built = installedBuild(root);
  if (!built || built.abi !== target.abi) {
    throw new Error(`The rebuild finished but ${MODULE_NAME}'s binary is for ABI ${built?.abi ?? 'none'}, not ${target.abi}.`);
  }
  if (runtime === 'node' && !loadsInNode(root)) throw new Error(`The rebuilt ${label} does not load in Node.`);
  storeInCache(root, target);
  log(`${label}: built and cached.`);
  return 'rebuild';
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const runtime = process.argv[2];
  if (runtime !== 'node' && runtime !== 'electron') {
    console.error('Usage: node scripts/native-abi.mjs <node|electron>');
    process.exit(2);
  }
  ensureNativeBuild(runtime).catch((error) => {
    console.error(`[native-abi] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
