// AssetLibrary on real parts: SQLite file, worker pool ('media.ingest'), job queue, file store — batches, duplicates, cancel, retry, sweep.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import { importReportOf, type ImportReport, type JobSummary } from '../../preload/contract';
import { makeDrawing, makeJpeg, makePng, makeTruncated } from '../../tests/fixtures/images';
import { studioMigrations } from '../db/migrations/index';
import { openDatabase } from '../db/open';
import { StudioEvents } from '../events';
import { WorkerPool } from '../jobs/pool';
import { JobQueue } from '../jobs/queue';
import { AssetLibrary, stagingFileName, type IngestPool } from './assets';
import { ensureProfileDirs, profilePaths, type ProfilePaths } from './paths';

let pool: WorkerPool;
let sources: string;
let a: string;
let b: string;
let broken: string;

beforeAll(async () => {
  pool = new WorkerPool({ size: 2 });
  sources = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-assets-src-'));
  a = await makeDrawing(path.join(sources, 'sketch.png'), 640, 480, 1);
  b = await makeJpeg(path.join(sources, 'photo.jpg'), 800, 600, 2);
  broken = await makeTruncated(path.join(sources, 'broken.jpg'), 'jpeg');
});

afterAll(async () => {
  await pool.close();
  await fs.rm(sources, { recursive: true, force: true });
});

interface Harness {
  dataDir: string;
  paths: ProfilePaths;
  db: Database.Database;
  jobs: JobQueue;
  events: StudioEvents;
  added: number[];
  library: AssetLibrary;
}

let h: Harness;

function openHarness(dataDir: string, profileId: string, opts: { pool?: IngestPool; lookahead?: number } = {}): Harness {
  const paths = profilePaths(dataDir, profileId);
  ensureProfileDirs(paths);
  const db = openDatabase(paths.studioDb, studioMigrations);
  const jobs = new JobQueue({ db, onUpdate: () => undefined });
  const events = new StudioEvents();
  const added: number[] = [];
  events.on('assets:changed', ({ added: n }) => {
    if (n > 0) added.push(n);
  });
  const library = new AssetLibrary({ db, paths, jobs, pool: opts.pool ?? pool, events, lookahead: opts.lookahead ?? 2 });
  return { dataDir, paths, db, jobs, events, added, library };
}

async function closeHarness(x: Harness): Promise<void> {
  await x.jobs.close();
  x.db.close();
}

