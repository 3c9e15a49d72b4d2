// A pool of worker threads for CPU work: queues tasks, relays progress, cancels, replaces crashed workers.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AtelierError, ERROR_CODES, type ErrorCode, type ErrorInfo } from '../../engine/errors';
import type { tasks } from './tasks';
import type { PoolToWorkerMessage, TaskTable, WorkerToPoolMessage } from './worker-runtime';

/**
 * How long a running task gets to honour a cancel before its worker thread is terminated.
 * 2 s (brief H2a): long enough for a task checking its signal between files, short enough that a stuck
 * decoder does not hold a core the creator asked to free.
 */
export const CANCEL_GRACE_MS = 2000;

/** Workers by default: every core but one, which stays free for the window and the database (issue 2 item 8). */
export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

/**
 * Where a worker's code comes from.
 * - `module`: a JavaScript module, e.g. the bundled `job-worker.js` next to Electron's main bundle.
 * - `typescript`: a .ts module run from sources (vitest, `npx tsx`): the worker registers tsx, then imports it.
 */
export type WorkerEntry = { kind: 'module'; url: URL } | { kind: 'typescript'; url: URL };

export interface WorkerPoolOptions {
  /** Default: this folder's worker.ts when running from sources; required once bundled. */
  entry?: WorkerEntry;
  /** Default: defaultPoolSize(). */
  size?: number;
  /** Default: CANCEL_GRACE_MS. */
  cancelGraceMs?: number;
  /**
   * Runs once on the main thread before the first worker starts. Default: loads sharp, which its authors
   * ask for (lovell/sharp#2263): with glibc, libvips must stay loaded in the main thread or a worker that
   * exits can unload it under the others. Pass `async () => {}` for task tables that use no native addon.
   */
  prepareMainThread?: () => Promise<unknown>;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage?: string) => void;
  /** Side messages of the task (WorkerTaskContext.note), e.g. preview pictures. */
  onNote?: (payload: unknown) => void;
}

interface PendingRun {
  id: number;
  task: string;
  input: unknown;
  onProgress?: RunOptions['onProgress'];
  onNote?: RunOptions['onNote'];
  resolve(output: unknown): void;
  reject(error: AtelierError): void;
  settled: boolean;
  slot: Slot | null;
  detachAbort(): void;
  graceTimer: ReturnType<typeof setTimeout> | null;
}

interface Slot {
  worker: Worker;
  run: PendingRun | null;
  /** Terminated, crashed or exited: never given another task. */
  retired: boolean;
}

