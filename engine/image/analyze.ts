// The per-asset image checks: metrics, findings with their thresholds and reasons, suggested tags, style descriptor.
import { styleDescriptor } from './descriptor';
import { overlayLikelihood } from './overlay';
import { colourName, colourfulness, dominantColours, toHex, type PaletteColour } from './palette';
import { perceptualHash } from './phash';
import { resamplePlane, type Plane, type WorkingImage } from './pixels';
import { dilate, surveyEdges, surveyPixels } from './survey';
import {
  BLUR_MAX_SHARPNESS,
  HIGH_CONTRAST_SPREAD,
  LINE_ART_MAX_FILL,
  LINE_ART_MIN_BACKGROUND,
  LINE_ART_MIN_EDGES,
  MINIMUM_SHORT_SIDE,
  MONOCHROME_MAX_COLOURFULNESS,
  MUTED_MAX_COLOURFULNESS,
  NON_SQUARE_WARN_DISCARD,
  OVERLAY_WARN_SCORE,
  RECOMMENDED_SHORT_SIDE,
  VIVID_MIN_COLOURFULNESS,
  WORKING_SIZE,
} from './thresholds';
import type { CropSquare, ImageFinding, ImageMetrics, ImageQualityReport, SuggestedTag } from './types';

/** What the analysis needs to know about the asset beyond its working pixels. */
export interface ImageFacts {
  /** Width and height as displayed (after EXIF orientation; for SVG, as rasterised). */
  width: number;
  height: number;
  /** SVG: resolution does not apply to a drawing that scales to any size. */
  vector: boolean;
  /** The square crop sharp's attention strategy suggests, in the same pixels as width/height; null when square. */
  suggestedCrop: CropSquare | null;
}

export interface ImageAnalysis {
  report: ImageQualityReport;
  descriptor: number[];
}

/** A pixel belongs to the background when it is within this RGB distance of the dominant colour. */
const BACKGROUND_DISTANCE = 48;
/** Ink within 2 px of an edge is stroke; further from any edge it is a painted fill. */
const STROKE_REACH = 2;
/** Palette colours named as tags: at most 3, each covering ≥ 8% of the picture. */
const MAX_COLOUR_TAGS = 3;
const COLOUR_TAG_MIN_SHARE = 0.08;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Variance of the 4-neighbour Laplacian (grey levels²) on the grey image at WORKING_SIZE long side. */
export function laplacianVariance(grey: Plane): number {
  const long = Math.max(grey.width, grey.height);
  const scale = WORKING_SIZE / long;
  const plane =
    long === WORKING_SIZE ? grey : resamplePlane(grey, Math.max(3, Math.round(grey.width * scale)), Math.max(3, Math.round(grey.height * scale)));
  const { width: w, height: h, data } = plane;
  let sum = 0;
  let sum2 = 0;
  let count = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = data[i - w]! + data[i + w]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      sum += v;
      sum2 += v * v;
      count++;
    }
  }
  if (count === 0) return 0;
  const mean = sum / count;
  return Math.max(0, sum2 / count - mean * mean);
}

function percentile(histogram: Uint32Array, n: number, p: number): number {
  let seen = 0;
  for (let level = 0; level < histogram.length; level++) {
    seen += histogram[level]!;
    if (seen >= p * n) return level;
  }
  return histogram.length - 1;
}

/** Shares of the picture that are ink (not background) and fill (ink further than STROKE_REACH from every edge). */
function inkAndFill(image: WorkingImage, background: PaletteColour | undefined, edges: Uint8Array): { ink: number; fill: number } {
  const { width: w, height: h, rgb } = image;
  if (!background) return { ink: 0, fill: 0 };
  const nearEdge = dilate(edges, w, h, STROKE_REACH);
  let ink = 0;
  let fill = 0;
  const limit = BACKGROUND_DISTANCE * BACKGROUND_DISTANCE;
  const { r: br, g: bg, b: bb } = background;
  for (let i = 0, j = 0; i < w * h; i++, j += 3) {
    const dr = rgb[j]! - br;
    const dg = rgb[j + 1]! - bg;
    const db = rgb[j + 2]! - bb;
    if (dr * dr + dg * dg + db * db <= limit) continue;
    ink++;
    if (!nearEdge[i]) fill++;
  }
  return { ink: ink / (w * h), fill: fill / (w * h) };
}

