// The kernels' input/output types and the checks both the native kernels and the TypeScript oracle run first.
import { AtelierError } from '../engine/errors';

export interface NnfInput {
  /** Exemplar features, W×H×channels (row-major, interleaved). */
  source: Float32Array;
  sourceWidth: number;
  sourceHeight: number;
  /** Target guide features, same channels. */
  target: Float32Array;
  targetWidth: number;
  targetHeight: number;
  channels: number;
  /** Odd (5, 7); patches are centred; only patches fully inside the source are candidates. */
  patchSize: number;
  /** PatchMatch rounds (propagation in alternating scan order + random search halving the radius). */
  iterations: number;
  /** Deterministic for a seed (and the native result is identical to the oracle's for the same input). */
  seed: number;
  /** Optional starting field: 2 ints (source x, y of the patch centre) per target pixel. */
  initial?: Int32Array;
  /** ≥ 0: cost added per existing use of a source patch (uniformity, à la StyLit) — 0 = off. */
  reusePenalty: number;
  /** Optional: 1 where a source pixel may be a patch centre (e.g. atlas padding excluded). */
  sourceMask?: Uint8Array;
  /**
   * ≥ 0, default 0: cost taken off a candidate for each of the target pixel's 4 neighbours whose match, shifted
   * back by the neighbour's offset, is that candidate — Ashikhmin's / Image Analogies' coherence, so whole
   * strokes and dots are copied together instead of one pixel from each place.
   */
  coherenceBonus?: number;
}

/** `nnf`: 2 ints (source centre x, y) per target pixel; `cost`: the patch SSD per target pixel (without penalty). */
export interface NnfResult {
  nnf: Int32Array;
  cost: Float32Array;
}

export interface VoteInput {
  sourceColors: Float32Array;
  sourceWidth: number;
  sourceHeight: number;
  colorChannels: number;
  nnf: Int32Array;
  targetWidth: number;
  targetHeight: number;
  patchSize: number;
}

/** Largest image side the kernels accept: well above the engine's 2048 px outputs, and keeps every index in int32. */
export const MAX_KERNEL_SIDE = 16_384;
/** Feature channels per pixel: guides are a handful (luminance, edges, segments, colour), 64 is generous. */
export const MAX_KERNEL_CHANNELS = 64;
/** Patch sides above this are not patch synthesis any more (StyLit/Ebsynth use 5–7). */
export const MAX_PATCH_SIZE = 31;
/** PatchMatch converges in 4–5 rounds (Barnes et al. 2009); 100 means a caller bug, not a wish. */
export const MAX_ITERATIONS = 100;

function invalid(message: string): never {
  throw new AtelierError('VALIDATION', message);
}

function checkSide(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_KERNEL_SIDE) {
    invalid(`The patch kernels got ${name} = ${String(value)}; it must be a whole number from 1 to ${MAX_KERNEL_SIDE}.`);
  }
}

function checkArray(name: string, array: unknown, kind: 'Float32Array' | 'Int32Array' | 'Uint8Array', length: number): void {
  const ok =
    (kind === 'Float32Array' && array instanceof Float32Array) ||
    (kind === 'Int32Array' && array instanceof Int32Array) ||
    (kind === 'Uint8Array' && array instanceof Uint8Array);
  if (!ok) invalid(`The patch kernels need ${name} as a ${kind}.`);
  const actual = (array as Float32Array | Int32Array | Uint8Array).length;
  if (actual !== length) invalid(`The patch kernels got ${name} with ${actual} values; the sizes given need exactly ${length}.`);
}

function checkPatchSize(patchSize: number, width: number, height: number): void {
  if (!Number.isInteger(patchSize) || patchSize < 1 || patchSize % 2 === 0 || patchSize > MAX_PATCH_SIZE) {
    invalid(`The patch size must be an odd whole number from 1 to ${MAX_PATCH_SIZE}; got ${String(patchSize)}.`);
  }
  if (patchSize > width || patchSize > height) {
    invalid(`The exemplar (${width}×${height}) is smaller than one ${patchSize}×${patchSize} patch; use a larger exemplar or a smaller patch.`);
  }
}

