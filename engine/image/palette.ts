// Dominant colours of an image, their names for tags, and Hasler–Süsstrunk colourfulness.
/** A dominant colour: its mean RGB and the share of pixels it covers. */
export interface PaletteColour {
  r: number;
  g: number;
  b: number;
  share: number;
}

/** 3 bits per channel (512 boxes): coarse enough to gather a flat fill and its JPEG noise into one colour. */
export const PALETTE_BIN_BITS = 3;
/** Boxes whose mean colours are closer than this (RGB distance) are one colour; ≈ a just-clearly-different shade. */
const MERGE_DISTANCE = 48;
/** Colours covering less than 2% of the picture are accents, not its palette. */
const MIN_SHARE = 0.02;
export const MAX_PALETTE = 6;

/** Pixel counts and RGB sums per colour box, gathered in one pass over the pixels (see surveyPixels). */
export interface ColourBins {
  count: Float64Array;
  sums: Float64Array;
}

export function emptyColourBins(): ColourBins {
  const bins = 1 << (PALETTE_BIN_BITS * 3);
  return { count: new Float64Array(bins), sums: new Float64Array(bins * 3) };
}

/** The colour box of an RGB value. */
export function colourBin(r: number, g: number, b: number): number {
  const shift = 8 - PALETTE_BIN_BITS;
  return ((r >> shift) << (2 * PALETTE_BIN_BITS)) | ((g >> shift) << PALETTE_BIN_BITS) | (b >> shift);
}

/**
 * Dominant colours, most frequent first (up to MAX_PALETTE, each ≥ 2% of the pixels): boxes taken from the
 * fullest down, each merged into the first colour within MERGE_DISTANCE. Deterministic.
 */
export function dominantColours(bins: ColourBins, pixels: number): PaletteColour[] {
  const { count, sums } = bins;
  const order = Array.from({ length: count.length }, (_, i) => i)
    .filter((i) => count[i]! > 0)
    .sort((a, b) => count[b]! - count[a]! || a - b);
  const clusters: Array<{ r: number; g: number; b: number; count: number }> = [];
  for (const bin of order) {
    const c = count[bin]!;
    const r = sums[bin * 3]! / c;
    const g = sums[bin * 3 + 1]! / c;
    const b = sums[bin * 3 + 2]! / c;
    const near = clusters.find((k) => Math.hypot(k.r - r, k.g - g, k.b - b) < MERGE_DISTANCE);
    if (near) {
      const total = near.count + c;
      near.r = (near.r * near.count + r * c) / total;
      near.g = (near.g * near.count + g * c) / total;
      near.b = (near.b * near.count + b * c) / total;
      near.count = total;
    } else {
      clusters.push({ r, g, b, count: c });
    }
  }
  return clusters
    .sort((a, b) => b.count - a.count)
    .map((k) => ({ r: k.r, g: k.g, b: k.b, share: k.count / pixels }))
    .filter((k) => k.share >= MIN_SHARE)
    .slice(0, MAX_PALETTE);
}

export function toHex(c: { r: number; g: number; b: number }): string {
  const h = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
  return `#${h(c.r)}${h(c.g)}${h(c.b)}`;
}

/** The small named palette tags use. */
export type ColourName = 'black' | 'white' | 'grey' | 'red' | 'orange' | 'brown' | 'yellow' | 'green' | 'teal' | 'blue' | 'purple' | 'pink';

/** Names a colour by hue, saturation and lightness (HSL); the hue borders follow the usual colour-wheel names. */
export function colourName(c: { r: number; g: number; b: number }): ColourName {
  const r = c.r / 255;
  const g = c.g / 255;
  const b = c.b / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (l < 0.15) return 'black';
  if (l > 0.9 && s < 0.5) return 'white';
  if (s < 0.15 || d < 0.08) return l < 0.35 ? 'black' : l > 0.85 ? 'white' : 'grey';
  let hue = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  hue = (hue * 60 + 360) % 360;
  if (hue < 15 || hue >= 345) return l < 0.3 ? 'brown' : 'red';
  if (hue < 45) return l < 0.45 ? 'brown' : 'orange';
  if (hue < 70) return l < 0.35 ? 'brown' : 'yellow';
  if (hue < 165) return 'green';
  if (hue < 195) return 'teal';
  if (hue < 255) return 'blue';
  if (hue < 290) return 'purple';
  return 'pink';
}

/** Running sums of the opponent channels rg = R − G and yb = (R + G)/2 − B, gathered in the pixel survey. */
export interface OpponentSums {
  rg: number;
  yb: number;
  rg2: number;
  yb2: number;
  n: number;
}

/**
 * Colourfulness M of Hasler & Süsstrunk, "Measuring colourfulness in natural images" (SPIE 2003):
 * M = √(σrg² + σyb²) + 0.3·√(μrg² + μyb²). Their scale: 0 not colourful, 15 slightly, 33 moderately,
 * 45 averagely, 59 quite, 82 highly, 109 extremely colourful.
 */
export function colourfulness(s: OpponentSums): number {
  const mRg = s.rg / s.n;
  const mYb = s.yb / s.n;
  const vRg = Math.max(0, s.rg2 / s.n - mRg * mRg);
  const vYb = Math.max(0, s.yb2 / s.n - mYb * mYb);
  return Math.sqrt(vRg + vYb) + 0.3 * Math.sqrt(mRg * mRg + mYb * mYb);
}
