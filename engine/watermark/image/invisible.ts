// The invisible, keyed image mark: a periodic spread-spectrum tile in luma, found again after crops and resizes by its own autocorrelation.
import { createHash } from 'node:crypto';
import { AtelierError } from '../../errors';
import { Fft } from '../../media/audio/fft';
import { xorshift32 } from '../../random';
import type { WorkingImage } from '../../image/pixels';
import { CODEWORD_BITS, CRC_BITS, decodeCodeword, encodeCodeword } from '../payload';

/*
 * Design. The mark is one tile of TILE_CHIPS² chips, each CHIP px square, repeated over the whole image.
 * SYNC_CHIPS chips carry a fixed key-derived ±1 pattern (the synchronisation template); the others carry the
 * 172 codeword bits, each bit spread over DATA_CHIPS_PER_BIT chips with key-derived signs and positions.
 * The pattern is added to luma with a strength that follows local texture (perceptual masking), left out of
 * pixels the detector cannot read (ink lines, dots), jittered per chip, and normalised so the image-wide mean
 * squared change is TARGET_MSE (PSNR ≈ 40.5 dB).
 * Detection: whiten luma (residual from a robust local prediction of the picture — block medians pick the
 * paper or the ink layer, a box mean over that layer follows shading — with outliers faded to zero, not
 * clipped, so strong lines neither swamp nor erase the mark); the sum of row and column
 * autocorrelations peaks at multiples of the tile period, which gives the scale; the image is folded modulo
 * that period (averaging every tile into one), resampled to TILE px and cross-correlated with the sync
 * template over all TILE² cyclic shifts (FFT), which gives the translation left by a crop; the data chips are
 * then read at that shift and soft-Viterbi decoded; the CRC-16 confirms.
 */

/** Chip side at embedding scale. 4 px stays above JPEG q50's quantisation and survives a 50% resize (2 px). */
export const CHIP = 4; // the embedder's `>> 2` index arithmetic assumes 4
export const TILE_CHIPS = 32;
/** Tile side in px at embedding scale. */
export const TILE = CHIP * TILE_CHIPS;
const CHIPS = TILE_CHIPS * TILE_CHIPS;
const DATA_CHIPS_PER_BIT = 4;
const SYNC_CHIPS = CHIPS - CODEWORD_BITS * DATA_CHIPS_PER_BIT;

/** Mean squared luma change: 10·log10(255² / 5.5) = 40.7 dB before 8-bit rounding (which adds ≈ 1/12). */
const TARGET_MSE = 5.5;
/** Strength in grey levels: floor in flat areas (±2 on 4 px blocks is below visibility), + gain × local σ, ceiling. */
const FLAT_FLOOR = 2;
const TEXTURE_GAIN = 0.12;
const MAX_STRENGTH = 7;
/** Per-chip amplitude spread (see chipJitter); costs E[g²] − 1 = CHIP_JITTER²/3 ≈ 3% of the MSE budget. */
const CHIP_JITTER = 0.3;
/** Largest factor the MSE normalisation may raise the strengths by (flat pictures: floor 2 → 2.5 levels). */
const MAX_GAIN = 1.25;
/**
 * Pixels whose residual from the detector's own prediction (refineResidual) exceeds this get no mark: the
 * antialiased ramps of lines and dots, hard edges. The detector fades them out, so a mark there is wasted
 * budget; line art spends it on the paper between the lines and on ink cores. (12 beat 24 and 40 on the
 * hatching set under JPEG q50.)
 */
const READABLE_LEVELS = 12;
/** Block side of the median prediction of the picture: 4 × 4 chips, so the mark's own median is small. */
const PREDICT_BLOCK = 16;
/** Values within this many grey levels of a block's median enter its trimmed mean (≈ 3 mark amplitudes). */
const TRIM_LEVELS = 8;
/** Local mean window radius of the detector (11 × 11 px: 2.75 chips, so most of the mark stays in the residual). */
const LOCAL_RADIUS = 5;
/** Pixels within this many levels of the block prediction count as the local layer (paper vs ink ≈ 200 apart). */
const INLIER_LEVELS = 40;
/** Pictures with both sides at least this long get their period searched at half size (a quarter of the cost). */
const HALVE_SIDE = 768;
/** Fewest samples (of a block's 64) of the other layer for its level to be estimated. */
const MIN_LAYER_SAMPLES = 4;
/** Other-layer pixels within this many levels of its block level are read (dot and line cores, not ramps). */
const MINORITY_LEVELS = 16;
/** 4×4 Bayer matrix (ordered dither thresholds 0..15). */
const BAYER = Uint8Array.of(0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5);
/** Residuals beyond this many grey levels (≈ 3 mark amplitudes) fade to zero by twice it: picture, not mark. */
const WHITE_CLIP = 8;

