// The fixed-length style descriptor of an image: colour, edges/lines and texture, for set-level outlier checks.
import type { Plane } from './pixels';
import type { EdgeSurvey, PixelSurvey } from './survey';

/**
 * Block layout (every value roughly 0..1, so no block drowns the others before the set standardises them):
 *
 * colour (15)   0–7   hue histogram, 8 bins of 45° from red, each pixel weighted by its chroma (max−min)/255,
 *                     divided by the pixel count — greys add nothing, so a monochrome image is all zeros here;
 *               8–12  lightness histogram, 5 equal bins of grey level (share of pixels);
 *               13    mean chroma; 14 colourfulness / 100 (Hasler–Süsstrunk).
 * edges (8)     15    edge density (share of pixels with Sobel magnitude ≥ EDGE_MAGNITUDE);
 *               16    mean gradient magnitude / 64;
 *               17–20 edge orientation histogram (share of edge pixels: vertical line, 45°, horizontal, 135°);
 *               21    ink share (pixels away from the background colour); 22 fill share (ink away from any edge).
 * texture (6)   23    log10(1 + Laplacian variance) / 4; 24 grey standard deviation / 128;
 *               25    mean of 8×8-block grey standard deviations / 64; 26 their spread (std) / 64;
 *               27    share of flat blocks (std < 4 levels); 28 grey-level entropy (16 bins) / 4 bits.
 */
export const DESCRIPTOR_BLOCKS = [
  { name: 'colour', start: 0, length: 15 },
  { name: 'edges and lines', start: 15, length: 8 },
  { name: 'texture', start: 23, length: 6 },
] as const;

export const DESCRIPTOR_LENGTH = 29;

export interface DescriptorInputs {
  pixels: PixelSurvey;
  edges: EdgeSurvey;
  sharpness: number;
  colourfulness: number;
  inkShare: number;
  fillShare: number;
}

const BLOCK = 8;
const FLAT_BLOCK_STD = 4;

/** Standard deviations of the grey plane's whole 8 × 8 blocks. */
function blockDeviations(grey: Plane): number[] {
  const out: number[] = [];
  const { width: w, data } = grey;
  for (let by = 0; by + BLOCK <= grey.height; by += BLOCK) {
    for (let bx = 0; bx + BLOCK <= w; bx += BLOCK) {
      let s = 0;
      let s2 = 0;
      for (let y = by; y < by + BLOCK; y++) {
        for (let i = y * w + bx, end = i + BLOCK; i < end; i++) {
          const v = data[i]!;
          s += v;
          s2 += v * v;
        }
      }
      const m = s / (BLOCK * BLOCK);
      out.push(Math.sqrt(Math.max(0, s2 / (BLOCK * BLOCK) - m * m)));
    }
  }
  return out;
}

export function styleDescriptor(inputs: DescriptorInputs): number[] {
  const { pixels, edges } = inputs;
  const grey = pixels.grey;
  const n = grey.width * grey.height;
  const out: number[] = [];

  for (const c of pixels.hueChroma) out.push(c / n);
  const lightness = [0, 0, 0, 0, 0];
  let sum = 0;
  let sum2 = 0;
  const coarse = new Array<number>(16).fill(0);
  pixels.greyHistogram.forEach((count, level) => {
    const k = Math.min(4, Math.floor(level / 51.2));
    lightness[k] = lightness[k]! + count;
    coarse[level >> 4] = coarse[level >> 4]! + count;
    sum += count * level;
    sum2 += count * level * level;
  });
  for (const c of lightness) out.push(c / n);
  out.push(pixels.chroma / n, inputs.colourfulness / 100);

  out.push(edges.edgeCount / n, edges.meanMagnitude / 64);
  for (const c of edges.orientation) out.push(edges.edgeCount > 0 ? c / edges.edgeCount : 0);
  out.push(inputs.inkShare, inputs.fillShare);

  const mean = sum / n;
  out.push(Math.log10(1 + inputs.sharpness) / 4, Math.sqrt(Math.max(0, sum2 / n - mean * mean)) / 128);
  const blocks = blockDeviations(grey);
  if (blocks.length > 0) {
    const bm = blocks.reduce((a, b) => a + b, 0) / blocks.length;
    const bv = blocks.reduce((a, b) => a + (b - bm) * (b - bm), 0) / blocks.length;
    out.push(bm / 64, Math.sqrt(bv) / 64, blocks.filter((v) => v < FLAT_BLOCK_STD).length / blocks.length);
  } else {
    out.push(0, 0, 0);
  }
  let entropy = 0;
  for (const c of coarse) if (c > 0) entropy -= (c / n) * Math.log2(c / n);
  out.push(entropy / 4);
  return out.map((v) => Math.round(v * 1e6) / 1e6);
}
