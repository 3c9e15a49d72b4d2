// CIE L*a*b* (D65) ↔ 8-bit sRGB, the perceptual space the style engine matches palettes and tone in.

/** sRGB D65 white point (IEC 61966-2-1), the white CIE Lab is relative to. */
const WHITE_X = 0.95047;
const WHITE_Y = 1;
const WHITE_Z = 1.08883;
/** CIE 1976 constants: ε = (6/29)³ and κ = (29/3)³. */
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

/** sRGB transfer curve decoded once per 8-bit level. */
const LINEAR = (() => {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return t;
})();

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

function encodeSrgb(linear: number): number {
  const c = linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055;
  const v = Math.round(c * 255);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Interleaved RGB (3 bytes per pixel) → interleaved Lab (L 0..100, a/b ≈ −128..127). */
export function rgbToLab(rgb: Uint8Array): Float32Array {
  const n = (rgb.length / 3) | 0;
  const lab = new Float32Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = LINEAR[rgb[j]!]!;
    const g = LINEAR[rgb[j + 1]!]!;
    const b = LINEAR[rgb[j + 2]!]!;
    const fx = labF((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / WHITE_X);
    const fy = labF((0.2126729 * r + 0.7151522 * g + 0.072175 * b) / WHITE_Y);
    const fz = labF((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / WHITE_Z);
    lab[j] = 116 * fy - 16;
    lab[j + 1] = 500 * (fx - fy);
    lab[j + 2] = 200 * (fy - fz);
  }
  return lab;
}

/** Interleaved Lab → interleaved 8-bit sRGB, out-of-gamut values clipped per channel. */
export function labToRgb(lab: Float32Array): Uint8Array {
  const n = (lab.length / 3) | 0;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const fy = (lab[j]! + 16) / 116;
    const fx = fy + lab[j + 1]! / 500;
    const fz = fy - lab[j + 2]! / 200;
    const fx3 = fx * fx * fx;
    const fz3 = fz * fz * fz;
    const x = (fx3 > EPSILON ? fx3 : (116 * fx - 16) / KAPPA) * WHITE_X;
    const y = (lab[j]! > KAPPA * EPSILON ? fy * fy * fy : lab[j]! / KAPPA) * WHITE_Y;
    const z = (fz3 > EPSILON ? fz3 : (116 * fz - 16) / KAPPA) * WHITE_Z;
    rgb[j] = encodeSrgb(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
    rgb[j + 1] = encodeSrgb(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
    rgb[j + 2] = encodeSrgb(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
  }
  return rgb;
}

/** One channel of an interleaved buffer as its own plane. */
export function channelOf(data: Float32Array, channels: number, channel: number): Float32Array {
  const n = (data.length / channels) | 0;
  const out = new Float32Array(n);
  for (let i = 0, j = channel; i < n; i++, j += channels) out[i] = data[j]!;
  return out;
}

/** Mean and standard deviation of each Lab channel (the statistics Reinhard et al. 2001 transfer). */
export interface LabStats {
  mean: [number, number, number];
  std: [number, number, number];
}

export function labStats(lab: Float32Array): LabStats {
  const n = (lab.length / 3) | 0;
  const s = [0, 0, 0];
  const s2 = [0, 0, 0];
  for (let i = 0; i < n * 3; i += 3) {
    for (let c = 0; c < 3; c++) {
      const v = lab[i + c]!;
      s[c] = s[c]! + v;
      s2[c] = s2[c]! + v * v;
    }
  }
  const mean = s.map((v) => v / Math.max(1, n)) as [number, number, number];
  const std = s2.map((v, c) => Math.sqrt(Math.max(0, v / Math.max(1, n) - mean[c]! * mean[c]!))) as [number, number, number];
  return { mean, std };
}
