// The visible draft mark: tiled, semi-transparent logo + text drawn from Atelier's own stroke alphabet, laid out per draft seed.
import font from '../../../resources/watermark/stroke-font.json';
import { AtelierError } from '../../errors';
import { xorshift32 } from '../../random';
import type { WorkingImage } from '../../image/pixels';
import { checkWorkingImage } from './invisible';

type Point = [number, number];
type Stroke = Point[];

const GLYPHS = font.glyphs as unknown as Record<string, Stroke[]>;
const LOGO = font.logo.strokes as unknown as Stroke[];

export interface VisibleMarkOptions {
  /** Draft seed: angle, spacing, offset and text size follow from it, so every draft's layout differs. */
  seed: number;
  /** Shown after the logo, e.g. "DRAFT · 1042". Letters A–Z, digits, space, '·' and '-'; others are dropped. */
  text: string;
}

/** Cap height of the text as a share of the shorter side, before the seeded ±15%. */
const TEXT_HEIGHT_SHARE = 0.034;
const MIN_TEXT_HEIGHT = 9;
/** Opacity of the white letters and of the dark halo that keeps them readable on light pictures. */
const CORE_OPACITY = 0.5;
const HALO_OPACITY = 0.18;
const MAX_TEXT_CHARS = 48;

/** Distance-based antialiased pen: alpha = coverage of a round pen of `half` px radius. */
function drawStrokes(alpha: Float32Array, w: number, h: number, strokes: Stroke[], scale: number, ox: number, oy: number, half: number): void {
  for (const stroke of strokes) {
    for (let s = 0; s < stroke.length; s++) {
      const a = stroke[s]!;
      const b = stroke[Math.min(s + 1, stroke.length - 1)]!;
      const ax = ox + a[0] * scale;
      const ay = oy + a[1] * scale;
      const bx = ox + b[0] * scale;
      const by = oy + b[1] * scale;
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - half - 1));
      const x1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + half + 1));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - half - 1));
      const y1 = Math.min(h - 1, Math.ceil(Math.max(ay, by) + half + 1));
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5 - ax;
          const py = y + 0.5 - ay;
          const t = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
          const ex = px - t * dx;
          const ey = py - t * dy;
          const d = Math.sqrt(ex * ex + ey * ey);
          const cover = Math.min(1, Math.max(0, half + 0.5 - d));
          const i = y * w + x;
          if (cover > alpha[i]!) alpha[i] = cover;
        }
      }
    }
  }
}

function cleanText(text: string): string {
  if (typeof text !== 'string') throw new AtelierError('VALIDATION', 'The visible mark needs a text (for example "DRAFT"); none was given.');
  return Array.from(text.toUpperCase().replace(/[·•.]/g, '·'))
    .filter((c) => c in GLYPHS)
    .join('')
    .slice(0, MAX_TEXT_CHARS);
}

interface MarkTile {
  width: number;
  height: number;
  core: Float32Array;
  halo: Float32Array;
}

/** One tile: logo then text, drawn at `capHeight` px, with the seeded gaps around it. */
function drawTile(text: string, capHeight: number, gapX: number, gapY: number): MarkTile {
  const unit = capHeight / font.height;
  const pen = Math.max(1, capHeight * 0.12);
  const halo = pen + Math.max(1, capHeight * 0.06);
  const logoSide = capHeight * 1.4;
  const textWidth = text.length * font.advance * unit;
  const width = Math.ceil(logoSide + capHeight * 0.6 + textWidth + gapX);
  const height = Math.ceil(logoSide + gapY);
  const core = new Float32Array(width * height);
  const haloA = new Float32Array(width * height);
  const top = (height - logoSide) / 2;
  const logoScale = logoSide / font.logo.size;
  const textX = logoSide + capHeight * 0.6;
  const textY = top + (logoSide - capHeight) / 2;
  const draw = (target: Float32Array, half: number): void => {
    drawStrokes(target, width, height, LOGO, logoScale, halo, top, half);
    let x = textX + halo;
    for (const c of text) {
      drawStrokes(target, width, height, GLYPHS[c] ?? [], unit, x, textY, half);
      x += font.advance * unit;
    }
  };
  draw(core, pen / 2);
  draw(haloA, halo / 2 + pen / 2);
  return { width, height, core, halo: haloA };
}

interface Layout {
  tile: MarkTile;
  cos: number;
  sin: number;
  ox: number;
  oy: number;
  /** Horizontal shift of every other row, as a share of the tile width (brick layout). */
  stagger: number;
}

