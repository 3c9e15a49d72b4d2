// The guided patch-synthesis core: exemplar atlas, guide channels, coarse-to-fine PatchMatch + voting (StyLit-like).
import { patchMatch, vote } from '../../native/index';
import { AtelierError } from '../errors';
import { boxMean, resamplePlane, type Plane } from './pixels';

/** Patch side for search and voting: StyLit and Ebsynth use 5 (Fišer et al. 2016; Jamriška et al. 2019). */
export const PATCH_SIZE = 5;

/** Gaussian-like blur: three box passes of radius r approximate σ ≈ r·√(2/3)·… (Wells 1986); σ ≈ 0.9·r here. */
export function blurPlane(plane: Plane, radius: number): Plane {
  if (radius < 1) return plane;
  let data = plane.data;
  for (let k = 0; k < 3; k++) data = boxMean({ width: plane.width, height: plane.height, data }, radius);
  return { width: plane.width, height: plane.height, data };
}

/** Sobel gradient magnitude / 4, so a 0→100 step in L reads about 100. */
export function sobelMagnitude(plane: Plane): Plane {
  const { width: w, height: h, data: g } = plane;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ym = y > 0 ? y - 1 : 0;
    const yp = y < h - 1 ? y + 1 : h - 1;
    for (let x = 0; x < w; x++) {
      const xm = x > 0 ? x - 1 : 0;
      const xp = x < w - 1 ? x + 1 : w - 1;
      const a = g[ym * w + xm]!;
      const c = g[ym * w + xp]!;
      const p = g[yp * w + xm]!;
      const r = g[yp * w + xp]!;
      const gx = c + 2 * g[y * w + xp]! + r - a - 2 * g[y * w + xm]! - p;
      const gy = p + 2 * g[yp * w + x]! + r - a - 2 * g[ym * w + x]! - c;
      out[y * w + x] = Math.sqrt(gx * gx + gy * gy) / 4;
    }
  }
  return { width: w, height: h, data: out };
}

/** Fine bins for histogram matching: 1024 over the value range keeps the mapping smooth to ≈0.1 L. */
const MATCH_BINS = 1024;

function cdfOf(values: Float32Array, lo: number, hi: number): Float64Array {
  const hist = new Float64Array(MATCH_BINS);
  const scale = (MATCH_BINS - 1) / (hi - lo || 1);
  for (let i = 0; i < values.length; i++) {
    const b = Math.round((values[i]! - lo) * scale);
    hist[b < 0 ? 0 : b >= MATCH_BINS ? MATCH_BINS - 1 : b]!++;
  }
  let acc = 0;
  for (let b = 0; b < MATCH_BINS; b++) {
    acc += hist[b]!;
    hist[b] = acc / Math.max(1, values.length);
  }
  return hist;
}

/** Maps `values` monotonically so their distribution matches `reference`'s (classic histogram specification). */
export function matchHistogram(values: Float32Array, reference: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const arr of [values, reference]) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi > lo)) return values.slice();
  const src = cdfOf(values, lo, hi);
  const ref = cdfOf(reference, lo, hi);
  const step = (hi - lo) / (MATCH_BINS - 1);
  const map = new Float32Array(MATCH_BINS);
  let j = 0;
  for (let b = 0; b < MATCH_BINS; b++) {
    // Centre of the source bin's probability mass, so a spike (flat paper) maps to the middle of its target run.
    const q = (src[b]! + (b > 0 ? src[b - 1]! : 0)) / 2;
    while (j < MATCH_BINS - 1 && ref[j]! < q) j++;
    const prev = j > 0 ? ref[j - 1]! : 0;
    const t = ref[j]! > prev ? (q - prev) / (ref[j]! - prev) : 0.5;
    // Bin j spans [j − ½, j + ½) steps from lo; the quantile falls a share t into it.
    map[b] = Math.min(hi, Math.max(lo, lo + (j - 0.5 + Math.min(1, Math.max(0, t))) * step));
  }
  const scale = (MATCH_BINS - 1) / (hi - lo);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const f = (values[i]! - lo) * scale;
    const b = Math.min(MATCH_BINS - 2, Math.max(0, Math.floor(f)));
    const t = Math.min(1, Math.max(0, f - b));
    out[i] = map[b]! * (1 - t) + map[b + 1]! * t;
  }
  return out;
}

