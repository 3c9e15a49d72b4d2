// Motif segmentation: the background (dominant border colour/texture) and the separable foreground elements of a picture.
import type { LoadedBundle } from '../bundle/bundle';
import { AtelierError } from '../errors';
import { rgbToLab } from './colour-space';
import { median, resizeRgb, type WorkingImage } from './pixels';
import { blurPlane } from './synthesis';

/** Motifs are found and stored on a square grid of this side (analyze.ts's working size). */
export const MOTIF_GRID = 256;
/** Texture is melted into colour before segmenting: blur radius as a share of the side (hatch spacing ≈ 1.4 %). */
const SEGMENT_BLUR_SHARE = 0.012;
/** Border colours are clustered into this many groups: a gradient or two-tone paper still reads as background. */
const BORDER_CLUSTERS = 3;
/** A border cluster counts as background when it holds at least this share of the border pixels. */
const BORDER_CLUSTER_MIN_SHARE = 0.15;
/** ΔE (CIE76) within which a blurred pixel belongs to a background cluster: a clearly visible colour step. */
const BACKGROUND_DELTA_E = 12;
/** Motif size filter, as a share of the picture: smaller is a speck, larger is a second background. */
export const MOTIF_MIN_SHARE = 0.004;
export const MOTIF_MAX_SHARE = 0.5;
/** At most this many motifs kept per picture, largest first. */
export const MAX_MOTIFS_PER_ASSET = 8;

export interface MotifBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One motif as stored in the bundle: its mask (a blob, bbox-sized, 1 = motif) on the MOTIF_GRID of its asset. */
export interface MotifEntry {
  asset: number;
  grid: number;
  bbox: MotifBox;
  mask: string;
  /** Share of the picture the motif covers. */
  area: number;
  /** "kind:value" tags of the asset it came from. */
  tags: string[];
}

/** What training adds to the model data for the prompt and variation modes. */
export interface MotifModelData {
  motifs: MotifEntry[];
  /** "kind:value" → indexes into `motifs`. */
  motifTagIndex: Record<string, number[]>;
  /** Background Lab colour per asset (the dominant border cluster's centre). */
  backgrounds: Array<[number, number, number]>;
}

export interface SegmentedMotif {
  bbox: MotifBox;
  mask: Uint8Array;
  area: number;
}

export interface Segmentation {
  background: [number, number, number];
  /** 1 = background pixel, on the MOTIF_GRID. */
  backgroundMask: Uint8Array;
  motifs: SegmentedMotif[];
}

/** Resizes an RGB image to a square side. */
export function squareRgb(image: WorkingImage, side: number): Uint8Array {
  return resizeRgb(image, side, side).rgb;
}

function blurredLab(rgb: Uint8Array, side: number): Float32Array {
  const lab = rgbToLab(rgb);
  const radius = Math.max(1, Math.round(side * SEGMENT_BLUR_SHARE));
  const out = new Float32Array(lab.length);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(side * side);
    for (let i = 0; i < plane.length; i++) plane[i] = lab[i * 3 + c]!;
    const b = blurPlane({ width: side, height: side, data: plane }, radius).data;
    for (let i = 0; i < b.length; i++) out[i * 3 + c] = b[i]!;
  }
  return out;
}

