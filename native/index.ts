// The patch kernels' typed face: the C++ addon when it is built, else (logged once) the TypeScript oracle.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AtelierError } from '../engine/errors';
import { checkNnfInput, checkVoteInput, rngStateFromSeed, type NnfInput, type NnfResult, type VoteInput } from './kernel-input';
import { patchMatchOracle, voteOracle } from './oracle';

export type { NnfInput, NnfResult, VoteInput } from './kernel-input';
export { MAX_ITERATIONS, MAX_KERNEL_CHANNELS, MAX_KERNEL_SIDE, MAX_PATCH_SIZE } from './kernel-input';

/** Where `node-gyp rebuild -C native` (scripts/build-native.mjs) leaves the addon. */
export const ADDON_PATH = fileURLToPath(new URL('./build/Release/atelier_native.node', import.meta.url));

/** The addon's raw exports (positional, see native/src/addon.cc). */
interface AtelierNativeAddon {
  patchMatch(
    source: Float32Array,
    sourceWidth: number,
    sourceHeight: number,
    target: Float32Array,
    targetWidth: number,
    targetHeight: number,
    channels: number,
    patchSize: number,
    iterations: number,
    rngState: number,
    initial: Int32Array | null,
    reusePenalty: number,
    sourceMask: Uint8Array | null,
  ): NnfResult;
  vote(
    sourceColors: Float32Array,
    sourceWidth: number,
    sourceHeight: number,
    colorChannels: number,
    nnf: Int32Array,
    targetWidth: number,
    targetHeight: number,
    patchSize: number,
  ): Float32Array;
}

type Loaded = { native: true; addon: AtelierNativeAddon } | { native: false; reason: string };

let loaded: Loaded | null = null;

function load(): Loaded {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    const reason = `the native patch kernels are not built (${ADDON_PATH} is missing; run \`node scripts/build-native.mjs\`), so synthesis uses the slower TypeScript kernels`;
    console.warn(`Atelier: ${reason}.`);
    loaded = { native: false, reason };
    return loaded;
  }
  try {
    const required: unknown = createRequire(import.meta.url)(ADDON_PATH);
    const addon = required as Partial<AtelierNativeAddon>;
    if (typeof addon.patchMatch !== 'function' || typeof addon.vote !== 'function') {
      throw new Error('the addon does not export patchMatch and vote');
    }
    loaded = { native: true, addon: addon as AtelierNativeAddon };
    return loaded;
  } catch (e) {
    // A present but unloadable addon is a broken install, not a missing build: say so rather than run slowly in silence.
    throw new AtelierError(
      'INTERNAL',
      'The native patch kernels are installed but cannot be loaded. Rebuild them with `node scripts/build-native.mjs`.',
      { path: ADDON_PATH, cause: e instanceof Error ? e.message : String(e) },
    );
  }
}

/** Which kernels run: the native addon, or the TypeScript oracle and why. */
export function kernelsAvailable(): { native: boolean; reason?: string } {
  const state = load();
  return state.native ? { native: true } : { native: false, reason: state.reason };
}

/** Nearest-patch field from every target patch to a source patch (PatchMatch), with SSD per target pixel. */
export function patchMatch(input: NnfInput): NnfResult {
  const state = load();
  if (!state.native) return patchMatchOracle(input);
  checkNnfInput(input);
  return state.addon.patchMatch(
    input.source,
    input.sourceWidth,
    input.sourceHeight,
    input.target,
    input.targetWidth,
    input.targetHeight,
    input.channels,
    input.patchSize,
    input.iterations,
    rngStateFromSeed(input.seed),
    input.initial ?? null,
    input.reusePenalty,
    input.sourceMask ?? null,
  );
}

/** W×H×colorChannels: the average of the colours that the overlapping matched patches put on each target pixel. */
export function vote(input: VoteInput): Float32Array {
  const state = load();
  if (!state.native) return voteOracle(input);
  checkVoteInput(input);
  return state.addon.vote(
    input.sourceColors,
    input.sourceWidth,
    input.sourceHeight,
    input.colorChannels,
    input.nnf,
    input.targetWidth,
    input.targetHeight,
    input.patchSize,
  );
}