/** Periods searched by the detector, in px of the picture: scales 0.375–1.6 of the embedded image. */
const MIN_PERIOD = 48;
const MAX_PERIOD = 205;
const PERIOD_STEP = 0.05;
/** Every LINE_STEP-th row and column enters the autocorrelation (cost vs. SNR; 4 leaves ample margin). */
const LINE_STEP = 4;
/** Period candidates from the autocorrelation, plus the periods of the untouched and half-size image. */
const AC_CANDIDATES = 6;
const COMMON_PERIODS = [TILE, TILE / 2];
/** Period candidates verified by the sync search (each is TILE² tests). */
export const PERIOD_CANDIDATES = AC_CANDIDATES + COMMON_PERIODS.length;
/** Smallest side the detector reads: the autocorrelation needs two periods at the smallest scale. */
export const MIN_DETECT_SIDE = 2 * MIN_PERIOD;

/**
 * Detection threshold on the sync peak z = (peak − mean) / σ over the TILE² shifts of the correlation surface.
 * Under the null (no mark, or another key) each surface value is a sum over 336 chips × 16 px of whitened
 * host times independent key-derived ±1 template signs, so it is close to N(0, σ²). The search makes
 * PERIOD_CANDIDATES × TILE² = 8 × 128² = 131,072 tests (neighbouring shifts are correlated, so the union bound
 * over-counts and stays an upper bound). With z ≥ 7: Q(7) = 1.28e-12, union bound 131,072 × 1.28e-12 = 1.7e-7
 * < 1e-6 from the sync alone; a false sync must then also pass the CRC-16 on the data chips read at that
 * shift (chance 2⁻¹⁶), so the chance per unmarked picture is ≤ 1.7e-7 × 1.5e-5 ≈ 2.6e-12.
 */
export const SYNC_Z_THRESHOLD = 7;
const SEARCH_TESTS = PERIOD_CANDIDATES * TILE * TILE;

export interface ImageMarkDetection {
  found: boolean;
  /** 8 payload bytes, when found. */
  payload?: Uint8Array;
  /** 1 − (bound on the chance an unmarked image reads like this); 0 when nothing was found. */
  confidence: number;
  /** Sync peak in standard deviations of the correlation surface (threshold SYNC_Z_THRESHOLD). */
  syncZ: number;
  /** Scale of this image relative to the marked one (0.5 after a 50% resize), when a period was found. */
  scale?: number;
  /** Codeword bits the channel code corrected. */
  corrected?: number;
}

interface KeyPattern {
  /** ±1 per chip of the sync template, 0 on data chips. */
  sync: Int8Array;
  /** Codeword bit index per chip, −1 on sync chips. */
  bitOf: Int16Array;
  /** Spreading sign per chip. */
  sign: Int8Array;
  /** FFT of the sync template expanded to TILE × TILE px (re, im). */
  templateRe: Float64Array;
  templateIm: Float64Array;
}

const patternCache = new Map<string, KeyPattern>();

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new AtelierError('VALIDATION', 'A watermark needs the creator\'s secret key; it was empty. Set up the key in Settings and try again.');
  }
}

function patternFor(key: string): KeyPattern {
  const cached = patternCache.get(key);
  if (cached) return cached;
  const digest = createHash('sha256').update('atelier/image-mark/v1\0').update(key).digest();
  const rnd = xorshift32(digest.readUInt32BE(0), digest.readUInt32BE(4));
  const order = Array.from({ length: CHIPS }, (_, i) => i);
  for (let i = CHIPS - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const sync = new Int8Array(CHIPS);
  const bitOf = new Int16Array(CHIPS).fill(-1);
  const sign = new Int8Array(CHIPS);
  for (let k = 0; k < CHIPS; k++) {
    const chip = order[k]!;
    sign[chip] = rnd() < 0.5 ? -1 : 1;
    if (k < SYNC_CHIPS) sync[chip] = sign[chip]!;
    else bitOf[chip] = (k - SYNC_CHIPS) % CODEWORD_BITS;
  }
  const templateRe = new Float64Array(TILE * TILE);
  const templateIm = new Float64Array(TILE * TILE);
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) templateRe[y * TILE + x] = sync[((y / CHIP) | 0) * TILE_CHIPS + ((x / CHIP) | 0)]!;
  }
  fft2d(templateRe, templateIm, TILE);
  const pattern = { sync, bitOf, sign, templateRe, templateIm };
  if (patternCache.size > 16) patternCache.clear();
  patternCache.set(key, pattern);
  return pattern;
}

