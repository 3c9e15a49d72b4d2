// Objective quality of generated images: style gain, kept structure (SSIM), diversity, and the Reinhard baseline.
import { labStats, labToRgb, rgbToLab, type LabStats } from './colour-space';
import { greyPlane, resamplePlane, resizeRgb, type Plane, type WorkingImage } from './pixels';
import { sobelMagnitude } from './synthesis';

/**
 * Every image is measured at this long side (area-averaged first), so a 1024 px output, a 384 px style image
 * and a 256 px reference are compared at one scale of strokes and texture.
 */
export const ANALYSIS_SIZE = 256;
/** Lab palette histograms: one per channel — L in 50 bins over 0..100, a and b in 60 bins over −60..60 (clipped). */
const L_BINS = 50;
const AB_BINS = 60;
const AB_RANGE = 60;
/** Texture histograms: bins per statistic, and the top of each range (values above land in the last bin). */
const TEXTURE_BINS = 40;
const GRADIENT_TOP = 60;
const LOCAL_STD_TOP = 40;
const LAPLACIAN_TOP = 40;
/** Local contrast is the L standard deviation over 4 × 4 blocks (the scale of a stroke at ANALYSIS_SIZE). */
const LOCAL_BLOCK = 4;

/** What an image (or a whole style set, averaged) looks like to the style distance. */
export interface StyleStatistics {
  /** Share of pixels per bin of L, a and b (each sums to 1). */
  palette: [number[], number[], number[]];
  /** Normalised histograms of gradient magnitude, local contrast and |Laplacian| of L. */
  gradient: number[];
  localContrast: number[];
  laplacian: number[];
  /** Lab mean and standard deviation (for the Reinhard baseline and palette harmonisation). */
  lab: LabStats;
}

function analysisLab(image: WorkingImage): { lab: Float32Array; width: number; height: number } {
  const scale = ANALYSIS_SIZE / Math.max(image.width, image.height);
  if (scale >= 1) return { lab: rgbToLab(image.rgb), width: image.width, height: image.height };
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return { lab: rgbToLab(resizeRgb(image, width, height).rgb), width, height };
}

function histogram(values: Float32Array | number[], top: number): number[] {
  const h = new Array<number>(TEXTURE_BINS).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(TEXTURE_BINS - 1, Math.floor((values[i]! / top) * TEXTURE_BINS));
    h[b < 0 ? 0 : b] = h[b < 0 ? 0 : b]! + 1;
  }
  return h.map((v) => v / Math.max(1, values.length));
}

/** Zeroed Lab palette histograms (L, a, b). */
export function emptyPalette(): [number[], number[], number[]] {
  return [new Array<number>(L_BINS).fill(0), new Array<number>(AB_BINS).fill(0), new Array<number>(AB_BINS).fill(0)];
}

/** The palette histogram bins of one Lab colour. */
export function paletteBins(l: number, a: number, b: number): [number, number, number] {
  const ab = (v: number) => Math.min(AB_BINS - 1, Math.max(0, Math.floor(((v + AB_RANGE) / (2 * AB_RANGE)) * AB_BINS)));
  return [Math.min(L_BINS - 1, Math.max(0, Math.floor((l / 100) * L_BINS))), ab(a), ab(b)];
}

export function styleStatisticsOf(image: WorkingImage): StyleStatistics {
  const { lab, width, height } = analysisLab(image);
  const n = width * height;
  const palette = emptyPalette();
  const l = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const L = lab[i * 3]!;
    l[i] = L;
    const [lb, a, b] = paletteBins(L, lab[i * 3 + 1]!, lab[i * 3 + 2]!);
    palette[0][lb] = palette[0][lb]! + 1 / n;
    palette[1][a] = palette[1][a]! + 1 / n;
    palette[2][b] = palette[2][b]! + 1 / n;
  }
  const plane: Plane = { width, height, data: l };
  const gradient = histogram(sobelMagnitude(plane).data, GRADIENT_TOP);
  const stds: number[] = [];
  for (let by = 0; by + LOCAL_BLOCK <= height; by += LOCAL_BLOCK) {
    for (let bx = 0; bx + LOCAL_BLOCK <= width; bx += LOCAL_BLOCK) {
      let s = 0;
      let s2 = 0;
      for (let y = by; y < by + LOCAL_BLOCK; y++) {
        for (let x = bx; x < bx + LOCAL_BLOCK; x++) {
          const v = l[y * width + x]!;
          s += v;
          s2 += v * v;
        }
      }
      const m = s / (LOCAL_BLOCK * LOCAL_BLOCK);
      stds.push(Math.sqrt(Math.max(0, s2 / (LOCAL_BLOCK * LOCAL_BLOCK) - m * m)));
    }
  }
  const lap = new Float32Array(n);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      lap[i] = Math.abs(4 * l[i]! - l[i - 1]! - l[i + 1]! - l[i - width]! - l[i + width]!);
    }
  }
  return { palette, gradient, localContrast: histogram(stds, LOCAL_STD_TOP), laplacian: histogram(lap, LAPLACIAN_TOP), lab: labStats(lab) };
}

