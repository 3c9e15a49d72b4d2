#!/usr/bin/env node
// `node scripts/check-native-build.mjs [--no-build]`: proves the built app finds the native kernels — from out/main, in a thread, packaged (app.asar.unpacked) — and falls back to the TypeScript kernels without them.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_MAIN = path.join(ROOT, 'out', 'main');
/** Where electron.vite.config.ts copies the addon, and the loader entry it builds (out/main/native.js). */
const ADDON_IN_BUILD = path.join('native', 'atelier_native.node');
const LOADER = 'native.js';
/** The probe's 12 × 12 target: one (x, y) match per pixel. */
const FIELD_LENGTH = 12 * 12 * 2;

/**
 * Runs in a fresh plain-Node process (no tsx): imports the built loader, optionally inside a worker thread as the
 * job worker would, asks which kernels run, and runs a tiny PatchMatch on them. Prints one JSON line.
 */
const PROBE = `
import { Worker } from 'node:worker_threads';
const url = process.argv[1];
const inThread = process.argv[2] === 'thread';
async function probe(url) {
  const k = await import(url);
  const first = k.kernelsAvailable();
  k.kernelsAvailable();
  const source = new Float32Array(16 * 16).map((_, i) => (i % 7) / 7);
  const field = k.patchMatch({ source, sourceWidth: 16, sourceHeight: 16, target: source.slice(0, 12 * 12), targetWidth: 12, targetHeight: 12,
    channels: 1, patchSize: 5, iterations: 2, seed: 1, reusePenalty: 0 });
  return { ...first, addonPath: k.ADDON_PATH, fieldLength: field.nnf.length };
}
if (inThread) {
  // An eval worker started from an ES module is itself an ES module (Node 20).
  const code = 'import { parentPort, workerData } from "node:worker_threads";' +
    '(' + probe.toString() + ')(workerData).then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e) }));';
  const worker = new Worker(code, { eval: true, workerData: url });
  worker.once('message', (r) => { console.log('PROBE ' + JSON.stringify(r)); worker.terminate(); });
} else {
  console.log('PROBE ' + JSON.stringify(await probe(url)));
}
`;

function probe(loader, { thread = false, env = {} } = {}) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(loader).href, thread ? 'thread' : 'main'], {
    encoding: 'utf8',
    env: { ...process.env, ATELIER_NATIVE_ADDON: '', ...env },
    timeout: 60_000,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('PROBE '));
  if (run.status !== 0 || !line) throw new Error(`the probe of ${loader} failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  return { ...JSON.parse(line.slice('PROBE '.length)), warnings: run.stderr.split('\n').filter((l) => l.startsWith('Atelier:')).length };
}

const failures = [];
function check(what, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures.push(what);
}

function main() {
  if (!process.argv.includes('--no-build')) {
    console.log('Building the app: electron-vite build');
    const cli = path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const build = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`electron-vite build failed (${build.status ?? build.signal}):\n${build.stdout}\n${build.stderr}`);
  }
  const loader = path.join(OUT_MAIN, LOADER);
  check('the build has the kernels loader and the addon beside it', existsSync(loader) && existsSync(path.join(OUT_MAIN, ADDON_IN_BUILD)), path.join(OUT_MAIN, ADDON_IN_BUILD));

  const built = probe(loader);
  check('out/main under plain Node loads the native kernels', built.native === true && built.fieldLength === FIELD_LENGTH, JSON.stringify(built));
  const threaded = probe(loader, { thread: true });
  check('out/main in a worker thread (as the job worker runs the engine) loads them too', threaded.native === true && threaded.fieldLength === FIELD_LENGTH, JSON.stringify(threaded));

  // The packaged layout: out/ inside resources/app.asar, the .node only in resources/app.asar.unpacked (asarUnpack).
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'atelier-native-packaged-'));
  try {
    const asarMain = path.join(tmp, 'resources', 'app.asar', 'out', 'main');
    cpSync(OUT_MAIN, asarMain, { recursive: true, filter: (src) => !src.endsWith('.node') });
    writeFileSync(path.join(tmp, 'resources', 'app.asar', 'package.json'), JSON.stringify({ type: 'module' }));
    const unpacked = path.join(tmp, 'resources', 'app.asar.unpacked', 'out', 'main', ADDON_IN_BUILD);
    mkdirSync(path.dirname(unpacked), { recursive: true });
    cpSync(path.join(OUT_MAIN, ADDON_IN_BUILD), unpacked);
    const packaged = probe(path.join(asarMain, LOADER));
    check('a packaged app loads the addon from app.asar.unpacked', packaged.native === true && packaged.addonPath === unpacked, packaged.addonPath);

    const missing = path.join(tmp, 'no-such-addon.node');
    const fallback = probe(loader, { env: { ATELIER_NATIVE_ADDON: missing } });
    check(
      'without the addon the TypeScript kernels run, said once',
      fallback.native === false && fallback.fieldLength === FIELD_LENGTH && fallback.warnings === 1 && String(fallback.reason).includes(missing),
      fallback.reason,
    );
    const overridden = probe(loader, { env: { ATELIER_NATIVE_ADDON: unpacked } });
    check('ATELIER_NATIVE_ADDON picks the addon to load', overridden.native === true && overridden.addonPath === unpacked);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} check(s) failed.`);
    process.exitCode = 1;
  } else console.log('\nThe built app finds the native kernels in every layout.');
}

main();