beforeEach(async () => {
  h = openHarness(await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-assets-')), randomUUID());
});

afterEach(async () => {
  await closeHarness(h);
  await fs.rm(h.dataDir, { recursive: true, force: true });
});

async function finished(job: JobSummary, x: Harness = h): Promise<JobSummary & { result: ImportReport }> {
  const done = await x.jobs.waitFor(job.id);
  if (!done.result) throw new Error(`job ${done.state} without a report: ${done.error?.message ?? ''}`);
  return done as JobSummary & { result: ImportReport };
}

async function filesIn(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function rowCount(x: Harness = h): number {
  return (x.db.prepare('SELECT COUNT(*) AS n FROM assets').get() as { n: number }).n;
}

describe('AssetLibrary import', () => {
  it('imports 2 good files and reports the broken one by name, in order', async () => {
    const job = await h.library.startImport(
      [
        { kind: 'path', path: a },
        { kind: 'path', path: broken },
        { kind: 'path', path: b },
      ],
      'upload',
    );
    expect(job.title).toBe('Import 3 files');
    const done = await finished(job);
    expect(done.state).toBe('succeeded');
    expect(done.result).toMatchObject({ imported: 2, duplicates: 0, failed: 1 });
    expect(done.result.results.map((r) => r.name)).toEqual(['sketch.png', 'broken.jpg', 'photo.jpg']);
    const bad = done.result.results[1];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) {
      expect(bad.error.code).toBe('CORRUPT_FILE');
      expect(bad.error.message).toContain('“broken.jpg”');
    }

    expect(rowCount()).toBe(2);
    const page = h.library.queries.list({ offset: 0, limit: 10, archived: false });
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.originalName)).toEqual(['photo.jpg', 'sketch.png']);
    expect(page.items[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 800, height: 600, source: 'upload' });
    for (const item of page.items) {
      const ext = item.mime === 'image/jpeg' ? 'jpg' : 'png';
      expect(h.library.store.has(item.sha256, ext)).toBe(true);
      const thumb = await h.library.thumbnail(item.id);
      expect(thumb.mime).toBe('image/webp');
      expect((await sharp(thumb.bytes).metadata()).width).toBe(256);
    }
    expect(h.added).toEqual([2]);
  });

  it('titles a one-file import with its name and pages the library', async () => {
    const job = await h.library.startImport([{ kind: 'path', path: a }], 'portfolio');
    expect(job.title).toBe('Import sketch.png');
    await finished(job);
    expect(h.library.queries.list({ offset: 1, limit: 10, archived: false })).toEqual({ total: 1, items: [] });
    const [only] = h.library.queries.list({ offset: 0, limit: 1, archived: false }).items;
    expect(only).toBeDefined();
    expect(h.library.records.summary(only!.id)).toEqual(only);
    expect(only!.source).toBe('portfolio');
  });

  it('turns the same bytes imported again into duplicates of the existing assets, with no new rows', async () => {
    const first = await finished(await h.library.startImport([{ kind: 'path', path: a }, { kind: 'path', path: b }], 'upload'));
    const again = await finished(
      await h.library.startImport(
        [
          { kind: 'path', path: b },
          { kind: 'bytes', name: 'sketch copy.png', bytes: new Uint8Array(await fs.readFile(a)) },
          { kind: 'path', path: broken },
        ],
        'upload',
      ),
    );
    expect(again.result).toMatchObject({ imported: 0, duplicates: 2, failed: 1 });
    const ids = (r: ImportReport) => r.results.flatMap((x) => (x.ok ? [x.asset.id] : []));
    expect(new Set(ids(again.result))).toEqual(new Set(ids(first.result)));
    expect(again.result.results.every((r) => !r.ok || r.duplicate)).toBe(true);
    expect(rowCount()).toBe(2);
    expect(h.added).toEqual([2]);
  });

  it('stores a PNG named .jpg as the PNG it is', async () => {
    const disguised = await makePng(path.join(sources, 'holiday.jpg'), 120, 90, 5);
    const done = await finished(await h.library.startImport([{ kind: 'path', path: disguised }], 'upload'));
    const result = done.result.results[0];
    expect(result?.ok && result.asset).toMatchObject({ originalName: 'holiday.jpg', mime: 'image/png', width: 120, height: 90 });
    if (result?.ok) expect(h.library.store.has(result.asset.sha256, 'png')).toBe(true);
  });

  it('stages browser uploads under tmp/uploads with safe names, keeps the display names, and cleans up after', async () => {
    const bytes = new Uint8Array(await fs.readFile(a));
    const other = new Uint8Array(await fs.readFile(b));
    const names = ['../../outside.png', 'CON.png', 'photo\u202egnp.jpg'];
    const job = await h.library.startImport(
      [
        { kind: 'bytes', name: names[0]!, bytes },
        { kind: 'bytes', name: names[1]!, bytes: other },
        { kind: 'bytes', name: names[2]!, bytes: new Uint8Array(0) },
      ],
      'work-sample',
    );
    const done = await finished(job);
    expect(done.result.results.map((r) => r.name)).toEqual(names);
    expect(done.result).toMatchObject({ imported: 2, failed: 1 });
    expect(h.library.queries.list({ offset: 0, limit: 10, archived: false }).items.map((i) => i.originalName).sort()).toEqual(['../../outside.png', 'CON.png'].sort());
    // Nothing escaped the profile, and the staging folder is gone after the run.
    expect(await fs.stat(path.join(h.paths.root, '..', '..', 'outside.png')).catch(() => null)).toBeNull();
    expect(await filesIn(path.join(h.paths.tmp, 'uploads'))).toEqual([]);
  });

  it('reports a file whose thumbnail cannot be saved and leaves neither a row nor an original behind', async () => {
    // The thumbnail cache folder replaced by a file: every thumbnail write fails.
    await fs.rm(h.paths.thumbs, { recursive: true });
    await fs.writeFile(h.paths.thumbs, 'not a folder');
    const done = await finished(await h.library.startImport([{ kind: 'path', path: a }], 'upload'));
    expect(done.result).toMatchObject({ imported: 0, failed: 1 });
    const [only] = done.result.results;
    expect(only?.ok === false && only.error.code).toBe('INTERNAL');
    expect(rowCount()).toBe(0);
    expect(await filesIn(h.paths.assets)).toEqual([]);
    await fs.rm(h.paths.thumbs);
  });

  it('keeps what was done when cancelled mid-batch, with no row lacking its file, and a retry finishes the batch', async () => {
    const names = ['one.png', 'two.png', 'three.png', 'four.png', 'five.png'];
    const uploads = await Promise.all(
      names.map(async (name, i) => ({ kind: 'bytes' as const, name, bytes: new Uint8Array(await fs.readFile(await makeDrawing(path.join(sources, `c-${name}`), 400, 300, 40 + i))) })),
    );
    // A real pool, watched: the moment the third file starts decoding, the creator presses cancel.
    let jobId = '';
    const watched: IngestPool = {
      run: (task, input, opts) => {
        if (input.name === 'three.png' && jobId) h.jobs.cancel(jobId);
        return pool.run(task, input, opts);
      },
    };
    await closeHarness(h);
    h = openHarness(h.dataDir, path.basename(h.paths.root), { pool: watched, lookahead: 0 });

    const job = await h.library.startImport(uploads, 'upload');
    jobId = job.id;
    const done = await h.jobs.waitFor(job.id);
    expect(done.state).toBe('cancelled');
    const partial = importReportOf(done);
    expect(partial?.results.map((r) => r.name)).toEqual(['one.png', 'two.png']);
    expect(partial?.imported).toBe(2);
    expect(rowCount()).toBe(2);
    for (const item of h.library.queries.list({ offset: 0, limit: 10, archived: false }).items) expect(h.library.store.has(item.sha256, 'png')).toBe(true);
    expect(await filesIn(h.paths.assets)).toHaveLength(2);

    // The sweep must keep the uploads of a cancelled job: a retry still needs them.
    await h.library.sweepOrphans();
    expect(await filesIn(path.join(h.paths.tmp, 'uploads'))).toHaveLength(5);

    jobId = '';
    await h.jobs.retry(job.id);
    const retried = await finished(job);
    expect(retried.state).toBe('succeeded');
    expect(retried.result).toMatchObject({ imported: 3, duplicates: 2, failed: 0 });
    expect(rowCount()).toBe(5);
    expect(await filesIn(path.join(h.paths.tmp, 'uploads'))).toEqual([]);
  });
});

