// A creator's asset library: imports images as jobs (decode in workers, originals in the store, rows last), lists them, serves thumbnails.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AtelierError, toErrorInfo } from '../../engine/errors';
import { errnoCode } from '../../engine/media/file-access';
import { THUMBNAIL_MIME, type ImageIngest } from '../../engine/media/image';
import {
  ASSET_SOURCES,
  type AssetPage,
  type AssetSource,
  type AssetSummary,
  type ImportFileResult,
  type ImportReport,
  type ImportSource,
  type JobKind,
  type JobSummary,
  type Thumbnail,
} from '../../preload/contract';
import type { StudioEvents } from '../events';
import { FileStore, removeLeftoverParts, writeFileAtomic } from './file-store';
import type { ProfilePaths } from './paths';

export const IMPORT_JOB_KIND = 'assets.import' satisfies JobKind;

/** What the import runner gets from the job queue (JobRunContext of electron/jobs/queue.ts). */
export interface ImportRunContext {
  signal: AbortSignal;
  progress(fraction: number, stage: string): void;
  /** Records a partial report so a cancelled or failed job still shows what it did. */
  setResult(result: unknown): void;
  jobId: string;
}

/** The part of JobQueue (electron/jobs/queue.ts) the library uses; structural so either side can evolve. */
export interface ImportJobs {
  register(kind: JobKind, runner: (input: unknown, ctx: ImportRunContext) => Promise<unknown>): void;
  enqueue(kind: JobKind, title: string, input: unknown): JobSummary;
}

/** The part of WorkerPool (electron/jobs/pool.ts) the library uses: the 'image.ingest' task. */
export interface IngestPool {
  run(
    task: 'image.ingest',
    input: { path: string; name: string },
    opts?: { signal?: AbortSignal; onProgress?: (fraction: number, stage?: string) => void },
  ): Promise<ImageIngest>;
}

export interface AssetLibraryOptions {
  db: Database.Database;
  paths: ProfilePaths;
  jobs: ImportJobs;
  pool: IngestPool;
  events: StudioEvents;
  now?: () => Date;
  /**
   * How many files of a batch are decoded ahead of the one being stored (0 = one at a time). Defaults to the
   * worker pool's default size, max(1, cores − 1) (issue 2 item 8): every worker stays busy while the main
   * thread stores the current file, and rows are still written in the batch's order.
   */
  lookahead?: number;
}

/** Longest staging file name in UTF-8 bytes; well under the 255-byte limit of ext4/APFS/NTFS, leaving room for " (2)". */
const STAGED_NAME_MAX_BYTES = 120;
/** Windows refuses these as file names whatever the extension (Win32 "Naming Files" docs). */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const importJobInputSchema = z.object({
  files: z.array(z.object({ path: z.string().min(1), name: z.string().min(1) })).min(1),
  source: z.enum(ASSET_SOURCES),
  deliveredAt: z.string().nullable().default(null),
  /** The staging folder of browser uploads in this batch, removed once the import has run to the end. */
  uploadDir: z.string().nullable().default(null),
});
type ImportJobInput = z.infer<typeof importJobInputSchema>;

interface AssetRow {
  id: string;
  sha256: string;
  kind: string;
  ext: string;
  mime: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  original_name: string;
  source: string;
  delivered_at: string | null;
  imported_at: string;
}

function toSummary(row: AssetRow): AssetSummary {
  return {
    id: row.id,
    sha256: row.sha256,
    kind: row.kind as AssetSummary['kind'],
    originalName: row.original_name,
    mime: row.mime,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    source: row.source as AssetSource,
    importedAt: row.imported_at,
  };
}

/**
 * A file name safe to create on any disk for a browser upload, keeping what the creator would recognise.
 * Only the staging copy gets this name; the asset keeps the name the creator gave it.
 */