export function checkWorkingImage(image: WorkingImage, what = 'image'): void {
  const ok =
    image !== null &&
    typeof image === 'object' &&
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    image.width >= 0 &&
    image.height >= 0 &&
    image.rgb instanceof Uint8Array &&
    image.rgb.length === image.width * image.height * 3;
  if (!ok) throw new AtelierError('VALIDATION', `The ${what} to watermark is not a decoded RGB picture (its size and pixel count disagree). Re-open the file and try again.`);
}

/**
 * Mark strength in grey levels per pixel. Texture masking: FLAT_FLOOR in flat areas, rising with the contrast
 * of the 12 × 12 px around (3 × 3 chips) up to MAX_STRENGTH. Informed embedding: pixels the detector will
 * discard (further than READABLE_LEVELS from its prediction of the picture: ink lines, dots, hard edges) get
 * none, so line art spends its whole budget on the paper between the lines, where the nearby lines mask it.
 * Then one gain sets the mean squared change to TARGET_MSE (PSNR ≈ 40.6 dB), capped at MAX_STRENGTH per pixel.
 */
function pixelStrength(rgb: Uint8Array, width: number, height: number): { strength: Float32Array; gain: number } {
  const bw = Math.ceil(width / CHIP);
  const bh = Math.ceil(height / CHIP);
  const g = new Float32Array(width * height);
  const sum = new Float64Array(bw * bh);
  const sumSq = new Float64Array(bw * bh);
  const count = new Float64Array(bw * bh);
  for (let y = 0; y < height; y++) {
    const brow = ((y / CHIP) | 0) * bw;
    for (let x = 0, i = y * width, j = i * 3; x < width; x++, i++, j += 3) {
      const v = 0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!;
      g[i] = v;
      const b = brow + (x >> 2);
      sum[b]! += v;
      sumSq[b]! += v * v;
      count[b]! += 1;
    }
  }
  const blockS = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let s = 0;
      let s2 = 0;
      let n = 0;
      for (let yy = Math.max(0, by - 1); yy <= Math.min(bh - 1, by + 1); yy++) {
        for (let xx = Math.max(0, bx - 1); xx <= Math.min(bw - 1, bx + 1); xx++) {
          const b = yy * bw + xx;
          s += sum[b]!;
          s2 += sumSq[b]!;
          n += count[b]!;
        }
      }
      const mean = s / n;
      blockS[by * bw + bx] = Math.min(MAX_STRENGTH, FLAT_FLOOR + TEXTURE_GAIN * Math.sqrt(Math.max(0, s2 / n - mean * mean)));
    }
  }
  // Readable as the detector will see it (refineResidual), judged on the block levels alone: the majority
  // layer near its block prediction, the other layer near its block level.
  const minority = subtractPrediction(g, width, height);
  const pbw = Math.ceil(width / PREDICT_BLOCK);
  const strength = g;
  let energy = 0;
  for (let y = 0; y < height; y++) {
    const brow = ((y / CHIP) | 0) * bw;
    const prow = ((y / PREDICT_BLOCK) | 0) * pbw;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      let r = g[i]!;
      if (r >= INLIER_LEVELS || r <= -INLIER_LEVELS) {
        // g − coarse level + coarse level − minority level; NaN (no other layer) is unreadable.
        const luma = 0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!;
        r = luma - minority[prow + ((x / PREDICT_BLOCK) | 0)]!;
        if (Number.isNaN(r)) r = Infinity;
      }
      const v = r > READABLE_LEVELS || r < -READABLE_LEVELS ? 0 : blockS[brow + (x >> 2)]!;
      strength[i] = v;
      energy += v * v;
    }
  }
  const gain = Math.min(MAX_GAIN, Math.sqrt((TARGET_MSE * width * height) / Math.max(energy, 1e-9)));
  return { strength, gain };
}

/**
 * A fixed pseudo-random gain per chip of the picture, 1 ± CHIP_JITTER. On flat paper JPEG and WebP quantise
 * the mark the same way in every tile (same chips, same block grid), which would leave a data-dependent error
 * that folding cannot average away; a different amplitude in every tile makes those errors differ too.
 */
