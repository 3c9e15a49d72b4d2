// The patch kernels' typed face: the C++ addon when it is built, else (logged once) the TypeScript oracle.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtelierError } from '../engine/errors';
import { checkNnfInput, checkVoteInput, rngStateFromSeed, type NnfInput, type NnfResult, type VoteInput } from './kernel-input';
import { patchMatchOracle, voteOracle } from './oracle';

export type { NnfInput, NnfResult, VoteInput } from './kernel-input';
export { MAX_ITERATIONS, MAX_KERNEL_CHANNELS, MAX_KERNEL_SIDE, MAX_PATCH_SIZE } from './kernel-input';

/** The addon's file name: node-gyp's target (native/binding.gyp), and the copy beside the app's bundle. */
export const ADDON_FILE = 'atelier_native.node';
/** Names a .node file to load instead of looking for one (a custom build; or a missing file, to run the oracle). */
export const ADDON_ENV = 'ATELIER_NATIVE_ADDON';

/**
 * Where the addon may be, in order, seen from the folder of the module running this code:
 * - from source (tsx, vitest): native/ → where `node-gyp rebuild -C native` (scripts/build-native.mjs) leaves it;
 * - built by electron-vite: out/main/*.js → out/main/native/, where electron.vite.config.ts copies it, or one
 *   folder up when this code lands in a shared chunk (out/main/chunks/);
 * - packaged: the same, with app.asar read as app.asar.unpacked — a .node cannot be loaded from inside the
 *   archive, so electron-builder unpacks it there (electron-builder.yml asarUnpack).
 */
export function addonCandidates(moduleDir: string, env: Record<string, string | undefined> = process.env): string[] {
  const override = env[ADDON_ENV];
  if (override) return [path.resolve(override)];
  return [
    path.join(moduleDir, 'build', 'Release', ADDON_FILE),
    path.join(moduleDir, 'native', ADDON_FILE),
    path.join(moduleDir, '..', 'native', ADDON_FILE),
  ].map(outsideAsar);
}

/** The path Electron's asar unpacking puts a file at: the first "app.asar" folder becomes "app.asar.unpacked". */
function outsideAsar(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/** The first candidate that exists, else the first one (reported as missing). */
export function resolveAddonPath(moduleDir: string, env: Record<string, string | undefined> = process.env): string {
  const candidates = addonCandidates(moduleDir, env);
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}

/** The addon this process loads (resolved once, when this module is first imported). */
export const ADDON_PATH = resolveAddonPath(path.dirname(fileURLToPath(import.meta.url)));

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
    coherenceBonus: number,
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
    const how = process.env[ADDON_ENV] ? `${ADDON_ENV} names it` : 'run `node scripts/build-native.mjs`';
    const reason = `the native patch kernels are not built (${ADDON_PATH} is missing; ${how}), so synthesis uses the slower TypeScript kernels`;
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
    input.coherenceBonus ?? 0,
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
