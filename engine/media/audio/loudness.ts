// ITU-R BS.1770-4 loudness (K-weighting, gated integration) and 4× oversampled true peak, written from the Recommendation.
import { ABSOLUTE_GATE_LUFS, DB_FLOOR } from './constants';

/** Biquad coefficients, a0 normalised to 1. */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

// The K-weighting analogue prototypes behind BS.1770-4 Table 1 / Table 2 (the 48 kHz coefficients), as derived for
// arbitrary rates by the EBU loudness group (shelf: f0 ≈ 1681.97 Hz, +4.0 dB, Q ≈ 0.7072; high-pass: f0 ≈ 38.135 Hz, Q ≈ 0.5003).
const SHELF_F0 = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const HIGHPASS_F0 = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

/** Stage 1 of K-weighting: the head's acoustic effect, a high shelf, via the bilinear transform at `sampleRate`. */
export function preFilter(sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * SHELF_F0) / sampleRate);
  const vh = 10 ** (SHELF_GAIN_DB / 20);
  const vb = vh ** 0.4996667741545416;
  const a0 = 1 + k / SHELF_Q + k * k;
  return {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
}

/** Stage 2 of K-weighting: the RLB high-pass. */
export function rlbFilter(sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * HIGHPASS_F0) / sampleRate);
  const a0 = 1 + k / HIGHPASS_Q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / HIGHPASS_Q + k * k) / a0 };
}

function filterInto(input: Float32Array | Float64Array, f: Biquad, out: Float64Array): void {
  // Direct form I in double precision: the 38 Hz high-pass poles sit very close to z = 1.
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i] ?? 0;
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
}

/** BS.1770-4 §2: 400 ms gating blocks… */
const BLOCK_S = 0.4;
/** …overlapping by 75 %, i.e. a new block every 100 ms. */
const BLOCK_STEP_S = 0.1;
/** Relative gate: 10 LU below the absolute-gated loudness. */
const RELATIVE_GATE_LU = 10;
/** The −0.691 dB offset that makes a 997 Hz full-scale sine read −3.01 LKFS. */
const LOUDNESS_OFFSET = -0.691;

/** Channel weights G_i (BS.1770-4 Table 3) for the usual L R C LFE Ls Rs order; LFE is left out. */
function channelWeight(index: number, count: number): number {
  if (count === 6) return index === 3 ? 0 : index >= 4 ? 1.41 : 1;
  return 1;
}

/** Integrated loudness in LUFS; reports ABSOLUTE_GATE_LUFS when nothing passes the absolute gate (silence). */
export function integratedLoudness(channels: readonly Float32Array[], sampleRate: number): number {
  const length = channels[0]?.length ?? 0;
  if (length === 0) return ABSOLUTE_GATE_LUFS;
  const pre = preFilter(sampleRate);
  const rlb = rlbFilter(sampleRate);
  const step = Math.round(BLOCK_STEP_S * sampleRate);
  const stepsPerBlock = Math.round(BLOCK_S / BLOCK_STEP_S);
  const blockLength = step * stepsPerBlock;
  // Recordings shorter than one block are measured as one short block rather than not at all.
  const blocks = length >= blockLength ? Math.floor((length - blockLength) / step) + 1 : 1;
  const span = Math.min(blockLength, length);
  const weighted = new Float64Array(blocks);
  const stage1 = new Float64Array(length);
  const stage2 = new Float64Array(length);
  for (let c = 0; c < channels.length; c++) {
    const g = channelWeight(c, channels.length);
    if (g === 0) continue;
    filterInto(channels[c] as Float32Array, pre, stage1);
    filterInto(stage1, rlb, stage2);
    // Mean square per 100 ms step, then each block sums its four steps: O(n) however long the file.
    const stepCount = Math.ceil(length / step);
    const stepSums = new Float64Array(stepCount);
    for (let i = 0; i < length; i++) {
      const y = stage2[i] ?? 0;
      const s = Math.floor(i / step);
      stepSums[s] = (stepSums[s] ?? 0) + y * y;
    }
    for (let j = 0; j < blocks; j++) {
      let sum = 0;
      if (length >= blockLength) {
        for (let s = j; s < j + stepsPerBlock; s++) sum += stepSums[s] ?? 0;
      } else {
        for (const v of stepSums) sum += v;
      }
      weighted[j] = (weighted[j] ?? 0) + (g * sum) / span;
    }
  }
  const loudnessOf = (z: number): number => LOUDNESS_OFFSET + 10 * Math.log10(z);
  const aboveAbsolute = [...weighted].filter((z) => z > 0 && loudnessOf(z) > ABSOLUTE_GATE_LUFS);
  if (aboveAbsolute.length === 0) return ABSOLUTE_GATE_LUFS;
  const relativeGate = loudnessOf(aboveAbsolute.reduce((a, b) => a + b, 0) / aboveAbsolute.length) - RELATIVE_GATE_LU;
  const gated = aboveAbsolute.filter((z) => loudnessOf(z) > relativeGate);
  return loudnessOf(gated.reduce((a, b) => a + b, 0) / gated.length);
}

