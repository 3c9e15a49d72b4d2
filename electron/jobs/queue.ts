// The studio's job queue: job rows in studio.db, runners started in order, throttled progress, cancel,
// retry, and jobs a crash cut short marked interrupted.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AtelierError, toErrorInfo, type ErrorCode } from '../../engine/errors';
import type { ImportReport, JobKind, JobState, JobSummary } from '../../preload/contract';

/**
 * Shortest gap between two progress reports of one job, to the screen and to the database.
 * 100 ms = at most 10 per second (issue 2 item 8): smooth bars without flooding IPC or the WAL.
 */
export const PROGRESS_INTERVAL_MS = 100;

/** Stages are one line in the jobs tray; anything longer is cut (a runner passing a whole file list, say). */
export const STAGE_MAX_CHARS = 200;

/** Most rows list() returns, whatever the caller asks: the tray shows recent jobs, not an archive. */
export const JOB_LIST_MAX = 1000;

/** What the tray shows while a cancelled job winds down. */
const CANCELLING_STAGE = 'Cancelling…';

const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
const RETRYABLE_STATES: ReadonlySet<JobState> = new Set(['failed', 'cancelled', 'interrupted']);

export interface JobRunContext {
  signal: AbortSignal;
  progress(fraction: number, stage: string): void;
  /** Record a partial result so a cancelled or failed job still shows what it did. */
  setResult(result: unknown): void;
  jobId: string;
}

export type JobRunner = (input: unknown, ctx: JobRunContext) => Promise<unknown>;

export type JobLog = (entry: { jobId: string; kind: string; code: ErrorCode; message: string; details?: unknown }) => void;

export interface JobQueueOptions {
  /** An open studio.db (studio migrations applied). */
  db: Database.Database;
  /** Every state change at once; progress at most every PROGRESS_INTERVAL_MS per job. */
  onUpdate: (job: JobSummary) => void;
  /** Jobs running at once. Default 1: CPU work fans out in the worker pool, not here. */
  concurrency?: number;
  now?: () => Date;
  /** Where internal failures go. Default: console.error for INTERNAL ones. */
  log?: JobLog;
}

interface JobRow {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  progress: number;
  stage: string;
  input_json: string;
  result_json: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface ActiveJob {
  id: string;
  kind: string;
  controller: AbortController;
  /** Set when close() stopped the job: it ends interrupted (retryable), not cancelled by the creator. */
  stoppedByClose: boolean;
  settled: boolean;
  partial: { value: unknown } | null;
  fraction: number;
  stage: string;
  /** On the `now` clock; the start counts as a report. */
  lastReportAt: number;
  reportTimer: ReturnType<typeof setTimeout> | null;
  finished: Promise<void>;
}

const defaultLog: JobLog = (entry) => {
  if (entry.code === 'INTERNAL') console.error('[atelier] job failed', entry.kind, entry.jobId, entry.details);
};

export class JobQueue {
  private readonly db: Database.Database;
  private readonly onUpdate: (job: JobSummary) => void;
  private readonly concurrency: number;
  private readonly now: () => Date;
  private readonly log: JobLog;
  private readonly runners = new Map<string, JobRunner>();
  /** Ids of queued jobs in the order they start. */
  private readonly waiting: string[] = [];
  private readonly active = new Map<string, ActiveJob>();
  private readonly waiters = new Map<string, Array<(job: JobSummary) => void>>();
  private pumpScheduled: ReturnType<typeof setImmediate> | null = null;
  private closed = false;
  private readonly sql: {
    insert: Database.Statement;
    get: Database.Statement<[string], JobRow>;
    list: Database.Statement<[number], JobRow>;
    unfinished: Database.Statement<[], { id: string }>;
    start: Database.Statement;
    progress: Database.Statement;
    finish: Database.Statement;
    requeue: Database.Statement;
  };

