// The import bench: a bare sharp thumbnail pass vs Atelier's import (thumbnails + quality reports) of the same files, same run.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { DECODE_OPTIONS, THUMBNAIL_RESIZE, THUMBNAIL_WEBP } from '../../engine/media/image';
import { studioClient } from '../fixtures/studio-client';
import { createStudio, type Studio } from '../../electron/studio';
import { importReportOf, type Channel, type ChannelInput, type ChannelOutput, type ImportReport, type JobSummary } from '../../preload/contract';
import { makeDrawing, makeJpeg } from '../fixtures/images';

/** The issue's bench: 100 photos of 3000 × 2000 (6 MP, a common camera-export size). */
export const DEFAULT_IMPORT_FILES = 100;
const WIDTH = 3000;
const HEIGHT = 2000;
/** Bump when the generator changes so stale cached files are not measured. */
const CACHE_VERSION = 1;
/** Issue 3 "Performance": import with thumbnails and reports ≤ 1.5× the time of a bare sharp thumbnail pass. */
export const IMPORT_RATIO_TARGET = 1.5;
/** Profile creation is not what is measured: a cheap scrypt keeps it out of the way (as the tests do). */
const BENCH_KDF = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const BENCH_PASSWORD = 'bench';
const FINAL_STATES = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

export interface ImportBenchOptions {
  files: number;
  /** Both passes alternate this many times and the median is reported: one run on a busy machine is noise. */
  rounds: number;
  /** Default: the pool's default size (every core but one), so the bare pass gets the same parallelism. */
  workers: number;
  cacheDir: string;
  keep: boolean;
  log: (line: string) => void;
}

export interface ImportBenchResult {
  files: number;
  workers: number;
  rounds: number;
  bareSeconds: number[];
  importSeconds: number[];
  /** median(import) / median(bare): the issue's target is ≤ IMPORT_RATIO_TARGET. */
  ratio: number;
  /** Imported assets that came back with a quality report (health and problems), of `files`. */
  withReports: number;
}

export function defaultImportBenchOptions(): ImportBenchOptions {
  return {
    files: DEFAULT_IMPORT_FILES,
    rounds: 3,
    workers: Math.max(1, os.availableParallelism() - 1),
    cacheDir: path.join(os.tmpdir(), `atelier-bench-jpeg-${WIDTH}x${HEIGHT}-v${CACHE_VERSION}`),
    keep: false,
    log: (line) => console.log(line),
  };
}

/** Generates the files once; later runs (and smaller --files runs) reuse them. */
async function benchFiles(options: ImportBenchOptions): Promise<string[]> {
  await fs.mkdir(options.cacheDir, { recursive: true });
  const files: string[] = [];
  let made = 0;
  const started = performance.now();
  for (let i = 0; i < options.files; i++) {
    const file = path.join(options.cacheDir, `photo-${String(i).padStart(4, '0')}.jpg`);
    const exists = await fs.stat(file).then(
      (s) => s.size > 0,
      () => false,
    );
    if (!exists) {
      const part = `${file}.${process.pid}.part`;
      await makeJpeg(part, WIDTH, HEIGHT, 1000 + i);
      await fs.rename(part, file);
      made++;
      if (made % 10 === 0) options.log(`  generated ${made} files…`);
    }
    files.push(file);
  }
  if (made > 0) {
    options.log(`Generated ${made} test photos in ${((performance.now() - started) / 1000).toFixed(1)} s (cached in ${options.cacheDir}).`);
  }
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

function call<C extends Channel>(studio: Studio, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return studioClient(() => studio).value(channel, input);
}

/** Imports through the studio's own handler (jobs + pool + store + reports + db), timed to the job's end. */
async function importAndWait(studio: Studio, files: readonly string[]): Promise<{ seconds: number; job: JobSummary }> {
  const started = performance.now();
  const queued = await call(studio, 'assets:import', { sources: files.map((file) => ({ kind: 'path' as const, path: file })), source: 'upload' });
  const job = await new Promise<JobSummary>((resolve, reject) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      stop();
      clearInterval(timer);
      // The row holds the whole report once final; read it once more.
      call(studio, 'jobs:get', { jobId: queued.id }).then(resolve, reject);
    };
    const stop = studio.events.on('jobs:updated', (j) => {
      if (j.id === queued.id && FINAL_STATES.has(j.state)) finish();
    });
    // A fallback should an event be missed; it does not compete with the import for the main thread.
    const timer = setInterval(() => {
      call(studio, 'jobs:get', { jobId: queued.id }).then((j) => {
        if (FINAL_STATES.has(j.state)) finish();
      }, reject);
    }, 1000);
  });
  return { seconds: (performance.now() - started) / 1000, job };
}