function layoutFor(width: number, height: number, opts: VisibleMarkOptions): Layout {
  if (!Number.isFinite(opts.seed)) throw new AtelierError('VALIDATION', 'The visible mark needs a numeric draft seed.');
  const rnd = xorshift32(opts.seed >>> 0, 0x5a17e3c1);
  const side = Math.min(width, height);
  const capHeight = Math.max(MIN_TEXT_HEIGHT, side * TEXT_HEIGHT_SHARE * (0.85 + 0.3 * rnd()));
  const gapX = capHeight * (2.5 + 3 * rnd());
  const gapY = capHeight * (2.2 + 2.5 * rnd());
  const text = cleanText(opts.text);
  const tile = drawTile(text, capHeight, gapX, gapY);
  // Angle 18–38° either way: never axis-aligned, so no row or column of the picture is left clean.
  const angle = ((18 + 20 * rnd()) * Math.PI) / 180 * (rnd() < 0.5 ? -1 : 1);
  return { tile, cos: Math.cos(angle), sin: Math.sin(angle), ox: rnd() * tile.width, oy: rnd() * tile.height, stagger: 0.25 + 0.5 * rnd() };
}

/**
 * Calls `visit` for every picture pixel the tiled mark covers. Picture → tile plane: rotate by −angle about
 * the origin, then shift by the seeded offset; u and v advance by constant steps along a row, so the inner
 * loop is additions and truncations only.
 */
function forEachCover(width: number, height: number, layout: Layout, visit: (i: number, core: number, halo: number) => void): void {
  const { tile, cos, sin, ox, oy, stagger } = layout;
  const tw = tile.width;
  const th = tile.height;
  const { core, halo } = tile;
  // Offsets (whole tiles) that keep u and v positive, so truncation is floor.
  const uBias = Math.ceil((width + height + tw) / tw) * tw;
  const vBias = Math.ceil((width + height + th) / th) * th;
  const shift = stagger * tw;
  const invTh = 1 / th;
  const invTw = 1 / tw;
  for (let y = 0; y < height; y++) {
    let u = y * sin + ox + uBias;
    let v = y * cos + oy + vBias;
    const base = y * width;
    for (let x = 0; x < width; x++, u += cos, v -= sin) {
      const row = (v * invTh) | 0;
      const tv = (v - row * th) | 0;
      const su = u + row * shift;
      const tu = (su - ((su * invTw) | 0) * tw) | 0;
      const k = (tv < th ? tv : th - 1) * tw + tu;
      const h = halo[k]!;
      if (h > 0) visit(base + x, core[k]!, h);
    }
  }
}

/** Lays the tiled logo + text over a copy of `image`: white letters with a soft dark halo, readable on any ground. */
export function applyVisibleMark(image: WorkingImage, opts: VisibleMarkOptions): WorkingImage {
  checkWorkingImage(image);
  const { width, height } = image;
  const rgb = new Uint8Array(image.rgb);
  if (width === 0 || height === 0) return { width, height, rgb };
  const layout = layoutFor(width, height, opts);
  forEachCover(width, height, layout, (i, core, halo) => {
    const keep = 1 - halo * HALO_OPACITY;
    const lift = core * CORE_OPACITY;
    // out = (v·keep + 20·halo·HALO_OPACITY)·(1 − lift) + 255·lift = v·a + b
    const a = keep * (1 - lift);
    const b = 20 * halo * HALO_OPACITY * (1 - lift) + 255 * lift + 0.5;
    const j = i * 3;
    rgb[j] = (rgb[j]! * a + b) | 0;
    rgb[j + 1] = (rgb[j + 1]! * a + b) | 0;
    rgb[j + 2] = (rgb[j + 2]! * a + b) | 0;
  });
  return { width, height, rgb };
}

/** Where the visible mark lies (1 under letters and halo): what a remover would paint out; used by the tests and bench. */
export function visibleMarkMask(width: number, height: number, opts: VisibleMarkOptions): Uint8Array {
  const mask = new Uint8Array(width * height);
  if (width === 0 || height === 0) return mask;
  forEachCover(width, height, layoutFor(width, height, opts), (i) => {
    mask[i] = 1;
  });
  return mask;
}

/** Opacity the visible mark lifts its letters by (for template-subtraction tests). */
export const VISIBLE_CORE_OPACITY = CORE_OPACITY;