function chipJitter(bx: number, by: number): number {
  let h = (Math.imul(bx, 0x9e3779b1) ^ Math.imul(by, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h ^= h >>> 13;
  return 1 - CHIP_JITTER + (2 * CHIP_JITTER * (h >>> 8)) / 0x1000000;
}

/** Adds the keyed mark carrying `payload` (8 bytes) to a copy of `image`. */
export function embedImageMark(image: WorkingImage, payload: Uint8Array, key: string): WorkingImage {
  checkWorkingImage(image);
  checkKey(key);
  const word = encodeCodeword(payload);
  const pattern = patternFor(key);
  const { width, height } = image;
  if (width === 0 || height === 0) return { width, height, rgb: new Uint8Array(image.rgb) };
  const chipValue = new Float32Array(CHIPS);
  for (let c = 0; c < CHIPS; c++) {
    const bit = pattern.bitOf[c]!;
    chipValue[c] = bit < 0 ? pattern.sync[c]! : pattern.sign[c]! * (word[bit] ? 1 : -1);
  }
  const { strength, gain } = pixelStrength(image.rgb, width, height);
  const bw = Math.ceil(width / CHIP);
  // A clamped array rounds and clips on store: the 8-bit result without per-pixel Math calls.
  const out = new Uint8ClampedArray(image.rgb.length);
  const src = image.rgb;
  const chipOfBlock = new Float32Array(bw);
  const dither = new Float32Array(4);
  for (let y = 0; y < height; y++) {
    const chipRow = (((y / CHIP) | 0) % TILE_CHIPS) * TILE_CHIPS;
    const by = (y / CHIP) | 0;
    for (let bx = 0; bx < bw; bx++) chipOfBlock[bx] = chipValue[chipRow + (bx % TILE_CHIPS)]! * chipJitter(bx, by);
    // Ordered dither instead of plain rounding, so a 2.5-level change does not always round up to 3.
    for (let k = 0; k < 4; k++) dither[k] = (BAYER[((y & 3) << 2) | k]! + 0.5) / 16 - 0.5;
    for (let x = 0, i = y * width, j = i * 3; x < width; x++, i++, j += 3) {
      let s = strength[i]! * gain;
      if (s > MAX_STRENGTH) s = MAX_STRENGTH;
      if (s === 0) {
        out[j] = src[j]!;
        out[j + 1] = src[j + 1]!;
        out[j + 2] = src[j + 2]!;
        continue;
      }
      // Same change on R, G and B: a pure luma change, the channel JPEG and WebP keep at full resolution.
      // round(v + d) = v + round(d) for whole v, so one rounding serves the three channels.
      const d = Math.round(s * chipOfBlock[x >> 2]! + dither[x & 3]!);
      out[j] = src[j]! + d;
      out[j + 1] = src[j + 1]! + d;
      out[j + 2] = src[j + 2]! + d;
    }
  }
  return { width, height, rgb: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
}

/** Median of buf[0..n) (quickselect; reorders buf). */
function selectMedian(buf: Float32Array, n: number): number {
  const k = n >> 1;
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = buf[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        const t = buf[i]!;
        buf[i] = buf[j]!;
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return buf[k]!;
}

function lumaOf(rgb: Uint8Array, n: number): Float32Array {
  const g = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) g[i] = 0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!;
  return g;
}

/** The mean of the first `n` values lying within TRIM_LEVELS of `centre` (which is one of them). */
function meanNear(values: Float32Array, n: number, centre: number): number {
  let sum = 0;
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const v = values[k]!;
    if (v > centre - TRIM_LEVELS && v < centre + TRIM_LEVELS) {
      sum += v;
      kept++;
    }
  }
  return sum / kept;
}

/**
 * g minus a prediction of the picture, in place. The prediction is the median of each PREDICT_BLOCK² block
 * (every other pixel of it), bilinearly interpolated between block centres: on line art and stippling the
 * median is the paper (or the ink), not the grey a mean makes of both, so paper pixels keep the mark intact;
 * a block spans 16 chips, so the mark's own median is small.
 */
function subtractPrediction(g: Float32Array, width: number, height: number): Float32Array {
  const bw = Math.ceil(width / PREDICT_BLOCK);
  const bh = Math.ceil(height / PREDICT_BLOCK);
  const med = new Float32Array(bw * bh);
  const minority = new Float32Array(bw * bh).fill(NaN);
  const buf = new Float32Array(PREDICT_BLOCK * PREDICT_BLOCK);
  const rest = new Float32Array(PREDICT_BLOCK * PREDICT_BLOCK);
  for (let by = 0; by < bh; by++) {
    const yEnd = Math.min(height, (by + 1) * PREDICT_BLOCK);
    for (let bx = 0; bx < bw; bx++) {
      const xEnd = Math.min(width, (bx + 1) * PREDICT_BLOCK);
      let n = 0;
      for (let y = by * PREDICT_BLOCK; y < yEnd; y += 2) {
        for (let x = bx * PREDICT_BLOCK; x < xEnd; x += 2) buf[n++] = g[y * width + x]!;
      }
      // One robust step past the median: the mean of the values near it. On flat paper the median is one of
      // the mark's own levels (a block-wide offset as strong as the mark); the mean of the paper is not.
      const m = selectMedian(buf, n);
      med[by * bw + bx] = meanNear(buf, n, m);
      // The other layer (ink on paper, dots, the far side of an edge): the same robust level, when present.
      let others = 0;
      for (let k = 0; k < n; k++) {
        const v = buf[k]!;
        if (v >= m + INLIER_LEVELS || v <= m - INLIER_LEVELS) rest[others++] = v;
      }
      if (others >= MIN_LAYER_SAMPLES) minority[by * bw + bx] = meanNear(rest, others, selectMedian(rest, others));
    }
  }
  // Bilinear between block centres (clamped at the picture's edges): down the rows per block column, then
  // along each row as a running sum, which is exact for a linear ramp between two centres.
  const half = PREDICT_BLOCK / 2 - 0.5;
  const rowPred = new Float32Array(bw);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y - half) / PREDICT_BLOCK, 0), bh - 1);
    const r0 = Math.floor(fy);
    const r1 = Math.min(bh - 1, r0 + 1);
    const ty = fy - r0;
    for (let bx = 0; bx < bw; bx++) rowPred[bx] = med[r0 * bw + bx]! + (med[r1 * bw + bx]! - med[r0 * bw + bx]!) * ty;
    const base = y * width;
    const firstCentre = Math.min(width, Math.ceil(half));
    for (let x = 0; x < firstCentre; x++) g[base + x] = g[base + x]! - rowPred[0]!;
    for (let k = 0; k < bw - 1; k++) {
      const start = Math.ceil(k * PREDICT_BLOCK + half);
      const end = Math.min(width, Math.ceil((k + 1) * PREDICT_BLOCK + half));
      const slope = (rowPred[k + 1]! - rowPred[k]!) / PREDICT_BLOCK;
      let p = rowPred[k]! + (start - (k * PREDICT_BLOCK + half)) * slope;
      for (let x = start; x < end; x++, p += slope) g[base + x] = g[base + x]! - p;
    }
    const lastStart = Math.max(firstCentre, Math.ceil((bw - 1) * PREDICT_BLOCK + half));
    for (let x = lastStart; x < width; x++) g[base + x] = g[base + x]! - rowPred[bw - 1]!;
  }
  return minority;
}