  constructor(opts: JobQueueOptions) {
    this.db = opts.db;
    this.onUpdate = opts.onUpdate;
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new AtelierError('INTERNAL', `The job queue needs a concurrency of at least 1 (got ${String(concurrency)}).`);
    }
    this.concurrency = concurrency;
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? defaultLog;
    this.sql = {
      insert: this.db.prepare(
        `INSERT INTO jobs (id, kind, title, state, progress, stage, input_json, attempts, created_at)
         VALUES (@id, @kind, @title, 'queued', 0, '', @input_json, 1, @created_at)`,
      ),
      get: this.db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?'),
      list: this.db.prepare<[number], JobRow>('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?'),
      unfinished: this.db.prepare<[], { id: string }>(`SELECT id FROM jobs WHERE state IN ('queued', 'running')`),
      start: this.db.prepare(
        `UPDATE jobs SET state = 'running', progress = 0, stage = '', started_at = @at WHERE id = @id AND state = 'queued'`,
      ),
      progress: this.db.prepare('UPDATE jobs SET progress = @progress, stage = @stage WHERE id = @id'),
      finish: this.db.prepare(
        `UPDATE jobs SET state = @state, progress = @progress, stage = @stage, result_json = @result_json,
           error_code = @error_code, error_message = @error_message, finished_at = @at WHERE id = @id`,
      ),
      requeue: this.db.prepare(
        `UPDATE jobs SET state = 'queued', progress = 0, stage = '', result_json = NULL, error_code = NULL,
           error_message = NULL, started_at = NULL, finished_at = NULL, attempts = attempts + 1 WHERE id = @id`,
      ),
    };
  }

  /** Services register one runner per job kind before enqueueing jobs of it. */
  register(kind: JobKind, runner: JobRunner): void {
    this.runners.set(kind, runner);
  }

  /**
   * At profile open, before any enqueue: jobs the last session left queued or running did not finish, so
   * they become interrupted (and can be retried). Returns how many.
   */
  recoverInterrupted(): number {
    const at = this.now().toISOString();
    let count = 0;
    for (const { id } of this.sql.unfinished.all()) {
      if (this.active.has(id) || this.waiting.includes(id)) continue;
      this.writeFinish(id, { state: 'interrupted', progress: null, stage: null, result: undefined, error: null, at });
      count++;
    }
    return count;
  }

  /** Stores a queued job and returns it; it starts once a slot is free (never before this call returns). */
  enqueue(kind: JobKind, title: string, input: unknown): JobSummary {
    this.assertOpen();
    if (!this.runners.has(kind)) {
      throw new AtelierError('INTERNAL', `No runner is registered for "${kind}" jobs.`);
    }
    const id = randomUUID();
    this.sql.insert.run({ id, kind, title, input_json: inputJson(input, kind), created_at: this.now().toISOString() });
    this.waiting.push(id);
    const summary = this.get(id);
    this.emit(summary);
    this.schedulePump();
    return summary;
  }

