// Prompt-composed mode: pick motifs for the prompt, lay them out, build a guide, re-synthesise the whole canvas.
import type { LoadedBundle } from '../bundle/bundle';
import { AtelierError } from '../errors';
import { labToRgb } from './colour-space';
import { generateImage, OUTPUT_SIZE, type GenerateContext, type GeneratedImage } from './generate';
import { assetLabOnGrid, motifDataOf, motifPixels, setBackground, type MotifEntry, type MotifPixels } from './motifs';
import { resamplePlane } from './pixels';
import { knownTagsOf, parsePrompt, type LayoutHint, type ParsedPrompt } from './prompt';
import { xorshift32 } from '../random';

/** Gap kept between placed motifs, as a share of the canvas side. */
export const LAYOUT_MARGIN_SHARE = 0.03;
/** Placement attempts per motif before it is shrunk and tried again. */
const PLACEMENT_TRIES = 120;
/** Motif long side as a share of the canvas, by how many motifs share it (a single motif fills about half). */
const MOTIF_SCALE: Record<number, number> = { 1: 0.7, 2: 0.52, 3: 0.42 };
/** How far a colour word pulls a motif's chroma toward its swatch (the rest keeps the artist's own shading). */
const COLOUR_PULL = 0.6;

export interface PromptRequest {
  prompt: string;
  size?: number;
  seed: number;
}

export interface Placement {
  motif: number;
  x: number;
  y: number;
  width: number;
  height: number;
  flip: boolean;
}

/** The composition's random stream: xorshift32 salted apart from training's. */
export function seededRng(seed: number): () => number {
  return xorshift32(seed, 0x2545f491);
}

function overlaps(a: Placement, b: Placement, margin: number): boolean {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}

/** Range of a motif's centre along one axis for the hints given (as shares of the canvas). */
function centreRange(hints: readonly LayoutHint[], low: LayoutHint, high: LayoutHint, many: boolean): [number, number] {
  if (hints.includes(low)) return [0.2, 0.4];
  if (hints.includes(high)) return [0.6, 0.8];
  if (hints.includes('centred')) return many ? [0.3, 0.7] : [0.45, 0.55];
  return [0, 1];
}

/**
 * Lays motifs out on a square canvas: seeded sizes, positions and mirroring, respecting the hints, no two
 * closer than the margin. `avoid` gives, per motif, a centre (canvas px) the placement should stay away from.
 */
export function layoutMotifs(
  sizes: Array<{ width: number; height: number }>,
  canvas: number,
  hints: readonly LayoutHint[],
  rand: () => number,
  avoid?: Array<{ x: number; y: number } | null>,
  naturalScale?: number,
): Placement[] {
  const margin = Math.round(canvas * LAYOUT_MARGIN_SHARE);
  const placed: Placement[] = [];
  const many = sizes.length > 1;
  const share = MOTIF_SCALE[Math.min(3, sizes.length)] ?? 0.3;
  sizes.forEach((size, motif) => {
    // A variation keeps each motif near its own size (naturalScale); a composition sizes them by how many share the canvas.
    let scale = (naturalScale ?? (share * canvas) / Math.max(size.width, size.height)) * (0.85 + 0.3 * rand());
    for (let attempt = 0; attempt < 6; attempt++, scale *= 0.85) {
      const width = Math.max(4, Math.min(canvas - 2, Math.round(size.width * scale)));
      const height = Math.max(4, Math.min(canvas - 2, Math.round(size.height * scale)));
      const [hx0, hx1] = centreRange(hints, 'left', 'right', many);
      const [hy0, hy1] = centreRange(hints, 'top', 'bottom', many);
      for (let t = 0; t < PLACEMENT_TRIES; t++) {
        const cx = canvas * (hx0 + (hx1 - hx0) * rand());
        const cy = canvas * (hy0 + (hy1 - hy0) * rand());
        const x = Math.round(Math.min(canvas - width, Math.max(0, cx - width / 2)));
        const y = Math.round(Math.min(canvas - height, Math.max(0, cy - height / 2)));
        const candidate = { motif, x, y, width, height, flip: rand() < 0.5 };
        if (placed.some((p) => overlaps(p, candidate, margin))) continue;
        const away = avoid?.[motif];
        if (away && t < PLACEMENT_TRIES / 2 && Math.hypot(x + width / 2 - away.x, y + height / 2 - away.y) < canvas * 0.2) continue;
        placed.push(candidate);
        return;
      }
    }
  });
  return placed;
}

function resampleChannel(data: Float32Array, width: number, height: number, toW: number, toH: number): Float32Array {
  return resamplePlane({ width, height, data }, toW, toH).data;
}

export interface GuideMotif {
  pixels: MotifPixels;
  placement: Placement;
  /** Optional Lab colour target pulling the motif's chroma. */
  colour?: [number, number, number];
}

