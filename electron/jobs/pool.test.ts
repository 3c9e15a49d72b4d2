// The worker pool on real worker threads: queueing, progress, cancel, crashes, error codes, bytes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import type { TestTasks } from './fixtures/test-tasks';
import { WorkerPool, defaultPoolSize, type WorkerPoolOptions } from './pool';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';

const testEntry = { kind: 'typescript', url: new URL('./fixtures/test-worker.ts', import.meta.url) } as const;
/** Short grace so the stuck-task test does not wait the production 2 s. */
const TEST_GRACE_MS = 200;

const pools: WorkerPool<TestTasks>[] = [];
function testPool(opts: Partial<WorkerPoolOptions> = {}): WorkerPool<TestTasks> {
  const pool = new WorkerPool<TestTasks>({
    entry: testEntry,
    size: 2,
    cancelGraceMs: TEST_GRACE_MS,
    prepareMainThread: async () => {},
    ...opts,
  });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Resolves once `onProgress` has seen a report, i.e. the task is running inside a worker. */
function started(): { onProgress: () => void; running: Promise<void> } {
  let mark = (): void => {};
  const running = new Promise<void>((resolve) => (mark = resolve));
  return { onProgress: () => mark(), running };
}

describe('WorkerPool', () => {
  it('sizes itself to every core but one, and at least one', () => {
    expect(defaultPoolSize()).toBe(Math.max(1, os.availableParallelism() - 1));
    expect(() => new WorkerPool({ entry: testEntry, size: 0 })).toThrow(AtelierError);
  });

  it('runs tasks side by side up to its size and queues the rest', async () => {
    const pool = testPool({ size: 2 });
    const cells = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    // Six tasks that only finish in pairs: they complete only if two run at once; never three.
    const results = await Promise.all(
      Array.from({ length: 6 }, () => pool.run('rendezvous', { cells, parties: 2 })),
    );
    const counters = new Int32Array(cells);
    expect(counters[0]).toBe(6);
    expect(counters[2]).toBe(2);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it('reports progress with its stage and returns the output', async () => {
    const pool = testPool();
    const seen: Array<[number, string | undefined]> = [];
    const out = await pool.run('count', { to: 5 }, { onProgress: (f, stage) => seen.push([f, stage]) });
    expect(out.counted).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((i) => [i / 5, `Step ${i} of 5`]));
  });

  it('keeps AtelierError codes across the thread hop and hides unknown errors', async () => {
    const pool = testPool();
    const corrupt = await rejectedAtelierError(pool.run('failCorrupt', { name: 'sketch.png' }));
    expect(corrupt.code).toBe('CORRUPT_FILE');
    expect(corrupt.message).toBe('"sketch.png" is damaged and cannot be read.');
    expect(corrupt.details).toEqual({ offset: 3 });

    const plain = await rejectedAtelierError(pool.run('failPlain', undefined as never));
    expect(plain.code).toBe('INTERNAL');
    expect(plain.message).not.toContain('secret');
  });

  it('reports a task name the worker does not know as INTERNAL', async () => {
    const pool = testPool();
    const err = await rejectedAtelierError(pool.run('noSuchTask' as 'count', { to: 1 }));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('noSuchTask');
  });

  it('cancels a running task that honours its signal', async () => {
    const pool = testPool();
    const controller = new AbortController();
    const { onProgress, running } = started();
    const task = pool.run('waitForCancel', {}, { signal: controller.signal, onProgress });
    await running;
    controller.abort();
    expect((await rejectedAtelierError(task)).code).toBe('CANCELLED');
    // The same worker is still good for the next task.
    expect((await pool.run('count', { to: 2 })).counted).toBe(2);
  });

  it('terminates a stuck task after the grace period and replaces its worker', async () => {
    const pool = testPool({ size: 1 });
    const before = await pool.run('echoThread', undefined as never);
    const controller = new AbortController();
    const { onProgress, running } = started();
    const task = pool.run('stuck', {}, { signal: controller.signal, onProgress });
    await running;
    controller.abort();
    expect((await rejectedAtelierError(task)).code).toBe('CANCELLED');
    const after = await pool.run('echoThread', undefined as never);
    expect(after.threadId).not.toBe(before.threadId);
  });

  it('drops a queued task at once when it is cancelled before it starts', async () => {
    const pool = testPool({ size: 1 });
    const blocker = new AbortController();
    const { onProgress, running } = started();
    const first = pool.run('waitForCancel', {}, { signal: blocker.signal, onProgress });
    await running;
    const queued = new AbortController();
    const progressOfQueued: number[] = [];
    const second = pool.run('count', { to: 3 }, { signal: queued.signal, onProgress: (f) => progressOfQueued.push(f) });
    queued.abort();
    expect((await rejectedAtelierError(second)).code).toBe('CANCELLED');
    expect(progressOfQueued).toEqual([]);
    blocker.abort();
    await rejectedAtelierError(first);
  });

  it('refuses a task whose signal is already aborted', async () => {
    const pool = testPool();
    expect((await rejectedAtelierError(pool.run('count', { to: 1 }, { signal: AbortSignal.abort() }))).code).toBe('CANCELLED');
  });

  it('rejects the task of a worker that exits and carries on with a new worker', async () => {
    const pool = testPool({ size: 1 });
    const crash = await rejectedAtelierError(pool.run('exitWorker', { code: 7 }));
    expect(crash.code).toBe('INTERNAL');
    expect(crash.message).toContain('exitWorker');
    expect(crash.details).toMatchObject({ exitCode: 7 });
    expect((await pool.run('count', { to: 1 })).counted).toBe(1);
  });

  it('rejects the task of a worker that throws outside the task and carries on', async () => {
    const pool = testPool({ size: 1 });
    const queuedBehind = pool.run('count', { to: 2 });
    expect((await rejectedAtelierError(pool.run('crashLater', undefined as never))).code).toBe('INTERNAL');
    expect((await queuedBehind).counted).toBe(2);
  });

  it('fails tasks clearly when the worker entry cannot be loaded', async () => {
    const pool = testPool({ entry: { kind: 'typescript', url: new URL('./fixtures/missing-worker.ts', import.meta.url) } });
    const err = await rejectedAtelierError(pool.run('count', { to: 1 }));
    expect(err.code).toBe('INTERNAL');
  });

  it('hands back bytes intact, including one buffer named twice', async () => {
    const pool = testPool();
    const out = await pool.run('makeBytes', { size: 4096, fill: 9 });
    expect(out.bytes).toBeInstanceOf(Uint8Array);
    expect(out.bytes.length).toBe(4096);
    expect(out.bytes.every((b) => b === 9)).toBe(true);
    expect(out.alsoBytes.length).toBe(4096);
  });

  it('refuses input that cannot cross to a worker without breaking the pool', async () => {
    const pool = testPool({ size: 1 });
    const err = await rejectedAtelierError(pool.run('count', { to: 1, oops: () => 1 } as never));
    expect(err.code).toBe('INTERNAL');
    expect((await pool.run('count', { to: 1 })).counted).toBe(1);
  });

  it('cancels everything on close and refuses new tasks', async () => {
    const pool = testPool({ size: 1 });
    const { onProgress, running } = started();
    const busy = rejectedAtelierError(pool.run('waitForCancel', {}, { onProgress }));
    const waiting = rejectedAtelierError(pool.run('count', { to: 1 }));
    await running;
    await pool.close();
    expect((await busy).code).toBe('CANCELLED');
    expect((await waiting).code).toBe('CANCELLED');
    expect((await rejectedAtelierError(pool.run('count', { to: 1 }))).code).toBe('CANCELLED');
  });

  it('ingests a real image with the production tasks and default entry (sharp in a worker)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-pool-'));
    try {
      const file = path.join(dir, 'red.png');
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c33' } }).png().toFile(file);
      const pool = new WorkerPool({ size: 1 });
      try {
        const stages: string[] = [];
        const out = await pool.run('image.ingest', { path: file, name: 'red.png' }, { onProgress: (_f, s) => stages.push(s ?? '') });
        expect(out).toMatchObject({ width: 640, height: 480, mime: 'image/png' });
        expect(out.thumbnail.length).toBeGreaterThan(0);
        expect(stages.length).toBeGreaterThan(0);
        const broken = path.join(dir, 'broken.png');
        fs.writeFileSync(broken, fs.readFileSync(file).subarray(0, 60));
        const err = await rejectedAtelierError(pool.run('image.ingest', { path: broken, name: 'broken.png' }));
        expect(err.code).toBe('CORRUPT_FILE');
        expect(err.message).toContain('broken.png');
      } finally {
        await pool.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works from sources under tsx outside vitest', async () => {
    const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const script = fileURLToPath(new URL('./fixtures/pool-smoke.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsxLoader, script], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ counted: 3, progress: 3, code: 'CORRUPT_FILE' });
  });
});
