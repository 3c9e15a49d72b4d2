// Training (issue 5): quota and subscription checks, the asset snapshot, the model.train job and its version.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError, toErrorInfo } from '../../engine/errors';
import { assertCan, assertTrainingAllowed, subcategoryOf } from '../../engine/rules';
import type { JobSummary, TrainingJobResult, TrainingRun, VersionAsset } from '../../preload/contract';
import type { JobQueue, JobRunContext } from '../jobs/queue';
import type { TrainTaskInput, TrainTaskOutput } from '../jobs/model-tasks';
import { toRun, type ModelRow, type ModelService, type ResolvedAsset, type RunRow } from './models';

export const TRAIN_JOB_KIND = 'model.train';

/** Log lines kept per run: stages change a few dozen times; a runaway stage stream must not grow the row forever. */
const LOG_MAX_LINES = 500;

/** What the training job needs from the pool (the WorkerPool's run, narrowed). */
export interface TrainPool {
  run(task: 'model.train', input: TrainTaskInput, opts: { signal?: AbortSignal; onProgress?: (fraction: number, stage?: string) => void }): Promise<TrainTaskOutput>;
}

export interface TrainingOptions {
  models: ModelService;
  jobs: JobQueue;
  pool: TrainPool;
  /** Finest exemplar side; tests train small (default: the engine's). */
  exemplarSize?: number;
}

interface TrainJobInput {
  modelId: string;
  runId: string;
}

export class TrainingService {
  private readonly models: ModelService;
  private readonly jobs: JobQueue;
  private readonly pool: TrainPool;
  private readonly exemplarSize: number | undefined;

  constructor(opts: TrainingOptions) {
    this.models = opts.models;
    this.jobs = opts.jobs;
    this.pool = opts.pool;
    this.exemplarSize = opts.exemplarSize;
    // Runs the last session left running did not finish: they are interrupted (never counted by the quota).
    this.models.sql(`UPDATE training_runs SET state = 'interrupted', finished_at = ? WHERE state = 'running'`).run(this.models.now().toISOString());
    this.jobs.register(TRAIN_JOB_KIND, (input, ctx) => this.runTraining(input as TrainJobInput, ctx));
  }

  start(modelId: string): { run: TrainingRun; job: JobSummary } {
    const models = this.models;
    const row = models.row(modelId);
    const sub = subcategoryOf(row.subcategory);
    if (sub.status !== 'available') throw new AtelierError('VALIDATION', `${sub.label} models are coming later and cannot be trained yet.`, { modelId });
    if (sub.modality !== 'image') {
      throw new AtelierError('VALIDATION', `${sub.label} models cannot be trained yet: audio training comes with the audio engine.`, { modelId });
    }
    if (models.runningRun(modelId)) throw new AtelierError('CONFLICT', 'This model is already training. Wait for it to finish or cancel it.', { modelId });
    const now = this.assertMayTrain(row);
    const assets = models.resolvedAssets(row);
    if (assets.length === 0) {
      throw new AtelierError('VALIDATION', 'This model has no assets to learn from. Pick some images, or import work samples for “All”.', { modelId });
    }
    const name = models.ensureName(row);
    const runId = randomUUID();
    const snapshot: ResolvedAsset[] = assets;
    const job = this.jobs.enqueue(TRAIN_JOB_KIND, `Train ${name}`, { modelId, runId } satisfies TrainJobInput);
    models
      .sql(`INSERT INTO training_runs (id, model_id, job_id, state, started_at, log_json, snapshot_json) VALUES (?, ?, ?, 'running', ?, '[]', ?)`)
      .run(runId, modelId, job.id, now, JSON.stringify(snapshot));
    models.changed(modelId);
    return { run: this.run(runId), job };
  }

  /** Subscription and quota, checked for every attempt (a start, or a retry of a cancelled or interrupted run); returns now. */
  private assertMayTrain(row: ModelRow): string {
    const now = this.models.now().toISOString();
    const subscription = this.models.subscription.state();
    assertCan(subscription, now, 'train');
    assertTrainingAllowed({ subscription, subcategory: row.subcategory, runs: this.models.runRecords(row.id), now, ...(row.name ? { modelName: row.name } : {}) });
    return now;
  }

  run(runId: string): TrainingRun {
    return toRun(this.runRow(runId));
  }

