// The playground (issue 5): model.generate jobs, stored outputs with thumbnails and provenance, the gallery and its overlay.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { AtelierError } from '../../engine/errors';
import type { ImageGenerateRequest } from '../../engine/image';
import { makeImagePreview, THUMBNAIL_SIZE } from '../../engine/media/image';
import { assertCan, checkPlainText, subcategoryOf } from '../../engine/rules';
import { exportWithCredentials, type ExportFacts } from '../../engine/watermark/c2pa';
import type { CreatorCredentials } from '../../engine/watermark/credentials';
import type {
  ExportFormat,
  ExportedFile,
  Generation,
  GenerationJobResult,
  GenerationMode,
  GenerationPage,
  ImportSource,
  JobSummary,
  ProvenanceOverlay,
  ProvenanceShare,
  Thumbnail,
  VersionAsset,
} from '../../preload/contract';
import type { GeneratePreviewNote, GenerateTaskInput, GenerateTaskOutput } from '../jobs/model-tasks';
import type { JobQueue, JobRunContext } from '../jobs/queue';
import { writeFileAtomic } from './file-store';
import { displayName, parseJson, type ModelService } from './models';

export const GENERATE_JOB_KIND = 'model.generate';
/** Previews streamed per job at most this often: 4 per second (brief: ≤ 4/s) keeps the IPC light. */
export const PREVIEW_INTERVAL_MS = 250;
/** Hover lookup grid over an output (ProvenanceOverlay.grid). */
export const PROVENANCE_GRID = 64;
/** Overlay opacity: the output stays readable under the colours. */
const OVERLAY_ALPHA = 110;
/** Largest reference picture kept: the largest output side (issue 4: 2048 px). */
const REFERENCE_SIDE = 2048;
const OUTPUT_MIME = 'image/png';
const THUMB_MIME = 'image/webp';
/** JPEG exports: quality 92 with 4:4:4 chroma keeps fine line work and flat colours clean (sharp's default 80 smears them). */
const EXPORT_JPEG_QUALITY = 92;

export interface GeneratePool {
  run(
    task: 'model.generate',
    input: GenerateTaskInput,
    opts: { signal?: AbortSignal; onProgress?: (fraction: number, stage?: string) => void; onNote?: (payload: unknown) => void },
  ): Promise<GenerateTaskOutput>;
}

/** Who signs clean exports: the profile's creator name and signing identity (WatermarkService). */
export interface ExportSigner {
  creatorName: string;
  signingIdentity(): Promise<CreatorCredentials>;
}

export interface PlaygroundOptions {
  models: ModelService;
  jobs: JobQueue;
  pool: GeneratePool;
  /** Without a signer, exports are refused (the studio always passes one). */
  signer?: ExportSigner;
}

export interface GenerateInput {
  modelId: string;
  version?: number | undefined;
  prompt?: string | undefined;
  referenceAssetId?: string | undefined;
  reference?: ImportSource | undefined;
  variationAssetId?: string | undefined;
  seed?: number | undefined;
  count: number;
  size: number;
  lengthS?: number | undefined;
}

interface GenerateJobInput {
  modelId: string;
  version: number;
  bundleDir: string;
  mode: GenerationMode;
  prompt: string | null;
  referenceName: string | null;
  referencePath: string | null;
  variationAssetId: string | null;
  variationSha256: string | null;
  seed: number;
  count: number;
  size: number;
  tags: string[];
}

interface GenerationRow {
  id: string;
  model_id: string;
  version: number;
  mode: GenerationMode;
  prompt: string | null;
  reference_name: string | null;
  reference_path: string | null;
  variation_asset_id: string | null;
  seed: number;
  width: number;
  height: number;
  length_s: number | null;
  mime: string;
  output_path: string;
  thumbnail_path: string;
  provenance_json: string;
  provenance_map_path: string | null;
  favourite: number;
  rating: number | null;
  tags_text: string;
  created_at: string;
  duration_ms: number;
}

export class Playground {
  private readonly models: ModelService;
  private readonly jobs: JobQueue;
  private readonly pool: GeneratePool;
  private readonly signer: ExportSigner | undefined;

