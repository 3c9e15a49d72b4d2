// Text / watermark overlay likelihood: rows of small glyph-like marks that stand out from their surroundings.
//
// What it is based on (kept simple and honest): lettering is a run of 4+ small, similar-height marks, each
// clearly darker or lighter than the area around it, side by side on one baseline with even, letter-sized gaps. Random pen
// strokes, photo texture and flat fills rarely line up like that. It does not read text; a line of
// hatching or a row of beads can look like letters to it, and very small or very faint text is missed.
import { boxMean, type Plane } from './pixels';

/** A mark is "ink" when it differs from the local mean (a window ≈ 1/20 of the long side) by this many grey levels. */
const LOCAL_CONTRAST = 40;
/** Glyph height in working-image pixels: below 5 px letters are not legible, above 1/8 of the short side they are shapes. */
const MIN_GLYPH_HEIGHT = 5;
const MAX_GLYPH_HEIGHT_SHARE = 1 / 8;
/** A glyph (or a few joined letters) is at most 3.5× as wide as it is tall. */
const MAX_GLYPH_ASPECT = 3.5;
/** Ink fills 20–85% of a glyph's box: letter strokes, not a thin curve's fragment or a solid block. */
const MIN_GLYPH_FILL = 0.2;
const MAX_GLYPH_FILL = 0.85;
/** A text line needs at least this many glyph-like marks in a row (a short word). */
const MIN_GLYPHS_PER_LINE = 4;
/** Neighbouring letters: similar height (ratio ≤ 1.6), the same baseline or top (within 15% of the height), apart by a gap of 0..1 letter height. */
const MAX_HEIGHT_RATIO = 1.6;
const ALIGN_TOLERANCE = 0.15;
const MAX_GAP = 1;
/** Glyphs counted for a 1 − e^(−n/5.5) score: one 4-letter word reads 0.52 (just over the 0.5 warning), 6 letters 0.66, a line of text > 0.9. */
const GLYPH_SCALE = 5.5;

interface Mark {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

/** Connected regions (8-neighbour) of a 0/1 mask, with their boxes; iterative, so no recursion depth limit. */
function marksOf(mask: Uint8Array, width: number, height: number, maxHeight: number): Mark[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const marks: Mark[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    const mark: Mark = { x0: width, y0: height, x1: -1, y1: -1, area: 0 };
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width;
      const y = (i - x) / width;
      mark.area++;
      if (x < mark.x0) mark.x0 = x;
      if (x > mark.x1) mark.x1 = x;
      if (y < mark.y0) mark.y0 = y;
      if (y > mark.y1) mark.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const k = yy * width + xx;
          if (mask[k] && !seen[k]) {
            seen[k] = 1;
            stack[top++] = k;
          }
        }
      }
    }
    const h = mark.y1 - mark.y0 + 1;
    if (h <= maxHeight * 4) marks.push(mark);
  }
  return marks;
}

function isGlyph(m: Mark, maxHeight: number): boolean {
  const w = m.x1 - m.x0 + 1;
  const h = m.y1 - m.y0 + 1;
  if (h < MIN_GLYPH_HEIGHT || h > maxHeight || w > h * MAX_GLYPH_ASPECT) return false;
  const fill = m.area / (w * h);
  return fill >= MIN_GLYPH_FILL && fill <= MAX_GLYPH_FILL;
}

/** Letter spacing is even: the spread (standard deviation) of a line's gaps is at most 0.2 letter heights. */
const MAX_GAP_SPREAD = 0.2;

/** True when the gaps between a line's marks are as even as letter spacing (random marks in a row are not). */
function evenlySpaced(members: readonly Mark[]): boolean {
  const gaps: number[] = [];
  let height = 0;
  for (let i = 1; i < members.length; i++) gaps.push(members[i]!.x0 - members[i - 1]!.x1 - 1);
  for (const m of members) height += m.y1 - m.y0 + 1;
  height /= members.length;
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const spread = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) * (g - mean), 0) / gaps.length);
  return spread <= MAX_GAP_SPREAD * height;
}

/** Counts glyphs that sit in lines: same baseline or top, similar height, even letter-sized gaps. */
function glyphsInLines(glyphs: Mark[]): number {
  const sorted = [...glyphs].sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
  const lines: Mark[][] = [];
  for (const g of sorted) {
    const h = g.y1 - g.y0 + 1;
    let best: Mark[] | null = null;
    for (const line of lines) {
      const l = line[line.length - 1]!;
      const lh = l.y1 - l.y0 + 1;
      const ratio = h / lh;
      if (ratio < 1 / MAX_HEIGHT_RATIO || ratio > MAX_HEIGHT_RATIO) continue;
      // Letters sit side by side; overlapping boxes are hatching or crossing strokes, not text.
      const gap = g.x0 - l.x1 - 1;
      const unit = Math.max(h, lh);
      if (gap < 0 || gap > MAX_GAP * unit) continue;
      const aligned = Math.abs(g.y1 - l.y1) <= ALIGN_TOLERANCE * unit || Math.abs(g.y0 - l.y0) <= ALIGN_TOLERANCE * unit;
      if (!aligned) continue;
      if (!best || line.length > best.length) best = line;
    }
    if (best) best.push(g);
    else lines.push([g]);
  }
  return lines.filter((l) => l.length >= MIN_GLYPHS_PER_LINE && evenlySpaced(l)).reduce((sum, l) => sum + l.length, 0);
}

/** 0..1 likelihood that lettering (a signature, a watermark, a caption) is laid over the picture. */
export function overlayLikelihood(grey: Plane): { score: number; glyphs: number } {
  const { width, height, data } = grey;
  const radius = Math.max(4, Math.round(Math.max(width, height) / 40));
  const mean = boxMean(grey, radius);
  const dark = new Uint8Array(width * height);
  const light = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const v = data[i]!;
    const m = mean[i]!;
    if (v < m - LOCAL_CONTRAST) dark[i] = 1;
    else if (v > m + LOCAL_CONTRAST) light[i] = 1;
  }
  const maxHeight = Math.max(MIN_GLYPH_HEIGHT, Math.floor(Math.min(width, height) * MAX_GLYPH_HEIGHT_SHARE));
  let glyphs = 0;
  for (const mask of [dark, light]) {
    glyphs = Math.max(glyphs, glyphsInLines(marksOf(mask, width, height, maxHeight).filter((m) => isGlyph(m, maxHeight))));
  }
  return { score: 1 - Math.exp(-glyphs / GLYPH_SCALE), glyphs };
}
