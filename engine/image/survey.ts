// One pass over the working image's pixels and one over its gradients, gathering what every check needs,
// so analysis stays a few milliseconds per image (the import bench budget).
import { colourBin, emptyColourBins, type ColourBins, type OpponentSums } from './palette';
import { EDGE_MAGNITUDE } from './thresholds';
import type { Plane, WorkingImage } from './pixels';

export interface PixelSurvey {
  /** Luma (BT.601) on 0..255. */
  grey: Plane;
  bins: ColourBins;
  opponent: OpponentSums;
  /** Chroma-weighted hue histogram: 8 bins of 45° centred on red, 60°… (sum of chroma/255 per bin). */
  hueChroma: number[];
  /** Sum of chroma/255 over all pixels. */
  chroma: number;
  /** Grey-level histogram, 256 bins. */
  greyHistogram: Uint32Array;
}

export function surveyPixels(image: WorkingImage): PixelSurvey {
  const n = image.width * image.height;
  const rgb = image.rgb;
  const grey = new Float32Array(n);
  const bins = emptyColourBins();
  const { count, sums } = bins;
  const hueChroma = [0, 0, 0, 0, 0, 0, 0, 0];
  const greyHistogram = new Uint32Array(256);
  let chroma = 0;
  let rgSum = 0;
  let ybSum = 0;
  let rg2 = 0;
  let yb2 = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = rgb[j]!;
    const g = rgb[j + 1]!;
    const b = rgb[j + 2]!;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    grey[i] = y;
    greyHistogram[(y + 0.5) | 0]!++;
    const bin = colourBin(r, g, b);
    count[bin]!++;
    sums[bin * 3] = sums[bin * 3]! + r;
    sums[bin * 3 + 1] = sums[bin * 3 + 1]! + g;
    sums[bin * 3 + 2] = sums[bin * 3 + 2]! + b;
    const rg = r - g;
    const yb = (r + g) / 2 - b;
    rgSum += rg;
    ybSum += yb;
    rg2 += rg * rg;
    yb2 += yb * yb;
    const max = r > g ? (r > b ? r : b) : g > b ? g : b;
    const min = r < g ? (r < b ? r : b) : g < b ? g : b;
    if (max > min) {
      const d = max - min;
      const c = d / 255;
      chroma += c;
      // Hue in degrees (0..360 from red), shifted by half a 45° bin so red sits in the middle of bin 0.
      let hue = (max === r ? (g - b) / d : max === g ? (b - r) / d + 2 : (r - g) / d + 4) * 60 + 22.5;
      if (hue < 0) hue += 360;
      else if (hue >= 360) hue -= 360;
      const k = (hue / 45) | 0;
      hueChroma[k] = hueChroma[k]! + c;
    }
  }
  return {
    grey: { width: image.width, height: image.height, data: grey },
    bins,
    opponent: { rg: rgSum, yb: ybSum, rg2, yb2, n },
    hueChroma,
    chroma,
    greyHistogram,
  };
}

export interface EdgeSurvey {
  /** 1 where the Sobel magnitude (scaled so a black-to-white step reads ≈255) is ≥ EDGE_MAGNITUDE. */
  edges: Uint8Array;
  edgeCount: number;
  /** Edge pixels by gradient direction: vertical line, 45°, horizontal line, 135°. */
  orientation: number[];
  /** Mean Sobel magnitude over all pixels. */
  meanMagnitude: number;
}

/** Sobel gradients of the grey plane, reduced on the fly to the edge mask and its statistics. */
export function surveyEdges(grey: Plane): EdgeSurvey {
  const { width: w, height: h, data: g } = grey;
  const edges = new Uint8Array(w * h);
  const orientation = [0, 0, 0, 0];
  const tan22 = Math.tan(Math.PI / 8);
  const tan67 = Math.tan((3 * Math.PI) / 8);
  const threshold2 = (EDGE_MAGNITUDE * 4) ** 2;
  let edgeCount = 0;
  let magnitudeSum = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const a = g[i - w - 1]!;
      const c = g[i - w + 1]!;
      const p = g[i + w - 1]!;
      const r = g[i + w + 1]!;
      const gx = c + 2 * g[i + 1]! + r - a - 2 * g[i - 1]! - p;
      const gy = p + 2 * g[i + w]! + r - a - 2 * g[i - w]! - c;
      const m2 = gx * gx + gy * gy;
      magnitudeSum += Math.sqrt(m2);
      if (m2 >= threshold2) {
        edges[i] = 1;
        edgeCount++;
        const ax = gx < 0 ? -gx : gx;
        const ay = gy < 0 ? -gy : gy;
        const k = ay <= ax * tan22 ? 0 : ay >= ax * tan67 ? 2 : gx * gy > 0 ? 1 : 3;
        orientation[k] = orientation[k]! + 1;
      }
    }
  }
  return { edges, edgeCount, orientation, meanMagnitude: magnitudeSum / 4 / (w * h) };
}

/** The mask grown by `reach` pixels in every direction (a square structuring element), in two separable passes. */
export function dilate(mask: Uint8Array, width: number, height: number, reach: number): Uint8Array {
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -Infinity;
    for (let x = 0; x < width + reach; x++) {
      if (x < width && mask[row + x]) last = x;
      const at = x - reach;
      if (at >= 0 && at < width && x - last <= 2 * reach) rows[row + at] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height + reach; y++) {
      if (y < height && rows[y * width + x]) last = y;
      const at = y - reach;
      if (at >= 0 && at < height && y - last <= 2 * reach) out[at * width + x] = 1;
    }
  }
  return out;
}
