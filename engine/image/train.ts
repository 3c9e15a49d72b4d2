// Image training: the curated set (crops applied) → exemplar pyramids, palette and tone statistics, descriptors, tag index.
import sharp from 'sharp';
import type { Bundle } from '../bundle/bundle';
import { AtelierError, isAtelierError } from '../errors';
import type { AssetTag, CropRect } from '../report';
import { measureImage } from './analyze';
import { MOTIF_GRID, segmentMotifs, type MotifEntry, type MotifModelData } from './motifs';
import { channelOf, rgbToLab } from './colour-space';
import { median, resizeRgb, type WorkingImage } from './pixels';
import { styleSetStatistics, type StyleStatistics } from './quality';
import { labKMeans, nearestCentres } from './kmeans';

/** The engine name and version written into every bundle this trainer makes; generate() refuses others. */
export const IMAGE_ENGINE = 'image-patch/1';
/**
 * Finest exemplar side: the product's default output side, so a 1024 px output draws the artist's strokes at
 * the size they drew them relative to the picture (the search runs at ≤ 512 px, see generate.ts).
 */
export const EXEMPLAR_SIZE = 1024;
/** Pyramid levels stored per exemplar: full, ½, ¼ — the coarse-to-fine synthesis reads one per level. */
export const PYRAMID_LEVELS = 3;
/** Smallest usable exemplar: below this a 5 px patch sees a whole stroke and the coarse levels vanish. */
export const MIN_EXEMPLAR_SIZE = 64;
/** Coarsest pyramid side kept: a few 5 px patches across. */
const PATCH_MIN = 16;
/** Colour segments per set (k-means on Lab): a few, like the flat colours of an artist's palette. */
export const SEGMENTS = 5;
const KMEANS_ROUNDS = 10;
/** Quantiles kept per Lab channel for palette harmonisation at generation time. */
export const TONE_QUANTILES = 257;
/** An image is an outlier when its descriptor sits this many robust deviations beyond the set's median distance. */
const OUTLIER_DEVIATIONS = 3;
/** Outliers need a set to stand out from (set.ts uses the same minimum). */
const OUTLIER_MIN_SET = 5;
/** Descriptors are compared on a working copy of this long side (analyze.ts's working size). */
const DESCRIPTOR_SIZE = 256;

export interface ImageTrainingInput {
  sha256: string;
  path: string;
  name: string;
  crop?: CropRect | null;
  tags: AssetTag[];
}

export interface ImageTrainOptions {
  /** Finest exemplar side (default EXEMPLAR_SIZE). */
  exemplarSize?: number;
  /** Seed for the colour segmentation's start (default 1). */
  seed?: number;
}

/** What train/generate receive from the job runner (ARCHITECTURE.md "JobContext"). */
export interface EngineContext {
  signal?: AbortSignal;
  progress?: (fraction: number, stage: string) => void;
}

export interface ExemplarEntry {
  asset: number;
  /** Side per pyramid level, finest first. */
  sizes: number[];
  /** Blob name per pyramid level: raw 8-bit RGB, side × side × 3. */
  blobs: string[];
  /** Blob of the finest level's colour-segment labels (1 byte per pixel, 0..SEGMENTS−1). */
  segments: string;
}

export interface ImageModelData {
  exemplars: ExemplarEntry[];
  style: StyleStatistics;
  /** Quantiles (0, 1/(n−1), … 1) of L, a and b over the set: the target of palette harmonisation. */
  toneQuantiles: [number[], number[], number[]];
  /** Colour segments: k-means centres in Lab with their share of the set. */
  palette: Array<{ lab: [number, number, number]; share: number }>;
  descriptors: number[][];
  /** "kind:value" → indexes into the manifest's assets. */
  tagIndex: Record<string, number[]>;
  /** Motifs, their tag index and per-asset backgrounds (motifs.ts); absent in bundles trained before them. */
  motifs?: MotifModelData['motifs'];
  motifTagIndex?: MotifModelData['motifTagIndex'];
  backgrounds?: MotifModelData['backgrounds'];
}

export interface ImageTrainingMetrics {
  images: number;
  /** Median distance of the images' style descriptors from the set's median descriptor (lower = more consistent). */
  descriptorSpread: number;
  /** 0..1: 1 / (1 + 4·spread) — a readable summary of the spread (4 ≈ 1 / the spread of a mixed set of styles). */
  consistency: number;
  outliers: Array<{ sha256: string; name: string; distance: number }>;
  /** Share of images with at least one tag, and images per tag. */
  tagCoverage: { tagged: number; perTag: Record<string, number> };
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AtelierError('CANCELLED', 'Training was cancelled; the previous model version is unchanged.');
}

