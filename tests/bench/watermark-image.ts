// Image watermark bench (issue 6): per-attack exact-decode share on 1024² marked pictures, false positives on unmarked inputs, embed/detect ms.
import { pathToFileURL } from 'node:url';
import type { WorkingImage } from '../../engine/image/pixels';
import { median } from '../../engine/image/pixels';
import { exportWithCredentials, readCredentials } from '../../engine/watermark/c2pa';
import { createCreatorCredentials } from '../../engine/watermark/credentials';
import { detectImageMark, markDraftImage, visibleMarkMask } from '../../engine/watermark/image/index';
import { encodePayload, payloadToHex } from '../../engine/watermark/payload';
import { pngOf } from '../fixtures/styles';
import * as attack from '../fixtures/watermark';

/** Issue 6 "Bench" targets. */
export const DECODE_SHARE_TARGET = 0.95;
export const EMBED_1024_TARGET_MS = 80;
export const DETECT_1024_TARGET_MS = 150;

export interface WatermarkImageBenchOptions {
  log?: (line: string) => void;
  /** Marked pictures (default 40, mixed kinds). */
  images?: number;
  side?: number;
  /** Unmarked inputs for the false-positive count (default 1000: crops/resizes of 256–640 px of varied pictures). */
  unmarked?: number;
}

export interface WatermarkImageBenchResult {
  attacks: Array<{ attack: string; decoded: number; total: number; share: number }>;
  falsePositives: number;
  unmarkedInputs: number;
  /** Medians over the marked pictures (ms). */
  embedMs: number;
  detectMs: number;
  embedMinMs: number;
  detectMinMs: number;
  /** C2PA clean export of a 1024² PNG: sign (median of C2PA_RUNS) and read back + validate (median). */
  c2pa: C2paBenchResult;
  totalSeconds: number;
}

export interface C2paBenchResult {
  pngBytes: number;
  exportMs: number;
  readMs: number;
  /** The first export of the process, which also loads the wasm SDK. */
  firstExportMs: number;
  /** Bytes the manifest adds. */
  manifestBytes: number;
}

/** Issue 6 brief: the C2PA export and read times are the median of 5. */
export const C2PA_RUNS = 5;

/** Signs a 1024² PNG (a corpus picture, as generated outputs look) with C2PA credentials and reads it back, C2PA_RUNS times. */
export async function runC2paBench(log: (line: string) => void = (line) => console.log(line), side = 1024): Promise<C2paBenchResult> {
  const png = await pngOf(attack.corpusImage(1, side).image);
  const credentials = await createCreatorCredentials({ creatorName: 'Bench creator', now: new Date() });
  const facts = {
    title: '',
    creatorName: 'Bench creator',
    modelName: 'Bench model',
    modelVersion: 'v1',
    trainingSetHash: 'ab'.repeat(32),
    generatedAt: new Date().toISOString(),
  };
  const exportMs: number[] = [];
  const readMs: number[] = [];
  let firstExportMs = 0;
  let signedBytes = 0;
  for (let k = 0; k < C2PA_RUNS + 1; k++) {
    let t = performance.now();
    const signed = await exportWithCredentials(png, 'png', facts, credentials);
    const ms = performance.now() - t;
    // Run 0 loads the wasm: reported on its own, not in the median.
    if (k === 0) firstExportMs = ms;
    else exportMs.push(ms);
    signedBytes = signed.length;
    t = performance.now();
    const read = await readCredentials(signed);
    if (k > 0) readMs.push(performance.now() - t);
    if (read?.verdict !== 'untrusted') throw new Error(`C2PA bench: the export read back as ${read?.verdict ?? 'no credentials'}`);
  }
  const result = { pngBytes: png.length, exportMs: median(exportMs), readMs: median(readMs), firstExportMs, manifestBytes: signedBytes - png.length };
  log(
    `C2PA clean export at ${side}² PNG (${(png.length / 1024).toFixed(0)} KB): sign median ${result.exportMs.toFixed(1)} ms, read + validate median ${result.readMs.toFixed(1)} ms over ${C2PA_RUNS}; first export (loads the wasm) ${firstExportMs.toFixed(0)} ms; manifest +${(result.manifestBytes / 1024).toFixed(1)} KB`,
  );
  return result;
}

const KEY = 'bench-creator-key';
const TEXT = 'DRAFT · ATELIER';