function resolutionFinding(facts: ImageFacts): ImageFinding | null {
  if (facts.vector) return null;
  const short = Math.min(facts.width, facts.height);
  const threshold = `≥ ${RECOMMENDED_SHORT_SIDE} px recommended, ≥ ${MINIMUM_SHORT_SIDE} px required (short side)`;
  if (short < MINIMUM_SHORT_SIDE) {
    return {
      check: 'resolution',
      severity: 'error',
      metric: short,
      unit: 'px',
      threshold,
      reason: `At ${facts.width} × ${facts.height} px this image is too small to train on; it stays in the library but is left out of every training set. Import a version at least ${RECOMMENDED_SHORT_SIDE} px on the short side.`,
    };
  }
  if (short < RECOMMENDED_SHORT_SIDE) {
    return {
      check: 'resolution',
      severity: 'warning',
      metric: short,
      unit: 'px',
      threshold,
      reason: `At ${facts.width} × ${facts.height} px the model sees less detail than it learns from; a version ${RECOMMENDED_SHORT_SIDE} px or more on the short side trains better.`,
    };
  }
  return null;
}

/** Everything measured from the pixels; the heavy part, independent of the asset's facts. */
export interface ImageMeasurements {
  sharpness: number;
  edgeDensity: number;
  palette: PaletteColour[];
  colourfulness: number;
  inkShare: number;
  fillShare: number;
  overlayScore: number;
  overlayGlyphs: number;
  phash: string;
  /** 1st and 99th grey percentiles. */
  greySpread: [number, number];
  descriptor: number[];
}

/** Measures the working image (decoded once, long side ≤ WORKING_SIZE). Pure and deterministic. */
export function measureImage(image: WorkingImage): ImageMeasurements {
  const n = image.width * image.height;
  const pixels = surveyPixels(image);
  const grey = pixels.grey;
  const sharpness = laplacianVariance(grey);
  const edges = surveyEdges(grey);
  const palette = dominantColours(pixels.bins, n);
  const colourful = colourfulness(pixels.opponent);
  const { ink, fill } = inkAndFill(image, palette[0], edges.edges);
  const overlay = overlayLikelihood(grey);
  return {
    sharpness,
    edgeDensity: edges.edgeCount / n,
    palette,
    colourfulness: colourful,
    inkShare: ink,
    fillShare: fill,
    overlayScore: overlay.score,
    overlayGlyphs: overlay.glyphs,
    phash: perceptualHash(grey),
    greySpread: [percentile(pixels.greyHistogram, n, 0.01), percentile(pixels.greyHistogram, n, 0.99)],
    descriptor: styleDescriptor({ pixels, edges, sharpness, colourfulness: colourful, inkShare: ink, fillShare: fill }),
  };
}