/** Throws a VALIDATION AtelierError naming the first thing wrong with a patch-search input. */
export function checkNnfInput(input: NnfInput): void {
  checkSide('sourceWidth', input.sourceWidth);
  checkSide('sourceHeight', input.sourceHeight);
  checkSide('targetWidth', input.targetWidth);
  checkSide('targetHeight', input.targetHeight);
  if (!Number.isInteger(input.channels) || input.channels < 1 || input.channels > MAX_KERNEL_CHANNELS) {
    invalid(`The patch kernels got ${String(input.channels)} feature channels; use 1 to ${MAX_KERNEL_CHANNELS}.`);
  }
  checkPatchSize(input.patchSize, input.sourceWidth, input.sourceHeight);
  if (!Number.isInteger(input.iterations) || input.iterations < 0 || input.iterations > MAX_ITERATIONS) {
    invalid(`PatchMatch iterations must be a whole number from 0 to ${MAX_ITERATIONS}; got ${String(input.iterations)}.`);
  }
  if (!Number.isFinite(input.seed)) invalid('The synthesis seed must be a finite number.');
  if (!Number.isFinite(input.reusePenalty) || input.reusePenalty < 0) {
    invalid(`The reuse penalty must be 0 or more; got ${String(input.reusePenalty)}.`);
  }
  if (input.coherenceBonus !== undefined && (!Number.isFinite(input.coherenceBonus) || input.coherenceBonus < 0)) {
    invalid(`The coherence bonus must be 0 or more; got ${String(input.coherenceBonus)}.`);
  }
  checkArray('source', input.source, 'Float32Array', input.sourceWidth * input.sourceHeight * input.channels);
  checkArray('target', input.target, 'Float32Array', input.targetWidth * input.targetHeight * input.channels);
  if (input.initial !== undefined) checkArray('initial', input.initial, 'Int32Array', input.targetWidth * input.targetHeight * 2);
  if (input.sourceMask !== undefined) {
    checkArray('sourceMask', input.sourceMask, 'Uint8Array', input.sourceWidth * input.sourceHeight);
    const half = (input.patchSize - 1) / 2;
    let usable = false;
    for (let y = half; y < input.sourceHeight - half && !usable; y++) {
      for (let x = half; x < input.sourceWidth - half; x++) {
        if (input.sourceMask[y * input.sourceWidth + x] !== 0) {
          usable = true;
          break;
        }
      }
    }
    if (!usable) invalid('The exemplar mask leaves no patch that may be used; the exemplar has nothing to draw from.');
  }
}

/** Throws a VALIDATION AtelierError naming the first thing wrong with a vote input. */
export function checkVoteInput(input: VoteInput): void {
  checkSide('sourceWidth', input.sourceWidth);
  checkSide('sourceHeight', input.sourceHeight);
  checkSide('targetWidth', input.targetWidth);
  checkSide('targetHeight', input.targetHeight);
  if (!Number.isInteger(input.colorChannels) || input.colorChannels < 1 || input.colorChannels > MAX_KERNEL_CHANNELS) {
    invalid(`The vote got ${String(input.colorChannels)} colour channels; use 1 to ${MAX_KERNEL_CHANNELS}.`);
  }
  checkPatchSize(input.patchSize, input.sourceWidth, input.sourceHeight);
  checkArray('sourceColors', input.sourceColors, 'Float32Array', input.sourceWidth * input.sourceHeight * input.colorChannels);
  checkArray('nnf', input.nnf, 'Int32Array', input.targetWidth * input.targetHeight * 2);
  const half = (input.patchSize - 1) / 2;
  for (let i = 0; i < input.nnf.length; i += 2) {
    const x = input.nnf[i] ?? -1;
    const y = input.nnf[i + 1] ?? -1;
    if (x < half || y < half || x >= input.sourceWidth - half || y >= input.sourceHeight - half) {
      invalid(`The patch field points outside the exemplar at target pixel ${i / 2} (${x}, ${y}); every entry must be a patch centre fully inside it.`);
    }
  }
}

/** The xorshift32 state both implementations start from: never 0 (xorshift's one fixed point). */
export function rngStateFromSeed(seed: number): number {
  const mixed = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return mixed === 0 ? 0x6d2b79f5 : mixed;
}