/**
 * Replaces g by its residual from the level of the pixel's own layer. The picture's majority layer is the
 * pixels within INLIER_LEVELS of the block prediction (`coarse` holds g minus it); their level is the mean of
 * that layer over the (2·LOCAL_RADIUS+1)² box, which follows shading the coarse prediction misses (a small
 * photo) and never averages paper with ink. The other layer (ink on white paper, dots) is read against its
 * block's robust level (`minority`), so the mark in the ink survives when a brightness change clips the paper.
 * Everything else (antialiased ramps, edges) gets 0.
 */
function refineResidual(g: Float32Array, coarse: Float32Array, minority: Float32Array, width: number, height: number): void {
  const n = width * height;
  const la = new Float32Array(n);
  const lc = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = coarse[i]!;
    if (r < INLIER_LEVELS && r > -INLIER_LEVELS) {
      lc[i] = 1;
      la[i] = g[i]!;
    }
  }
  const R = LOCAL_RADIUS;
  const rowA = new Float32Array(width);
  const rowC = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let a = 0;
    let c = 0;
    for (let x = 0; x < Math.min(R, width); x++) {
      a += la[base + x]!;
      c += lc[base + x]!;
    }
    for (let x = 0; x < width; x++) {
      if (x + R < width) {
        a += la[base + x + R]!;
        c += lc[base + x + R]!;
      }
      if (x - R - 1 >= 0) {
        a -= la[base + x - R - 1]!;
        c -= lc[base + x - R - 1]!;
      }
      rowA[x] = a;
      rowC[x] = c;
    }
    la.set(rowA, base);
    lc.set(rowC, base);
  }
  const colA = new Float64Array(width);
  const colC = new Float64Array(width);
  const bw = Math.ceil(width / PREDICT_BLOCK);
  for (let y = 0; y < Math.min(R, height); y++) {
    for (let x = 0, o = y * width; x < width; x++, o++) {
      colA[x]! += la[o]!;
      colC[x]! += lc[o]!;
    }
  }
  for (let y = 0; y < height; y++) {
    if (y + R < height) {
      for (let x = 0, o = (y + R) * width; x < width; x++, o++) {
        colA[x]! += la[o]!;
        colC[x]! += lc[o]!;
      }
    }
    if (y - R - 1 >= 0) {
      for (let x = 0, o = (y - R - 1) * width; x < width; x++, o++) {
        colA[x]! -= la[o]!;
        colC[x]! -= lc[o]!;
      }
    }
    const base = y * width;
    const brow = ((y / PREDICT_BLOCK) | 0) * bw;
    for (let x = 0; x < width; x++) {
      const i = base + x;
      const r = coarse[i]!;
      if (r < INLIER_LEVELS && r > -INLIER_LEVELS) {
        g[i] = g[i]! - colA[x]! / colC[x]!;
        continue;
      }
      const level = minority[brow + ((x / PREDICT_BLOCK) | 0)]!;
      const d = g[i]! - level;
      // NaN (no other layer in the block) fails the test too.
      g[i] = d < MINORITY_LEVELS && d > -MINORITY_LEVELS ? d : 0;
    }
  }
}

