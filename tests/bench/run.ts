// `npm run bench`: image import throughput — a bare sharp thumbnail pass vs Atelier's import of the same files, same run.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { DECODE_OPTIONS, THUMBNAIL_RESIZE, THUMBNAIL_WEBP } from '../../engine/media/image';
import { openDatabase } from '../../electron/db/open';
import { studioMigrations } from '../../electron/db/migrations/index';
import { StudioEvents } from '../../electron/events';
import { WorkerPool } from '../../electron/jobs/pool';
import { JobQueue } from '../../electron/jobs/queue';
import { AssetLibrary } from '../../electron/services/assets';
import { ensureProfileDirs, profilePaths } from '../../electron/services/paths';
import type { ImportReport } from '../../preload/contract';
import { makeDrawing, makeJpeg } from '../fixtures/images';

/** The issue's bench: 100 photos of 3000 × 2000 (6 MP, a common camera-export size). */
const DEFAULT_FILES = 100;
const WIDTH = 3000;
const HEIGHT = 2000;
/** Bump when the generator changes so stale cached files are not measured. */
const CACHE_VERSION = 1;

interface Options {
  files: number;
  workers: number;
  cacheDir: string;
  keep: boolean;
  rounds: number;
}

function usage(): never {
  console.error('usage: npx tsx tests/bench/run.ts [--files N] [--rounds N] [--workers N] [--cache-dir DIR] [--keep]');
  process.exit(1);
}

function positiveInt(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) usage();
  return n;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    files: DEFAULT_FILES,
    // The pool's default size (issue 2 item 8), so the bare pass gets the same parallelism as the import.
    workers: Math.max(1, os.availableParallelism() - 1),
    cacheDir: path.join(os.tmpdir(), `atelier-bench-jpeg-${WIDTH}x${HEIGHT}-v${CACHE_VERSION}`),
    keep: false,
    // Both passes alternate this many times and the median is reported: one run on a busy machine is noise.
    rounds: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--files') options.files = positiveInt(argv[++i]);
    else if (arg === '--workers') options.workers = positiveInt(argv[++i]);
    else if (arg === '--cache-dir') options.cacheDir = path.resolve(argv[++i] ?? usage());
    else if (arg === '--rounds') options.rounds = positiveInt(argv[++i]);
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') usage();
    else usage();
  }
  return options;
}

/** Generates the files once; later runs (and smaller --files runs) reuse them. */
async function benchFiles(options: Options): Promise<string[]> {
  await fs.mkdir(options.cacheDir, { recursive: true });
  const files: string[] = [];
  let made = 0;
  const started = performance.now();
  for (let i = 0; i < options.files; i++) {
    const file = path.join(options.cacheDir, `photo-${String(i).padStart(4, '0')}.jpg`);
    const exists = await fs.stat(file).then((s) => s.size > 0, () => false);
    if (!exists) {
      const part = `${file}.${process.pid}.part`;
      await makeJpeg(part, WIDTH, HEIGHT, 1000 + i);
      await fs.rename(part, file);
      made++;
      if (made % 10 === 0) process.stdout.write(`  generated ${made} files…\n`);
    }
    files.push(file);
  }
  if (made > 0) console.log(`Generated ${made} test photos in ${((performance.now() - started) / 1000).toFixed(1)} s (cached in ${options.cacheDir}).`);
  return files;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function withConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

async function barePass(files: readonly string[], workers: number): Promise<number> {
  const started = performance.now();
  await withConcurrency(files, workers, (file) => sharp(file, DECODE_OPTIONS).resize(THUMBNAIL_RESIZE).webp(THUMBNAIL_WEBP).toBuffer());
  return (performance.now() - started) / 1000;
}

async function atelierImport(files: readonly string[], workers: number, keep: boolean): Promise<{ seconds: number; report: ImportReport; dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-bench-profile-'));
  const paths = profilePaths(dataDir, randomUUID());
  ensureProfileDirs(paths);
  const db = openDatabase(paths.studioDb, studioMigrations);
  const jobs = new JobQueue({ db, onUpdate: () => undefined });
  const pool = new WorkerPool({ size: workers });
  try {
    const library = new AssetLibrary({ db, paths, jobs, pool, events: new StudioEvents(), lookahead: workers });
    // Start every worker before the clock runs: thread start-up is paid once per session, not per import.
    const warmup = await makeDrawing(path.join(dataDir, 'warmup.png'), 64, 64, 1);
    await Promise.all(Array.from({ length: workers }, () => pool.run('image.ingest', { path: warmup, name: 'warmup.png' })));

    const started = performance.now();
    const job = await library.startImport(
      files.map((file) => ({ kind: 'path' as const, path: file })),
      'upload',
    );
    const done = await jobs.waitFor(job.id);
    const seconds = (performance.now() - started) / 1000;
    if (done.state !== 'succeeded' || !done.result) {
      throw new Error(`The bench import ended ${done.state}: ${done.error?.message ?? 'no report'}`);
    }
    return { seconds, report: done.result, dataDir };
  } finally {
    await jobs.close();
    await pool.close();
    db.close();
    if (!keep) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  console.log(
    `Atelier import bench: ${options.files} JPEG photos of ${WIDTH} × ${HEIGHT}, ${options.workers} worker(s), ${os.availableParallelism()} core(s), ` +
      `${options.rounds} round(s), Node ${process.versions.node}, sharp ${sharp.versions.sharp ?? '?'} / libvips ${sharp.versions.vips}`,
  );
  const files = await benchFiles(options);
  // Read every file once so both passes start with the same warm page cache.
  for (const file of files) await fs.readFile(file);

  const bare: number[] = [];
  const atelier: number[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    bare.push(await barePass(files, options.workers));
    const run = await atelierImport(files, options.workers, options.keep && round === options.rounds);
    if (run.report.imported !== files.length) {
      throw new Error(`The bench import stored ${run.report.imported} of ${files.length} files (${run.report.failed} failed).`);
    }
    atelier.push(run.seconds);
    console.log(`  round ${round}: bare ${bare.at(-1)?.toFixed(2)} s, import ${run.seconds.toFixed(2)} s${options.keep && round === options.rounds ? ` (profile kept in ${run.dataDir})` : ''}`);
  }

  const n = files.length;
  const widths = [46, 7, 16, 16];
  const rate = (seconds: number) => (n / seconds).toFixed(2);
  console.log('');
  console.log(row(['pass', 'files', 'median files/s', 'best files/s'], widths));
  console.log(row(['-'.repeat(46), '-----', '--------------', '------------'], widths));
  console.log(row(['(a) bare sharp thumbnail pass', String(n), rate(median(bare)), rate(Math.min(...bare))], widths));
  console.log(row(['(b) Atelier import (jobs + pool + store + db)', String(n), rate(median(atelier)), rate(Math.min(...atelier))], widths));
  console.log('');
  // Time ratio, as the targets are stated ("import ≤ 1.5× the time of a bare sharp thumbnail pass").
  console.log(`import time / bare thumbnail time (medians): ${(median(atelier) / median(bare)).toFixed(2)}×  (1.00× = importing costs no more than thumbnailing)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
