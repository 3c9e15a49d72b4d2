// The invisible, keyed image mark: a periodic spread-spectrum tile in luma, found again after crops and resizes by its own autocorrelation.
import { createHash } from 'node:crypto';
import { AtelierError } from '../../errors';
import { Fft } from '../../media/audio/fft';
import { xorshift32 } from '../../random';
import { boxMean, greyPlane, type WorkingImage } from '../../image/pixels';
import { CODEWORD_BITS, CRC_BITS, decodeCodeword, encodeCodeword } from '../payload';

/*
 * Design. The mark is one tile of TILE_CHIPS² chips, each CHIP px square, repeated over the whole image.
 * SYNC_CHIPS chips carry a fixed key-derived ±1 pattern (the synchronisation template); the others carry the
 * 172 codeword bits, each bit spread over DATA_CHIPS_PER_BIT chips with key-derived signs and positions.
 * The pattern is added to luma with a strength that follows local texture (perceptual masking), normalised
 * so the image-wide mean squared change is TARGET_MSE (PSNR ≈ 41 dB).
 * Detection: whiten luma (local mean removed, divided by local contrast, clipped); the sum of row and column
 * autocorrelations peaks at multiples of the tile period, which gives the scale; the image is folded modulo
 * that period (averaging every tile into one), resampled to TILE px and cross-correlated with the sync
 * template over all TILE² cyclic shifts (FFT), which gives the translation left by a crop; the data chips are
 * then read at that shift and soft-Viterbi decoded; the CRC-16 confirms.
 */

/** Chip side at embedding scale. 4 px stays above JPEG q50's quantisation and survives a 50% resize (2 px). */
export const CHIP = 4;
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
/** Local statistics window radius (9×9) for masking and for the detector's whitening. */
const LOCAL_RADIUS = 4;
/** 4×4 Bayer matrix (ordered dither thresholds 0..15). */
const BAYER = Uint8Array.of(0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5);
/** Whitening clip in grey levels (≈ 3 mark amplitudes). */
const WHITE_CLIP = 8;

/** Periods searched by the detector: scales 0.375–1.6 of the embedded image. */
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
 * Under the null (no mark, or another key) each surface value is a sum over 336 chips × 16 px of host noise
 * times independent ±1 template signs, so it is close to N(0, σ²); the search makes PERIOD_CANDIDATES × TILE²
 * = 49,152 tests. With z ≥ 7: Q(7) = 1.28e-12, union bound 49,152 × 1.28e-12 = 6.3e-8 < 1e-6 from the sync
 * alone; the CRC-16 on the independently read data chips multiplies that by 2⁻¹⁶ (≈ 1e-12 overall).
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
 * Per-pixel mark strength in grey levels: FLAT_FLOOR in flat areas, rising with local contrast up to
 * MAX_STRENGTH, scaled down when needed so the mean squared change stays at TARGET_MSE (PSNR ≥ 40 dB).
 */
function maskingStrength(grey: Float32Array, width: number, height: number): Float32Array {
  const plane = { width, height, data: grey };
  const mean = boxMean(plane, LOCAL_RADIUS);
  const sq = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) sq[i] = grey[i]! * grey[i]!;
  const meanSq = boxMean({ width, height, data: sq }, LOCAL_RADIUS);
  const strength = new Float32Array(grey.length);
  let energy = 0;
  for (let i = 0; i < grey.length; i++) {
    const sd = Math.sqrt(Math.max(0, meanSq[i]! - mean[i]! * mean[i]!));
    const s = Math.min(MAX_STRENGTH, FLAT_FLOOR + TEXTURE_GAIN * sd);
    strength[i] = s;
    energy += s * s;
  }
  const gain = Math.min(1, Math.sqrt((TARGET_MSE * grey.length) / Math.max(energy, 1e-9)));
  if (gain < 1) for (let i = 0; i < grey.length; i++) strength[i] = strength[i]! * gain;
  return strength;
}