/**
 * Code of the `typescript` entry's bootstrap worker: registers tsx in this thread, then imports the target.
 * tsx's `--import tsx` entry only registers itself on the main thread before Node 22.22.3, so the worker
 * calls tsx/esm/api's register() itself (checked on Node 20.20 under vitest and `npx tsx`).
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.atelierTsxApi);
  register();
  await import(workerData.atelierWorkerEntry);
})().catch((error) => {
  // Rethrown outside the promise so the pool sees it as the worker's 'error' event.
  setImmediate(() => { throw error; });
});
`;

export class WorkerPool<T extends TaskTable = typeof tasks> {
  readonly size: number;
  private readonly entry: WorkerEntry;
  private readonly cancelGraceMs: number;
  private readonly prepareMainThread: () => Promise<unknown>;
  private readonly slots: Slot[] = [];
  private readonly waiting: PendingRun[] = [];
  /** Who waits for a run to settle besides its caller (close() does). */
  private readonly settleListeners = new Map<PendingRun, Array<() => void>>();
  private nextId = 1;
  private prepared = false;
  private preparing = false;
  private closed = false;

  constructor(opts: WorkerPoolOptions = {}) {
    this.entry = opts.entry ?? defaultEntry();
    const size = opts.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1) {
      throw new AtelierError('INTERNAL', `A worker pool needs at least one worker (asked for ${String(size)}).`);
    }
    this.size = size;
    this.cancelGraceMs = opts.cancelGraceMs ?? CANCEL_GRACE_MS;
    this.prepareMainThread = opts.prepareMainThread ?? (() => import('sharp'));
  }

  /** Runs `task` on a free worker (queueing while all are busy). Rejects with the task's AtelierError code. */
  run<K extends keyof T & string>(
    task: K,
    input: Parameters<T[K]>[0],
    opts: RunOptions = {},
  ): Promise<Awaited<ReturnType<T[K]>>> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new AtelierError('CANCELLED', 'Atelier is shutting down; the job was not started.'));
        return;
      }
      const signal = opts.signal;
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const run: PendingRun = {
        id: this.nextId++,
        task,
        input,
        onProgress: opts.onProgress,
        onNote: opts.onNote,
        resolve: resolve as (output: unknown) => void,
        reject,
        settled: false,
        slot: null,
        detachAbort: () => {},
        graceTimer: null,
      };
      if (signal) {
        const onAbort = (): void => this.cancel(run);
        signal.addEventListener('abort', onAbort, { once: true });
        run.detachAbort = () => signal.removeEventListener('abort', onAbort);
      }
      this.waiting.push(run);
      this.pump();
    });
  }

  /** Cancels every task (each gets its grace period), then stops all workers. Later runs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.waiting.splice(0)) this.settle(run, { error: cancelled() });
    const busy = this.slots.flatMap((slot) => (slot.run ? [slot.run] : []));
    await Promise.all(busy.map((run) => new Promise<void>((done) => this.whenSettled(run, done, () => this.cancel(run)))));
    await Promise.all(this.slots.splice(0).map((slot) => this.retire(slot)));
  }

  // -------------------------------------------------------------------------------------------------

  private pump(): void {
    if (this.closed || this.waiting.length === 0) return;
    if (!this.prepared) {
      this.prepare();
      return;
    }
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => !s.run && !s.retired);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        const spawned = this.spawn();
        if (!spawned) return;
        slot = spawned;
      }
      const run = this.waiting.shift();
      if (run) this.start(slot, run);
    }
  }

  private prepare(): void {
    if (this.preparing) return;
    this.preparing = true;
    // A failure here is not fatal: a task that needs the module reports its own, clearer error.
    void this.prepareMainThread()
      .catch(() => undefined)
      .then(() => {
        this.prepared = true;
        this.pump();
      });
  }

  private spawn(): Slot | null {
    let worker: Worker;
    try {
      worker = createWorker(this.entry);
    } catch (e) {
      const failure = new AtelierError('INTERNAL', 'Atelier could not start a background worker. The details are in the log.', {
        entry: this.entry.url.href,
        cause: e instanceof Error ? e.message : String(e),
      });
      for (const run of this.waiting.splice(0)) this.settle(run, { error: failure });
      return null;
    }
    const slot: Slot = { worker, run: null, retired: false };
    worker.on('message', (raw: unknown) => this.onMessage(slot, raw));
    worker.on('error', (e: unknown) => this.onWorkerGone(slot, { error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined }));
    worker.on('exit', (exitCode: number) => this.onWorkerGone(slot, { exitCode }));
    // Idle workers must not keep a CLI process alive; busy ones are ref'ed while they work.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, run: PendingRun): void {
    slot.run = run;
    run.slot = slot;
    slot.worker.ref();
    const message: PoolToWorkerMessage = { type: 'run', id: run.id, task: run.task, input: run.input };
    try {
      slot.worker.postMessage(message);
    } catch (e) {
      this.settle(run, {
        error: new AtelierError('INTERNAL', `The input of background task "${run.task}" could not be sent to a worker.`, {
          cause: e instanceof Error ? e.message : String(e),
        }),
      });
    }
  }

  private onMessage(slot: Slot, raw: unknown): void {
    const message = readWorkerMessage(raw);
    const run = slot.run;
    // Late messages of a task that was already settled (e.g. cancelled) are dropped.
    if (!message || !run || message.id !== run.id || run.settled) return;
    if (message.type === 'progress') {
      try {
        run.onProgress?.(message.fraction, message.stage);
      } catch {
        // A listener's mistake must not take the pool down.
      }
    } else if (message.type === 'note') {
      try {
        run.onNote?.(message.payload);
      } catch {
        // As for progress: a listener's mistake must not take the pool down.
      }
    } else if (message.type === 'done') {
      this.settle(run, { output: message.output });
    } else {
      this.settle(run, { error: new AtelierError(message.error.code, message.error.message, message.error.details) });
    }
  }

  /** 'error' then 'exit' both arrive for a crash; the first one settles the task, the second finds nothing. */
  private onWorkerGone(slot: Slot, details: Record<string, unknown>): void {
    slot.retired = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const run = slot.run;
    if (run && !run.settled) {
      this.settle(run, {
        error: new AtelierError(
          'INTERNAL',
          `A background worker stopped unexpectedly while working on "${run.task}". Try again; if it happens again, the details are in the log.`,
          { task: run.task, ...details },
        ),
      });
    }
    // A replacement is spawned on demand, only if tasks are waiting.
    this.pump();
  }

  private cancel(run: PendingRun): void {
    if (run.settled) return;
    const slot = run.slot;
    if (!slot) {
      const index = this.waiting.indexOf(run);
      if (index >= 0) this.waiting.splice(index, 1);
      this.settle(run, { error: cancelled() });
      return;
    }
    if (run.graceTimer) return;
    try {
      slot.worker.postMessage({ type: 'cancel', id: run.id } satisfies PoolToWorkerMessage);
    } catch {
      // A worker that cannot be reached is terminated when the grace period ends.
    }
    run.graceTimer = setTimeout(() => {
      run.graceTimer = null;
      if (run.settled) return;
      // The task ignored its signal (or is stuck in native code): free the core by ending its thread.
      void this.retire(slot);
      this.settle(run, { error: cancelled() });
      this.pump();
    }, this.cancelGraceMs);
  }

  private retire(slot: Slot): Promise<unknown> {
    slot.retired = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    return slot.worker.terminate();
  }

  private settle(run: PendingRun, outcome: { output: unknown } | { error: AtelierError }): void {
    if (run.settled) return;
    run.settled = true;
    run.detachAbort();
    if (run.graceTimer) clearTimeout(run.graceTimer);
    run.graceTimer = null;
    const slot = run.slot;
    if (slot && slot.run === run) {
      slot.run = null;
      if (!slot.retired) slot.worker.unref();
    }
    if ('error' in outcome) run.reject(outcome.error);
    else run.resolve(outcome.output);
    for (const listener of this.settleListeners.get(run) ?? []) listener();
    this.settleListeners.delete(run);
    if (slot && !slot.retired) this.pump();
  }

  /** Calls `done` once `run` settles; `then` runs after the listener is in place (used by close). */
  private whenSettled(run: PendingRun, done: () => void, then: () => void): void {
    if (run.settled) {
      done();
      return;
    }
    const list = this.settleListeners.get(run) ?? [];
    list.push(done);
    this.settleListeners.set(run, list);
    then();
  }
}