function meanOf(rows: number[][]): number[] {
  const out = new Array<number>(rows[0]?.length ?? 0).fill(0);
  for (const r of rows) r.forEach((v, i) => (out[i] = out[i]! + v / rows.length));
  return out;
}

/** A style set's statistics: the mean of its images' histograms and the pooled Lab moments. */
export function styleSetStatistics(images: WorkingImage[]): StyleStatistics {
  const each = images.map(styleStatisticsOf);
  const mean = [0, 1, 2].map((c) => each.reduce((s, e) => s + e.lab.mean[c]!, 0) / each.length) as [number, number, number];
  // Pooled standard deviation: within-image variance plus the spread of the image means.
  const std = [0, 1, 2].map((c) =>
    Math.sqrt(each.reduce((s, e) => s + e.lab.std[c]! ** 2 + (e.lab.mean[c]! - mean[c]!) ** 2, 0) / each.length),
  ) as [number, number, number];
  return {
    palette: [0, 1, 2].map((c) => meanOf(each.map((e) => e.palette[c]!))) as [number[], number[], number[]],
    gradient: meanOf(each.map((e) => e.gradient)),
    localContrast: meanOf(each.map((e) => e.localContrast)),
    laplacian: meanOf(each.map((e) => e.laplacian)),
    lab: { mean, std },
  };
}

/**
 * Earth mover's distance (Wasserstein-1) between two normalised histograms over ordered bins, divided by the
 * number of bins: 0 (same) … 1 (all mass moved across the whole range). Unlike bin-by-bin distances it gives
 * partial credit for a near miss (a slightly lighter paper, slightly finer strokes), so a held-out image of the
 * same style scores close to its set.
 */
function emd(p: number[], q: number[]): number {
  let carried = 0;
  let work = 0;
  for (let i = 0; i < p.length; i++) {
    carried += p[i]! - (q[i] ?? 0);
    work += Math.abs(carried);
  }
  return work / p.length;
}

/** The colour half of the style distance: the mean EMD of the L, a and b palette histograms. */
export function paletteDistance(image: StyleStatistics['palette'], set: StyleStatistics['palette']): number {
  return (emd(image[0], set[0]) + emd(image[1], set[1]) + emd(image[2], set[2])) / 3;
}

function textureDistance(image: StyleStatistics, set: StyleStatistics): number {
  return (emd(image.gradient, set.gradient) + emd(image.localContrast, set.localContrast) + emd(image.laplacian, set.laplacian)) / 3;
}

/**
 * d(image, style set) = ½·colour + ½·texture, measured at ANALYSIS_SIZE: colour is the mean EMD of the L, a and b
 * histograms (the Lab palette), texture the mean EMD of the histograms of Sobel gradient magnitude, 4 × 4 local
 * contrast and |Laplacian| of L.
 */
export function styleDistance(image: StyleStatistics, set: StyleStatistics): number {
  return 0.5 * paletteDistance(image.palette, set.palette) + 0.5 * textureDistance(image, set);
}

/** Style gain = 1 − d(output, set) / d(reference, set): 1 = indistinguishable from the set, 0 = no closer than the input. */
export function styleGain(output: WorkingImage, reference: WorkingImage, set: StyleStatistics): number {
  const dRef = styleDistance(styleStatisticsOf(reference), set);
  if (dRef <= 0) return 0;
  return 1 - styleDistance(styleStatisticsOf(output), set) / dRef;
}

/** Structure is compared on luminance area-averaged to 64 px on the long side, then blurred (STRUCTURE_BLUR): strokes gone, shapes and tones kept. */
export const STRUCTURE_SIZE = 64;
/** SSIM constants of Wang et al. 2004: C1 = (0.01·255)², C2 = (0.03·255)², Gaussian window σ = 1.5, 11 × 11. */
const SSIM_C1 = (0.01 * 255) ** 2;
const SSIM_C2 = (0.03 * 255) ** 2;
const SSIM_SIGMA = 1.5;
const SSIM_RADIUS = 5;

/**
 * Gaussian σ (px at STRUCTURE_SIZE) applied before SSIM: ≈ 1.6% of the picture, the scale at which sparse marks
 * (a stipple dot per ~20 px², one hatch line per ~5 px at 256 px) average into the tone they draw.
 */