/** Border pixels' colours, clustered (deterministic start: spread along the border order). */
function borderClusters(lab: Float32Array, side: number): Array<{ centre: [number, number, number]; share: number }> {
  const border: number[] = [];
  for (let x = 0; x < side; x++) border.push(x, (side - 1) * side + x);
  for (let y = 1; y < side - 1; y++) border.push(y * side, y * side + side - 1);
  const k = BORDER_CLUSTERS;
  // Start from L quantiles so the clusters follow a light-to-dark gradient deterministically.
  const sorted = [...border].sort((p, q) => lab[p * 3]! - lab[q * 3]!);
  const centres = Array.from({ length: k }, (_, c) => {
    const p = sorted[Math.floor(((c + 0.5) / k) * sorted.length)]!;
    return [lab[p * 3]!, lab[p * 3 + 1]!, lab[p * 3 + 2]!] as [number, number, number];
  });
  const labels = new Uint8Array(border.length);
  for (let round = 0; round < 8; round++) {
    const sums = Array.from({ length: k }, () => [0, 0, 0, 0]);
    border.forEach((p, j) => {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (lab[p * 3]! - centres[c]![0]) ** 2 + (lab[p * 3 + 1]! - centres[c]![1]) ** 2 + (lab[p * 3 + 2]! - centres[c]![2]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      labels[j] = best;
      const s = sums[best]!;
      s[0]! += lab[p * 3]!;
      s[1]! += lab[p * 3 + 1]!;
      s[2]! += lab[p * 3 + 2]!;
      s[3]! += 1;
    });
    sums.forEach((s, c) => {
      if (s[3]! > 0) centres[c] = [s[0]! / s[3]!, s[1]! / s[3]!, s[2]! / s[3]!];
    });
  }
  const counts = new Array<number>(k).fill(0);
  for (const l of labels) counts[l]!++;
  return centres.map((centre, c) => ({ centre, share: counts[c]! / border.length })).sort((a, b) => b.share - a.share);
}

/** An outlined shape whose fill matches the paper is still one motif: enclosed background becomes motif. */
function fillHoles(mask: Uint8Array, width: number, height: number): void {
  const outside = new Uint8Array(mask.length);
  const stack: number[] = [];
  const push = (p: number) => {
    if (!mask[p] && !outside[p]) {
      outside[p] = 1;
      stack.push(p);
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (stack.length > 0) {
    const p = stack.pop()!;
    const x = p % width;
    if (x > 0) push(p - 1);
    if (x < width - 1) push(p + 1);
    if (p >= width) push(p - width);
    if (p < (height - 1) * width) push(p + width);
  }
  for (let i = 0; i < mask.length; i++) if (!outside[i]) mask[i] = 1;
}

/**
 * Background = pixels (texture blurred into colour) close to a dominant border cluster; motifs = 4-connected
 * components of the rest, filtered by size. Deterministic; works on any picture, returns no motifs when the
 * picture has no separable foreground.
 */
export function segmentMotifs(image: WorkingImage): Segmentation {
  const side = MOTIF_GRID;
  const rgb = squareRgb(image, side);
  const lab = blurredLab(rgb, side);
  const clusters = borderClusters(lab, side);
  const bg = clusters.filter((c, i) => i === 0 || c.share >= BORDER_CLUSTER_MIN_SHARE);
  const n = side * side;
  const backgroundMask = new Uint8Array(n);
  const limit = BACKGROUND_DELTA_E * BACKGROUND_DELTA_E;
  for (let i = 0; i < n; i++) {
    for (const c of bg) {
      const d = (lab[i * 3]! - c.centre[0]) ** 2 + (lab[i * 3 + 1]! - c.centre[1]) ** 2 + (lab[i * 3 + 2]! - c.centre[2]) ** 2;
      if (d <= limit) {
        backgroundMask[i] = 1;
        break;
      }
    }
  }
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const motifs: SegmentedMotif[] = [];
  const pixels: number[] = [];
  for (let start = 0; start < n; start++) {
    if (backgroundMask[start] || seen[start]) continue;
    pixels.length = 0;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let x0 = side;
    let y0 = side;
    let x1 = -1;
    let y1 = -1;
    while (top > 0) {
      const p = stack[--top]!;
      pixels.push(p);
      const x = p % side;
      const y = (p - x) / side;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      const next = [x > 0 ? p - 1 : -1, x < side - 1 ? p + 1 : -1, y > 0 ? p - side : -1, y < side - 1 ? p + side : -1];
      for (const q of next) {
        if (q >= 0 && !seen[q] && !backgroundMask[q]) {
          seen[q] = 1;
          stack[top++] = q;
        }
      }
    }
    const area = pixels.length / n;
    if (area < MOTIF_MIN_SHARE || area > MOTIF_MAX_SHARE) continue;
    const bbox = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
    const mask = new Uint8Array(bbox.width * bbox.height);
    for (const p of pixels) mask[(Math.floor(p / side) - y0) * bbox.width + ((p % side) - x0)] = 1;
    fillHoles(mask, bbox.width, bbox.height);
    motifs.push({ bbox, mask, area: Math.round(area * 10000) / 10000 });
  }
  motifs.sort((a, b) => b.area - a.area || a.bbox.y - b.bbox.y || a.bbox.x - b.bbox.x);
  const centre = bg[0]!.centre.map((v) => Math.round(v * 100) / 100) as [number, number, number];
  return { background: centre, backgroundMask, motifs: motifs.slice(0, MAX_MOTIFS_PER_ASSET) };
}

/** Motif data of a bundle, or empty lists for a bundle trained before motifs existed. */
export function motifDataOf(bundle: LoadedBundle): MotifModelData {
  const data = bundle.manifest.data as Partial<MotifModelData>;
  return {
    motifs: Array.isArray(data.motifs) ? data.motifs : [],
    motifTagIndex: data.motifTagIndex && typeof data.motifTagIndex === 'object' ? data.motifTagIndex : {},
    backgrounds: Array.isArray(data.backgrounds) ? data.backgrounds : [],
  };
}

/** A motif's pixels: Lab (from the asset's stored exemplar, on the MOTIF_GRID) inside its bbox, and its mask. */
export interface MotifPixels {
  width: number;
  height: number;
  lab: Float32Array;
  mask: Uint8Array;
}

interface ExemplarLike {
  asset: number;
  sizes: number[];
  blobs: string[];
}

/** The asset's exemplar on the MOTIF_GRID, as Lab (cached per call site by the caller). */
export function assetLabOnGrid(bundle: LoadedBundle, asset: number): Float32Array {
  const exemplars = (bundle.manifest.data as { exemplars?: ExemplarLike[] }).exemplars ?? [];
  const entry = exemplars.find((e) => e.asset === asset);
  if (!entry) throw new AtelierError('CORRUPT_FILE', `The model has no exemplar for training image ${asset + 1}; train it again.`);
  let level = 0;
  for (let l = 0; l < entry.sizes.length; l++) if (entry.sizes[l]! >= MOTIF_GRID) level = l;
  const side = entry.sizes[level]!;
  const rgb = bundle.blobs.get(entry.blobs[level]!);
  if (!rgb || rgb.length !== side * side * 3) throw new AtelierError('CORRUPT_FILE', `The model's exemplar ${entry.blobs[level]} is damaged; train the model again.`);
  return rgbToLab(squareRgb({ width: side, height: side, rgb }, MOTIF_GRID));
}

export function motifPixels(bundle: LoadedBundle, motif: MotifEntry, assetLab: Float32Array): MotifPixels {
  const { x, y, width, height } = motif.bbox;
  const mask = bundle.blobs.get(motif.mask);
  if (!mask || mask.length !== width * height) throw new AtelierError('CORRUPT_FILE', `The model's motif mask ${motif.mask} is damaged; train the model again.`);
  const lab = new Float32Array(width * height * 3);
  for (let yy = 0; yy < height; yy++) {
    const src = ((y + yy) * motif.grid + x) * 3;
    lab.set(assetLab.subarray(src, src + width * 3), yy * width * 3);
  }
  return { width, height, lab, mask };
}

/** The set's background: the median of the assets' background colours. */
export function setBackground(backgrounds: Array<[number, number, number]>): [number, number, number] {
  if (backgrounds.length === 0) return [95, 0, 5];
  return [0, 1, 2].map((c) => median(backgrounds.map((b) => b[c]!))) as [number, number, number];
}