export async function runWatermarkImageBench(opts: WatermarkImageBenchOptions = {}): Promise<WatermarkImageBenchResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const count = opts.images ?? 40;
  const side = opts.side ?? 1024;
  const attacks = attack.IMAGE_ATTACKS;
  const started = performance.now();
  const decoded = new Map<string, number>(attacks.map(([name]) => [name, 0]));
  const failedKinds = new Map<string, number>();
  const embedMs: number[] = [];
  const detectMs: number[] = [];
  // CPU time of this process as well: the machine is shared, so wall time includes waiting for a core.
  const embedCpuMs: number[] = [];
  const detectCpuMs: number[] = [];
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let n = 0; n < count; n++) {
    const { kind, image } = attack.corpusImage(n, side);
    const payload = encodePayload({ draftId: 5000 + n, clientId: n * 31, modelId: n % 4096 });
    const hex = payloadToHex(payload);
    let c = cpuMs();
    let t = performance.now();
    const marked = markDraftImage(image, { payload, key: KEY, seed: n, text: TEXT });
    embedMs.push(performance.now() - t);
    embedCpuMs.push(cpuMs() - c);
    const mask = visibleMarkMask(side, side, { seed: n, text: TEXT });
    for (const [name, run] of attacks) {
      const attacked = await run(marked, n, mask);
      c = cpuMs();
      t = performance.now();
      const d = detectImageMark(attacked, KEY);
      // Every detection at full size counts (untouched, JPEG, WebP, brightness, mark removal): same work.
      if (attacked.width === side && attacked.height === side) {
        detectMs.push(performance.now() - t);
        detectCpuMs.push(cpuMs() - c);
      }
      if (d.found && d.payload && payloadToHex(d.payload) === hex) decoded.set(name, decoded.get(name)! + 1);
      else failedKinds.set(`${name}/${kind}`, (failedKinds.get(`${name}/${kind}`) ?? 0) + 1);
    }
  }
  const unmarkedInputs = opts.unmarked ?? 1000;
  let falsePositives = 0;
  const sources = new Map<number, WorkingImage>();
  for (let n = 0; n < unmarkedInputs; n++) {
    const k = n % 97;
    const image = sources.get(k) ?? attack.corpusImage(k, 640).image;
    sources.set(k, image);
    const sideShare = 0.4 + 0.6 * ((n * 0.618034) % 1);
    const picked = n % 2 === 0 ? attack.cropped(image, (1 - sideShare) / 2, (1 - sideShare) / 2, (1 - sideShare) / 2, (1 - sideShare) / 2) : await attack.resized(image, sideShare);
    if (detectImageMark(picked, KEY).found) falsePositives++;
  }
  const rows = attacks.map(([name]) => ({ attack: name, decoded: decoded.get(name)!, total: count, share: decoded.get(name)! / count }));
  log(`Image watermark bench: ${count} marked ${side}² pictures (every 4th a style set: hatching, stippling, pastel, watercolour, tattoo flash in turn; references; photo-like; flat)`);
  log('attack                      decoded   share  target');
  for (const r of rows) log(`${r.attack.padEnd(28)}${`${r.decoded}/${r.total}`.padStart(7)}  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.share >= DECODE_SHARE_TARGET ? 'ok' : 'MISS'}`);
  if (failedKinds.size > 0) log(`failures by attack/kind: ${[...failedKinds].map(([k, v]) => `${k}=${v}`).join(', ')}`);
  log(`false positives: ${falsePositives} / ${unmarkedInputs} unmarked inputs (centre crops and resizes, 256–640 px, of 97 varied pictures)`);
  const embed = median(embedMs);
  const detect = median(detectMs);
  const embedMin = Math.min(...embedMs);
  const detectMin = Math.min(...detectMs);
  log(`embed (visible + invisible) at ${side}²: median ${embed.toFixed(1)} ms, min ${embedMin.toFixed(1)} ms over ${embedMs.length} (target ≤ ${EMBED_1024_TARGET_MS})`);
  log(`detect at ${side}²: median ${detect.toFixed(1)} ms, min ${detectMin.toFixed(1)} ms over ${detectMs.length} (target ≤ ${DETECT_1024_TARGET_MS})`);
  log(`CPU time of this process: embed median ${median(embedCpuMs).toFixed(1)} ms, detect median ${median(detectCpuMs).toFixed(1)} ms`);
  const c2pa = await runC2paBench(log, side);
  const totalSeconds = (performance.now() - started) / 1000;
  log(`bench run: ${totalSeconds.toFixed(0)} s`);
  return { attacks: rows, falsePositives, unmarkedInputs, embedMs: embed, detectMs: detect, embedMinMs: embedMin, detectMinMs: detectMin, c2pa, totalSeconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `npx tsx tests/bench/watermark-image.ts c2pa` runs only the C2PA row.
  if (process.argv[2] === 'c2pa') await runC2paBench();
  else await runWatermarkImageBench();
}