function cancelled(): AtelierError {
  return new AtelierError('CANCELLED', 'The job was cancelled.');
}

function defaultEntry(): WorkerEntry {
  // From sources (vitest, tsx) this module is itself a .ts file; bundled, the composition root names the entry.
  if (import.meta.url.endsWith('.ts')) return { kind: 'typescript', url: new URL('./worker.ts', import.meta.url) };
  throw new AtelierError(
    'INTERNAL',
    'The worker pool was started from a bundle without naming its worker entry; pass { entry: { kind: "module", url } }.',
  );
}

function createWorker(entry: WorkerEntry): Worker {
  if (entry.kind === 'module') return new Worker(entry.url);
  // Resolved here, with the ESM conditions: the bootstrap is CommonJS and would get tsx's CommonJS build.
  const atelierTsxApi = import.meta.resolve('tsx/esm/api');
  return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: { atelierTsxApi, atelierWorkerEntry: entry.url.href } });
}

function readWorkerMessage(raw: unknown): WorkerToPoolMessage | null {
  if (raw === null || typeof raw !== 'object') return null;
  const m = raw as Record<string, unknown>;
  if (typeof m.id !== 'number') return null;
  switch (m.type) {
    case 'progress':
      if (typeof m.fraction !== 'number') return null;
      return typeof m.stage === 'string'
        ? { type: 'progress', id: m.id, fraction: m.fraction, stage: m.stage }
        : { type: 'progress', id: m.id, fraction: m.fraction };
    case 'note':
      return { type: 'note', id: m.id, payload: m.payload };
    case 'done':
      return { type: 'done', id: m.id, output: m.output };
    case 'error':
      return { type: 'error', id: m.id, error: readErrorInfo(m.error) };
    default:
      return null;
  }
}

function readErrorInfo(raw: unknown): ErrorInfo {
  const e = (raw ?? {}) as Record<string, unknown>;
  const known = typeof e.code === 'string' && (ERROR_CODES as readonly string[]).includes(e.code);
  if (!known || typeof e.message !== 'string') {
    return { code: 'INTERNAL', message: 'A background task failed. The details are in the log.', details: raw };
  }
  return e.details === undefined
    ? { code: e.code as ErrorCode, message: e.message }
    : { code: e.code as ErrorCode, message: e.message, details: e.details };
}
