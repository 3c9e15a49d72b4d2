// Image engine bench: training 30 × 1024² images, reference-guided 1024² generation, peak memory, quality per style vs the Reinhard baseline, contact sheet.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp, { type OverlayOptions } from 'sharp';
import { kernelsAvailable } from '../../native/index';
import { readBundle, writeBundle, type LoadedBundle } from '../../engine/bundle/bundle';
import { generateImage } from '../../engine/image/generate';
import type { WorkingImage } from '../../engine/image/pixels';
import { reinhardTransfer, styleGain, styleSetStatistics, structureSimilarity } from '../../engine/image/quality';
import { trainImageModel } from '../../engine/image/train';
import { FIXTURE_STYLES, REFERENCE_KINDS, referenceImage, styleSet, writeReference, writeStyleSet, type FixtureStyle, type ReferenceKind } from '../fixtures/styles';

/** Issue 4 "Performance" (this 2-core machine). */
export const TRAIN_30_TARGET_MS = 20_000;
export const GENERATE_1024_TARGET_MS = 8_000;
export const PEAK_RSS_TARGET_MB = 1536;
/** Issue 4 "Quality". */
export const STYLE_GAIN_TARGET = 0.8;
export const STRUCTURE_TARGET = 0.5;

const TRAIN_IMAGES = 30;
const TRAIN_SIDE = 1024;
const OUTPUT_SIDE = 1024;
/** Style sets for the quality figures: 6 images at the output side, as an artist's 1024 px scans would be. */
const QUALITY_SET_SIDE = 1024;
const CELL = 256;
export const CONTACT_SHEET = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../.artifacts/bench/contact-sheet.png');

export interface StyleQuality {
  style: FixtureStyle;
  reference: ReferenceKind;
  size: number;
  generateMs: number;
  styleGain: number;
  structure: number;
  baselineStyleGain: number;
  baselineStructure: number;
}

export interface ImageEngineBenchResult {
  kernels: 'native' | 'typescript';
  train30Ms: number;
  generate1024Ms: number;
  peakRssMb: number;
  quality: StyleQuality[];
  contactSheet: string;
}