/** The guide image (Lab): a flat background with the placed motifs' pixels laid in under their masks. */
export function buildGuide(canvas: number, background: [number, number, number], motifs: GuideMotif[], tone: ParsedPrompt['tone']): Float32Array {
  const lab = new Float32Array(canvas * canvas * 3);
  for (let i = 0; i < canvas * canvas; i++) lab.set(background, i * 3);
  for (const { pixels, placement, colour } of motifs) {
    const { width: w, height: h } = placement;
    const ch = [0, 1, 2].map((c) => {
      const plane = new Float32Array(pixels.width * pixels.height);
      for (let i = 0; i < plane.length; i++) plane[i] = pixels.lab[i * 3 + c]!;
      return resampleChannel(plane, pixels.width, pixels.height, w, h);
    });
    const mask = resampleChannel(Float32Array.from(pixels.mask), pixels.width, pixels.height, w, h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sx = placement.flip ? w - 1 - x : x;
        const m = mask[y * w + sx]!;
        if (m < 0.5) continue;
        const o = ((placement.y + y) * canvas + placement.x + x) * 3;
        lab[o] = ch[0]![y * w + sx]!;
        lab[o + 1] = colour ? ch[1]![y * w + sx]! * (1 - COLOUR_PULL) + colour[1] * COLOUR_PULL : ch[1]![y * w + sx]!;
        lab[o + 2] = colour ? ch[2]![y * w + sx]! * (1 - COLOUR_PULL) + colour[2] * COLOUR_PULL : ch[2]![y * w + sx]!;
      }
    }
  }
  if (tone.length > 0) {
    let mean = 0;
    for (let i = 0; i < lab.length; i += 3) mean += lab[i]!;
    mean /= canvas * canvas;
    for (let i = 0; i < lab.length; i += 3) {
      let l = lab[i]!;
      if (tone.includes('high-contrast')) l = mean + (l - mean) * 1.4;
      if (tone.includes('dark')) l *= 0.7;
      if (tone.includes('light')) l = 100 - (100 - l) * 0.6;
      lab[i] = Math.min(100, Math.max(0, l));
    }
  }
  return lab;
}

/** Re-synthesises a guide through the reference-guided core, so nothing pasted survives: every output pixel comes from the artist's exemplars. */
export async function synthesiseGuide(bundle: LoadedBundle, guide: Float32Array, size: number, seed: number, ctx: GenerateContext): Promise<GeneratedImage> {
  return generateImage(bundle, { mode: 'reference', reference: { width: size, height: size, rgb: labToRgb(guide) }, size, seed, repaint: false }, ctx);
}

export function checkSizeAndSeed(size: number, seed: number): void {
  if (!Number.isInteger(size) || size < OUTPUT_SIZE.min || size > OUTPUT_SIZE.max) {
    throw new AtelierError('VALIDATION', `The output size must be a whole number of pixels from ${OUTPUT_SIZE.productMin} to ${OUTPUT_SIZE.max}; got ${String(size)}.`);
  }
  if (!Number.isSafeInteger(seed)) throw new AtelierError('VALIDATION', 'The seed must be a whole number.');
}


/** Prompt-composed generation: deterministic for a seed; different seeds give different compositions. */
export async function generateFromPrompt(bundle: LoadedBundle, request: PromptRequest, ctx: GenerateContext = {}): Promise<GeneratedImage> {
  const size = request.size ?? OUTPUT_SIZE.default;
  checkSizeAndSeed(size, request.seed);
  const parsed = parsePrompt(request.prompt, knownTagsOf(bundle));
  const motifData = motifDataOf(bundle);
  const candidates = new Set<number>();
  for (const tag of parsed.tags) for (const m of motifData.motifTagIndex[tag] ?? []) candidates.add(m);
  const pool = [...candidates].sort((a, b) => a - b);
  if (pool.length === 0) {
    throw new AtelierError('VALIDATION', `The model knows ${parsed.tags.join(', ')} but found no separable motif in those pictures to compose from; use a reference picture instead.`);
  }
  const rand = seededRng(request.seed);
  const want = parsed.layout.includes('pair') ? 2 : parsed.layout.includes('group') ? 3 : 1 + Math.floor(rand() * 3);
  const chosen: MotifEntry[] = [];
  const order = [...pool];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let k = 0; k < want; k++) chosen.push(motifData.motifs[order[k % order.length]!]!);
  const labs = new Map<number, Float32Array>();
  const pixels = chosen.map((m) => {
    if (!labs.has(m.asset)) labs.set(m.asset, assetLabOnGrid(bundle, m.asset));
    return motifPixels(bundle, m, labs.get(m.asset)!);
  });
  const placements = layoutMotifs(pixels, size, parsed.layout, rand);
  const guide = buildGuide(
    size,
    setBackground(motifData.backgrounds),
    placements.map((p, k) => ({ pixels: pixels[p.motif]!, placement: p, colour: parsed.colours[k % Math.max(1, parsed.colours.length)]?.lab })),
    parsed.tone,
  );
  return synthesiseGuide(bundle, guide, size, request.seed, ctx);
}