const STRUCTURE_BLUR = 1;

function structurePlane(image: WorkingImage, width: number, height: number): Plane {
  const p = resamplePlane(greyPlane(image), width, height);
  const w: number[] = [];
  for (let d = -SSIM_RADIUS; d <= SSIM_RADIUS; d++) w.push(Math.exp(-(d * d) / (2 * STRUCTURE_BLUR * STRUCTURE_BLUR)));
  const sum = w.reduce((a, b) => a + b, 0);
  return { width, height, data: gaussianFilter(p.data, width, height, w.map((v) => v / sum)) };
}

function gaussianWeights(): number[] {
  const w: number[] = [];
  for (let d = -SSIM_RADIUS; d <= SSIM_RADIUS; d++) w.push(Math.exp(-(d * d) / (2 * SSIM_SIGMA * SSIM_SIGMA)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

function gaussianFilter(data: Float32Array, width: number, height: number, weights: number[]): Float32Array {
  const tmp = new Float32Array(data.length);
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let ws = 0;
      for (let d = -SSIM_RADIUS; d <= SSIM_RADIUS; d++) {
        const xx = x + d;
        if (xx < 0 || xx >= width) continue;
        const w = weights[d + SSIM_RADIUS]!;
        s += data[y * width + xx]! * w;
        ws += w;
      }
      tmp[y * width + x] = s / ws;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let ws = 0;
      for (let d = -SSIM_RADIUS; d <= SSIM_RADIUS; d++) {
        const yy = y + d;
        if (yy < 0 || yy >= height) continue;
        const w = weights[d + SSIM_RADIUS]!;
        s += tmp[yy * width + x]! * w;
        ws += w;
      }
      out[y * width + x] = s / ws;
    }
  }
  return out;
}

/** Mean SSIM (Wang et al. 2004) of the two images' blurred luminance (see STRUCTURE_SIZE), on the grey scale 0..255. */
export function structureSimilarity(a: WorkingImage, b: WorkingImage): number {
  const scale = STRUCTURE_SIZE / Math.max(a.width, a.height);
  const width = Math.max(1, Math.round(a.width * scale));
  const height = Math.max(1, Math.round(a.height * scale));
  const x = structurePlane(a, width, height).data;
  const y = structurePlane(b, width, height).data;
  const n = width * height;
  const w = gaussianWeights();
  const xx = new Float32Array(n);
  const yy = new Float32Array(n);
  const xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const mx = gaussianFilter(x, width, height, w);
  const my = gaussianFilter(y, width, height, w);
  const sxx = gaussianFilter(xx, width, height, w);
  const syy = gaussianFilter(yy, width, height, w);
  const sxy = gaussianFilter(xy, width, height, w);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const vx = Math.max(0, sxx[i]! - mx[i]! * mx[i]!);
    const vy = Math.max(0, syy[i]! - my[i]! * my[i]!);
    const cov = sxy[i]! - mx[i]! * my[i]!;
    total += ((2 * mx[i]! * my[i]! + SSIM_C1) * (2 * cov + SSIM_C2)) / ((mx[i]! ** 2 + my[i]! ** 2 + SSIM_C1) * (vx + vy + SSIM_C2));
  }
  return total / n;
}

/** Mean pairwise 1 − SSIM of blurred luminance over several outputs (0 = all the same layout). */
export function pairwiseDiversity(images: WorkingImage[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      sum += 1 - structureSimilarity(images[i]!, images[j]!);
      pairs++;
    }
  }
  return pairs > 0 ? sum / pairs : 0;
}

/**
 * The baseline: Reinhard et al. 2001 "Color transfer between images" — each Lab channel shifted and scaled so
 * its mean and standard deviation match the style set's (they used lαβ; CIE Lab is the common modern stand-in).
 */
export function reinhardTransfer(reference: WorkingImage, style: LabStats): WorkingImage {
  const lab = rgbToLab(reference.rgb);
  const own = labStats(lab);
  for (let i = 0; i < lab.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const s = own.std[c]! > 1e-6 ? style.std[c]! / own.std[c]! : 1;
      lab[i + c] = (lab[i + c]! - own.mean[c]!) * s + style.mean[c]!;
    }
  }
  return { width: reference.width, height: reference.height, rgb: labToRgb(lab) };
}

/** The two halves of styleDistance, for reports: colour (palette) and texture. */
export function styleDistanceParts(image: StyleStatistics, set: StyleStatistics): { colour: number; texture: number } {
  return { colour: paletteDistance(image.palette, set.palette), texture: textureDistance(image, set) };
}
