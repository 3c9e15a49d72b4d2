// The job queue over a real studio.db: states, progress throttling, cancel, retry, restart, close.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import type { JobSummary } from '../../preload/contract';
import { openDatabase } from '../db/open';
import { studioMigrations } from '../db/migrations/index';
import type { TestTasks } from './fixtures/test-tasks';
import { WorkerPool } from './pool';
import { JobQueue, PROGRESS_INTERVAL_MS, STAGE_MAX_CHARS, type JobLog, type JobQueueOptions, type JobRunner } from './queue';

const KIND = 'assets.import' as const;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-jobs-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openStudio(file: string): Database.Database {
  const db = openDatabase(file, studioMigrations);
  cleanups.push(() => {
    db.close();
  });
  return db;
}

interface Rig {
  db: Database.Database;
  file: string;
  queue: JobQueue;
  updates: JobSummary[];
  logged: Parameters<JobLog>[0][];
  /** Resolves with the first update that satisfies `test` (already seen or still to come). */
  until(test: (job: JobSummary) => boolean): Promise<JobSummary>;
}

/** `abandon`: the queue is left as a crashed session leaves it, never closed. */
function rig(opts: Partial<JobQueueOptions> & { file?: string; abandon?: boolean } = {}): Rig {
  const file = opts.file ?? path.join(tempDir(), 'studio.db');
  const db = opts.db ?? openStudio(file);
  const updates: JobSummary[] = [];
  const logged: Parameters<JobLog>[0][] = [];
  const watchers: Array<{ test: (job: JobSummary) => boolean; resolve: (job: JobSummary) => void }> = [];
  const queue = new JobQueue({
    db,
    onUpdate: (job) => {
      updates.push(job);
      for (const w of watchers.splice(0)) {
        if (w.test(job)) w.resolve(job);
        else watchers.push(w);
      }
    },
    log: (entry) => logged.push(entry),
    ...opts,
  });
  if (!opts.abandon) cleanups.push(() => queue.close());
  const until = (test: (job: JobSummary) => boolean): Promise<JobSummary> => {
    const seen = updates.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => watchers.push({ test, resolve }));
  };
  return { db, file, queue, updates, logged, until };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve = (_v: T): void => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A runner that records a partial result, then waits for its cancel and stops as asked. */
const cancellableRunner: JobRunner = async (_input, ctx) => {
  ctx.setResult({ imported: 2 });
  ctx.progress(0.5, 'Halfway');
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  throw ctx.signal.reason;
};

function attempts(db: Database.Database, id: string): number {
  return (db.prepare('SELECT attempts FROM jobs WHERE id = ?').get(id) as { attempts: number }).attempts;
}

