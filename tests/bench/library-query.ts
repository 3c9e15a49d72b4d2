// Bench: the library's list/filter query on a 10,000-asset profile, through the studio's handlers (zod parse + query + summaries), p50/p95 per query shape.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dispatch } from '../../electron/dispatch';
import { createStudio } from '../../electron/studio';
import type { Channel, ChannelInput } from '../../preload/contract';
import { seedLibrary } from '../fixtures/library';

/** Issue 3 "Performance": a 10,000-asset library, the list/filter query ≤ 20 ms. */
export const LIBRARY_QUERY_TARGET_MS = 20;
export const LIBRARY_QUERY_ASSETS = 10_000;

export interface QueryShapeResult {
  name: string;
  p50Ms: number;
  p95Ms: number;
  /** What the query answered (so a shape that matches nothing is visible in the output). */
  total: number;
  items: number;
}

export interface LibraryQueryBenchResult {
  assets: number;
  seedMs: number;
  rounds: number;
  shapes: QueryShapeResult[];
}

/** Page size of the grid's fetches; the contract's default page (500) is measured as its own shape. */
const PAGE = 200;

const SHAPES: Array<{ name: string; channel: Channel; input: Record<string, unknown> }> = [
  { name: 'newest first, first page', channel: 'assets:list', input: { limit: PAGE } },
  { name: 'newest first, default page of 500', channel: 'assets:list', input: {} },
  { name: 'deep page (offset 9,000)', channel: 'assets:list', input: { offset: 9_000, limit: PAGE } },
  { name: 'kind = audio', channel: 'assets:list', input: { kind: 'audio', limit: PAGE } },
  { name: 'source = work-sample', channel: 'assets:list', input: { source: 'work-sample', limit: PAGE } },
  { name: 'tag = line art', channel: 'assets:list', input: { tag: 'line art', limit: PAGE } },
  { name: 'problem = blur', channel: 'assets:list', input: { problem: 'blur', limit: PAGE } },
  { name: 'problem = any', channel: 'assets:list', input: { problem: 'any', limit: PAGE } },
  { name: 'search "rose" (name or tag)', channel: 'assets:list', input: { search: 'rose', limit: PAGE } },
  { name: 'search "line" (name or tag)', channel: 'assets:list', input: { search: 'line', limit: PAGE } },
  { name: 'image + tag + problem any + search', channel: 'assets:list', input: { kind: 'image', tag: 'flash', problem: 'any', search: 'o', limit: PAGE } },
  { name: 'archived', channel: 'assets:list', input: { archived: true, limit: PAGE } },
  { name: 'tag counts', channel: 'assets:tags', input: {} },
  { name: 'selection: last 100 work samples', channel: 'assets:selection', input: { selection: { mode: 'all-work-samples', kind: 'image' } } },
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export async function runLibraryQueryBench(opts: { count?: number; rounds?: number; warmup?: number } = {}): Promise<LibraryQueryBenchResult> {
  const count = opts.count ?? LIBRARY_QUERY_ASSETS;
  const rounds = opts.rounds ?? 60;
  const warmup = opts.warmup ?? 5;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-bench-query-'));
  const studio = createStudio({ dataDir, appVersion: 'bench', transport: 'host', poolSize: 1 });
  try {
    const seedStart = performance.now();
    const { profileId, password } = await seedLibrary({ dataDir, count });
    const seedMs = performance.now() - seedStart;
    const unlocked = await dispatch(studio.handlers, 'profiles:unlock', { profileId, password });
    if (!unlocked.ok) throw new Error(`unlock failed: ${unlocked.error.message}`);

    const shapes: QueryShapeResult[] = [];
    for (const shape of SHAPES) {
      const call = () => dispatch(studio.handlers, shape.channel, shape.input as ChannelInput<typeof shape.channel>);
      for (let i = 0; i < warmup; i++) await call();
      const times: number[] = [];
      let last: unknown;
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        const r = await call();
        times.push(performance.now() - t0);
        if (!r.ok) throw new Error(`${shape.name}: ${r.error.code} ${r.error.message}`);
        last = r.value;
      }
      times.sort((a, b) => a - b);
      const page = last as { total?: number; items?: unknown[]; assetIds?: string[] } | unknown[];
      const items = Array.isArray(page) ? page.length : (page.items?.length ?? page.assetIds?.length ?? 0);
      const total = Array.isArray(page) ? page.length : (page.total ?? items);
      shapes.push({ name: shape.name, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), total, items });
    }
    return { assets: count, seedMs, rounds, shapes };
  } finally {
    await studio.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function printResult(r: LibraryQueryBenchResult): void {
  console.log(`library query bench: ${r.assets.toLocaleString('en')} assets seeded in ${(r.seedMs / 1000).toFixed(1)} s, ${r.rounds} rounds per shape`);
  const width = Math.max(...r.shapes.map((s) => s.name.length));
  for (const s of r.shapes) {
    const mark = s.p95Ms <= LIBRARY_QUERY_TARGET_MS ? 'ok  ' : 'SLOW';
    console.log(
      `  ${mark} ${s.name.padEnd(width)}  p50 ${s.p50Ms.toFixed(2).padStart(6)} ms  p95 ${s.p95Ms.toFixed(2).padStart(6)} ms  (${s.items} of ${s.total})`,
    );
  }
  const worst = Math.max(...r.shapes.map((s) => s.p95Ms));
  console.log(`  slowest p95 ${worst.toFixed(2)} ms (target ≤ ${LIBRARY_QUERY_TARGET_MS} ms)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runLibraryQueryBench().then(printResult, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
