#!/usr/bin/env node
// `npm test`: native build check, lint, typecheck, unit tests, browser end-to-end, Electron end-to-end —
// every step runs even after a failure, then one closing line sums the tests ("N passed, N failed, N skipped").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const resultsDir = path.join(root, 'tests', '.artifacts', 'results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const vitest = (config, name) => ({
  name,
  cmd: bin('vitest'),
  args: ['run', ...(config ? ['-c', config] : []), '--reporter=default', '--reporter=json', `--outputFile=${path.join(resultsDir, `${name}.json`)}`],
  results: path.join(resultsDir, `${name}.json`),
});

const steps = [
  { name: 'native build for Node', cmd: process.execPath, args: [path.join(root, 'scripts', 'native-abi.mjs'), 'node'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  { name: 'typecheck (node)', cmd: bin('tsc'), args: ['-p', 'tsconfig.node.json'] },
  { name: 'typecheck (renderer)', cmd: bin('tsc'), args: ['-p', 'tsconfig.web.json'] },
  vitest(null, 'unit'),
  vitest('vitest.e2e-web.config.ts', 'e2e-web'),
  vitest('vitest.e2e-electron.config.ts', 'e2e-electron'),
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const run = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (step.results && existsSync(step.results)) {
    const report = JSON.parse(readFileSync(step.results, 'utf8'));
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  if (run.status !== 0) {
    failedSteps.push(step.name);
    console.log(`=== ${step.name}: FAILED (exit ${run.status ?? run.signal}) in ${seconds} s ===`);
  } else {
    console.log(`=== ${step.name}: ok in ${seconds} s ===`);
  }
}

console.log('');
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
