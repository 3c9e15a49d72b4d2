// A creator's asset library: imports images, audio and text as jobs (analysis in workers, originals in the store, rows last), serves originals and the rebuildable caches.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AtelierError, toErrorInfo } from '../../engine/errors';
import { errnoCode } from '../../engine/media/file-access';
import { makeImagePreview, PREVIEW_SIZE, THUMBNAIL_MIME } from '../../engine/media/image';
import {
  ASSET_SOURCES,
  IMPORT_BATCH_MAX,
  type AssetDetail,
  type AssetSource,
  type ImportFileResult,
  type ImportReport,
  type ImportSource,
  type JobKind,
  type JobSummary,
  type QualityReport,
  type TextContent,
  type Thumbnail,
  type Waveform,
} from '../../preload/contract';
import type { StudioEvents } from '../events';
import { AssetQueries } from './asset-queries';
import { AssetRecords, encodeDescriptor, parseReport, type AnalysedRow, type AssetRow } from './asset-records';
import { FileStore, removeLeftoverParts, writeFileAtomic } from './file-store';
import { NearDuplicates } from './near-duplicates';
import type { ProfilePaths } from './paths';

export const IMPORT_JOB_KIND = 'assets.import' satisfies JobKind;

export const PREVIEW_MIME = 'image/webp';
export const SPECTROGRAM_MIME = 'image/png';

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

interface IngestedBase {
  sha256: string;
  byteSize: number;
  format: string;
  mime: string;
  /** Extension the original is stored under, from the real format. */
  ext: string;
  report: QualityReport;
}

/**
 * What the worker task 'media.ingest' (engine/media/ingest.ts) returns, as far as the library reads it;
 * structural, so the engine may carry more.
 */
export type IngestedMedia =
  | (IngestedBase & { kind: 'image'; width: number; height: number; thumbnail: Uint8Array; descriptor: number[] })
  | (IngestedBase & {
      kind: 'audio';
      durationMs: number;
      sampleRate: number;
      channels: number;
      waveform: Waveform;
      /** PNG bytes. */
      spectrogram: Uint8Array;
      descriptor: number[];
    })
  | (IngestedBase & { kind: 'text' });

/** The part of WorkerPool (electron/jobs/pool.ts) the library uses: the 'media.ingest' task. */
export interface IngestPool {
  run(
    task: 'media.ingest',
    input: { path: string; name: string },
    opts?: { signal?: AbortSignal; onProgress?: (fraction: number, stage?: string) => void },
  ): Promise<IngestedMedia>;
}

export interface AssetLibraryOptions {
  db: Database.Database;
  paths: ProfilePaths;
  jobs: ImportJobs;
  pool: IngestPool;
  events: StudioEvents;
  now?: () => Date;
  /**
   * How many files of a batch are analysed ahead of the one being stored (0 = one at a time). Defaults to the
   * worker pool's default size, max(1, cores − 1) (issue 2 item 8): every worker stays busy while the main
   * thread stores the current file, and rows are still written in the batch's order.
   */
  lookahead?: number;
}

/** Longest staging file name in UTF-8 bytes; well under the 255-byte limit of ext4/APFS/NTFS, leaving room for " (2)". */
const STAGED_NAME_MAX_BYTES = 120;
/** Windows refuses these as file names whatever the extension (Win32 "Naming Files" docs). */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

const importJobInputSchema = z.object({
  files: z.array(z.object({ path: z.string().min(1), name: z.string().min(1) })).min(1),
  source: z.enum(ASSET_SOURCES),
  /** UTC ISO; null = none given (work samples then take their import time). */
  deliveredAt: z.string().nullable().default(null),
  /** The staging folder of browser uploads in this batch, removed once the import has run to the end. */
  uploadDir: z.string().nullable().default(null),
});
type ImportJobInput = z.infer<typeof importJobInputSchema>;

interface ImportFile {
  path: string;
  name: string;
}

/** A derived file of an asset under cache/ (thumbnail, waveform, spectrogram, preview). */
interface CacheFile {
  file: string;
  bytes: Uint8Array;
}