interface Whitened {
  white: Float32Array;
  width: number;
  height: number;
  /** `small` is `white` reduced by this factor (1 or 2), for the period search only. */
  factor: number;
  small: Float32Array;
}

/**
 * The detector's view of the mark: the prediction residual, where what the prediction misses by more than
 * WHITE_CLIP (the lines themselves, hard edges, JPEG ringing) fades to zero over the next WHITE_CLIP levels
 * instead of being clipped, so it adds no host noise. For large pictures the period search runs on a halved
 * copy (2 × 2 means: 2 px chips, as after a 50% resize; a quarter of the cost); the fold that reads the mark
 * stays at full size, where JPEG's block noise on line art does not alias into the chips.
 */
function whiten(image: WorkingImage): Whitened {
  const { width, height } = image;
  const g = lumaOf(image.rgb, width * height);
  const coarse = Float32Array.from(g);
  const minority = subtractPrediction(coarse, width, height);
  refineResidual(g, coarse, minority, width, height);
  const T = WHITE_CLIP;
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    const a = v < 0 ? -v : v;
    if (a > T) g[i] = a >= 2 * T ? 0 : v < 0 ? a - 2 * T : 2 * T - a;
  }
  if (Math.min(width, height) < HALVE_SIDE) return { white: g, width, height, factor: 1, small: g };
  const hw = width >> 1;
  const hh = height >> 1;
  const half = new Float32Array(hw * hh);
  for (let y = 0; y < hh; y++) {
    const a = 2 * y * width;
    const b = a + width;
    for (let x = 0; x < hw; x++) half[y * hw + x] = (g[a + 2 * x]! + g[a + 2 * x + 1]! + g[b + 2 * x]! + g[b + 2 * x + 1]!) * 0.25;
  }
  return { white: g, width, height, factor: 2, small: half };
}

const fftPlans = new Map<number, Fft>();
function fftOf(n: number): Fft {
  let plan = fftPlans.get(n);
  if (!plan) {
    plan = new Fft(n);
    fftPlans.set(n, plan);
  }
  return plan;
}

function fft2d(re: Float64Array, im: Float64Array, n: number): void {
  const fft = fftOf(n);
  const r = new Float64Array(n);
  const m = new Float64Array(n);
  for (let y = 0; y < n; y++) {
    r.set(re.subarray(y * n, y * n + n));
    m.set(im.subarray(y * n, y * n + n));
    fft.transform(r, m);
    re.set(r, y * n);
    im.set(m, y * n);
  }
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      r[y] = re[y * n + x]!;
      m[y] = im[y * n + x]!;
    }
    fft.transform(r, m);
    for (let y = 0; y < n; y++) {
      re[y * n + x] = r[y]!;
      im[y * n + x] = m[y]!;
    }
  }
}

/**
 * Mean autocorrelation per lag of the whitened rows and columns (every LINE_STEP-th), lags 0..maxLag.
 * Σ|X|² over lines then one transform (the power spectrum is real and even, so a forward FFT inverts it).
 */