  /** Newest first. */
  list(limit = 100): JobSummary[] {
    const n = Math.min(JOB_LIST_MAX, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 100)));
    return this.sql.list.all(n).map(toSummary);
  }

  get(jobId: string): JobSummary {
    return toSummary(this.row(jobId));
  }

  /**
   * A queued job is cancelled at once; a running one is asked to stop and becomes cancelled when its runner
   * returns. A finished job cannot be cancelled (CONFLICT).
   */
  cancel(jobId: string): JobSummary {
    const row = this.row(jobId);
    if (FINAL_STATES.has(row.state)) {
      throw new AtelierError('CONFLICT', `"${row.title}" has already ended (${row.state}); there is nothing to cancel.`);
    }
    const job = this.active.get(jobId);
    if (job) {
      if (!job.controller.signal.aborted) {
        job.controller.abort();
        job.stage = CANCELLING_STAGE;
        this.report(job);
      }
      return this.get(jobId);
    }
    // Queued here, or a row no runner of this session owns: nothing is running, so it ends now.
    const index = this.waiting.indexOf(jobId);
    if (index >= 0) this.waiting.splice(index, 1);
    this.writeFinish(jobId, { state: 'cancelled', progress: null, stage: null, result: undefined, error: null, at: this.now().toISOString() });
    return this.finished(jobId);
  }

  /** A failed, cancelled or interrupted job is queued again under the same id; others: CONFLICT. */
  retry(jobId: string): JobSummary {
    this.assertOpen();
    const row = this.row(jobId);
    if (!RETRYABLE_STATES.has(row.state)) {
      const why = row.state === 'succeeded' ? 'it already succeeded' : 'it has not ended yet';
      throw new AtelierError('CONFLICT', `"${row.title}" cannot be retried: ${why}.`);
    }
    if (!this.runners.has(row.kind)) {
      throw new AtelierError('INTERNAL', `No runner is registered for "${row.kind}" jobs.`);
    }
    this.sql.requeue.run({ id: jobId });
    this.waiting.push(jobId);
    const summary = this.get(jobId);
    this.emit(summary);
    this.schedulePump();
    return summary;
  }

  /** Resolves with the job once it reaches a final state (at once if it has). */
  waitFor(jobId: string): Promise<JobSummary> {
    let summary: JobSummary;
    try {
      summary = this.get(jobId);
    } catch (e) {
      return Promise.reject(e);
    }
    if (FINAL_STATES.has(summary.state)) return Promise.resolve(summary);
    return new Promise((resolve) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push(resolve);
      this.waiters.set(jobId, list);
    });
  }

  /**
   * Stops the queue (profile locked, app quitting): running jobs are asked to stop and awaited, queued
   * ones never start. Both end interrupted, so the creator can retry them next time.
   */
  async close(): Promise<void> {
    if (this.closed) {
      await Promise.all([...this.active.values()].map((j) => j.finished));
      return;
    }
    this.closed = true;
    if (this.pumpScheduled) clearImmediate(this.pumpScheduled);
    this.pumpScheduled = null;
    const at = this.now().toISOString();
    for (const id of this.waiting.splice(0)) {
      this.writeFinish(id, { state: 'interrupted', progress: null, stage: null, result: undefined, error: null, at });
      this.finished(id);
    }
    const running = [...this.active.values()];
    for (const job of running) {
      job.stoppedByClose = true;
      job.controller.abort();
    }
    await Promise.all(running.map((j) => j.finished));
  }

  // -------------------------------------------------------------------------------------------------

  private row(jobId: string): JobRow {
    const row = this.sql.get.get(jobId);
    if (!row) throw new AtelierError('NOT_FOUND', 'That job no longer exists. Refresh the jobs list.', { jobId });
    return row;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new AtelierError('CONFLICT', 'This profile is closing, so no new job can start. Open it again and retry.');
    }
  }

  /** Deferred so the caller gets its 'queued' summary before any 'running' update goes out. */
  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = setImmediate(() => {
      this.pumpScheduled = null;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift();
      if (id !== undefined) this.start(id);
    }
  }

  private start(jobId: string): void {
    const row = this.sql.get.get(jobId);
    if (!row || row.state !== 'queued') return;
    const runner = this.runners.get(row.kind);
    const at = this.now();
    if (!runner) {
      this.writeFinish(jobId, {
        state: 'failed',
        progress: null,
        stage: null,
        result: undefined,
        error: { code: 'INTERNAL', message: 'Atelier does not know how to run this job. The details are in the log.' },
        at: at.toISOString(),
      });
      this.finished(jobId);
      return;
    }
    this.sql.start.run({ id: jobId, at: at.toISOString() });
    let markFinished = (): void => {};
    const job: ActiveJob = {
      id: jobId,
      kind: row.kind,
      controller: new AbortController(),
      stoppedByClose: false,
      settled: false,
      partial: null,
      fraction: 0,
      stage: '',
      lastReportAt: at.getTime(),
      reportTimer: null,
      finished: new Promise<void>((resolve) => (markFinished = resolve)),
    };
    this.active.set(jobId, job);
    this.emit(this.get(jobId));

    const ctx: JobRunContext = {
      jobId,
      signal: job.controller.signal,
      progress: (fraction, stage) => this.progress(job, fraction, stage),
      setResult: (result) => {
        if (!job.settled) job.partial = { value: result };
      },
    };
    let input: unknown;
    try {
      input = JSON.parse(row.input_json);
    } catch {
      input = null;
    }
    // Called now, so by the time anyone reacts to 'running' the runner has begun (and listens to its signal);
    // a runner that throws before returning a promise is handled like one that rejects.
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(runner(input, ctx));
    } catch (e) {
      outcome = Promise.reject(e);
    }
    outcome
      .then(
        (output) => this.settle(job, { output }),
        (error: unknown) => this.settle(job, { error }),
      )
      .catch((e: unknown) => this.log({ jobId, kind: job.kind, ...toErrorInfo(e) }))
      .finally(() => {
        markFinished();
        this.pump();
      });
  }

  private progress(job: ActiveJob, fraction: number, stage: string): void {
    // After a cancel the tray keeps saying "Cancelling…" rather than the runner's last steps.
    if (job.settled || job.controller.signal.aborted) return;
    if (typeof fraction !== 'number' || Number.isNaN(fraction)) return;
    job.fraction = Math.min(1, Math.max(0, fraction));
    job.stage = String(stage).slice(0, STAGE_MAX_CHARS);
    const since = this.now().getTime() - job.lastReportAt;
    if (since >= PROGRESS_INTERVAL_MS) {
      this.report(job);
      return;
    }
    // Too soon: the latest values go out when the interval is up, so the last report is never lost.
    job.reportTimer ??= setTimeout(() => {
      job.reportTimer = null;
      if (!job.settled) this.report(job);
    }, PROGRESS_INTERVAL_MS - since);
  }

  /** Writes and emits the job's current progress and stage. */
  private report(job: ActiveJob): void {
    if (job.reportTimer) clearTimeout(job.reportTimer);
    job.reportTimer = null;
    job.lastReportAt = this.now().getTime();
    this.sql.progress.run({ id: job.id, progress: job.fraction, stage: job.stage });
    this.emit(this.get(job.id));
  }

  private settle(job: ActiveJob, outcome: { output: unknown } | { error: unknown }): void {
    job.settled = true;
    if (job.reportTimer) clearTimeout(job.reportTimer);
    job.reportTimer = null;
    this.active.delete(job.id);
    const at = this.now().toISOString();
    const partial = job.partial ? job.partial.value : undefined;

    if ('output' in outcome) {
      // The work is done, even if a cancel arrived too late to stop it: say so rather than "cancelled".
      const result = outcome.output === undefined ? partial : outcome.output;
      this.writeFinish(job.id, { state: 'succeeded', progress: 1, stage: '', result, error: null, at });
    } else {
      const info = toErrorInfo(outcome.error);
      const stopped = job.controller.signal.aborted || info.code === 'CANCELLED';
      if (stopped) {
        const state: JobState = job.stoppedByClose ? 'interrupted' : 'cancelled';
        this.writeFinish(job.id, { state, progress: null, stage: '', result: partial, error: null, at });
      } else {
        this.log({ jobId: job.id, kind: job.kind, ...info });
        this.writeFinish(job.id, {
          state: 'failed',
          progress: null,
          stage: '',
          result: partial,
          error: { code: info.code, message: info.message },
          at,
        });
      }
    }
    this.finished(job.id);
  }

  /**
   * Writes a final state. `progress`/`stage` null keep the row's values; `result` undefined keeps the row's
   * result_json (none for a job that never ran).
   */
  private writeFinish(
    jobId: string,
    f: {
      state: JobState;
      progress: number | null;
      stage: string | null;
      result: unknown;
      error: { code: ErrorCode; message: string } | null;
      at: string;
    },
  ): void {
    const row = this.row(jobId);
    this.sql.finish.run({
      id: jobId,
      state: f.state,
      progress: f.progress ?? row.progress,
      stage: f.stage ?? row.stage,
      result_json: f.result === undefined ? row.result_json : this.resultJson(jobId, row.kind, f.result),
      error_code: f.error?.code ?? null,
      error_message: f.error?.message ?? null,
      at: f.at,
    });
  }

  /** Emits a job that just reached a final state and wakes whoever waits for it. */
  private finished(jobId: string): JobSummary {
    const summary = this.get(jobId);
    this.emit(summary);
    const list = this.waiters.get(jobId);
    this.waiters.delete(jobId);
    for (const resolve of list ?? []) resolve(summary);
    return summary;
  }

  private emit(summary: JobSummary): void {
    try {
      this.onUpdate(summary);
    } catch (e) {
      // A listener's mistake must not stop the queue.
      this.log({ jobId: summary.id, kind: summary.kind, ...toErrorInfo(e) });
    }
  }

  private resultJson(jobId: string, kind: string, result: unknown): string | null {
    try {
      return JSON.stringify(result) ?? null;
    } catch (e) {
      this.log({ jobId, kind, ...toErrorInfo(e) });
      return null;
    }
  }
}

function inputJson(input: unknown, kind: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(input);
  } catch (e) {
    throw new AtelierError('INTERNAL', `The input of a "${kind}" job could not be saved.`, toErrorInfo(e).details);
  }
  return text ?? 'null';
}

function toSummary(row: JobRow): JobSummary {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    title: row.title,
    state: row.state,
    progress: row.progress,
    stage: row.stage,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error_code === null ? null : { code: row.error_code as ErrorCode, message: row.error_message ?? '' },
    result: parseResult(row.result_json),
  };
}

/** result_json was written by this class; a row edited by hand shows no result rather than breaking the list. */
function parseResult(text: string | null): ImportReport | null {
  if (text === null) return null;
  try {
    return (JSON.parse(text) ?? null) as ImportReport | null;
  } catch {
    return null;
  }
}