export interface ImageEngineBenchOptions {
  log?: (line: string) => void;
  /** Output side of the quality runs (default 1024, the product default). */
  qualitySize?: number;
  references?: ReferenceKind[];
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

function toLoaded(dir: string): Promise<LoadedBundle> {
  return readBundle(dir);
}

async function cellOf(image: WorkingImage): Promise<OverlayOptions> {
  const input = await sharp(Buffer.from(image.rgb), { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(CELL, CELL, { fit: 'contain', background: '#ffffff' })
    .png()
    .toBuffer();
  return { input };
}

export async function runImageEngineBench(opts: ImageEngineBenchOptions = {}): Promise<ImageEngineBenchResult> {
  const log = opts.log ?? (() => undefined);
  const qualitySize = opts.qualitySize ?? OUTPUT_SIDE;
  const references = opts.references ?? [...REFERENCE_KINDS];
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-image-bench-'));
  const kernels = kernelsAvailable().native ? 'native' : 'typescript';
  log(`kernels: ${kernels}`);
  try {
    // 1. Training time: 30 images of 1024², six of each fixture style (a deliberately mixed, worst-case set).
    const files = [];
    for (const style of FIXTURE_STYLES) files.push(...(await writeStyleSet(path.join(root, 'train30', style), style, { count: TRAIN_IMAGES / FIXTURE_STYLES.length, size: TRAIN_SIDE })));
    let t = performance.now();
    const bundle30 = await trainImageModel(files.map((f) => ({ ...f, tags: [] })), {}, {});
    await writeBundle(path.join(root, 'model30'), bundle30);
    const train30Ms = Math.round(performance.now() - t);
    log(`train ${TRAIN_IMAGES} × ${TRAIN_SIDE}²: ${train30Ms} ms (target ≤ ${TRAIN_30_TARGET_MS})`);

    // 2. Generation time at 1024² from that model.
    const model30 = await toLoaded(path.join(root, 'model30'));
    const ref1024 = await writeReference(path.join(root, 'ref-1024.png'), 'still-life', OUTPUT_SIDE);
    t = performance.now();
    await generateImage(model30, { mode: 'reference', reference: ref1024, size: OUTPUT_SIDE, seed: 1 });
    const generate1024Ms = Math.round(performance.now() - t);
    log(`generate ${OUTPUT_SIDE}² (30-image model): ${generate1024Ms} ms (target ≤ ${GENERATE_1024_TARGET_MS})`);

    // 3. Quality per style and reference against Reinhard, and the contact sheet.
    const quality: StyleQuality[] = [];
    const rows: OverlayOptions[][] = [];
    for (const style of FIXTURE_STYLES) {
      const set = styleSet(style, { size: QUALITY_SET_SIDE });
      const stats = styleSetStatistics(set);
      const setFiles = await writeStyleSet(path.join(root, 'quality', style), style, { size: QUALITY_SET_SIDE });
      await writeBundle(path.join(root, `model-${style}`), await trainImageModel(setFiles.map((f) => ({ ...f, tags: [] })), {}, {}));
      const model = await toLoaded(path.join(root, `model-${style}`));
      const row = [await cellOf(set[0]!), await cellOf(set[1]!)];
      for (const kind of references) {
        const refPath = await writeReference(path.join(root, `ref-${kind}-${qualitySize}.png`), kind, qualitySize);
        const reference = referenceImage(kind, qualitySize);
        t = performance.now();
        const out = await generateImage(model, { mode: 'reference', reference: refPath, size: qualitySize, seed: 1 });
        const generateMs = Math.round(performance.now() - t);
        const image = { width: out.width, height: out.height, rgb: out.rgb };
        const baseline = reinhardTransfer(reference, stats.lab);
        const q: StyleQuality = {
          style,
          reference: kind,
          size: qualitySize,
          generateMs,
          styleGain: r3(styleGain(image, reference, stats)),
          structure: r3(structureSimilarity(image, reference)),
          baselineStyleGain: r3(styleGain(baseline, reference, stats)),
          baselineStructure: r3(structureSimilarity(baseline, reference)),
        };
        quality.push(q);
        log(
          `${style.padEnd(12)} ${kind.padEnd(10)} gain ${q.styleGain.toFixed(3)} ssim ${q.structure.toFixed(3)} | Reinhard gain ${q.baselineStyleGain.toFixed(3)} ssim ${q.baselineStructure.toFixed(3)} | ${generateMs} ms`,
        );
        row.push(await cellOf(reference), await cellOf(image), await cellOf(baseline));
      }
      rows.push(row);
    }
    const columns = Math.max(...rows.map((r) => r.length));
    const composite = rows.flatMap((row, y) => row.map((cell, x) => ({ ...cell, left: x * CELL, top: y * CELL })));
    await fs.mkdir(path.dirname(CONTACT_SHEET), { recursive: true });
    await sharp({ create: { width: columns * CELL, height: rows.length * CELL, channels: 3, background: '#ffffff' } })
      .composite(composite)
      .png()
      .toFile(CONTACT_SHEET);
    log(`contact sheet (per row: 2 style images | then per reference: reference, output, Reinhard): ${CONTACT_SHEET}`);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    log(`peak RSS: ${peakRssMb} MB (target ≤ ${PEAK_RSS_TARGET_MB})`);
    return { kernels, train30Ms, generate1024Ms, peakRssMb, quality, contactSheet: CONTACT_SHEET };
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runImageEngineBench({ log: (line) => console.log(line) }).then(
    (r) => {
      const misses = r.quality.filter((q) => q.styleGain < STYLE_GAIN_TARGET || q.structure < STRUCTURE_TARGET);
      console.log(`quality below target on ${misses.length} of ${r.quality.length} style × reference runs`);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
