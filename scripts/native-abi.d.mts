// Types for scripts/native-abi.mjs (plain JS so it runs before anything is built), used by its tests.
export type Runtime = 'node' | 'electron';
export interface RuntimeTarget {
  runtime: Runtime;
  abi: number;
  version: string;
}
export interface InstalledBuild {
  file: string;
  abi: number | null;
  sha256: string;
}
export interface CachedBuild {
  file: string;
  sha256: string;
}
export type SwitchAction = 'none' | 'restore' | 'rebuild';

export const MODULE_NAME: string;
export const BINARY_PATH: string;
export const CACHE_PATH: string;

export function abiOfBinary(bytes: Uint8Array): number | null;
export function sha256(bytes: Uint8Array): string;
export function targetFor(runtime: Runtime, root: string): RuntimeTarget;
export function cacheDirFor(root: string, target: RuntimeTarget): string;
export function installedBuild(root: string): InstalledBuild | null;
export function cachedBuild(root: string, target: RuntimeTarget): CachedBuild | null;
export function storeInCache(root: string, target: RuntimeTarget): void;
export function loadsInNode(root: string): boolean;
export function planSwitch(state: {
  target: RuntimeTarget;
  installed: InstalledBuild | null;
  cached: CachedBuild | null;
  loads: boolean;
  nodeAbi: number;
}): SwitchAction;
export function ensureNativeBuild(
  runtime: Runtime,
  options?: {
    root?: string;
    log?: (line: string) => void;
    rebuildForNode?: (root: string, target: RuntimeTarget) => void | Promise<void>;
    rebuildForElectron?: (root: string, target: RuntimeTarget) => void | Promise<void>;
  },
): Promise<SwitchAction>;
