#!/usr/bin/env node
// `node scripts/build-native.mjs [--optional]`: compiles the C++ patch kernels (native/) with the local node-gyp.
// Node-API, so the one build serves Node (tests, CLI) and Electron alike. With --optional (the install hook) a
// failed build is reported and the install goes on: native/index.ts then runs the TypeScript kernels, slower.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE_DIR = path.join(ROOT, 'native');
export const ADDON = path.join(NATIVE_DIR, 'build', 'Release', 'atelier_native.node');

/** Local Node headers (e.g. Debian's /usr/include/node) spare node-gyp a header download this machine cannot make. */
export function localNodeDir() {
  if (process.env.npm_config_nodedir) return null;
  const prefix = path.dirname(path.dirname(process.execPath));
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function nodeGypEntry() {
  try {
    return createRequire(path.join(ROOT, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

function main() {
  const optional = process.argv.includes('--optional');
  const giveUp = (why) => {
    console.error(`\nAtelier: the native patch kernels were not built: ${why}`);
    console.error('Image synthesis still works with the TypeScript kernels, only slower.');
    console.error('To build them: install a C++ compiler, make and python3, then run `node scripts/build-native.mjs`.\n');
    process.exitCode = optional ? 0 : 1;
  };
  const gyp = nodeGypEntry();
  if (!gyp) return giveUp('node-gyp is not installed (it is a devDependency: run `npm install` with dev dependencies).');
  const args = [gyp, 'rebuild', '-C', NATIVE_DIR];
  const nodedir = localNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  console.log(`Building the native patch kernels: node ${args.slice(1).join(' ')}`);
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (run.error) return giveUp(`node-gyp could not start (${run.error.message}).`);
  if (run.status !== 0) return giveUp(`node-gyp exited with code ${run.status} (its log is above).`);
  if (!existsSync(ADDON)) return giveUp(`node-gyp finished but ${path.relative(ROOT, ADDON)} is missing.`);
  console.log(`Native patch kernels built: ${path.relative(ROOT, ADDON)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