  private runRow(runId: string): RunRow {
    const row = this.models.sql('SELECT * FROM training_runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new AtelierError('NOT_FOUND', 'That training run no longer exists.', { runId });
    return row;
  }

  private async runTraining(input: TrainJobInput, ctx: JobRunContext): Promise<TrainingJobResult> {
    const models = this.models;
    const run = this.runRow(input.runId);
    // A retried job (after a crash or a cancel) resumes its run with the same snapshot — but it is a new attempt,
    // so the subscription and the quota are checked again, as for a fresh start.
    if (run.state !== 'running') {
      this.assertMayTrain(models.row(input.modelId));
      models.sql(`UPDATE training_runs SET state = 'running', finished_at = NULL, error_code = NULL, error_message = NULL WHERE id = ?`).run(run.id);
    }
    const snapshot = JSON.parse(run.snapshot_json) as ResolvedAsset[];
    const log: string[] = [];
    const addLog = (line: string): void => {
      if (line && log[log.length - 1] !== line && log.length < LOG_MAX_LINES) log.push(line);
    };
    const started = Date.now();
    const workDir = path.join(models.modelDir(input.modelId), `run-${run.id}`);
    try {
      await fs.mkdir(models.modelDir(input.modelId), { recursive: true });
      await fs.rm(workDir, { recursive: true, force: true });
      const output = await this.pool.run(
        'model.train',
        {
          inputs: snapshot.map((a) => ({ sha256: a.sha256, path: a.path, name: a.name, crop: a.crop, tags: a.tags })),
          bundleDir: workDir,
          ...(this.exemplarSize ? { exemplarSize: this.exemplarSize } : {}),
        },
        {
          signal: ctx.signal,
          onProgress: (fraction, stage) => {
            addLog(stage ?? '');
            ctx.progress(fraction, stage ?? 'Training');
          },
        },
      );
      addLog('Trained');
      // The version number is given only now: a cancelled run leaves no gap.
      const version = models.db.transaction(() => {
        const last = (models.sql('SELECT last FROM model_version_counters WHERE model_id = ?').get(input.modelId) as { last: number } | undefined)?.last ?? 0;
        return last + 1;
      })();
      const bundleDir = path.join(models.modelDir(input.modelId), `v${version}`);
      await fs.rm(bundleDir, { recursive: true, force: true });
      await fs.rename(workDir, bundleDir);
      const at = models.now().toISOString();
      const assets: VersionAsset[] = snapshot.map(({ assetId, sha256, name, crop, trim, tags }) => ({ assetId, sha256, name, crop, trim, tags }));
      try {
        models.db.transaction(() => {
          models
            .sql(`INSERT INTO model_version_counters (model_id, last) VALUES (?, ?) ON CONFLICT (model_id) DO UPDATE SET last = excluded.last`)
            .run(input.modelId, version);
          models
            .sql(
              `INSERT INTO model_versions (model_id, number, created_at, duration_ms, assets_json, parameters_json, metrics_json, bundle_path, bundle_bytes)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(input.modelId, version, at, Date.now() - started, JSON.stringify(assets), JSON.stringify(output.parameters), JSON.stringify(output.metrics), bundleDir, output.bundleBytes);
          models.sql('UPDATE models SET active_version = ?, updated_at = ? WHERE id = ?').run(version, at, input.modelId);
          models
            .sql(`UPDATE training_runs SET state = 'succeeded', finished_at = ?, version = ?, log_json = ? WHERE id = ?`)
            .run(at, version, JSON.stringify(log), run.id);
        })();
      } catch (e) {
        await fs.rm(bundleDir, { recursive: true, force: true });
        throw e;
      }
      models.changed(input.modelId);
      return { modelId: input.modelId, runId: run.id, version };
    } catch (e) {
      await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      await fs.rm(`${workDir}.tmp`, { recursive: true, force: true }).catch(() => undefined);
      const info = toErrorInfo(e);
      const state = ctx.signal.aborted || info.code === 'CANCELLED' ? 'cancelled' : 'failed';
      addLog(state === 'cancelled' ? 'Cancelled' : `Failed: ${info.message}`);
      try {
        models
          .sql(`UPDATE training_runs SET state = ?, finished_at = ?, error_code = ?, error_message = ?, log_json = ? WHERE id = ?`)
          .run(state, models.now().toISOString(), state === 'failed' ? info.code : null, state === 'failed' ? info.message : null, JSON.stringify(log), run.id);
        models.changed(input.modelId);
      } catch {
        // The model was deleted meanwhile: nothing left to mark.
      }
      throw e;
    }
  }
}