describe('AssetLibrary thumbnails and lookups', () => {
  it('rebuilds a thumbnail the cache lost', async () => {
    const done = await finished(await h.library.startImport([{ kind: 'path', path: b }], 'upload'));
    const asset = done.result.results[0]?.ok ? done.result.results[0].asset : undefined;
    if (!asset) throw new Error('import failed');
    await fs.rm(path.join(h.paths.thumbs, `${asset.sha256}.webp`));
    const [t1, t2] = await Promise.all([h.library.thumbnail(asset.id), h.library.thumbnail(asset.id)]);
    expect((await sharp(t1.bytes).metadata()).format).toBe('webp');
    expect(t2.bytes).toEqual(t1.bytes);
    expect(await fs.stat(path.join(h.paths.thumbs, `${asset.sha256}.webp`))).toBeTruthy();
  });

  it('says NOT_FOUND for an unknown asset, and for a thumbnail whose original is gone too', async () => {
    expect(() => h.library.records.summary('no-such-asset')).toThrowError(AtelierError);
    await expect(h.library.thumbnail('no-such-asset')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const done = await finished(await h.library.startImport([{ kind: 'path', path: a }], 'upload'));
    const asset = done.result.results[0]?.ok ? done.result.results[0].asset : undefined;
    if (!asset) throw new Error('import failed');
    await fs.rm(path.join(h.paths.thumbs, `${asset.sha256}.webp`));
    await h.library.store.remove(asset.sha256, 'png');
    await expect(h.library.thumbnail(asset.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('AssetLibrary.sweepOrphans', () => {
  it('removes files with no row and crash leftovers, and keeps every file a row points to', async () => {
    const done = await finished(await h.library.startImport([{ kind: 'path', path: a }], 'upload'));
    const kept = done.result.results[0]?.ok ? done.result.results[0].asset : undefined;
    if (!kept) throw new Error('import failed');

    // A crash after the original was stored but before its row: an original and a thumbnail with no row.
    const orphan = await h.library.store.putFile(b, 'jpg');
    await fs.writeFile(path.join(h.paths.thumbs, `${orphan.sha256}.webp`), 'thumb');
    await fs.writeFile(path.join(h.paths.tmp, 'store-crashed.part'), 'half');
    await fs.writeFile(path.join(h.paths.thumbs, '.atelier-crashed.part'), 'half');
    await fs.mkdir(path.join(h.paths.tmp, 'uploads', 'abandoned'), { recursive: true });
    await fs.writeFile(path.join(h.paths.tmp, 'uploads', 'abandoned', 'x.png'), 'x');

    expect(await h.library.sweepOrphans()).toEqual({ removedFiles: 5 });
    expect(h.library.store.has(orphan.sha256, 'jpg')).toBe(false);
    expect(h.library.store.has(kept.sha256, 'png')).toBe(true);
    expect((await h.library.thumbnail(kept.id)).bytes.length).toBeGreaterThan(0);
    expect(await filesIn(h.paths.tmp)).toEqual([]);
    expect(await h.library.sweepOrphans()).toEqual({ removedFiles: 0 });
  });
});

describe('stagingFileName', () => {
  it('keeps ordinary names as they are', () => {
    expect(stagingFileName('sketch.png')).toBe('sketch.png');
    expect(stagingFileName('Été à Kyōto 1.jpg')).toBe('Été à Kyōto 1.jpg');
  });

  it('drops folders, parent steps, controls and bidi tricks', () => {
    expect(stagingFileName('../../etc/passwd')).toBe('passwd');
    expect(stagingFileName('C:\\Users\\me\\a.png')).toBe('a.png');
    expect(stagingFileName('..')).toBe('upload');
    expect(stagingFileName('a\u0000b\u001f.png')).toBe('ab.png');
    expect(stagingFileName('photo\u202egnp.exe')).toBe('photognp.exe');
    expect(stagingFileName('what?<>|*:".png')).toBe('what_______.png');
  });

  it('defuses Windows device names and overlong names, keeping the extension', () => {
    expect(stagingFileName('CON.png')).toBe('_CON.png');
    const long = stagingFileName(`${'画'.repeat(200)}.webp`);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(120);
    expect(long.endsWith('.webp')).toBe(true);
  });
});