function lineAutocorrelation(white: Float32Array, width: number, height: number, maxLag: number): Float64Array {
  const n = 2 ** Math.ceil(Math.log2(2 * Math.max(width, height)));
  const fft = fftOf(n);
  const power = new Float64Array(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const lines: Array<(buf: Float64Array) => void> = [];
  for (let y = 0; y < height; y += LINE_STEP) {
    lines.push((buf) => {
      for (let x = 0; x < width; x++) buf[x] = white[y * width + x]!;
    });
  }
  for (let x = 0; x < width; x += LINE_STEP) {
    lines.push((buf) => {
      for (let y = 0; y < height; y++) buf[y] = white[y * width + x]!;
    });
  }
  // Two real lines per complex transform: |X_a|² + |X_b|² = (|Z[k]|² + |Z[n−k]|²) / 2 for Z = a + i·b.
  for (let l = 0; l < lines.length; l += 2) {
    re.fill(0);
    im.fill(0);
    lines[l]!(re);
    if (l + 1 < lines.length) lines[l + 1]!(im);
    fft.transform(re, im);
    for (let k = 0; k < n; k++) {
      const k2 = (n - k) & (n - 1);
      power[k]! += (re[k]! * re[k]! + im[k]! * im[k]! + re[k2]! * re[k2]! + im[k2]! * im[k2]!) / 2;
    }
  }
  const zero = new Float64Array(n);
  fft.transform(power, zero);
  const rowsUsed = Math.ceil(height / LINE_STEP);
  const colsUsed = Math.ceil(width / LINE_STEP);
  const ac = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    const pairs = rowsUsed * Math.max(0, width - lag) + colsUsed * Math.max(0, height - lag);
    ac[lag] = pairs > 0 ? power[lag]! / n / pairs : 0;
  }
  return ac;
}

/** Tile periods whose harmonics stand out in the autocorrelation, best first, then the common scales. */
function periodCandidates(ac: Float64Array, factor: number): number[] {
  const maxLag = ac.length - 1;
  const at = (lag: number): number => {
    const i = Math.floor(lag);
    const t = lag - i;
    return (ac[i] ?? 0) * (1 - t) + (ac[i + 1] ?? 0) * t;
  };
  const scored: Array<{ period: number; score: number }> = [];
  const step = PERIOD_STEP / factor;
  for (let p = MIN_PERIOD / factor; p <= Math.min(MAX_PERIOD / factor, maxLag); p += step) {
    // Peak height over its surroundings: the mark's peaks are a chip wide (p/32), the picture's slopes are not.
    const side = p / 8;
    let sum = 0;
    let terms = 0;
    for (let lag = p; lag + side <= maxLag; lag += p) {
      sum += at(lag) - 0.5 * (at(lag - side) + at(lag + side));
      terms++;
    }
    // Σ/√terms: the true period beats its multiples (half the peaks) and its halves (twice the terms).
    if (terms > 0) scored.push({ period: p, score: sum / Math.sqrt(terms) });
  }
  const peaks = scored.filter((s, i) => s.score >= (scored[i - 1]?.score ?? -Infinity) && s.score >= (scored[i + 1]?.score ?? -Infinity));
  peaks.sort((a, b) => b.score - a.score);
  const chosen: number[] = [];
  for (const p of peaks) {
    if (chosen.length === AC_CANDIDATES) break;
    if (chosen.every((c) => Math.abs(c - p.period) > 1 / factor)) chosen.push(p.period);
  }
  // Strongly periodic pictures (hatching, halftones) can crowd the mark's period out of the list; the
  // untouched and half-size scales are always tried as well.
  for (const common of COMMON_PERIODS) {
    const p = common / factor;
    if (p <= maxLag && chosen.every((c) => Math.abs(c - p) > 0.5 / factor)) chosen.push(p);
  }
  return chosen;
}

