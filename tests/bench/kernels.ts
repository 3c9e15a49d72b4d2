// Bench: the patch kernels, TypeScript oracle vs native addon — PatchMatch and voting of a 256² target from a 512² exemplar.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { kernelsAvailable, patchMatch, vote, type NnfInput, type VoteInput } from '../../native/index';
import { patchMatchOracle, voteOracle } from '../../native/oracle';
import { vividPaintingSvg } from '../fixtures/images';

/** The brief's bench shape: 256×256 target, 512×512 exemplar, 5×5 patches, 5 PatchMatch rounds. */
export const KERNEL_BENCH = { sourceSide: 512, targetSide: 256, patchSize: 5, iterations: 5, channels: 4, seed: 1 } as const;

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.artifacts', 'bench');

export interface KernelTiming {
  oracleMs: number;
  nativeMs: number | null;
  speedUp: number | null;
}

export interface KernelBenchResult {
  native: boolean;
  reason?: string;
  patchMatch: KernelTiming;
  vote: KernelTiming;
  /** Whether the native field and colours equal the oracle's (they are designed to, bit for bit). */
  identical: boolean | null;
  /** Mean patch SSD per target pixel after the search (features in 0..1). */
  meanCost: number;
  /** exemplar | target | target redrawn from the exemplar's patches. */
  sheet: string;
}

/** RGB + luminance features in 0..1 from a procedural painting, and its RGB colours. */
async function painting(side: number, seed: number): Promise<{ features: Float32Array; colors: Float32Array; rgb: Buffer }> {
  const rgb = await sharp(Buffer.from(vividPaintingSvg(side, side, seed))).removeAlpha().raw().toBuffer();
  const features = new Float32Array(side * side * KERNEL_BENCH.channels);
  const colors = new Float32Array(side * side * 3);
  for (let p = 0; p < side * side; p++) {
    const [r, g, b] = [rgb[3 * p] as number, rgb[3 * p + 1] as number, rgb[3 * p + 2] as number].map((v) => v / 255) as [number, number, number];
    colors.set([r, g, b], 3 * p);
    features.set([r, g, b, 0.2126 * r + 0.7152 * g + 0.0722 * b], KERNEL_BENCH.channels * p);
  }
  return { features, colors, rgb };
}

function time<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const sameArray = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);

export async function runKernelBench(): Promise<KernelBenchResult> {
  const { sourceSide: ss, targetSide: ts } = KERNEL_BENCH;
  const source = await painting(ss, 3);
  const target = await painting(ts, 8);
  const input: NnfInput = {
    source: source.features,
    sourceWidth: ss,
    sourceHeight: ss,
    target: target.features,
    targetWidth: ts,
    targetHeight: ts,
    channels: KERNEL_BENCH.channels,
    patchSize: KERNEL_BENCH.patchSize,
    iterations: KERNEL_BENCH.iterations,
    seed: KERNEL_BENCH.seed,
    reusePenalty: 0,
  };
  const state = kernelsAvailable();
  const oracleField = time(() => patchMatchOracle(input));
  const voteInput: VoteInput = { sourceColors: source.colors, sourceWidth: ss, sourceHeight: ss, colorChannels: 3, nnf: oracleField.value.nnf, targetWidth: ts, targetHeight: ts, patchSize: KERNEL_BENCH.patchSize };
  const oracleVote = time(() => voteOracle(voteInput));
  let nativeField: { value: ReturnType<typeof patchMatch>; ms: number } | null = null;
  let nativeVote: { value: Float32Array; ms: number } | null = null;
  if (state.native) {
    nativeField = time(() => patchMatch(input));
    nativeVote = time(() => vote(voteInput));
  }
  const identical = nativeField && nativeVote
    ? sameArray(nativeField.value.nnf, oracleField.value.nnf) && sameArray(nativeField.value.cost, oracleField.value.cost) && sameArray(nativeVote.value, oracleVote.value)
    : null;

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const sheet = path.join(ARTIFACTS, 'kernels.png');
  const redrawn = Buffer.from(Array.from(oracleVote.value, (v) => Math.round(v * 255)));
  const tile = (rgb: Buffer, side: number) => sharp(rgb, { raw: { width: side, height: side, channels: 3 } }).resize(ts, ts).png().toBuffer();
  await sharp({ create: { width: ts * 3 + 16, height: ts, channels: 3, background: '#ffffff' } })
    .composite([
      { input: await tile(source.rgb, ss), left: 0, top: 0 },
      { input: await tile(target.rgb, ts), left: ts + 8, top: 0 },
      { input: await tile(redrawn, ts), left: 2 * ts + 16, top: 0 },
    ])
    .png()
    .toFile(sheet);

  const timing = (oracleMs: number, nativeMs: number | null): KernelTiming => ({ oracleMs, nativeMs, speedUp: nativeMs === null ? null : oracleMs / nativeMs });
  return {
    native: state.native,
    ...(state.reason === undefined ? {} : { reason: state.reason }),
    patchMatch: timing(oracleField.ms, nativeField?.ms ?? null),
    vote: timing(oracleVote.ms, nativeVote?.ms ?? null),
    identical,
    meanCost: oracleField.value.cost.reduce((a, b) => a + b, 0) / (ts * ts),
    sheet,
  };
}

/** The bench's figures as lines on stdout (used by `npx tsx tests/bench/kernels.ts` and by run.ts). */
export function printKernelBench(r: KernelBenchResult): void {
  const b = KERNEL_BENCH;
  console.log(`patch kernels bench: ${b.targetSide}² target from a ${b.sourceSide}² exemplar, ${b.patchSize}×${b.patchSize} patches, ${b.channels} channels, ${b.iterations} rounds`);
  for (const [name, t] of [['patchMatch', r.patchMatch], ['vote', r.vote]] as const) {
    const native = t.nativeMs === null ? 'native not built' : `native ${t.nativeMs.toFixed(1).padStart(8)} ms   speed-up ${t.speedUp?.toFixed(1)}×`;
    console.log(`  ${name.padEnd(10)} oracle ${t.oracleMs.toFixed(1).padStart(8)} ms   ${native}`);
  }
  if (r.reason) console.log(`  (${r.reason})`);
  if (r.identical !== null) console.log(`  native output ${r.identical ? 'identical to' : 'DIFFERS from'} the oracle's`);
  console.log(`  mean patch SSD ${r.meanCost.toFixed(4)}; contact sheet (exemplar | target | redrawn): ${r.sheet}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runKernelBench().then(printKernelBench, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
