// In-place radix-2 FFT and the small spectral helpers the audio analysis shares (no native code needed at these sizes).

/** Precomputed twiddles and bit reversal for one power-of-two size; reuse it across frames. */
export class Fft {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(size: number) {
    if (!Number.isInteger(Math.log2(size)) || size < 2) throw new RangeError(`FFT size must be a power of two, got ${size}`);
    this.size = size;
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / size);
    }
    this.reversed = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  /** Forward transform of (re, im) in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const j = this.reversed[i] ?? 0;
      if (j > i) {
        const tr = re[i] ?? 0;
        re[i] = re[j] ?? 0;
        re[j] = tr;
        const ti = im[i] ?? 0;
        im[i] = im[j] ?? 0;
        im[j] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step] ?? 0;
          const wi = this.sin[k * step] ?? 0;
          const a = start + k;
          const b = a + half;
          const br = re[b] ?? 0;
          const bi = im[b] ?? 0;
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          const ar = re[a] ?? 0;
          const ai = im[a] ?? 0;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
  }
}

/** A periodic Hann window (the usual STFT choice: good sidelobes, sums to a constant at 50% overlap). */
export function hannWindow(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return w;
}

/** One channel: the average of all channels (analysis that does not care about stereo image). */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (ch[i] ?? 0);
  const scale = 1 / channels.length;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) * scale;
  return out;
}

/** Kernel table resolution: entries per input-sample step (nearest entry; error far below analysis needs). */
const KERNEL_STEPS = 256;

/**
 * Resamples to `targetRate` for analysis: a Blackman-windowed sinc low-pass (cut-off 0.45 × the lower rate,
 * so nothing folds back) evaluated at each output instant from a precomputed table. Not for playback.
 */
export function resampleForAnalysis(samples: Float32Array, fromRate: number, targetRate: number): Float32Array {
  if (fromRate === targetRate) return samples;
  const ratio = fromRate / targetRate;
  const outLength = Math.floor(samples.length / ratio);
  const out = new Float32Array(outLength);
  const cutoff = (0.45 * Math.min(fromRate, targetRate)) / fromRate; // cycles per input sample
  const halfTaps = Math.ceil(8 * Math.max(1, ratio));
  const table = new Float64Array(2 * halfTaps * KERNEL_STEPS + 1);
  for (let k = 0; k < table.length; k++) {
    const t = k / KERNEL_STEPS - halfTaps;
    const x = 2 * cutoff * t;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const u = k / (table.length - 1);
    table[k] = sinc * (0.42 - 0.5 * Math.cos(2 * Math.PI * u) + 0.08 * Math.cos(4 * Math.PI * u));
  }
  for (let o = 0; o < outLength; o++) {
    const centre = o * ratio;
    const first = Math.max(0, Math.ceil(centre - halfTaps));
    const last = Math.min(samples.length - 1, Math.floor(centre + halfTaps));
    let acc = 0;
    let norm = 0;
    for (let i = first; i <= last; i++) {
      const h = table[Math.round((i - centre + halfTaps) * KERNEL_STEPS)] ?? 0;
      acc += (samples[i] ?? 0) * h;
      norm += h;
    }
    out[o] = norm !== 0 ? acc / norm : 0;
  }
  return out;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, p * (sorted.length - 1)));
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (at - lo);
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

export function dbFromPower(power: number, floorDb: number): number {
  return power > 0 ? Math.max(floorDb, 10 * Math.log10(power)) : floorDb;
}