export function stagingFileName(displayName: string): string {
  let name = displayName.normalize('NFC');
  // Only the last path segment: an upload named "../../x.png" or "C:\\x.png" must not steer where it lands.
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    // C0/C1 controls, bidi overrides/isolates (which disguise extensions), zero-width and BOM characters.
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '')
    // Characters Windows refuses in names, and the separators' look-alikes some tools treat as separators.
    .replace(/[<>:"|?*\u2215\u2044\uff0f\uff3c]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (WINDOWS_DEVICE_NAMES.test(name)) name = `_${name}`;
  const encoder = new TextEncoder();
  if (encoder.encode(name).length > STAGED_NAME_MAX_BYTES) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 11 ? name.slice(dot) : '';
    let stem = name.slice(0, name.length - ext.length);
    // Cut by code points, never inside a surrogate pair.
    const points = Array.from(stem);
    while (points.length > 0 && encoder.encode(points.join('') + ext).length > STAGED_NAME_MAX_BYTES) points.pop();
    stem = points.join('');
    name = stem + ext;
  }
  return name === '' ? 'upload' : name;
}

function uniqueIn(taken: Set<string>, name: string): string {
  // Case-insensitive: two uploads "A.png" and "a.png" would be one file on macOS and Windows.
  let candidate = name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function importTitle(files: ReadonlyArray<{ name: string }>): string {
  if (files.length === 1 && files[0]) return `Import ${files[0].name}`;
  return `Import ${files.length} images`;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

export class AssetLibrary {
  private readonly db: Database.Database;
  private readonly paths: ProfilePaths;
  private readonly pool: IngestPool;
  private readonly jobs: ImportJobs;
  private readonly events: StudioEvents;
  private readonly now: () => Date;
  private readonly lookahead: number;
  readonly store: FileStore;
  /** Content addresses between "original stored" and "row inserted"; the orphan sweep must not touch them. */
  private readonly inFlight = new Map<string, number>();
  /** Upload folders being filled that no job row names yet. */
  private readonly staging = new Set<string>();
  private readonly thumbnailRebuilds = new Map<string, Promise<Uint8Array>>();

  private readonly selectBySha: Database.Statement<[string], AssetRow>;
  private readonly selectById: Database.Statement<[string], AssetRow>;
  private readonly selectPage: Database.Statement<[number, number], AssetRow>;
  private readonly countAll: Database.Statement<[], { total: number }>;
  private readonly insertRow: Database.Statement<[AssetRow]>;

  constructor(opts: AssetLibraryOptions) {
    this.db = opts.db;
    this.paths = opts.paths;
    this.pool = opts.pool;
    this.jobs = opts.jobs;
    this.events = opts.events;
    this.now = opts.now ?? (() => new Date());
    this.lookahead = Math.max(0, Math.floor(opts.lookahead ?? Math.max(1, os.availableParallelism() - 1)));
    this.store = new FileStore(this.paths.assets, this.paths.tmp);

    this.selectBySha = this.db.prepare<[string], AssetRow>('SELECT * FROM assets WHERE sha256 = ?');
    this.selectById = this.db.prepare<[string], AssetRow>('SELECT * FROM assets WHERE id = ?');
    // rowid breaks ties between files imported in the same millisecond, so a batch lists last-imported first.
    this.selectPage = this.db.prepare<[number, number], AssetRow>('SELECT * FROM assets ORDER BY imported_at DESC, rowid DESC LIMIT ? OFFSET ?');
    this.countAll = this.db.prepare<[], { total: number }>('SELECT COUNT(*) AS total FROM assets');
    this.insertRow = this.db.prepare<[AssetRow]>(
      `INSERT INTO assets (id, sha256, kind, ext, mime, byte_size, width, height, original_name, source, delivered_at, imported_at)
       VALUES (@id, @sha256, @kind, @ext, @mime, @byte_size, @width, @height, @original_name, @source, @delivered_at, @imported_at)
       ON CONFLICT (sha256) DO NOTHING`,
    );

    this.jobs.register(IMPORT_JOB_KIND, (input, ctx) => this.runImport(input, ctx));
  }

  /**
   * Starts an import job and returns it at once. Browser uploads ('bytes') are first written to
   * <tmp>/uploads/<random>/ so the job's saved input holds only paths and can be retried after a restart.
   */
  async startImport(sources: ImportSource[], source: AssetSource, opts: { deliveredAt?: string } = {}): Promise<JobSummary> {
    if (sources.length === 0) throw new AtelierError('VALIDATION', 'Choose at least one file.');
    const uploads = sources.some((s) => s.kind === 'bytes') ? path.join(this.paths.tmp, 'uploads', randomUUID()) : null;
    const files: Array<{ path: string; name: string }> = [];
    if (uploads) this.staging.add(uploads);
    try {
      const taken = new Set<string>();
      for (const s of sources) {
        if (s.kind === 'path') {
          const resolved = path.resolve(s.path);
          files.push({ path: resolved, name: path.basename(resolved) || resolved });
        } else if (uploads) {
          const staged = path.join(uploads, uniqueIn(taken, stagingFileName(s.name)));
          await writeFileAtomic(staged, s.bytes);
          files.push({ path: staged, name: s.name });
        }
      }
      const input: ImportJobInput = { files, source, deliveredAt: opts.deliveredAt ?? null, uploadDir: uploads };
      return this.jobs.enqueue(IMPORT_JOB_KIND, importTitle(files), input);
    } catch (e) {
      if (uploads) await fsp.rm(uploads, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    } finally {
      if (uploads) this.staging.delete(uploads);
    }
  }

  /** Newest first. */
  list(offset: number, limit: number): AssetPage {
    const safeOffset = Math.max(0, Math.floor(offset));
    const safeLimit = Math.max(0, Math.floor(limit));
    const total = this.countAll.get()?.total ?? 0;
    return { total, items: this.selectPage.all(safeLimit, safeOffset).map(toSummary) };
  }

  get(assetId: string): AssetSummary {
    return toSummary(this.row(assetId));
  }

  /** The asset's WebP thumbnail; rebuilt from the original (in a worker) if the cache lost it. */
  async thumbnail(assetId: string): Promise<Thumbnail> {
    const row = this.row(assetId);
    try {
      return { mime: THUMBNAIL_MIME, bytes: new Uint8Array(await fsp.readFile(this.thumbnailPath(row.sha256))) };
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
    }
    let rebuild = this.thumbnailRebuilds.get(row.sha256);
    if (!rebuild) {
      rebuild = this.rebuildThumbnail(row).finally(() => this.thumbnailRebuilds.delete(row.sha256));
      this.thumbnailRebuilds.set(row.sha256, rebuild);
    }
    return { mime: THUMBNAIL_MIME, bytes: await rebuild };
  }

  /**
   * Removes what a crash can leave behind: originals and thumbnails with no row, partial files, and upload
   * folders no unfinished job needs (a failed, cancelled or interrupted import keeps its uploads for a retry).
   * Safe while imports run: a file between "stored" and "row inserted" is skipped.
   */
  async sweepOrphans(): Promise<{ removedFiles: number }> {
    let removedFiles = 0;
    const hasRow = this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM assets WHERE sha256 = ?');
    const isOrphan = (sha256: string) => !this.inFlight.has(sha256) && hasRow.get(sha256) === undefined;

    for await (const file of this.store.listAll()) {
      // Decide and delete in one synchronous step, so an import cannot claim the file in between.
      if (isOrphan(file.sha256)) {
        fs.rmSync(file.path, { force: true });
        removedFiles++;
      }
    }

    const thumbs = await fsp.readdir(this.paths.thumbs).catch((e: unknown) => {
      if (errnoCode(e) === 'ENOENT') return [] as string[];
      throw e;
    });
    for (const name of thumbs) {
      const match = /^([0-9a-f]{64})\.webp$/.exec(name);
      if (match?.[1] && isOrphan(match[1])) {
        fs.rmSync(path.join(this.paths.thumbs, name), { force: true });
        removedFiles++;
      }
    }

    removedFiles += await this.store.removeLeftoverParts();
    removedFiles += await removeLeftoverParts(this.paths.thumbs);
    removedFiles += await this.removeUnneededUploads();
    return { removedFiles };
  }

  // -------------------------------------------------------------------------------------------------

  private row(assetId: string): AssetRow {
    const row = this.selectById.get(assetId);
    if (!row) throw new AtelierError('NOT_FOUND', 'That image is no longer in your library.', { assetId });
    return row;
  }

  private thumbnailPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AtelierError('INTERNAL', 'An asset has an invalid content address.', { sha256 });
    return path.join(this.paths.thumbs, `${sha256}.webp`);
  }

  private async rebuildThumbnail(row: AssetRow): Promise<Uint8Array> {
    const original = this.store.pathFor(row.sha256, row.ext);
    if (!fs.existsSync(original)) {
      throw new AtelierError(
        'NOT_FOUND',
        `The original of “${row.original_name}” is missing from your library folder, so its thumbnail cannot be made. Import the file again.`,
        { assetId: row.id, sha256: row.sha256 },
      );
    }
    const ingest = await this.pool.run('image.ingest', { path: original, name: row.original_name });
    if (ingest.sha256 !== row.sha256) {
      throw new AtelierError(
        'CORRUPT_FILE',
        `The stored original of “${row.original_name}” has been changed on disk. Import the file again.`,
        { assetId: row.id, expected: row.sha256, found: ingest.sha256 },
      );
    }
    await writeFileAtomic(this.thumbnailPath(row.sha256), ingest.thumbnail);
    return ingest.thumbnail;
  }

  private parseJobInput(raw: unknown): ImportJobInput {
    const parsed = importJobInputSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AtelierError('INTERNAL', 'The saved details of this import are unreadable. Start the import again.', {
        issues: parsed.error.issues.slice(0, 5),
      });
    }
    return parsed.data;
  }

  /** The 'assets.import' job: files in order, one bad file never stops the batch, a cancel keeps what was done. */
  private async runImport(rawInput: unknown, ctx: ImportRunContext): Promise<ImportReport> {
    const input = this.parseJobInput(rawInput);
    const { files } = input;
    const total = files.length;
    const report: ImportReport = { results: [], imported: 0, duplicates: 0, failed: 0 };
    // Decodes ahead are cancelled with the job, and also when the loop stops early for any reason.
    const ahead = new AbortController();
    const stopAhead = () => ahead.abort();
    ctx.signal.addEventListener('abort', stopAhead, { once: true });
    const ingests: Array<Promise<Settled<ImageIngest>>> = [];
    let current = 0;
    const startIngest = (index: number) => {
      const file = files[index];
      if (!file || ingests[index]) return;
      const stage = `Thumbnail ${index + 1} of ${total}: ${file.name}`;
      ingests[index] = settle(
        this.pool.run('image.ingest', file, {
          signal: ahead.signal,
          onProgress: (fraction) => {
            if (index === current && !ctx.signal.aborted) ctx.progress((index + Math.min(1, Math.max(0, fraction))) / total, stage);
          },
        }),
      );
    };

    try {
      for (let index = 0; index < total; index++) {
        if (ctx.signal.aborted) break;
        const file = files[index];
        if (!file) break;
        current = index;
        for (let k = index; k <= Math.min(total - 1, index + this.lookahead); k++) startIngest(k);
        const stage = `Thumbnail ${index + 1} of ${total}: ${file.name}`;
        ctx.progress(index / total, stage);

        const outcome = await (ingests[index] ?? settle(Promise.reject(new Error('ingest not started'))));
        // Stop between files: the file whose decode was cut short by the cancel is not reported as failed.
        if (ctx.signal.aborted) break;

        let result: ImportFileResult;
        if (outcome.ok) {
          try {
            result = await this.storeOne(file, outcome.value, input);
          } catch (e) {
            result = this.failure(file.name, e);
          }
        } else {
          result = this.failure(file.name, outcome.error);
        }
        report.results.push(result);
        if (!result.ok) report.failed++;
        else if (result.duplicate) report.duplicates++;
        else report.imported++;
        ctx.setResult({ ...report, results: [...report.results] });
        ctx.progress((index + 1) / total, stage);
      }
    } finally {
      ctx.signal.removeEventListener('abort', stopAhead);
      ahead.abort();
      await Promise.allSettled(ingests);
      if (report.imported > 0) this.events.emit('assets:changed', { added: report.imported });
    }

    if (ctx.signal.aborted) {
      throw new AtelierError(
        'CANCELLED',
        report.imported > 0
          ? `Import cancelled. The ${report.imported === 1 ? 'image' : `${report.imported} images`} imported before that stay in your library.`
          : 'Import cancelled.',
      );
    }
    if (input.uploadDir) await this.removeUploadDir(input.uploadDir);
    return report;
  }

  private failure(name: string, e: unknown): ImportFileResult {
    const { code, message } = toErrorInfo(e);
    return { name, ok: false, error: { code, message } };
  }

  /** Stores one decoded file: original complete → thumbnail → row (the row only ever points at whole files). */
  private async storeOne(file: { path: string; name: string }, ingest: ImageIngest, input: ImportJobInput): Promise<ImportFileResult> {
    const sha256 = ingest.sha256;
    this.inFlight.set(sha256, (this.inFlight.get(sha256) ?? 0) + 1);
    try {
      const existing = this.selectBySha.get(sha256);
      if (existing) {
        // Same bytes again: no new row. Put back an original or thumbnail that went missing meanwhile.
        if (!this.store.has(sha256, existing.ext)) await this.store.putFile(file.path, existing.ext, sha256);
        if (!fs.existsSync(this.thumbnailPath(sha256))) await writeFileAtomic(this.thumbnailPath(sha256), ingest.thumbnail);
        return { name: file.name, ok: true, duplicate: true, asset: toSummary(existing) };
      }

      const stored = await this.store.putFile(file.path, ingest.ext, sha256);
      const row: AssetRow = {
        id: randomUUID(),
        sha256,
        kind: 'image',
        ext: ingest.ext,
        mime: ingest.mime,
        byte_size: stored.byteSize,
        width: ingest.width,
        height: ingest.height,
        original_name: file.name,
        source: input.source,
        delivered_at: input.deliveredAt,
        imported_at: this.now().toISOString(),
      };
      let inserted: boolean;
      try {
        await writeFileAtomic(this.thumbnailPath(sha256), ingest.thumbnail);
        inserted = this.db.transaction(() => this.insertRow.run(row).changes === 1)();
      } catch (e) {
        // No row points at what we just stored: take it back now rather than leave it to the next sweep,
        // unless another import of the same bytes is under way and needs it.
        if (this.inFlight.get(sha256) === 1 && !this.selectBySha.get(sha256)) {
          if (!stored.existed) await this.store.remove(sha256, ingest.ext).catch(() => undefined);
          await fsp.rm(this.thumbnailPath(sha256), { force: true }).catch(() => undefined);
        }
        throw e;
      }
      if (!inserted) {
        // Another import stored the same bytes a moment ago: that row is the asset.
        const winner = this.selectBySha.get(sha256);
        if (!winner) throw new AtelierError('INTERNAL', 'An imported image vanished from the library while it was being saved.', { sha256 });
        return { name: file.name, ok: true, duplicate: true, asset: toSummary(winner) };
      }
      return { name: file.name, ok: true, duplicate: false, asset: toSummary(row) };
    } finally {
      const left = (this.inFlight.get(sha256) ?? 1) - 1;
      if (left > 0) this.inFlight.set(sha256, left);
      else this.inFlight.delete(sha256);
    }
  }

  private uploadsRoot(): string {
    return path.join(this.paths.tmp, 'uploads');
  }

  /** Removes a staging folder, but only one inside <tmp>/uploads (job input is data; never trust it as a path). */
  private async removeUploadDir(dir: string): Promise<number> {
    const root = this.uploadsRoot();
    const resolved = path.resolve(dir);
    if (path.dirname(resolved) !== root) return 0;
    const entries = await fsp.readdir(resolved, { recursive: true, withFileTypes: true }).catch(() => []);
    await fsp.rm(resolved, { recursive: true, force: true });
    return entries.filter((e) => e.isFile()).length;
  }

  private async removeUnneededUploads(): Promise<number> {
    const root = this.uploadsRoot();
    const dirs = await fsp.readdir(root).catch((e: unknown) => {
      if (errnoCode(e) === 'ENOENT') return [] as string[];
      throw e;
    });
    if (dirs.length === 0) return 0;
    const needed = new Set(this.staging);
    const unfinished = this.db
      .prepare<[string], { input_json: string }>("SELECT input_json FROM jobs WHERE kind = ? AND state <> 'succeeded'")
      .all(IMPORT_JOB_KIND);
    for (const { input_json } of unfinished) {
      try {
        const parsed = importJobInputSchema.safeParse(JSON.parse(input_json));
        if (parsed.success && parsed.data.uploadDir) needed.add(path.resolve(parsed.data.uploadDir));
      } catch {
        // An unreadable job input names no folder; its job cannot run either.
      }
    }
    let removed = 0;
    for (const name of dirs) {
      const dir = path.join(root, name);
      if (!needed.has(dir)) removed += await this.removeUploadDir(dir);
    }
    return removed;
  }
}
