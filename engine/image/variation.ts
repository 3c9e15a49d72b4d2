// Variation mode: one training picture's motifs and colours re-placed (seeded), then re-synthesised in the artist's hand.
import type { LoadedBundle } from '../bundle/bundle';
import { AtelierError } from '../errors';
import { buildGuide, checkSizeAndSeed, layoutMotifs, seededRng, synthesiseGuide } from './compose';
import { OUTPUT_SIZE, type GenerateContext, type GeneratedImage } from './generate';
import { assetLabOnGrid, motifDataOf, motifPixels, setBackground, type MotifPixels } from './motifs';

export interface VariationRequest {
  /** sha256 of a training asset of this model. */
  assetSha256: string;
  size?: number;
  seed: number;
}

/** Without separable motifs the picture is cut into this many × this many blocks, shuffled. */
const BLOCKS = 4;

/** A motif-less picture: its blocks shuffled (seeded) as the guide; the synthesis melts the block edges. */
function shuffledBlocks(lab: Float32Array, grid: number, size: number, rand: () => number): Float32Array {
  const order = Array.from({ length: BLOCKS * BLOCKS }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bx = Math.min(BLOCKS - 1, Math.floor((x * BLOCKS) / size));
      const by = Math.min(BLOCKS - 1, Math.floor((y * BLOCKS) / size));
      const src = order[by * BLOCKS + bx]!;
      const sx = (src % BLOCKS) * (grid / BLOCKS) + ((x - (bx * size) / BLOCKS) * grid) / size;
      const sy = Math.floor(src / BLOCKS) * (grid / BLOCKS) + ((y - (by * size) / BLOCKS) * grid) / size;
      const p = (Math.min(grid - 1, Math.floor(sy)) * grid + Math.min(grid - 1, Math.floor(sx))) * 3;
      out.set(lab.subarray(p, p + 3), (y * size + x) * 3);
    }
  }
  return out;
}

/** Variation of a training picture: its character kept, its layout not. Deterministic for a seed. */
export async function generateVariation(bundle: LoadedBundle, request: VariationRequest, ctx: GenerateContext = {}): Promise<GeneratedImage> {
  const size = request.size ?? OUTPUT_SIZE.default;
  checkSizeAndSeed(size, request.seed);
  const asset = bundle.manifest.assets.findIndex((a) => a.sha256 === request.assetSha256);
  if (asset < 0) throw new AtelierError('NOT_FOUND', 'That picture is not part of this model’s training set; pick one of its training images.');
  const motifData = motifDataOf(bundle);
  const rand = seededRng(request.seed ^ 0x5bd1e995);
  const assetLab = assetLabOnGrid(bundle, asset);
  const own = motifData.motifs.filter((m) => m.asset === asset);
  let guide: Float32Array;
  if (own.length === 0) {
    guide = shuffledBlocks(assetLab, Math.round(Math.sqrt(assetLab.length / 3)), size, rand);
  } else {
    const pixels: MotifPixels[] = own.map((m) => motifPixels(bundle, m, assetLab));
    // Keep each motif near its own size, but away from where it was: the character stays, the layout changes.
    const scale = size / own[0]!.grid;
    const avoid = own.map((m) => ({ x: (m.bbox.x + m.bbox.width / 2) * scale, y: (m.bbox.y + m.bbox.height / 2) * scale }));
    const placements = layoutMotifs(pixels, size, [], rand, avoid, scale);
    const background = motifData.backgrounds[asset] ?? setBackground(motifData.backgrounds);
    guide = buildGuide(
      size,
      background,
      placements.map((p) => ({ pixels: pixels[p.motif]!, placement: p })),
      [],
    );
  }
  return synthesiseGuide(bundle, guide, size, request.seed, ctx);
}