/** BS.1770-4 Annex 2: oversample 4× to find peaks between samples. */
const OVERSAMPLING = 4;
/** Taps per polyphase branch: 12 as in the Annex 2 example filter (48 taps in all). */
const TAPS_PER_PHASE = 12;
/**
 * Only stretches where a sample reaches within 6 dB of the sample peak are oversampled: an inter-sample peak
 * cannot rise more than ~3 dB above its neighbours for band-limited audio below fs/4, and this keeps a 30-minute
 * file fast. Near-Nyquist overs beyond that are missed (as a 4× meter partly misses them anyway).
 */
const TRUE_PEAK_SEARCH_RATIO = 0.5;

/** Branch k (k = 1..3) interpolates the instant n + k/4 from x[n−5..n+6]: Kaiser-windowed sinc, each branch normalised to unit DC gain. */
function polyphaseBranches(): Float64Array[] {
  const beta = 6; // Kaiser β: ≈ −60 dB side lobes, flat to well beyond 20 kHz at 48 kHz after 4× upsampling
  const besselI0 = (x: number): number => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (x / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  const half = TAPS_PER_PHASE / 2;
  const branches: Float64Array[] = [];
  for (let k = 1; k < OVERSAMPLING; k++) {
    const h = new Float64Array(TAPS_PER_PHASE);
    const frac = k / OVERSAMPLING;
    let sum = 0;
    for (let m = 0; m < TAPS_PER_PHASE; m++) {
      const t = m - (half - 1) - frac; // tap m multiplies x[n + m − (half − 1)]
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const r = t / (half + 0.5);
      const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
      h[m] = sinc * w;
      sum += sinc * w;
    }
    for (let m = 0; m < TAPS_PER_PHASE; m++) h[m] = (h[m] ?? 0) / sum;
    branches.push(h);
  }
  return branches;
}

/** The highest absolute level among samples and 4× interpolated instants, in dBTP (DB_FLOOR for silence). */
export function truePeak(channels: readonly Float32Array[]): number {
  const branches = polyphaseBranches();
  const half = TAPS_PER_PHASE / 2;
  let peak = 0;
  for (const ch of channels) {
    let samplePeak = 0;
    for (let i = 0; i < ch.length; i++) samplePeak = Math.max(samplePeak, Math.abs(ch[i] ?? 0));
    peak = Math.max(peak, samplePeak);
    const search = samplePeak * TRUE_PEAK_SEARCH_RATIO;
    for (let n = 0; n < ch.length; n++) {
      if (Math.abs(ch[n] ?? 0) < search && Math.abs(ch[n + 1] ?? 0) < search) continue;
      for (const h of branches) {
        let y = 0;
        for (let m = 0; m < TAPS_PER_PHASE; m++) y += (h[m] ?? 0) * (ch[n + m - (half - 1)] ?? 0);
        const a = Math.abs(y);
        if (a > peak) peak = a;
      }
    }
  }
  return peak > 0 ? Math.max(DB_FLOOR, 20 * Math.log10(peak)) : DB_FLOOR;
}