/** Adds the keyed mark carrying `payload` (8 bytes) to a copy of `image`. */
export function embedImageMark(image: WorkingImage, payload: Uint8Array, key: string): WorkingImage {
  checkWorkingImage(image);
  checkKey(key);
  const word = encodeCodeword(payload);
  const pattern = patternFor(key);
  const { width, height } = image;
  const out = new Uint8Array(image.rgb);
  if (width === 0 || height === 0) return { width, height, rgb: out };
  const chipValue = new Float32Array(CHIPS);
  for (let c = 0; c < CHIPS; c++) {
    const bit = pattern.bitOf[c]!;
    chipValue[c] = bit < 0 ? pattern.sync[c]! : pattern.sign[c]! * (word[bit] ? 1 : -1);
  }
  const grey = greyPlane(image).data;
  const strength = maskingStrength(grey, width, height);
  for (let y = 0; y < height; y++) {
    const chipRow = (((y / CHIP) | 0) % TILE_CHIPS) * TILE_CHIPS;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const delta = strength[i]! * chipValue[chipRow + (((x / CHIP) | 0) % TILE_CHIPS)]!;
      const j = i * 3;
      // Ordered dither instead of plain rounding, so a 2.5-level change does not always round up to 3.
      const dithered = delta + ((BAYER[((y & 3) << 2) | (x & 3)]! + 0.5) / 16 - 0.5);
      // Same change on R, G and B: a pure luma change, the channel JPEG and WebP keep at full resolution.
      out[j] = Math.min(255, Math.max(0, Math.round(out[j]! + dithered)));
      out[j + 1] = Math.min(255, Math.max(0, Math.round(out[j + 1]! + dithered)));
      out[j + 2] = Math.min(255, Math.max(0, Math.round(out[j + 2]! + dithered)));
    }
  }
  return { width, height, rgb: out };
}

/**
 * Luma with the picture's own structure removed: g − local mean, clipped to ±WHITE_CLIP grey levels so busy
 * texture and edges count no more than a few mark amplitudes (a fixed clip, not a division by local contrast,
 * which would shrink the mark exactly where masking made it strongest).
 */
function whiten(image: WorkingImage): Float32Array {
  const plane = greyPlane(image);
  const g = plane.data;
  const mean = boxMean(plane, LOCAL_RADIUS);
  const out = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const v = g[i]! - mean[i]!;
    out[i] = v > WHITE_CLIP ? WHITE_CLIP : v < -WHITE_CLIP ? -WHITE_CLIP : v;
  }
  return out;
}

function fft2d(re: Float64Array, im: Float64Array, n: number): void {
  const fft = new Fft(n);
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
  const fft = new Fft(n);
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
function periodCandidates(ac: Float64Array): number[] {
  const maxLag = ac.length - 1;
  const at = (lag: number): number => {
    const i = Math.floor(lag);
    const t = lag - i;
    return (ac[i] ?? 0) * (1 - t) + (ac[i + 1] ?? 0) * t;
  };
  const scored: Array<{ period: number; score: number }> = [];
  for (let p = MIN_PERIOD; p <= Math.min(MAX_PERIOD, maxLag); p += PERIOD_STEP) {
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
    if (chosen.every((c) => Math.abs(c - p.period) > 1)) chosen.push(p.period);
  }
  // Strongly periodic pictures (hatching, halftones) can crowd the mark's period out of the list; the
  // untouched and half-size scales are always tried as well.
  for (const p of COMMON_PERIODS) if (p <= maxLag && chosen.every((c) => Math.abs(c - p) > 0.5)) chosen.push(p);
  return chosen;
}

/** Averages every period × period tile of the whitened image into one, resampled to TILE × TILE (cyclic). */
function foldTile(white: Float32Array, width: number, height: number, period: number): Float64Array {
  const q = Math.max(1, Math.floor(period));
  const col = new Int32Array(width);
  for (let x = 0; x < width; x++) col[x] = Math.min(q - 1, Math.floor(((x % period) * q) / period));
  const sum = new Float64Array(q * q);
  const count = new Float64Array(q * q);
  for (let y = 0; y < height; y++) {
    const row = Math.min(q - 1, Math.floor(((y % period) * q) / period)) * q;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      sum[row + col[x]!]! += white[base + x]!;
      count[row + col[x]!]! += 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i]! > 0 ? sum[i]! / count[i]! : 0;
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
  const white = whiten(image);
  const maxLag = Math.floor(Math.min(width, height) * 0.75);
  const ac = lineAutocorrelation(white, width, height, maxLag);
  let best: { peak: SyncPeak; period: number; tile: Float64Array } | null = null;
  for (const period of periodCandidates(ac)) {
    const tile = foldTile(white, width, height, period);
    const peak = syncPeak(tile, pattern);
    if (!best || peak.z > best.peak.z) best = { peak, period, tile };
  }
  if (!best) return { found: false, confidence: 0, syncZ: 0 };
  const syncZ = best.peak.z;
  const scale = best.period / TILE;
  if (syncZ < SYNC_Z_THRESHOLD) return { found: false, confidence: 0, syncZ, scale };
  const decoded = decodeCodeword(readSoftBits(best.tile, pattern, best.peak.dx, best.peak.dy));
  if (!decoded) return { found: false, confidence: 0, syncZ, scale };
  const chance = Math.min(1, SEARCH_TESTS * normalTail(syncZ)) * 2 ** -CRC_BITS;
  return { found: true, payload: decoded.payload, confidence: 1 - chance, syncZ, scale, corrected: decoded.corrected };
}