  constructor(opts: PlaygroundOptions) {
    this.models = opts.models;
    this.jobs = opts.jobs;
    this.pool = opts.pool;
    this.signer = opts.signer;
    this.jobs.register(GENERATE_JOB_KIND, (input, ctx) => this.runGeneration(input as GenerateJobInput, ctx));
  }

  async generate(req: GenerateInput): Promise<JobSummary> {
    const models = this.models;
    const row = models.row(req.modelId);
    const sub = subcategoryOf(row.subcategory);
    if (sub.modality !== 'image') {
      throw new AtelierError('VALIDATION', `${sub.label} models cannot generate yet: audio generation comes with the audio engine.`, { modelId: row.id });
    }
    const version = req.version ?? row.active_version;
    if (version === null) throw new AtelierError('VALIDATION', `Train “${displayName(row)}” first: it has no version to generate with.`, { modelId: row.id });
    const versionRow = models.versionRow(row.id, version);
    assertCan(models.subscription.state(), models.now().toISOString(), 'generate');
    let prompt: string | null = null;
    if (req.prompt !== undefined && req.prompt.trim() !== '') {
      const checked = checkPlainText(req.prompt);
      if (!checked.ok) {
        throw new AtelierError('VALIDATION', `The prompt must be plain text: ${checked.problems.map((p) => p.message).join(' ')}`, { problems: checked.problems });
      }
      prompt = checked.text;
    }
    const snapshot = parseJson<VersionAsset[]>(versionRow.assets_json) ?? [];
    let mode: GenerationMode = 'prompt';
    let referenceName: string | null = null;
    let referencePath: string | null = null;
    let variationSha256: string | null = null;
    let tags: string[] = [];
    if (req.referenceAssetId !== undefined || req.reference !== undefined) {
      mode = 'reference';
      ({ name: referenceName, path: referencePath } = await this.storeReference(row.id, req));
    } else if (req.variationAssetId !== undefined) {
      mode = 'variation';
      const asset = models.assets.records.row(req.variationAssetId);
      const trained = snapshot.find((a) => a.sha256 === asset.sha256);
      if (!trained) {
        throw new AtelierError('VALIDATION', `“${asset.original_name}” is not in the set version ${version} learned from. Pick one of the model’s assets to vary.`, {
          assetId: asset.id,
        });
      }
      variationSha256 = asset.sha256;
      tags = trained.tags.map((t) => t.value);
    }
    if (mode === 'prompt') {
      if (prompt === null) throw new AtelierError('VALIDATION', 'Write a prompt, drop a reference picture or pick an asset to vary.');
      tags = matchedTags(prompt, snapshot);
    }
    const count = req.count;
    const seed = req.seed ?? randomInt(0, 2 ** 31 - 1 - count);
    const name = displayName(row);
    const title = `Generate ${count} ${count === 1 ? 'image' : 'images'} with ${name}`;
    const input: GenerateJobInput = {
      modelId: row.id,
      version,
      bundleDir: versionRow.bundle_path,
      mode,
      prompt,
      referenceName,
      referencePath,
      variationAssetId: mode === 'variation' ? (req.variationAssetId ?? null) : null,
      variationSha256,
      seed,
      count,
      size: req.size,
      tags,
    };
    return this.jobs.enqueue(GENERATE_JOB_KIND, title, input);
  }