async function atelierImport(
  files: readonly string[],
  options: ImportBenchOptions,
  keep: boolean,
): Promise<{ seconds: number; report: ImportReport; dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-bench-profile-'));
  const studio = createStudio({ dataDir, appVersion: '0.0.0-bench', transport: 'host', kdf: BENCH_KDF, poolSize: options.workers });
  try {
    const profile = await call(studio, 'profiles:create', { name: 'bench', password: BENCH_PASSWORD });
    await call(studio, 'profiles:unlock', { profileId: profile.id, password: BENCH_PASSWORD });
    // Start every worker before the clock runs: thread start-up is paid once per session, not per import.
    const warmup = await Promise.all(
      Array.from({ length: options.workers }, (_, i) => makeDrawing(path.join(dataDir, `warmup-${i}.png`), 64, 64, 1 + i)),
    );
    const warm = await importAndWait(studio, warmup);
    if (warm.job.state !== 'succeeded') throw new Error(`The warm-up import ended ${warm.job.state}: ${warm.job.error?.message ?? ''}`);

    const { seconds, job } = await importAndWait(studio, files);
    if (job.state !== 'succeeded' || !job.result) {
      throw new Error(`The bench import ended ${job.state}: ${job.error?.message ?? 'no report'}`);
    }
    return { seconds, report: importReportOf(job)!, dataDir };
  } finally {
    await studio.close();
    if (!keep) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
}

/** Runs the bench, printing its rounds and table through `options.log`, and returns the figures. */
export async function runImportBench(overrides: Partial<ImportBenchOptions> = {}): Promise<ImportBenchResult> {
  const options = { ...defaultImportBenchOptions(), ...overrides };
  const log = options.log;
  log(
    `Import bench: ${options.files} JPEG photos of ${WIDTH} × ${HEIGHT}, ${options.workers} worker(s), ${os.availableParallelism()} core(s), ` +
      `${options.rounds} round(s), Node ${process.versions.node}, sharp ${sharp.versions.sharp ?? '?'} / libvips ${sharp.versions.vips}`,
  );
  const files = await benchFiles(options);
  // Read every file once so both passes start with the same warm page cache.
  for (const file of files) await fs.readFile(file);

  const bare: number[] = [];
  const atelier: number[] = [];
  let withReports = 0;
  for (let round = 1; round <= options.rounds; round++) {
    bare.push(await barePass(files, options.workers));
    const keep = options.keep && round === options.rounds;
    const run = await atelierImport(files, options, keep);
    if (run.report.imported !== files.length) {
      throw new Error(`The bench import stored ${run.report.imported} of ${files.length} files (${run.report.failed} failed).`);
    }
    withReports = run.report.results.filter((r) => r.ok && typeof r.asset.health === 'string' && Array.isArray(r.asset.problems)).length;
    atelier.push(run.seconds);
    log(`  round ${round}: bare ${bare.at(-1)?.toFixed(2)} s, import ${run.seconds.toFixed(2)} s${keep ? ` (profile kept in ${run.dataDir})` : ''}`);
  }

  const n = files.length;
  const widths = [56, 7, 16, 16];
  const rate = (seconds: number): string => (n / seconds).toFixed(2);
  const ratio = median(atelier) / median(bare);
  log('');
  log(row(['pass', 'files', 'median files/s', 'best files/s'], widths));
  log(row(['-'.repeat(56), '-----', '--------------', '------------'], widths));
  log(row(['(a) bare sharp thumbnail pass', String(n), rate(median(bare)), rate(Math.min(...bare))], widths));
  log(row(['(b) Atelier import (jobs + pool + store + reports + db)', String(n), rate(median(atelier)), rate(Math.min(...atelier))], widths));
  log('');
  if (withReports < n) log(`  note: only ${withReports} of ${n} imported assets came back with a quality report (health, problems).`);
  // Time ratio, as the target is stated ("import ≤ 1.5× the time of a bare sharp thumbnail pass").
  log(`import time / bare thumbnail time (medians): ${ratio.toFixed(2)}×  (target ≤ ${IMPORT_RATIO_TARGET}×; 1.00× = importing costs no more than thumbnailing)`);
  return { files: n, workers: options.workers, rounds: options.rounds, bareSeconds: bare, importSeconds: atelier, ratio, withReports };
}
