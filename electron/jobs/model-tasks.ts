// Worker-side model tasks: train an image model into a bundle folder, and draw one output with a trained bundle.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { readBundle, writeBundle, type LoadedBundle } from '../../engine/bundle/bundle';
import { AtelierError } from '../../engine/errors';
import { generate, type ImageGenerateRequest } from '../../engine/image';
import { trainImageModel, type ImageTrainingInput } from '../../engine/image/train';
import type { WorkerTaskContext } from './worker-runtime';

/** Longest side of a streamed preview picture: the playground shows it as a placeholder, so small is plenty. */
export const PREVIEW_MAX_SIDE = 256;

export interface TrainTaskInput {
  inputs: ImageTrainingInput[];
  /** Where the bundle goes; writeBundle fills `<dir>.tmp` and renames it to `<dir>` only once complete. */
  bundleDir: string;
  exemplarSize?: number;
  seed?: number;
}

export interface TrainTaskOutput {
  metrics: Record<string, unknown>;
  parameters: Record<string, unknown>;
  bundleBytes: number;
}

export async function trainModelTask(input: TrainTaskInput, ctx: WorkerTaskContext): Promise<TrainTaskOutput> {
  const options = { ...(input.exemplarSize ? { exemplarSize: input.exemplarSize } : {}), ...(input.seed ? { seed: input.seed } : {}) };
  const bundle = await trainImageModel(input.inputs, options, {
    signal: ctx.signal,
    progress: (fraction, stage) => ctx.progress(fraction * 0.9, stage),
  });
  if (ctx.signal.aborted) throw new AtelierError('CANCELLED', 'The training was cancelled.');
  ctx.progress(0.92, 'Saving the model');
  const manifest = await writeBundle(input.bundleDir, bundle);
  return {
    metrics: manifest.metrics,
    parameters: { engine: manifest.engine, ...options, assets: input.inputs.length },
    bundleBytes: await folderBytes(input.bundleDir),
  };
}

export interface GenerateTaskInput {
  bundleDir: string;
  request: ImageGenerateRequest;
}

export interface GenerateTaskOutput {
  /** PNG bytes of the output. */
  image: Uint8Array;
  width: number;
  height: number;
  /** The provenance map's Uint16 indexes as little-endian bytes. */
  map: Uint8Array;
  assets: string[];
  shares: number[];
  seed: number;
}

/** A preview note: one coarse level as PNG. */
export interface GeneratePreviewNote {
  level: number;
  levels: number;
  png: Uint8Array;
}

// A worker keeps the last bundle it read: a request for 4 outputs reads it once, not four times.
let cached: { dir: string; bundle: Promise<LoadedBundle> } | null = null;

function loadBundle(dir: string): Promise<LoadedBundle> {
  if (cached?.dir !== dir) {
    const bundle = readBundle(dir);
    cached = { dir, bundle };
    bundle.catch(() => {
      if (cached?.dir === dir) cached = null;
    });
  }
  return cached.bundle;
}

export async function generateOutputTask(input: GenerateTaskInput, ctx: WorkerTaskContext): Promise<GenerateTaskOutput> {
  const bundle = await loadBundle(input.bundleDir);
  const previews: Array<Promise<void>> = [];
  const out = await generate(bundle, input.request, {
    signal: ctx.signal,
    progress: (fraction, stage) => ctx.progress(fraction, stage),
    preview: (p) => {
      if (!ctx.note) return;
      const side = Math.max(p.width, p.height);
      const scale = side > PREVIEW_MAX_SIDE ? PREVIEW_MAX_SIDE / side : 1;
      previews.push(
        sharp(p.rgb, { raw: { width: p.width, height: p.height, channels: 3 } })
          .resize(Math.max(1, Math.round(p.width * scale)), Math.max(1, Math.round(p.height * scale)))
          .png({ compressionLevel: 3 })
          .toBuffer()
          .then((png) => ctx.note?.({ level: p.level, levels: p.levels, png: new Uint8Array(png) } satisfies GeneratePreviewNote))
          .catch(() => undefined),
      );
    },
  });
  await Promise.all(previews);
  const map = out.provenance.map;
  const bytes = new Uint8Array(map.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < map.length; i++) view.setUint16(i * 2, map[i]!, true);
  return {
    image: out.image,
    width: out.width,
    height: out.height,
    map: bytes,
    assets: out.provenance.assets,
    shares: out.provenance.shares,
    seed: out.seed,
  };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(full) : (await fs.stat(full)).size;
  }
  return total;
}