function importTitle(files: ReadonlyArray<{ name: string }>): string {
  if (files.length === 1 && files[0]) return `Import ${files[0].name}`;
  return `Import ${files.length} files`;
}

function tooManyFiles(folder: string): AtelierError {
  return new AtelierError(
    'VALIDATION',
    `“${folder}” holds more than ${IMPORT_BATCH_MAX.toLocaleString('en')} files, the most one import takes. Import its folders one at a time.`,
    { folder, max: IMPORT_BATCH_MAX },
  );
}

/**
 * The files of a folder, recursively, each named by its path relative to the folder's parent ("flash/rose.png",
 * like a folder dropped in a browser). Dot-files and dot-folders are skipped (system and editor clutter);
 * symlinked folders are not followed (they can loop, or lead outside what the creator chose); a symlinked file is
 * imported as the file it points to. Sorted by name so a batch's order does not depend on the disk.
 */
export async function walkFolder(folder: string, max: number = IMPORT_BATCH_MAX, into: ImportFile[] = []): Promise<ImportFile[]> {
  const root = path.resolve(folder);
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new AtelierError(
        'VALIDATION',
        `Atelier cannot read the folder “${rel}”${errnoCode(e) === 'EACCES' ? ' (permission denied)' : ''}. Check that you may open it, or leave it out of the import.`,
        { folder: dir, code: errnoCode(e) },
      );
    }
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const name = `${rel}/${entry.name}`;
      let isFile = entry.isFile();
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = await fsp.stat(full).catch(() => null);
        // A dangling link is kept so the creator gets a per-file error for it rather than a silent skip.
        isFile = target === null || target.isFile();
        isDir = false;
      }
      if (isDir) {
        await walk(full, name);
      } else if (isFile) {
        if (into.length >= max) throw tooManyFiles(path.basename(root));
        into.push({ path: full, name });
      }
    }
  };
  await walk(root, path.basename(root) || root);
  return into;
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
  readonly records: AssetRecords;
  readonly queries: AssetQueries;
  readonly nearDuplicates: NearDuplicates;
  /** Content addresses between "original stored" and "row inserted"; the orphan sweep must not touch them. */
  private readonly inFlight = new Map<string, number>();
  /** Upload folders being filled that no job row names yet. */
  private readonly staging = new Set<string>();
  /** Cache rebuilds and re-analyses under way, by "what:sha256", so concurrent callers share one. */
  private readonly rebuilds = new Map<string, Promise<unknown>>();

  private readonly selectBySha: Database.Statement<[string], AnalysedRow>;
  private readonly insertRow: Database.Statement<Record<string, unknown>>;
  private readonly updateAnalysis: Database.Statement<Record<string, unknown>>;

  constructor(opts: AssetLibraryOptions) {
    this.db = opts.db;
    this.paths = opts.paths;
    this.pool = opts.pool;
    this.jobs = opts.jobs;
    this.events = opts.events;
    this.now = opts.now ?? (() => new Date());
    this.lookahead = Math.max(0, Math.floor(opts.lookahead ?? Math.max(1, os.availableParallelism() - 1)));
    this.store = new FileStore(this.paths.assets, this.paths.tmp);
    this.records = new AssetRecords(this.db);
    this.queries = new AssetQueries(this.db, this.records);
    this.nearDuplicates = new NearDuplicates(this.db, this.records);

    this.selectBySha = this.db.prepare<[string], AnalysedRow>('SELECT * FROM assets WHERE sha256 = ?');
    this.insertRow = this.db.prepare(
      `INSERT INTO assets (id, sha256, kind, ext, mime, byte_size, width, height, duration_ms, sample_rate, channels,
                           original_name, source, delivered_at, imported_at, phash, health, needs_analysis)
       VALUES (@id, @sha256, @kind, @ext, @mime, @byte_size, @width, @height, @duration_ms, @sample_rate, @channels,
               @original_name, @source, @delivered_at, @imported_at, @phash, 'ok', 0)
       ON CONFLICT (sha256) DO NOTHING`,
    );
    this.updateAnalysis = this.db.prepare(
      `UPDATE assets SET width = @width, height = @height, duration_ms = @duration_ms, sample_rate = @sample_rate,
              channels = @channels, phash = @phash, needs_analysis = 0
        WHERE id = @id`,
    );

    this.jobs.register(IMPORT_JOB_KIND, (input, ctx) => this.runImport(input, ctx));
  }

  /**
   * Starts an import job and returns it at once. Folders are walked here (see walkFolder). Browser uploads
   * ('bytes') are first written to <tmp>/uploads/<random>/ so the job's saved input holds only paths and can be
   * retried after a restart. `deliveredAt` (any ISO offset) is stored in UTC so delivery dates sort as text.
   */
  async startImport(sources: ImportSource[], source: AssetSource, opts: { deliveredAt?: string } = {}): Promise<JobSummary> {
    if (sources.length === 0) throw new AtelierError('VALIDATION', 'Choose at least one file.');
    let deliveredAt: string | null = null;
    if (opts.deliveredAt !== undefined) {
      const when = new Date(opts.deliveredAt);
      if (Number.isNaN(when.getTime())) {
        throw new AtelierError('VALIDATION', `“${opts.deliveredAt}” is not a date. Give the delivery date as e.g. 2025-03-14T12:00:00Z.`);
      }
      deliveredAt = when.toISOString();
    }
    const uploads = sources.some((s) => s.kind === 'bytes') ? path.join(this.paths.tmp, 'uploads', randomUUID()) : null;
    const files: ImportFile[] = [];
    if (uploads) this.staging.add(uploads);
    try {
      const taken = new Set<string>();
      for (const s of sources) {
        if (s.kind === 'path') {
          const resolved = path.resolve(s.path);
          const stat = await fsp.stat(resolved).catch(() => null);
          if (stat?.isDirectory()) {
            const before = files.length;
            await walkFolder(resolved, IMPORT_BATCH_MAX, files);
            // Never a silent drop: an empty folder gets its own per-file error ("a folder with nothing to import").
            if (files.length === before) files.push({ path: resolved, name: path.basename(resolved) || resolved });
          } else {
            // Missing or unreadable paths go in as files: the import then names them in its per-file results.
            files.push({ path: resolved, name: path.basename(resolved) || resolved });
          }
        } else if (uploads) {
          const staged = path.join(uploads, uniqueIn(taken, stagingFileName(s.name)));
          await writeFileAtomic(staged, s.bytes);
          files.push({ path: staged, name: s.name });
        }
        if (files.length > IMPORT_BATCH_MAX) throw tooManyFiles(s.kind === 'path' ? path.basename(s.path) : s.name);
      }
      if (files.length === 0) {
        throw new AtelierError('VALIDATION', 'There are no files to import in what you chose (hidden files are skipped).');
      }
      const input: ImportJobInput = { files, source, deliveredAt, uploadDir: uploads };
      return this.jobs.enqueue(IMPORT_JOB_KIND, importTitle(files), input);
    } catch (e) {
      if (uploads) await fsp.rm(uploads, { recursive: true, force: true }).catch(() => undefined);
      throw e;
    } finally {
      if (uploads) this.staging.delete(uploads);
    }
  }

  /**
   * The asset with its quality report. An asset imported before reports existed (schema v1) is analysed now,
   * once, through the worker pool; if that cannot be done (its original is gone) it shows an empty report and
   * health 'info' until it can.
   */
  async detail(assetId: string): Promise<AssetDetail> {
    let row = this.records.analysed(assetId);
    if (row.needs_analysis === 1) {
      await this.reanalyse(row).catch(() => undefined);
      row = this.records.analysed(assetId);
    }
    return { ...this.records.summaries([row])[0]!, report: parseReport(row) };
  }

  /** Rows with their reports for set health; issue-2 rows are analysed first (best effort). */
  async analysedRows(assetIds: readonly string[]): Promise<AnalysedRow[]> {
    const rows = this.records.analysedRows(assetIds);
    const stale = rows.filter((r) => r.needs_analysis === 1);
    if (stale.length === 0) return rows;
    for (const row of stale) await this.reanalyse(row).catch(() => undefined);
    return this.records.analysedRows(assetIds);
  }

  /** The asset's WebP thumbnail (images only); rebuilt from the original (in a worker) if the cache lost it. */
  async thumbnail(assetId: string): Promise<Thumbnail> {
    const row = this.records.row(assetId);
    this.assertKind(row, 'image', 'has no thumbnail');
    const cached = await readIfPresent(this.thumbnailPath(row.sha256));
    if (cached) return { mime: THUMBNAIL_MIME, bytes: cached };
    await this.rebuildCaches(row);
    return { mime: THUMBNAIL_MIME, bytes: await this.readCache(row, this.thumbnailPath(row.sha256)) };
  }

  /** A 1024 px WebP preview of an image (EXIF-rotated, SVG sanitised), cached under cache/previews. */
  async preview(assetId: string): Promise<Thumbnail> {
    const row = this.records.row(assetId);
    this.assertKind(row, 'image', 'has no preview image');
    const file = this.cachePath('previews', row.sha256, 'webp');
    const cached = await readIfPresent(file);
    if (cached) return { mime: PREVIEW_MIME, bytes: cached };
    // One sharp call, off the main thread already (libvips' own threads), so no worker round trip.
    const bytes = await this.once(`preview:${row.sha256}`, async () => {
      const preview = await makeImagePreview({ path: this.originalPath(row, 'preview'), name: row.original_name }, PREVIEW_SIZE);
      await writeFileAtomic(file, preview);
      return preview;
    });
    return { mime: PREVIEW_MIME, bytes };
  }

  /** The original bytes of an audio asset, for playback. */
  async media(assetId: string): Promise<Thumbnail> {
    const row = this.records.row(assetId);
    this.assertKind(row, 'audio', 'cannot be played');
    return { mime: row.mime, bytes: await this.readOriginal(row, 'playback') };
  }

  async waveform(assetId: string): Promise<Waveform> {
    const row = this.records.row(assetId);
    this.assertKind(row, 'audio', 'has no waveform');
    const file = this.cachePath('waveforms', row.sha256, 'json');
    const parse = (bytes: Uint8Array | null): Waveform | null => {
      if (!bytes) return null;
      try {
        const w = JSON.parse(Buffer.from(bytes).toString('utf8')) as Waveform;
        return Array.isArray(w.peaks) ? w : null;
      } catch {
        return null;
      }
    };
    const cached = parse(await readIfPresent(file));
    if (cached) return cached;
    await this.rebuildCaches(row);
    const rebuilt = parse(await this.readCache(row, file));
    if (!rebuilt) throw new AtelierError('INTERNAL', `The waveform of “${row.original_name}” could not be rebuilt.`, { assetId });
    return rebuilt;
  }

  async spectrogram(assetId: string): Promise<Thumbnail> {
    const row = this.records.row(assetId);
    this.assertKind(row, 'audio', 'has no spectrogram');
    const file = this.cachePath('spectrograms', row.sha256, 'png');
    const cached = await readIfPresent(file);
    if (cached) return { mime: SPECTROGRAM_MIME, bytes: cached };
    await this.rebuildCaches(row);
    return { mime: SPECTROGRAM_MIME, bytes: await this.readCache(row, file) };
  }

  async text(assetId: string): Promise<TextContent> {
    const row = this.records.analysed(assetId);
    this.assertKind(row, 'text', 'is not text');
    const bytes = await this.readOriginal(row, 'preview');
    let text: string;
    try {
      // Import accepted only valid UTF-8; a failure here means the stored original was changed on disk.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new AtelierError('CORRUPT_FILE', `The stored original of “${row.original_name}” is no longer valid text. Import the file again.`);
    }
    const format = parseReport(row).text?.format ?? (row.ext === 'md' || row.ext === 'markdown' ? 'markdown' : 'txt');
    return { format, text };
  }

  /**
   * Removes what a crash can leave behind: originals and cache files with no row, partial files, and upload
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

    const caches: Array<[string, string]> = [
      [this.paths.thumbs, 'webp'],
      [path.join(this.paths.cache, 'previews'), 'webp'],
      [path.join(this.paths.cache, 'waveforms'), 'json'],
      [path.join(this.paths.cache, 'spectrograms'), 'png'],
    ];
    for (const [dir, ext] of caches) {
      const names = await fsp.readdir(dir).catch((e: unknown) => {
        if (errnoCode(e) === 'ENOENT') return [] as string[];
        throw e;
      });
      const pattern = new RegExp(`^([0-9a-f]{64})\\.${ext}$`);
      for (const name of names) {
        const match = pattern.exec(name);
        if (match?.[1] && isOrphan(match[1])) {
          fs.rmSync(path.join(dir, name), { force: true });
          removedFiles++;
        }
      }
      removedFiles += await removeLeftoverParts(dir);
    }

    removedFiles += await this.store.removeLeftoverParts();
    removedFiles += await this.removeUnneededUploads();
    return { removedFiles };
  }

  // -------------------------------------------------------------------------------------------------

  private assertKind(row: AssetRow, kind: AssetRow['kind'], what: string): void {
    if (row.kind === kind) return;
    const is = row.kind === 'image' ? 'an image' : row.kind === 'audio' ? 'audio' : 'text';
    throw new AtelierError('VALIDATION', `“${row.original_name}” is ${is}, so it ${what}.`, { assetId: row.id, kind: row.kind });
  }

  private thumbnailPath(sha256: string): string {
    return this.cachePath(null, sha256, 'webp');
  }

  /** cache/thumbs/<sha>.webp (issue 2's place) or cache/<folder>/<sha>.<ext>. */
  private cachePath(folder: 'previews' | 'waveforms' | 'spectrograms' | null, sha256: string, ext: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new AtelierError('INTERNAL', 'An asset has an invalid content address.', { sha256 });
    return path.join(folder ? path.join(this.paths.cache, folder) : this.paths.thumbs, `${sha256}.${ext}`);
  }

  private originalPath(row: AssetRow, purpose: string): string {
    const original = this.store.pathFor(row.sha256, row.ext);
    if (!fs.existsSync(original)) {
      throw new AtelierError(
        'NOT_FOUND',
        `The original of “${row.original_name}” is missing from your library folder, so its ${purpose} cannot be made. Import the file again.`,
        { assetId: row.id, sha256: row.sha256 },
      );
    }
    return original;
  }

  private async readOriginal(row: AssetRow, purpose: string): Promise<Uint8Array> {
    const original = this.originalPath(row, purpose);
    return new Uint8Array(await fsp.readFile(original));
  }

  private async readCache(row: AssetRow, file: string): Promise<Uint8Array> {
    const bytes = await readIfPresent(file);
    if (!bytes) throw new AtelierError('INTERNAL', `A cache file of “${row.original_name}” could not be rebuilt.`, { assetId: row.id, file });
    return bytes;
  }

  /** Shares one run of `work` between concurrent callers with the same key. */
  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    let running = this.rebuilds.get(key) as Promise<T> | undefined;
    if (!running) {
      running = work().finally(() => this.rebuilds.delete(key));
      this.rebuilds.set(key, running);
    }
    return running;
  }

  /** Runs the original through 'media.ingest' again, checking it is still the bytes the row names. */
  private async ingestStored(row: AssetRow, purpose: string): Promise<IngestedMedia> {
    const ingest = await this.pool.run('media.ingest', { path: this.originalPath(row, purpose), name: row.original_name });
    if (ingest.sha256 !== row.sha256) {
      throw new AtelierError(
        'CORRUPT_FILE',
        `The stored original of “${row.original_name}” has been changed on disk. Import the file again.`,
        { assetId: row.id, expected: row.sha256, found: ingest.sha256 },
      );
    }
    return ingest;
  }

  /** Rewrites every cache file of an asset (thumbnail; waveform and spectrogram) from its original. */
  private rebuildCaches(row: AssetRow): Promise<void> {
    return this.once(`caches:${row.sha256}`, async () => {
      const ingest = await this.ingestStored(row, row.kind === 'image' ? 'thumbnail' : 'waveform');
      for (const c of this.cacheFilesOf(ingest)) await writeFileAtomic(c.file, c.bytes);
    });
  }

  /** Analyses an issue-2 row now and stores its report (and its caches, which are rebuilt on the way). */
  private reanalyse(row: AnalysedRow): Promise<void> {
    return this.once(`analysis:${row.sha256}`, async () => {
      const ingest = await this.ingestStored(row, 'quality report');
      for (const c of this.cacheFilesOf(ingest)) if (!fs.existsSync(c.file)) await writeFileAtomic(c.file, c.bytes);
      const updated = this.records.transaction(() => this.storeAnalysis(row.id, ingest));
      this.events.emit('assets:changed', { added: 0, updated });
    });
  }

  /** Writes an analysis onto an existing row and refreshes near-duplicates. Inside a transaction; returns ids changed. */
  private storeAnalysis(assetId: string, ingest: IngestedMedia): string[] {
    this.updateAnalysis.run({ id: assetId, ...this.analysisColumns(ingest) });
    this.records.writeReport(assetId, ingest.report);
    this.records.writeDescriptor(assetId, ingest.kind === 'text' ? null : encodeDescriptor(ingest.descriptor));
    return [...new Set([assetId, ...this.nearDuplicates.refresh([assetId])])];
  }

  private analysisColumns(ingest: IngestedMedia): Record<string, unknown> {
    return {
      width: ingest.kind === 'image' ? ingest.width : null,
      height: ingest.kind === 'image' ? ingest.height : null,
      duration_ms: ingest.kind === 'audio' ? Math.round(ingest.durationMs) : null,
      sample_rate: ingest.kind === 'audio' ? ingest.sampleRate : null,
      channels: ingest.kind === 'audio' ? ingest.channels : null,
      phash: ingest.kind === 'image' ? (ingest.report.image?.phash ?? null) : null,
    };
  }

  private cacheFilesOf(ingest: IngestedMedia): CacheFile[] {
    if (ingest.kind === 'image') return [{ file: this.thumbnailPath(ingest.sha256), bytes: ingest.thumbnail }];
    if (ingest.kind === 'audio') {
      return [
        { file: this.cachePath('waveforms', ingest.sha256, 'json'), bytes: Buffer.from(JSON.stringify(ingest.waveform), 'utf8') },
        { file: this.cachePath('spectrograms', ingest.sha256, 'png'), bytes: ingest.spectrogram },
      ];
    }
    return [];
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
    const updated = new Set<string>();
    // Analyses ahead are cancelled with the job, and also when the loop stops early for any reason.
    const ahead = new AbortController();
    const stopAhead = () => ahead.abort();
    ctx.signal.addEventListener('abort', stopAhead, { once: true });
    const ingests: Array<Promise<Settled<IngestedMedia>>> = [];
    let current = 0;
    const stageOf = (index: number, file: ImportFile) => `Checking ${index + 1} of ${total}: ${file.name}`;
    const startIngest = (index: number) => {
      const file = files[index];
      if (!file || ingests[index]) return;
      ingests[index] = settle(
        this.pool.run('media.ingest', file, {
          signal: ahead.signal,
          onProgress: (fraction) => {
            if (index === current && !ctx.signal.aborted) {
              ctx.progress((index + Math.min(1, Math.max(0, fraction))) / total, stageOf(index, file));
            }
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
        ctx.progress(index / total, stageOf(index, file));

        const outcome = await (ingests[index] ?? settle(Promise.reject(new Error('ingest not started'))));
        // Stop between files: the file whose analysis was cut short by the cancel is not reported as failed.
        if (ctx.signal.aborted) break;

        let result: ImportFileResult;
        if (outcome.ok) {
          try {
            const stored = await this.storeOne(file, outcome.value, input);
            result = stored.result;
            for (const id of stored.updated) updated.add(id);
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
        ctx.progress((index + 1) / total, stageOf(index, file));
      }
    } finally {
      ctx.signal.removeEventListener('abort', stopAhead);
      ahead.abort();
      await Promise.allSettled(ingests);
      if (report.imported > 0 || updated.size > 0) this.events.emit('assets:changed', { added: report.imported, updated: [...updated] });
    }

    if (ctx.signal.aborted) {
      throw new AtelierError(
        'CANCELLED',
        report.imported > 0
          ? `Import cancelled. The ${report.imported === 1 ? 'file' : `${report.imported} files`} imported before that stay in your library.`
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

  /**
   * Stores one analysed file: original complete → cache files → row, report, problems and near-duplicate
   * findings in one transaction (the row only ever points at whole files). Returns the result and the ids of
   * existing assets whose findings changed (a new near-duplicate twin).
   */
  private async storeOne(file: ImportFile, ingest: IngestedMedia, input: ImportJobInput): Promise<{ result: ImportFileResult; updated: string[] }> {
    const sha256 = ingest.sha256;
    this.inFlight.set(sha256, (this.inFlight.get(sha256) ?? 0) + 1);
    try {
      const existing = this.selectBySha.get(sha256);
      if (existing) {
        // Same bytes again: no new row. Put back an original or cache file that went missing meanwhile, and give
        // an issue-2 row the report it lacks.
        if (!this.store.has(sha256, existing.ext)) await this.store.putFile(file.path, existing.ext, sha256);
        for (const c of this.cacheFilesOf(ingest)) if (!fs.existsSync(c.file)) await writeFileAtomic(c.file, c.bytes);
        const updated = existing.needs_analysis === 1 ? this.records.transaction(() => this.storeAnalysis(existing.id, ingest)) : [];
        return { result: { name: file.name, ok: true, duplicate: true, asset: this.records.summary(existing.id) }, updated };
      }

      const stored = await this.store.putFile(file.path, ingest.ext, sha256);
      const importedAt = this.now().toISOString();
      const row = {
        id: randomUUID(),
        sha256,
        kind: ingest.kind,
        ext: ingest.ext,
        mime: ingest.mime,
        byte_size: stored.byteSize,
        ...this.analysisColumns(ingest),
        original_name: file.name,
        source: input.source,
        // PRODUCT.md creator 2 orders work samples by delivery; one with no date counts as delivered when imported.
        delivered_at: input.deliveredAt ?? (input.source === 'work-sample' ? importedAt : null),
        imported_at: importedAt,
      };
      const caches = this.cacheFilesOf(ingest);
      let outcome: { inserted: boolean; updated: string[] };
      try {
        for (const c of caches) await writeFileAtomic(c.file, c.bytes);
        outcome = this.records.transaction(() => {
          if (this.insertRow.run(row).changes !== 1) return { inserted: false, updated: [] };
          this.records.writeReport(row.id, ingest.report);
          this.records.writeDescriptor(row.id, ingest.kind === 'text' ? null : encodeDescriptor(ingest.descriptor));
          return { inserted: true, updated: this.nearDuplicates.refresh([row.id]).filter((id) => id !== row.id) };
        });
      } catch (e) {
        // No row points at what we just stored: take it back now rather than leave it to the next sweep,
        // unless another import of the same bytes is under way and needs it.
        if (this.inFlight.get(sha256) === 1 && !this.selectBySha.get(sha256)) {
          if (!stored.existed) await this.store.remove(sha256, ingest.ext).catch(() => undefined);
          for (const c of caches) await fsp.rm(c.file, { force: true }).catch(() => undefined);
        }
        throw e;
      }
      if (!outcome.inserted) {
        // Another import stored the same bytes a moment ago: that row is the asset.
        const winner = this.selectBySha.get(sha256);
        if (!winner) throw new AtelierError('INTERNAL', 'An imported file vanished from the library while it was being saved.', { sha256 });
        return { result: { name: file.name, ok: true, duplicate: true, asset: this.records.summary(winner.id) }, updated: [] };
      }
      return { result: { name: file.name, ok: true, duplicate: false, asset: this.records.summary(row.id) }, updated: outcome.updated };
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

async function readIfPresent(file: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await fsp.readFile(file));
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw e;
  }
}