/** Holds the measurements and the asset's facts against the thresholds: findings, suggested tags, metrics. */
export function reportImage(m: ImageMeasurements, facts: ImageFacts): ImageAnalysis {
  const sharpness = m.sharpness;
  const colourful = m.colourfulness;
  const palette = m.palette;
  const overlay = { score: m.overlayScore, glyphs: m.overlayGlyphs };
  const monochrome = colourful < MONOCHROME_MAX_COLOURFULNESS;
  const [low, high] = m.greySpread;
  const background = palette[0]?.share ?? 0;
  const lineArt = background >= LINE_ART_MIN_BACKGROUND && m.edgeDensity >= LINE_ART_MIN_EDGES && m.fillShare <= LINE_ART_MAX_FILL;

  const findings: ImageFinding[] = [];
  const resolution = resolutionFinding(facts);
  if (resolution) findings.push(resolution);

  if (sharpness < BLUR_MAX_SHARPNESS) {
    findings.push({
      check: 'blur',
      severity: 'warning',
      metric: round(sharpness, 1),
      unit: '',
      threshold: `sharpness (variance of the Laplacian at ${WORKING_SIZE} px) ≥ ${BLUR_MAX_SHARPNESS}`,
      reason: 'The image looks soft or out of focus; a model trained on it learns the blur too. Use a sharper scan, photo or export if you have one.',
    });
  }

  if (overlay.score >= OVERLAY_WARN_SCORE) {
    findings.push({
      check: 'overlay',
      severity: 'warning',
      metric: round(overlay.score, 2),
      unit: '',
      threshold: `likelihood < ${OVERLAY_WARN_SCORE} (rows of letter-like marks found: ${overlay.glyphs})`,
      reason: 'There seems to be text or a watermark over the picture (based on rows of small letter-like marks). A model copies overlays into what it makes; use a clean version without lettering if this is not part of the art.',
    });
  }

  if (monochrome) {
    findings.push({
      check: 'colour',
      severity: 'info',
      metric: round(colourful, 1),
      unit: '',
      threshold: `colourfulness < ${MONOCHROME_MAX_COLOURFULNESS} counts as monochrome (Hasler–Süsstrunk scale)`,
      reason: 'This image is monochrome. That is fine; keep a set all monochrome or all colour so the model learns one look.',
    });
  }

  if (facts.suggestedCrop && facts.width !== facts.height) {
    const discard = 1 - Math.min(facts.width, facts.height) / Math.max(facts.width, facts.height);
    findings.push({
      check: 'non-square',
      severity: discard > NON_SQUARE_WARN_DISCARD ? 'warning' : 'info',
      metric: round(Math.max(facts.width, facts.height) / Math.min(facts.width, facts.height), 2),
      unit: '',
      threshold: `aspect ratio 1 (square); cutting more than ${Math.round(NON_SQUARE_WARN_DISCARD * 100)}% away is a warning`,
      reason: `Training crops every image to a square, which cuts ${Math.round(discard * 100)}% of this one. A square crop around its most interesting part is suggested; apply it or move it in the crop editor.`,
      fix: 'apply-suggested-crops',
    });
  }

  const suggestedTags: SuggestedTag[] = [{ kind: 'style', value: monochrome ? 'monochrome' : 'colour' }];
  if (lineArt) suggestedTags.push({ kind: 'style', value: 'line art' });
  if (high - low >= HIGH_CONTRAST_SPREAD) suggestedTags.push({ kind: 'style', value: 'high contrast' });
  if (!monochrome) {
    if (colourful >= VIVID_MIN_COLOURFULNESS) suggestedTags.push({ kind: 'style', value: 'vivid' });
    else if (colourful < MUTED_MAX_COLOURFULNESS) suggestedTags.push({ kind: 'style', value: 'muted' });
    const names: string[] = [];
    for (const colour of palette) {
      if (colour.share < COLOUR_TAG_MIN_SHARE) continue;
      const name = colourName(colour);
      if (name === 'black' || name === 'white' || name === 'grey' || names.includes(name)) continue;
      names.push(name);
      if (names.length === MAX_COLOUR_TAGS) break;
    }
    for (const name of names) suggestedTags.push({ kind: 'style', value: name });
  }

  const metrics: ImageMetrics = {
    width: facts.width,
    height: facts.height,
    sharpness: round(sharpness, 1),
    phash: m.phash,
    overlayScore: round(overlay.score, 3),
    colourfulness: round(colourful, 2),
    monochrome,
    palette: palette.map(toHex),
    suggestedCrop: facts.width === facts.height ? null : facts.suggestedCrop,
  };
  return { report: { kind: 'image', findings, image: metrics, suggestedTags }, descriptor: m.descriptor };
}

/** measureImage then reportImage: every per-asset check on one working image. */
export function analyzeImage(image: WorkingImage, facts: ImageFacts): ImageAnalysis {
  return reportImage(measureImage(image), facts);
}