  list(query: { modelId: string; version?: number | undefined; search?: string | undefined; favourite?: boolean | undefined; offset: number; limit: number }): GenerationPage {
    this.models.row(query.modelId);
    const where = ['model_id = @modelId'];
    const params: Record<string, unknown> = { modelId: query.modelId, limit: query.limit, offset: query.offset };
    if (query.version !== undefined) {
      where.push('version = @version');
      params.version = query.version;
    }
    if (query.favourite !== undefined) {
      where.push('favourite = @favourite');
      params.favourite = query.favourite ? 1 : 0;
    }
    if (query.search) {
      where.push(`(prompt LIKE @search ESCAPE '\\' OR tags_text LIKE @search ESCAPE '\\' OR reference_name LIKE @search ESCAPE '\\')`);
      params.search = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    const clause = where.join(' AND ');
    const db = this.models.db;
    const total = (db.prepare(`SELECT count(*) AS n FROM generations WHERE ${clause}`).get(params) as { n: number }).n;
    const rows = db.prepare(`SELECT * FROM generations WHERE ${clause} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`).all(params) as GenerationRow[];
    return { total, items: rows.map((r) => this.toGeneration(r)) };
  }

  get(generationId: string): Generation {
    return this.toGeneration(this.row(generationId));
  }

  async output(generationId: string): Promise<Thumbnail> {
    const row = this.row(generationId);
    return { mime: row.mime, bytes: await readStored(row.output_path, 'output') };
  }

  /**
   * A clean export of the creator's own output: the stored pixels (playground outputs are never marked) with signed
   * C2PA content credentials. No subscription check: after a subscription ends, generated assets stay readable
   * (PRODUCT creator side 9), and exporting one is reading it. Signing a 1024² PNG (2 MB) takes ≈ 30 ms (median of 5;
   * ≈ 190 ms for the first export, which loads the wasm; tests/bench/watermark-image.ts), under the 200 ms the brief sets
   * for moving work to the pool, so it runs here.
   */
  async export(generationId: string, format: ExportFormat = 'png'): Promise<ExportedFile> {
    const row = this.row(generationId);
    if (!row.mime.startsWith('image/')) {
      throw new AtelierError('VALIDATION', 'Audio outputs cannot be exported with content credentials yet; that comes with the audio engine.', { generationId });
    }
    if (!this.signer) throw new AtelierError('INTERNAL', 'Exports cannot be signed in this session. Restart Atelier.');
    const model = this.models.row(row.model_id);
    const png = await readStored(row.output_path, 'output');
    const image = format === 'png' ? png : new Uint8Array(await sharp(png).jpeg({ quality: EXPORT_JPEG_QUALITY, chromaSubsampling: '4:4:4' }).toBuffer());
    const modelName = displayName(model);
    const facts: ExportFacts = {
      title: '',
      creatorName: this.signer.creatorName,
      modelName,
      modelVersion: `v${row.version}`,
      trainingSetHash: this.trainingSetHash(row.model_id, row.version),
      generatedAt: row.created_at,
    };
    const bytes = await exportWithCredentials(image, format, facts, await this.signer.signingIdentity());
    const ext = format === 'png' ? 'png' : 'jpg';
    return { name: `${fileStem(modelName)}-v${row.version}-seed${row.seed}.${ext}`, mime: format === 'png' ? 'image/png' : 'image/jpeg', bytes };
  }

  /**
   * sha256 (hex) over the version's training-set snapshot: the assets' sha256 hex digests, sorted, one per line
   * ("\n"-joined). Sorted so the order assets were picked in does not change it. A deleted version has no snapshot.
   */
  trainingSetHash(modelId: string, version: number): string {
    const v = this.models.db.prepare('SELECT assets_json FROM model_versions WHERE model_id = ? AND number = ?').get(modelId, version) as
      | { assets_json: string }
      | undefined;
    if (!v) return `unknown: version ${version} was deleted`;
    const hashes = (parseJson<VersionAsset[]>(v.assets_json) ?? []).map((a) => a.sha256).sort();
    return createHash('sha256').update(hashes.join('\n')).digest('hex');
  }

  async thumbnail(generationId: string): Promise<Thumbnail> {
    return { mime: THUMB_MIME, bytes: await readStored(this.row(generationId).thumbnail_path, 'thumbnail') };
  }

  /** The reference at the output's size, for the before/after slider. */
  async reference(generationId: string): Promise<Thumbnail> {
    const row = this.row(generationId);
    if (!row.reference_path) throw new AtelierError('NOT_FOUND', 'This output was not drawn from a reference picture.', { generationId });
    const bytes = await readStored(row.reference_path, 'reference picture');
    const png = await sharp(bytes).resize(row.width, row.height, { fit: 'cover' }).png().toBuffer();
    return { mime: 'image/png', bytes: new Uint8Array(png) };
  }

  /** One semi-transparent colour per training asset over the output, a 64 × 64 lookup grid and the shares. */
  async provenance(generationId: string): Promise<ProvenanceOverlay> {
    const row = this.row(generationId);
    const shares = this.resolveShares(parseJson<ProvenanceShare[]>(row.provenance_json) ?? []);
    if (!row.provenance_map_path) throw new AtelierError('NOT_FOUND', 'This output has no provenance map.', { generationId });
    const map = await readMap(row.provenance_map_path, row.width * row.height);
    const colours = shares.map((s) => hexToRgb(s.colour));
    const rgba = Buffer.alloc(row.width * row.height * 4);
    for (let i = 0; i < map.length; i++) {
      const c = colours[map[i]!];
      if (!c) continue;
      rgba[i * 4] = c[0];
      rgba[i * 4 + 1] = c[1];
      rgba[i * 4 + 2] = c[2];
      rgba[i * 4 + 3] = OVERLAY_ALPHA;
    }
    const overlay = await sharp(rgba, { raw: { width: row.width, height: row.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
    const gridWidth = Math.min(PROVENANCE_GRID, row.width);
    const gridHeight = Math.min(PROVENANCE_GRID, row.height);
    const grid = new Uint8Array(gridWidth * gridHeight);
    for (let gy = 0; gy < gridHeight; gy++) {
      for (let gx = 0; gx < gridWidth; gx++) {
        // The cell's centre pixel: exact enough for a hover label, and O(cells).
        const x = Math.min(row.width - 1, Math.floor(((gx + 0.5) * row.width) / gridWidth));
        const y = Math.min(row.height - 1, Math.floor(((gy + 0.5) * row.height) / gridHeight));
        grid[gy * gridWidth + gx] = Math.min(255, map[y * row.width + x]!);
      }
    }
    return { overlay: { mime: 'image/png', bytes: new Uint8Array(overlay) }, grid, gridWidth, gridHeight, assets: shares };
  }

  update(generationId: string, change: { favourite?: boolean | undefined; rating?: number | null | undefined }): Generation {
    const row = this.row(generationId);
    const db = this.models.db;
    if (change.favourite !== undefined) db.prepare('UPDATE generations SET favourite = ? WHERE id = ?').run(change.favourite ? 1 : 0, generationId);
    if (change.rating !== undefined) db.prepare('UPDATE generations SET rating = ? WHERE id = ?').run(change.rating, generationId);
    this.models.events.emit('playground:changed', { modelId: row.model_id, generationIds: [generationId] });
    return this.get(generationId);
  }

  async delete(generationId: string): Promise<void> {
    const row = this.row(generationId);
    this.models.db.prepare('DELETE FROM generations WHERE id = ?').run(generationId);
    for (const file of [row.output_path, row.thumbnail_path, row.provenance_map_path]) {
      if (file) await fs.rm(file, { force: true });
    }
    // A reference is shared by the outputs of one request: removed with the last of them.
    if (row.reference_path) {
      const others = this.models.db.prepare('SELECT count(*) AS n FROM generations WHERE reference_path = ?').get(row.reference_path) as { n: number };
      if (others.n === 0) await fs.rm(row.reference_path, { force: true });
    }
    this.models.events.emit('playground:changed', { modelId: row.model_id, generationIds: [generationId] });
    this.models.changed(row.model_id);
  }

  // -------------------------------------------------------------------------------------------------

  private row(generationId: string): GenerationRow {
    const row = this.models.db.prepare('SELECT * FROM generations WHERE id = ?').get(generationId) as GenerationRow | undefined;
    if (!row) throw new AtelierError('NOT_FOUND', 'That output no longer exists. Refresh the gallery.', { generationId });
    return row;
  }

  /** Copies the reference into the model's outputs as a WebP (sniffed and decoded safely first). */
  private async storeReference(modelId: string, req: GenerateInput): Promise<{ name: string; path: string }> {
    const models = this.models;
    let source: { path: string; name: string };
    let staged: string | null = null;
    if (req.referenceAssetId !== undefined) {
      const asset = models.assets.records.row(req.referenceAssetId);
      if (asset.kind !== 'image') throw new AtelierError('VALIDATION', `“${asset.original_name}” is not a picture; pick an image as the reference.`, { assetId: asset.id });
      source = { path: models.assets.store.pathFor(asset.sha256, asset.ext), name: asset.original_name };
    } else if (req.reference?.kind === 'path') {
      source = { path: req.reference.path, name: path.basename(req.reference.path) };
      const stat = await fs.stat(source.path).catch(() => null);
      if (!stat?.isFile()) throw new AtelierError('NOT_FOUND', `The reference “${source.name}” could not be found. Choose the file again.`, { path: source.path });
    } else if (req.reference?.kind === 'bytes') {
      const name = path.basename(req.reference.name.replace(/\\/g, '/')) || 'reference';
      staged = path.join(models.paths.tmp, `reference-${randomUUID()}`);
      await fs.writeFile(staged, req.reference.bytes);
      source = { path: staged, name };
    } else {
      throw new AtelierError('VALIDATION', 'Drop a reference picture or pick one from the library.');
    }
    try {
      const webp = await makeImagePreview(source, REFERENCE_SIDE);
      const dir = path.join(models.outputsDir(modelId), 'references');
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${randomUUID()}.webp`);
      await writeFileAtomic(file, webp);
      return { name: source.name, path: file };
    } finally {
      if (staged) await fs.rm(staged, { force: true });
    }
  }

  private async runGeneration(input: GenerateJobInput, ctx: JobRunContext): Promise<GenerationJobResult> {
    const models = this.models;
    const dir = models.outputsDir(input.modelId);
    await fs.mkdir(dir, { recursive: true });
    const done: string[] = [];
    const result = (): GenerationJobResult => ({ modelId: input.modelId, generationIds: [...done] });
    ctx.setResult(result());
    let lastPreview = 0;
    for (let k = 0; k < input.count; k++) {
      if (ctx.signal.aborted) throw new AtelierError('CANCELLED', 'The generation was cancelled.');
      const seed = input.seed + k;
      const started = Date.now();
      const request: ImageGenerateRequest =
        input.mode === 'reference'
          ? { mode: 'reference', reference: input.referencePath ?? '', size: input.size, seed }
          : input.mode === 'variation'
            ? { mode: 'variation', assetSha256: input.variationSha256 ?? '', size: input.size, seed }
            : { mode: 'prompt', prompt: input.prompt ?? '', size: input.size, seed };
      const out = await this.pool.run(
        'model.generate',
        { bundleDir: input.bundleDir, request },
        {
          signal: ctx.signal,
          onProgress: (fraction, stage) => ctx.progress((k + fraction) / input.count, `Image ${k + 1} of ${input.count}: ${stage ?? 'drawing'}`),
          onNote: (payload) => {
            const note = payload as GeneratePreviewNote;
            const now = Date.now();
            if (!(note?.png instanceof Uint8Array) || now - lastPreview < PREVIEW_INTERVAL_MS) return;
            lastPreview = now;
            models.events.emit('jobs:preview', { jobId: ctx.jobId, index: k, level: note.level, levels: note.levels, image: { mime: 'image/png', bytes: note.png } });
          },
        },
      );
      const id = randomUUID();
      const outputPath = path.join(dir, `${id}.png`);
      const thumbPath = path.join(dir, `${id}.thumb.webp`);
      const mapPath = path.join(dir, `${id}.provenance.u16`);
      await writeFileAtomic(outputPath, out.image);
      const thumb = await sharp(out.image).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
      await writeFileAtomic(thumbPath, new Uint8Array(thumb));
      await writeFileAtomic(mapPath, new Uint8Array(zlib.deflateRawSync(out.map)));
      const shares = this.resolveShares(
        out.assets.map((sha256, i) => ({ assetId: null, sha256, name: sha256.slice(0, 12), share: out.shares[i] ?? 0, colour: assetColour(i) })),
        input,
      );
      try {
        models.db
          .prepare(
            `INSERT INTO generations (id, model_id, version, mode, prompt, reference_name, reference_path, variation_asset_id, seed, width, height,
               length_s, mime, output_path, thumbnail_path, provenance_json, provenance_map_path, tags_text, created_at, duration_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id, input.modelId, input.version, input.mode, input.prompt, input.referenceName, input.referencePath, input.variationAssetId, seed,
            out.width, out.height, OUTPUT_MIME, outputPath, thumbPath, JSON.stringify(shares), mapPath, input.tags.join('\n'),
            models.now().toISOString(), Date.now() - started,
          );
      } catch (e) {
        // The model was deleted while it drew: drop the files rather than leave orphans.
        await Promise.all([outputPath, thumbPath, mapPath].map((f) => fs.rm(f, { force: true })));
        throw e;
      }
      done.push(id);
      ctx.setResult(result());
      models.events.emit('playground:changed', { modelId: input.modelId, generationIds: [id] });
      models.changed(input.modelId);
    }
    return result();
  }

  /** Names and asset ids from the training snapshot / library now (null once the asset is gone). */
  private resolveShares(shares: ProvenanceShare[], input?: { modelId: string; version: number }): ProvenanceShare[] {
    if (shares.length === 0) return shares;
    const db = this.models.db;
    const ids = new Map(
      (db.prepare('SELECT id, sha256 FROM assets WHERE sha256 IN (SELECT value FROM json_each(?))').all(JSON.stringify(shares.map((s) => s.sha256))) as Array<{
        id: string;
        sha256: string;
      }>).map((r) => [r.sha256, r.id]),
    );
    let names = new Map<string, string>();
    if (input) {
      const version = db.prepare('SELECT assets_json FROM model_versions WHERE model_id = ? AND number = ?').get(input.modelId, input.version) as { assets_json: string } | undefined;
      names = new Map((parseJson<VersionAsset[]>(version?.assets_json ?? null) ?? []).map((a) => [a.sha256, a.name]));
    }
    return shares.map((s) => ({ ...s, assetId: ids.get(s.sha256) ?? null, name: names.get(s.sha256) ?? s.name }));
  }

  private toGeneration(r: GenerationRow): Generation {
    return {
      id: r.id,
      modelId: r.model_id,
      version: r.version,
      mode: r.mode,
      prompt: r.prompt,
      referenceName: r.reference_name,
      variationAssetId: r.variation_asset_id,
      seed: r.seed,
      width: r.width,
      height: r.height,
      lengthS: r.length_s,
      mime: r.mime,
      createdAt: r.created_at,
      durationMs: r.duration_ms,
      favourite: r.favourite === 1,
      rating: r.rating,
      tags: r.tags_text ? r.tags_text.split('\n') : [],
      provenance: parseJson<ProvenanceShare[]>(r.provenance_json) ?? [],
    };
  }
}

/** The model's tag values that the prompt mentions (whole words, case-insensitive). */
export function matchedTags(prompt: string, snapshot: readonly VersionAsset[]): string[] {
  const text = ` ${prompt.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const values = new Set(snapshot.flatMap((a) => a.tags.map((t) => t.value)));
  return [...values].filter((v) => text.includes(` ${v.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `)).sort();
}

/** "Tattoo model 2" → "tattoo-model-2": a file name part that is safe on every system. */
export function fileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return stem || 'model';
}

/** Distinct colours by the golden angle around the hue circle, so neighbours in the list never look alike. */
export function assetColour(index: number): string {
  const hue = (index * 137.508) % 360;
  const [r, g, b] = hslToRgb(hue / 360, 0.75, index % 2 === 0 ? 0.5 : 0.62);
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number): number => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    const v = u < 1 / 6 ? p + (q - p) * 6 * u : u < 1 / 2 ? q : u < 2 / 3 ? p + (q - p) * (2 / 3 - u) * 6 : p;
    return Math.round(v * 255);
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)];
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

async function readStored(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch {
    throw new AtelierError('NOT_FOUND', `The ${what} of this output is missing from the profile folder. Generate it again.`, { file });
  }
}

async function readMap(file: string, pixels: number): Promise<Uint16Array> {
  const bytes = zlib.inflateRawSync(await readStored(file, 'provenance map'));
  if (bytes.length !== pixels * 2) throw new AtelierError('INTERNAL', 'The provenance map of this output is damaged.', { file });
  const map = new Uint16Array(pixels);
  for (let i = 0; i < pixels; i++) map[i] = bytes.readUInt16LE(i * 2);
  return map;
}