/** Decodes the training image, applies its crop (or the centred square) and scales it to `side`. */
async function loadSquare(input: ImageTrainingInput, maxSide: number): Promise<WorkingImage> {
  try {
    const base = sharp(input.path, { limitInputPixels: 268_402_689 }).rotate();
    const meta = await base.metadata();
    // EXIF orientations 5–8 turn the picture a quarter: crops are in the picture as displayed.
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    const crop = input.crop ?? { x: Math.floor((width - Math.min(width, height)) / 2), y: Math.floor((height - Math.min(width, height)) / 2), size: Math.min(width, height) };
    if (crop.x < 0 || crop.y < 0 || crop.size < 1 || crop.x + crop.size > width || crop.y + crop.size > height) {
      throw new AtelierError('VALIDATION', `The crop of ${input.name} reaches outside the image (${width} × ${height} px); set the crop again.`);
    }
    if (crop.size < MIN_EXEMPLAR_SIZE) {
      throw new AtelierError('VALIDATION', `${input.name} is only ${crop.size} px after cropping; training needs at least ${MIN_EXEMPLAR_SIZE} px. Use a larger crop.`);
    }
    const side = Math.min(maxSide, crop.size);
    const { data, info } = await base
      .extract({ left: crop.x, top: crop.y, width: crop.size, height: crop.size })
      .resize(side, side, { kernel: 'lanczos3' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgb = new Uint8Array(side * side * 3);
    for (let i = 0; i < side * side; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * info.channels + c]!;
    return { width: side, height: side, rgb };
  } catch (e) {
    if (isAtelierError(e)) throw e;
    throw new AtelierError('CORRUPT_FILE', `${input.name} could not be read as an image; re-import it or leave it out of the training set.`, {
      cause: e instanceof Error ? e.message : String(e),
    });
  }
}

function quantiles(values: Float32Array, count: number): number[] {
  const sorted = Float32Array.from(values).sort();
  return Array.from({ length: count }, (_, i) => Math.round(sorted[Math.min(sorted.length - 1, Math.round((i / (count - 1)) * (sorted.length - 1)))]! * 100) / 100);
}

function setMetrics(inputs: ImageTrainingInput[], descriptors: number[][]): ImageTrainingMetrics {
  const dims = descriptors[0]?.length ?? 0;
  const centre = Array.from({ length: dims }, (_, d) => median(descriptors.map((v) => v[d]!)));
  const distances = descriptors.map((v) => Math.hypot(...v.map((x, d) => x - centre[d]!)));
  const spread = median(distances);
  const mad = median(distances.map((d) => Math.abs(d - spread))) * 1.4826;
  const outliers =
    inputs.length >= OUTLIER_MIN_SET
      ? inputs
          .map((input, i) => ({ sha256: input.sha256, name: input.name, distance: Math.round(distances[i]! * 1000) / 1000 }))
          .filter((_, i) => distances[i]! > spread + OUTLIER_DEVIATIONS * Math.max(mad, 0.01))
      : [];
  const perTag: Record<string, number> = {};
  for (const input of inputs) for (const tag of input.tags) perTag[`${tag.kind}:${tag.value}`] = (perTag[`${tag.kind}:${tag.value}`] ?? 0) + 1;
  return {
    images: inputs.length,
    descriptorSpread: Math.round(spread * 1000) / 1000,
    consistency: Math.round((1 / (1 + 4 * spread)) * 1000) / 1000,
    outliers,
    tagCoverage: { tagged: inputs.filter((i) => i.tags.length > 0).length / Math.max(1, inputs.length), perTag },
  };
}

/** Trains an image style model: deterministic for the same inputs and seed; progress per image; cancellable. */
export async function trainImageModel(inputs: ImageTrainingInput[], opts: ImageTrainOptions, ctx: EngineContext): Promise<Bundle> {
  if (inputs.length === 0) throw new AtelierError('VALIDATION', 'A model needs at least one image to learn from; add images to its set.');
  const maxSide = opts.exemplarSize ?? EXEMPLAR_SIZE;
  const blobs = new Map<string, Uint8Array>();
  const exemplars: ExemplarEntry[] = [];
  const descriptors: number[][] = [];
  const finest: WorkingImage[] = [];
  const labs: Float32Array[] = [];
  const motifs: MotifEntry[] = [];
  const backgrounds: Array<[number, number, number]> = [];
  for (let k = 0; k < inputs.length; k++) {
    throwIfCancelled(ctx.signal);
    const input = inputs[k]!;
    ctx.progress?.((k / inputs.length) * 0.8, `Reading ${input.name}`);
    const image = await loadSquare(input, maxSide);
    const id = String(k).padStart(3, '0');
    const sizes: number[] = [];
    const names: string[] = [];
    let level = image;
    for (let l = 0; l < PYRAMID_LEVELS; l++) {
      if (l > 0) {
        const half = Math.max(PATCH_MIN, Math.round(level.width / 2));
        level = resizeRgb(level, half, half);
      }
      const name = `exemplar-${id}-l${l}.rgb`;
      blobs.set(name, level.rgb);
      sizes.push(level.width);
      names.push(name);
    }
    exemplars.push({ asset: k, sizes, blobs: names, segments: `segments-${id}.u8` });
    const small = image.width > DESCRIPTOR_SIZE ? resizeRgb(image, DESCRIPTOR_SIZE, DESCRIPTOR_SIZE) : image;
    descriptors.push(measureImage(small).descriptor);
    finest.push(image);
    labs.push(rgbToLab(image.rgb));
    // Motifs: separable foreground elements, kept with their mask and the asset's tags for prompt and variation modes.
    const segmentation = segmentMotifs(image);
    backgrounds.push(segmentation.background);
    segmentation.motifs.forEach((m, j) => {
      const mask = `motif-${id}-${String(j).padStart(2, '0')}.u8`;
      blobs.set(mask, m.mask);
      motifs.push({ asset: k, grid: MOTIF_GRID, bbox: m.bbox, mask, area: m.area, tags: input.tags.map((t) => `${t.kind}:${t.value}`) });
    });
  }
  throwIfCancelled(ctx.signal);
  ctx.progress?.(0.8, 'Learning the palette');
  // Palette: k-means over every 16th pixel of the set (plenty for 5 centres), then every pixel labelled.
  const sampleStep = 16;
  const total = labs.reduce((s, l) => s + Math.floor(l.length / 3 / sampleStep), 0);
  const samples = new Float32Array(total * 3);
  let at = 0;
  for (const lab of labs) {
    for (let i = 0; i + sampleStep <= lab.length / 3; i += sampleStep) samples.set(lab.subarray(i * 3, i * 3 + 3), 3 * at++);
  }
  const k = Math.min(SEGMENTS, Math.max(1, at));
  const centres = labKMeans(samples.subarray(0, at * 3), k, opts.seed ?? 1, KMEANS_ROUNDS);
  const counts = new Float64Array(k);
  labs.forEach((lab, i) => {
    const labels = new Uint8Array(lab.length / 3);
    nearestCentres(lab, centres, k, labels);
    for (const c of labels) counts[c]!++;
    blobs.set(exemplars[i]!.segments, labels);
  });
  const all = counts.reduce((a, b) => a + b, 0);
  const palette = Array.from({ length: k }, (_, c) => ({
    lab: [0, 1, 2].map((j) => Math.round(centres[c * 3 + j]! * 100) / 100) as [number, number, number],
    share: Math.round((counts[c]! / all) * 10000) / 10000,
  })).sort((a, b) => b.share - a.share);

  throwIfCancelled(ctx.signal);
  ctx.progress?.(0.9, 'Measuring tone and texture');
  const pooled = new Float32Array(samples.subarray(0, at * 3));
  const toneQuantiles: [number[], number[], number[]] = [
    quantiles(channelOf(pooled, 3, 0), TONE_QUANTILES),
    quantiles(channelOf(pooled, 3, 1), TONE_QUANTILES),
    quantiles(channelOf(pooled, 3, 2), TONE_QUANTILES),
  ];
  const style = styleSetStatistics(finest);
  const tagIndex: Record<string, number[]> = {};
  inputs.forEach((input, i) => {
    for (const tag of input.tags) (tagIndex[`${tag.kind}:${tag.value}`] ??= []).push(i);
  });
  const motifTagIndex: Record<string, number[]> = {};
  motifs.forEach((m, i) => {
    for (const tag of m.tags) (motifTagIndex[tag] ??= []).push(i);
  });
  const data: ImageModelData = { exemplars, style, toneQuantiles, palette, descriptors, tagIndex, motifs, motifTagIndex, backgrounds };
  const metrics = setMetrics(inputs, descriptors);
  ctx.progress?.(1, 'Trained');
  return {
    manifest: {
      modality: 'image',
      engine: IMAGE_ENGINE,
      created: new Date().toISOString(),
      assets: inputs.map((i) => ({ sha256: i.sha256, name: i.name, crop: i.crop ?? null, tags: i.tags })),
      metrics: metrics as unknown as Record<string, unknown>,
      data: data as unknown as Record<string, unknown>,
    },
    blobs,
  };
}