/** The guide channels for one image at one level: local tone (blurred L) and structure edges (its Sobel magnitude). */
export interface Guides {
  tone: Plane;
  edges: Plane;
}

/**
 * Blur radius of the tone guide: 1% of the picture's long side (≥ 1 px) — wide enough to melt hatching, stipples
 * and paper grain into tone (the fixture strokes repeat every ≈ 1.4% of the side), narrow enough to keep shapes.
 */
export const TONE_BLUR_SHARE = 0.01;

export function guidesOf(lightness: Plane, longSide: number): Guides {
  const radius = Math.max(1, Math.round(longSide * TONE_BLUR_SHARE));
  const tone = blurPlane(lightness, radius);
  return { tone, edges: sobelMagnitude(tone) };
}

/** Exemplars of one level packed in a grid: one source image for the kernels, padding kept out by the mask. */
export interface Atlas {
  width: number;
  height: number;
  tile: number;
  columns: number;
  count: number;
  /** Lab, 3 channels interleaved. */
  lab: Float32Array;
  /** Guide channels per atlas pixel: tone, edges. */
  tone: Float32Array;
  edges: Float32Array;
  mask: Uint8Array;
}

/** Packs square Lab exemplars (all `tile` px) into an atlas; the guides are computed per tile so none bleeds. */
export function buildAtlas(exemplars: Float32Array[], tile: number): Atlas {
  const count = exemplars.length;
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const width = columns * tile;
  const height = rows * tile;
  const lab = new Float32Array(width * height * 3);
  const tone = new Float32Array(width * height);
  const edges = new Float32Array(width * height);
  const mask = new Uint8Array(width * height);
  const half = (PATCH_SIZE - 1) / 2;
  exemplars.forEach((ex, k) => {
    const ox = (k % columns) * tile;
    const oy = Math.floor(k / columns) * tile;
    const l = new Float32Array(tile * tile);
    for (let i = 0; i < tile * tile; i++) l[i] = ex[i * 3]!;
    const g = guidesOf({ width: tile, height: tile, data: l }, tile);
    for (let y = 0; y < tile; y++) {
      const row = (oy + y) * width + ox;
      lab.set(ex.subarray(y * tile * 3, (y + 1) * tile * 3), row * 3);
      tone.set(g.tone.data.subarray(y * tile, (y + 1) * tile), row);
      edges.set(g.edges.data.subarray(y * tile, (y + 1) * tile), row);
      if (y >= half && y < tile - half) mask.fill(1, row + half, row + tile - half);
    }
  });
  return { width, height, tile, columns, count, lab, tone, edges, mask };
}

/** Where the exemplars sit in an atlas (an atlas of any scale with the same grid). */
export type AtlasLayout = Pick<Atlas, 'tile' | 'columns'>;

/** Which exemplar an atlas pixel belongs to. */
export function tileOf(atlas: AtlasLayout, x: number, y: number): number {
  return Math.floor(y / atlas.tile) * atlas.columns + Math.floor(x / atlas.tile);
}

/**
 * Feature weights (per unit of tone, edge magnitude, a, b). The guides carry the reference's structure; the
 * chroma of the current image makes neighbouring patches agree on colour (the EM coherence term of Kwatra et
 * al. 2005). Lightness is deliberately not a coherence channel: against the smooth average a vote produces, a
 * blank-paper patch always beats a patch with one dot or one hatch line, and sparse marks wash out (measured:
 * fixture stippling lost half its dots). Values picked on the fixture contact sheet and style-gain figures.
 */
export const WEIGHTS = { tone: 2, edges: 1.2, chroma: 0.3 } as const;
export const FEATURE_CHANNELS = 4;