function expectAtelierError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AtelierError);
    expect((e as AtelierError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('JobQueue', () => {
  it('runs a job from queued through running to succeeded and keeps its result', async () => {
    const r = rig();
    let received: unknown;
    r.queue.register(KIND, async (input, ctx) => {
      received = input;
      ctx.progress(1, 'Done');
      return { imported: 1, duplicates: 0, failed: 0, results: [] };
    });
    const job = r.queue.enqueue(KIND, 'Import 1 image', { paths: ['a.png'], note: 'ünïcødé ✓' });
    expect(job.state).toBe('queued');
    const done = await r.queue.waitFor(job.id);
    expect(done).toMatchObject({ id: job.id, state: 'succeeded', progress: 1, error: null, title: 'Import 1 image' });
    expect(done.result).toEqual({ imported: 1, duplicates: 0, failed: 0, results: [] });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    expect(received).toEqual({ paths: ['a.png'], note: 'ünïcødé ✓' });
    const states = r.updates.map((u) => u.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    // What a later session reads back from the file.
    expect(rig({ file: r.file }).queue.get(job.id)).toEqual(done);
  });

  it('marks a job failed with the AtelierError code and message it threw', async () => {
    const r = rig();
    r.queue.register(KIND, async (_input, ctx) => {
      ctx.setResult({ imported: 3 });
      throw new AtelierError('CORRUPT_FILE', '"broken.jpg" is damaged and cannot be read.');
    });
    const done = await r.queue.waitFor(r.queue.enqueue(KIND, 'Import', {}).id);
    expect(done.state).toBe('failed');
    expect(done.error).toEqual({ code: 'CORRUPT_FILE', message: '"broken.jpg" is damaged and cannot be read.' });
    // What it did before failing still shows.
    expect(done.result).toEqual({ imported: 3 });
  });

  it('hides the text of unknown errors from the creator but logs it', async () => {
    const r = rig();
    r.queue.register(KIND, () => {
      // Not even async: throws before returning a promise.
      throw new TypeError('cannot read x of undefined at /home/dev/secret.ts');
    });
    const done = await r.queue.waitFor(r.queue.enqueue(KIND, 'Import', {}).id);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('INTERNAL');
    expect(done.error?.message).not.toContain('secret');
    expect(JSON.stringify(r.logged)).toContain('secret.ts');
  });

  it('cancels a running job, keeping its partial result', async () => {
    const r = rig();
    r.queue.register(KIND, cancellableRunner);
    const job = r.queue.enqueue(KIND, 'Import 4 images', {});
    await r.until((u) => u.id === job.id && u.state === 'running');
    const asked = r.queue.cancel(job.id);
    expect(asked.state).toBe('running');
    expect(asked.stage).toBe('Cancelling…');
    const done = await r.queue.waitFor(job.id);
    expect(done.state).toBe('cancelled');
    expect(done.error).toBeNull();
    expect(done.result).toEqual({ imported: 2 });
  });

  it('cancels a queued job at once without ever running it', async () => {
    const r = rig({ concurrency: 1 });
    let runs = 0;
    r.queue.register(KIND, async (input, ctx) => {
      runs++;
      return cancellableRunner(input, ctx);
    });
    const first = r.queue.enqueue(KIND, 'First', {});
    const second = r.queue.enqueue(KIND, 'Second', {});
    await r.until((u) => u.id === first.id && u.state === 'running');
    expect(r.queue.get(second.id).state).toBe('queued');
    const cancelled = r.queue.cancel(second.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.finishedAt).not.toBeNull();
    r.queue.cancel(first.id);
    await r.queue.waitFor(first.id);
    expect(runs).toBe(1);
  });

  it('refuses to cancel or retry what cannot be, and names missing jobs NOT_FOUND', async () => {
    const r = rig();
    const gate = deferred();
    r.queue.register(KIND, async () => gate.promise);
    const job = r.queue.enqueue(KIND, 'Import', {});
    await r.until((u) => u.id === job.id && u.state === 'running');
    expectAtelierError(() => r.queue.retry(job.id), 'CONFLICT');
    gate.resolve();
    await r.queue.waitFor(job.id);
    expectAtelierError(() => r.queue.cancel(job.id), 'CONFLICT');
    expectAtelierError(() => r.queue.retry(job.id), 'CONFLICT');
    expectAtelierError(() => r.queue.get('no-such-job'), 'NOT_FOUND');
    expectAtelierError(() => r.queue.cancel('no-such-job'), 'NOT_FOUND');
    expectAtelierError(() => r.queue.retry("'; DROP TABLE jobs; --"), 'NOT_FOUND');
    await expect(r.queue.waitFor('no-such-job')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('retries a failed job under the same id with progress reset', async () => {
    const r = rig();
    let calls = 0;
    r.queue.register(KIND, async (_input, ctx) => {
      calls++;
      ctx.progress(0.5, 'Halfway');
      if (calls === 1) throw new AtelierError('UNSUPPORTED_FILE', 'That file is not an image.');
      return { imported: 1 };
    });
    const job = r.queue.enqueue(KIND, 'Import', { paths: ['x'] });
    const failed = await r.queue.waitFor(job.id);
    expect(failed.state).toBe('failed');
    const again = r.queue.retry(job.id);
    expect(again).toMatchObject({ id: job.id, state: 'queued', progress: 0, stage: '', error: null, result: null, finishedAt: null });
    expect(attempts(r.db, job.id)).toBe(2);
    const done = await r.queue.waitFor(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ imported: 1 });
    expect(r.queue.list()).toHaveLength(1);
  });

  it('sends at most one progress report per interval, by its clock', async () => {
    let t = Date.parse('2025-03-01T12:00:00Z');
    const r = rig({ now: () => new Date(t) });
    const steps = 1000;
    r.queue.register(KIND, async (_input, ctx) => {
      // One call per fake millisecond: one second of the job's life.
      for (let i = 1; i <= steps; i++) {
        t += 1;
        ctx.progress(i / steps, `File ${i} of ${steps}`);
      }
      return null;
    });
    const job = r.queue.enqueue(KIND, 'Import', {});
    await r.queue.waitFor(job.id);
    const reports = r.updates.filter((u) => u.id === job.id && u.state === 'running' && u.progress > 0);
    expect(reports.length).toBe(steps / PROGRESS_INTERVAL_MS);
    expect(reports.at(-1)?.stage).toBe(`File ${steps} of ${steps}`);
    expect(r.updates.at(-1)).toMatchObject({ state: 'succeeded', progress: 1 });
  });

  it('always delivers the last report of a burst, to the screen and to the database', async () => {
    let t = Date.parse('2025-03-01T12:00:00Z');
    const r = rig({ now: () => new Date(t) });
    const gate = deferred();
    let rowDuringBurst: unknown;
    r.queue.register(KIND, async (_input, ctx) => {
      t += PROGRESS_INTERVAL_MS;
      ctx.progress(0.1, 'first');
      // The clock stands still: these come too soon and are held back…
      ctx.progress(0.2, 'second');
      ctx.progress(0.3, 'last');
      rowDuringBurst = r.db.prepare('SELECT progress, stage FROM jobs WHERE id = ?').get(ctx.jobId);
      await gate.promise;
      return null;
    });
    const job = r.queue.enqueue(KIND, 'Import', {});
    // …until the interval is up, when the newest one goes out.
    const last = await r.until((u) => u.id === job.id && u.stage === 'last');
    expect(last.progress).toBeCloseTo(0.3);
    expect(rowDuringBurst).toEqual({ progress: 0.1, stage: 'first' });
    expect(r.db.prepare('SELECT progress, stage FROM jobs WHERE id = ?').get(job.id)).toEqual({ progress: 0.3, stage: 'last' });
    const stages = r.updates.filter((u) => u.id === job.id && u.state === 'running').map((u) => u.stage);
    expect(stages).toEqual(['', 'first', 'last']);
    gate.resolve();
    await r.queue.waitFor(job.id);
  });

  it('ignores nonsense progress and cuts endless stages', async () => {
    let t = 0;
    const r = rig({ now: () => new Date(t) });
    const gate = deferred();
    r.queue.register(KIND, async (_input, ctx) => {
      t += PROGRESS_INTERVAL_MS;
      ctx.progress(Number.NaN, 'nan');
      t += PROGRESS_INTERVAL_MS;
      ctx.progress(7, 'x'.repeat(100_000));
      t += PROGRESS_INTERVAL_MS;
      ctx.progress(-3, 'below');
      await gate.promise;
      return null;
    });
    const job = r.queue.enqueue(KIND, 'Import', {});
    await r.until((u) => u.id === job.id && u.stage === 'below');
    const running = r.updates.filter((u) => u.id === job.id && u.state === 'running');
    expect(running.map((u) => u.progress)).toEqual([0, 1, 0]);
    expect(running[1]?.stage.length).toBe(STAGE_MAX_CHARS);
    expect(running.some((u) => u.stage === 'nan')).toBe(false);
    gate.resolve();
    await r.queue.waitFor(job.id);
  });

  it('turns jobs a crash cut short into interrupted ones that retry runs again', async () => {
    const first = rig({ abandon: true });
    first.queue.register(KIND, () => new Promise(() => {})); // the session "dies" mid-job
    const running = first.queue.enqueue(KIND, 'Import 10 images', { paths: ['a.png'] });
    const waiting = first.queue.enqueue(KIND, 'Import 2 images', { paths: ['b.png'] });
    await first.until((u) => u.id === running.id && u.state === 'running');

    // The next session opens the same file.
    const next = rig({ file: first.file, db: openStudio(first.file) });
    expect(next.queue.recoverInterrupted()).toBe(2);
    expect(next.queue.get(running.id).state).toBe('interrupted');
    expect(next.queue.get(waiting.id).state).toBe('interrupted');
    expect(next.queue.recoverInterrupted()).toBe(0);

    const inputs: unknown[] = [];
    next.queue.register(KIND, async (input) => {
      inputs.push(input);
      return { imported: 1 };
    });
    next.queue.retry(running.id);
    const done = await next.queue.waitFor(running.id);
    expect(done.state).toBe('succeeded');
    expect(inputs).toEqual([{ paths: ['a.png'] }]);
    expect(attempts(next.db, running.id)).toBe(2);
  });

  it('runs as many jobs at once as its concurrency allows, in order', async () => {
    const r = rig({ concurrency: 2 });
    const gate = deferred();
    const started: string[] = [];
    r.queue.register(KIND, async (input) => {
      started.push((input as { n: string }).n);
      await gate.promise;
      return null;
    });
    const jobs = ['a', 'b', 'c'].map((n) => r.queue.enqueue(KIND, `Job ${n}`, { n }));
    await r.until((u) => u.id === jobs[1]!.id && u.state === 'running');
    expect(r.queue.get(jobs[0]!.id).state).toBe('running');
    expect(r.queue.get(jobs[2]!.id).state).toBe('queued');
    gate.resolve();
    await Promise.all(jobs.map((j) => r.queue.waitFor(j.id)));
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('on close stops running jobs and leaves both them and queued ones retryable', async () => {
    const r = rig({ concurrency: 1 });
    r.queue.register(KIND, cancellableRunner);
    const running = r.queue.enqueue(KIND, 'Running', {});
    const queued = r.queue.enqueue(KIND, 'Queued', {});
    await r.until((u) => u.id === running.id && u.state === 'running');
    await r.queue.close();
    expect(r.queue.get(running.id)).toMatchObject({ state: 'interrupted', result: { imported: 2 } });
    expect(r.queue.get(queued.id).state).toBe('interrupted');
    expectAtelierError(() => r.queue.enqueue(KIND, 'Late', {}), 'CONFLICT');
    expectAtelierError(() => r.queue.retry(running.id), 'CONFLICT');
  });

  it('calls a job that finished despite a late cancel succeeded', async () => {
    const r = rig();
    const gate = deferred();
    r.queue.register(KIND, async () => {
      await gate.promise;
      return { imported: 5 };
    });
    const job = r.queue.enqueue(KIND, 'Import', {});
    await r.until((u) => u.id === job.id && u.state === 'running');
    r.queue.cancel(job.id);
    gate.resolve();
    expect(await r.queue.waitFor(job.id)).toMatchObject({ state: 'succeeded', result: { imported: 5 } });
  });

  it('refuses input it cannot store, leaving no row behind', () => {
    const r = rig();
    r.queue.register(KIND, async () => null);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectAtelierError(() => r.queue.enqueue(KIND, 'Import', cyclic), 'INTERNAL');
    expectAtelierError(() => r.queue.enqueue(KIND, 'Import', { n: 10n }), 'INTERNAL');
    expect(r.queue.list()).toEqual([]);
  });

  it('refuses a kind nobody registered', () => {
    const r = rig();
    expectAtelierError(() => r.queue.enqueue(KIND, 'Import', {}), 'INTERNAL');
    expect(r.queue.list()).toEqual([]);
  });

  it('lists newest first within the limit asked for', async () => {
    let t = Date.parse('2025-03-01T12:00:00Z');
    const r = rig({ now: () => new Date((t += 1000)) });
    r.queue.register(KIND, async () => null);
    const ids = Array.from({ length: 5 }, (_, i) => r.queue.enqueue(KIND, `Job ${i}`, {}).id);
    await Promise.all(ids.map((id) => r.queue.waitFor(id)));
    expect(r.queue.list().map((j) => j.id)).toEqual([...ids].reverse());
    expect(r.queue.list(2).map((j) => j.id)).toEqual([ids[4], ids[3]]);
    expect(r.queue.list(-5)).toHaveLength(1);
    expect(r.queue.list(Number.NaN)).toHaveLength(5);
  });

  it('keeps going when an update listener throws', async () => {
    const file = path.join(tempDir(), 'studio.db');
    const db = openStudio(file);
    const logged: unknown[] = [];
    const queue = new JobQueue({
      db,
      onUpdate: () => {
        throw new Error('listener bug');
      },
      log: (e) => logged.push(e),
    });
    cleanups.push(() => queue.close());
    queue.register(KIND, async () => ({ imported: 1 }));
    const done = await queue.waitFor(queue.enqueue(KIND, 'Import', {}).id);
    expect(done.state).toBe('succeeded');
    expect(logged.length).toBeGreaterThan(0);
  });

  it('shows a result stored by hand as unreadable as no result rather than failing', () => {
    const r = rig();
    r.db
      .prepare(
        `INSERT INTO jobs (id, kind, title, state, input_json, result_json, created_at)
         VALUES ('j1', 'assets.import', 'Old', 'succeeded', '{}', '{not json', '2025-01-01T00:00:00Z')`,
      )
      .run();
    expect(r.queue.get('j1').result).toBeNull();
  });

  it('cancels a job whose work runs in the worker pool', async () => {
    const pool = new WorkerPool<TestTasks>({
      entry: { kind: 'typescript', url: new URL('./fixtures/test-worker.ts', import.meta.url) },
      size: 1,
      prepareMainThread: async () => {},
    });
    cleanups.push(() => pool.close());
    const r = rig();
    r.queue.register(KIND, (_input, ctx) =>
      pool.run('waitForCancel', {}, { signal: ctx.signal, onProgress: (f, stage) => ctx.progress(f, stage ?? '') }),
    );
    const job = r.queue.enqueue(KIND, 'Import', {});
    await r.until((u) => u.id === job.id && u.stage === 'Waiting');
    r.queue.cancel(job.id);
    expect((await r.queue.waitFor(job.id)).state).toBe('cancelled');
  });
});