/** Averages every period × period tile of the whitened image into one, resampled to TILE × TILE (cyclic). */
function foldTile(white: Float32Array, width: number, height: number, period: number): Float64Array {
  const q = Math.max(1, Math.round(period));
  const col = new Int32Array(width);
  const colCount = new Float64Array(q);
  for (let x = 0; x < width; x++) {
    col[x] = Math.min(q - 1, Math.floor(((x % period) * q) / period));
    colCount[col[x]!]! += 1;
  }
  const rowCount = new Float64Array(q);
  const sum = new Float64Array(q * q);
  for (let y = 0; y < height; y++) {
    const r = Math.min(q - 1, Math.floor(((y % period) * q) / period));
    rowCount[r]! += 1;
    const row = r * q;
    const base = y * width;
    for (let x = 0; x < width; x++) sum[row + col[x]!]! += white[base + x]!;
  }
  // Every (row bin, column bin) pair is visited rowCount × colCount times.
  for (let r = 0; r < q; r++) {
    for (let c = 0; c < q; c++) {
      const n = rowCount[r]! * colCount[c]!;
      sum[r * q + c] = n > 0 ? sum[r * q + c]! / n : 0;
    }
  }
  // Cyclic bilinear resample q → TILE; the fold sample k sits at the centre of its bin, (k + 0.5)·TILE/q.
  const out = new Float64Array(TILE * TILE);
  const ratio = q / TILE;
  for (let v = 0; v < TILE; v++) {
    const fy = (v + 0.5) * ratio - 0.5;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    const r0 = ((y0 % q) + q) % q;
    const r1 = (r0 + 1) % q;
    for (let u = 0; u < TILE; u++) {
      const fx = (u + 0.5) * ratio - 0.5;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const c0 = ((x0 % q) + q) % q;
      const c1 = (c0 + 1) % q;
      const top = sum[r0 * q + c0]! * (1 - tx) + sum[r0 * q + c1]! * tx;
      const bottom = sum[r1 * q + c0]! * (1 - tx) + sum[r1 * q + c1]! * tx;
      out[v * TILE + u] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

interface SyncPeak {
  z: number;
  dx: number;
  dy: number;
}

/** Cyclic cross-correlation of the folded tile with the sync template; the peak gives the crop's offset. */
function syncPeak(tile: Float64Array, pattern: KeyPattern): SyncPeak {
  const re = Float64Array.from(tile);
  const im = new Float64Array(TILE * TILE);
  fft2d(re, im, TILE);
  // C(d) = Σ_p tile(p + d)·t(p)  ⇔  F(tile)·conj(F(t)); inverse via conj-forward-conj.
  for (let i = 0; i < re.length; i++) {
    const ar = re[i]!;
    const ai = im[i]!;
    const br = pattern.templateRe[i]!;
    const bi = pattern.templateIm[i]!;
    re[i] = ar * br + ai * bi;
    im[i] = -(ai * br - ar * bi);
  }
  fft2d(re, im, TILE);
  let best = -Infinity;
  let at = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < re.length; i++) {
    const v = re[i]!;
    sum += v;
    sumSq += v * v;
    if (v > best) {
      best = v;
      at = i;
    }
  }
  const n = re.length;
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  const z = sd > 0 && Number.isFinite(sd) ? (best - mean) / sd : 0;
  return { z, dx: at % TILE, dy: Math.floor(at / TILE) };
}

/** Soft value per codeword bit: Σ over its chips and their pixels of tile(p + shift) · spreading sign. */
function readSoftBits(tile: Float64Array, pattern: KeyPattern, dx: number, dy: number): Float32Array {
  const soft = new Float32Array(CODEWORD_BITS);
  for (let y = 0; y < TILE; y++) {
    const chipRow = ((y / CHIP) | 0) * TILE_CHIPS;
    const ty = ((y + dy) % TILE) * TILE;
    for (let x = 0; x < TILE; x++) {
      const chip = chipRow + ((x / CHIP) | 0);
      const bit = pattern.bitOf[chip]!;
      if (bit < 0) continue;
      soft[bit]! += tile[ty + ((x + dx) % TILE)]! * pattern.sign[chip]!;
    }
  }
  return soft;
}

/** Standard normal upper tail (Abramowitz–Stegun 7.1.26 erfc approximation, relative error < 1.5e-7 × e^{-z²/2}). */
function normalTail(z: number): number {
  if (z < 0) return 1 - normalTail(-z);
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-x * x);
}

/** Looks for this key's mark; reports the payload only when the sync peak passes SYNC_Z_THRESHOLD and the CRC checks. */
export function detectImageMark(image: WorkingImage, key: string): ImageMarkDetection {
  checkWorkingImage(image);
  checkKey(key);
  const { width, height } = image;
  if (width < MIN_DETECT_SIDE || height < MIN_DETECT_SIDE) return { found: false, confidence: 0, syncZ: 0 };
  const pattern = patternFor(key);
  const read = whiten(image);
  const { white, factor } = read;
  const smallW = Math.floor(width / factor);
  const smallH = Math.floor(height / factor);
  const maxLag = Math.floor(Math.min(smallW, smallH) * 0.75);
  const ac = lineAutocorrelation(read.small, smallW, smallH, maxLag);
  let best: { peak: SyncPeak; period: number; tile: Float64Array } | null = null;
  for (const smallPeriod of periodCandidates(ac, factor)) {
    const period = smallPeriod * factor;
    const tile = foldTile(white, width, height, period);
    const peak = syncPeak(tile, pattern);
    if (!best || peak.z > best.peak.z) best = { peak, period, tile };
  }
  if (!best) return { found: false, confidence: 0, syncZ: 0 };
  const syncZ = best.peak.z;
  const scale = best.period / TILE;
  if (syncZ < SYNC_Z_THRESHOLD) return { found: false, confidence: 0, syncZ, scale };
  const softBits = readSoftBits(best.tile, pattern, best.peak.dx, best.peak.dy);
  const decoded = decodeCodeword(softBits);
  if (!decoded) return { found: false, confidence: 0, syncZ, scale };
  const chance = Math.min(1, SEARCH_TESTS * normalTail(syncZ)) * 2 ** -CRC_BITS;
  return { found: true, payload: decoded.payload, confidence: 1 - chance, syncZ, scale, corrected: decoded.corrected };
}