function sourceFeatures(atlas: Atlas, chromaWeight: number): Float32Array {
  const n = atlas.width * atlas.height;
  const f = new Float32Array(n * FEATURE_CHANNELS);
  for (let i = 0; i < n; i++) {
    const o = i * FEATURE_CHANNELS;
    f[o] = atlas.tone[i]! * WEIGHTS.tone;
    f[o + 1] = atlas.edges[i]! * WEIGHTS.edges;
    f[o + 2] = atlas.lab[i * 3 + 1]! * chromaWeight;
    f[o + 3] = atlas.lab[i * 3 + 2]! * chromaWeight;
  }
  return f;
}

function targetFeatures(guides: Guides, current: Float32Array, chromaWeight: number, colourGuide?: ColourGuide): Float32Array {
  const n = guides.tone.data.length;
  const g = colourGuide?.share ?? 0;
  const guide = colourGuide?.lab ?? current;
  const f = new Float32Array(n * FEATURE_CHANNELS);
  for (let i = 0; i < n; i++) {
    const o = i * FEATURE_CHANNELS;
    f[o] = guides.tone.data[i]! * WEIGHTS.tone;
    f[o + 1] = guides.edges.data[i]! * WEIGHTS.edges;
    f[o + 2] = ((1 - g) * current[i * 3 + 1]! + g * guide[i * 3 + 1]!) * chromaWeight;
    f[o + 3] = ((1 - g) * current[i * 3 + 2]! + g * guide[i * 3 + 2]!) * chromaWeight;
  }
  return f;
}

/**
 * A fixed colour target for the chroma channels (Lab, interleaved, at the level's size), mixed with the current
 * image's chroma by `share`: flat-colour styles hold each region of the reference to one colour this way.
 */
export interface ColourGuide {
  lab: Float32Array;
  share: number;
}

/** One level of the coarse-to-fine schedule. */
export interface LevelPlan {
  width: number;
  height: number;
  /** EM iterations (search + vote) at this level. */
  em: number;
  /** PatchMatch rounds per EM iteration. */
  rounds: number;
}

export interface SynthesisLevelInput {
  plan: LevelPlan;
  atlas: Atlas;
  /** Target guides at this level, already histogram-matched to the atlas. */
  guides: Guides;
  /** Lab start image at this level (the previous level's output enlarged, or the colour-transferred reference). */
  start: Float32Array;
  /** Field from the previous level, already mapped into this level's atlas; undefined at the coarsest. */
  initial?: Int32Array;
  seed: number;
  /** Cost added per existing use of a source patch, in feature SSD units. */
  reusePenalty: number;
  /** Cost taken off a match per neighbour it continues seamlessly (native/kernel-input.ts coherenceBonus). */
  coherenceBonus?: number;
  signal?: AbortSignal;
  /** Finest level: each pixel takes its match's centre colour instead of the patch average (keeps strokes crisp). */
  copyCentres?: boolean;
  colourGuide?: ColourGuide;
  /** Weight of the chroma channels (default WEIGHTS.chroma). */
  chromaWeight?: number;
}

export interface SynthesisLevelResult {
  lab: Float32Array;
  nnf: Int32Array;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AtelierError('CANCELLED', 'The generation was cancelled.');
}

/** EM at one level: search the atlas for every target patch, vote the matched colours, repeat. */
export function synthesizeLevel(input: SynthesisLevelInput): SynthesisLevelResult {
  const { plan, atlas } = input;
  const chromaWeight = input.chromaWeight ?? WEIGHTS.chroma;
  const source = sourceFeatures(atlas, chromaWeight);
  let current = input.start;
  let nnf = input.initial;
  for (let k = 0; k < plan.em; k++) {
    throwIfCancelled(input.signal);
    const result = patchMatch({
      source,
      sourceWidth: atlas.width,
      sourceHeight: atlas.height,
      target: targetFeatures(input.guides, current, chromaWeight, input.colourGuide),
      targetWidth: plan.width,
      targetHeight: plan.height,
      channels: FEATURE_CHANNELS,
      patchSize: PATCH_SIZE,
      iterations: plan.rounds,
      seed: input.seed + k * 7919,
      initial: nnf,
      reusePenalty: input.reusePenalty,
      coherenceBonus: input.coherenceBonus,
      sourceMask: atlas.mask,
    });
    nnf = result.nnf;
    current = vote({
      sourceColors: atlas.lab,
      sourceWidth: atlas.width,
      sourceHeight: atlas.height,
      colorChannels: 3,
      nnf,
      targetWidth: plan.width,
      targetHeight: plan.height,
      patchSize: PATCH_SIZE,
    });
  }
  if (!nnf) throw new AtelierError('INTERNAL', 'The synthesis schedule has a level without iterations.');
  if (input.copyCentres) current = copyCentres(atlas, nnf);
  return { lab: current, nnf };
}

/** Each target pixel: the colour at the centre of its matched source patch (no averaging, so no blur). */
export function copyCentres(atlas: Atlas, nnf: Int32Array): Float32Array {
  const n = nnf.length / 2;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = (nnf[i * 2 + 1]! * atlas.width + nnf[i * 2]!) * 3;
    out[i * 3] = atlas.lab[s]!;
    out[i * 3 + 1] = atlas.lab[s + 1]!;
    out[i * 3 + 2] = atlas.lab[s + 2]!;
  }
  return out;
}

/**
 * Carries a field to the next level: each target pixel takes its parent's match, moved into the finer atlas
 * (tile kept, position scaled) plus its own offset inside the parent, so coherent regions stay coherent.
 */
export function upsampleField(
  nnf: Int32Array,
  from: { width: number; height: number; atlas: AtlasLayout },
  to: { width: number; height: number; atlas: AtlasLayout },
): Int32Array {
  const out = new Int32Array(to.width * to.height * 2);
  const half = (PATCH_SIZE - 1) / 2;
  const sx = from.width / to.width;
  const sy = from.height / to.height;
  const ratio = to.atlas.tile / from.atlas.tile;
  for (let y = 0; y < to.height; y++) {
    const py = Math.min(from.height - 1, Math.floor(y * sy));
    for (let x = 0; x < to.width; x++) {
      const px = Math.min(from.width - 1, Math.floor(x * sx));
      const p = py * from.width + px;
      const fx = nnf[p * 2]!;
      const fy = nnf[p * 2 + 1]!;
      const tile = tileOf(from.atlas, fx, fy);
      const lx = fx - (tile % from.atlas.columns) * from.atlas.tile;
      const ly = fy - Math.floor(tile / from.atlas.columns) * from.atlas.tile;
      // Offset of this pixel inside its parent, in fine pixels, scaled to the finer exemplar.
      const ox = (x - px / sx) * (ratio * sx);
      const oy = (y - py / sy) * (ratio * sy);
      const nx = Math.min(to.atlas.tile - 1 - half, Math.max(half, Math.round(lx * ratio + ox)));
      const ny = Math.min(to.atlas.tile - 1 - half, Math.max(half, Math.round(ly * ratio + oy)));
      out[(y * to.width + x) * 2] = (tile % to.atlas.columns) * to.atlas.tile + nx;
      out[(y * to.width + x) * 2 + 1] = Math.floor(tile / to.atlas.columns) * to.atlas.tile + ny;
    }
  }
  return out;
}

/** Enlarges an interleaved Lab image (bilinear per channel). */
export function resampleLab(lab: Float32Array, width: number, height: number, toWidth: number, toHeight: number): Float32Array {
  const out = new Float32Array(toWidth * toHeight * 3);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(width * height);
    for (let i = 0; i < width * height; i++) plane[i] = lab[i * 3 + c]!;
    const r = resamplePlane({ width, height, data: plane }, toWidth, toHeight).data;
    for (let i = 0; i < toWidth * toHeight; i++) out[i * 3 + c] = r[i]!;
  }
  return out;
}
