// Creation models (issue 5): create, name, pick assets, staleness, versions, pricing, publishing checks and delete.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AtelierError } from '../../engine/errors';
import type { AssetTag, CropRect, TrimRange } from '../../engine/report';
import {
  assertCanActivate,
  defaultModelName,
  licencesFor,
  parseQuantity,
  pricingUnitOf,
  publishBlockers,
  quotaLine,
  quote,
  SUBCATEGORIES as CATALOG,
  subcategoryOf,
  trainingQuota,
  validatePricing,
  type ActiveModelRef,
  type Licence,
  type PricingScheme,
  type PublishBlocker,
  type Quote,
  type TrainingRunRecord,
} from '../../engine/rules';
import type {
  ModelAssetSelection,
  ModelDetail,
  ModelSummary,
  ModelVersion,
  PublishCheck,
  SubcategoryId,
  SubcategoryInfo,
  TrainingQuotaView,
  TrainingRun,
  TrainingRunState,
  VersionAsset,
} from '../../preload/contract';
import type { StudioEvents } from '../events';
import type { AssetLibrary } from './assets';
import type { ProfilePaths } from './paths';
import type { SubscriptionStore } from './subscription';

export interface ModelRow {
  id: string;
  subcategory: SubcategoryId;
  name: string | null;
  selection_mode: 'explicit' | 'all-recent';
  instructions: string | null;
  active: number;
  active_version: number | null;
  created_at: string;
  updated_at: string;
}

export interface VersionRow {
  model_id: string;
  number: number;
  created_at: string;
  duration_ms: number;
  assets_json: string;
  parameters_json: string;
  metrics_json: string;
  bundle_path: string;
  bundle_bytes: number;
}

export interface RunRow {
  id: string;
  model_id: string;
  job_id: string;
  state: TrainingRunState;
  started_at: string;
  finished_at: string | null;
  version: number | null;
  error_code: string | null;
  error_message: string | null;
  log_json: string;
  snapshot_json: string;
}

/** One asset of a model's set now, with where its original is stored (the trainer reads it). */
export interface ResolvedAsset extends VersionAsset {
  assetId: string;
  path: string;
}

export interface ModelServiceOptions {
  db: Database.Database;
  paths: ProfilePaths;
  assets: AssetLibrary;
  subscription: SubscriptionStore;
  events: StudioEvents;
  now?: () => Date;
}

export class ModelService {
  readonly db: Database.Database;
  readonly paths: ProfilePaths;
  readonly assets: AssetLibrary;
  readonly subscription: SubscriptionStore;
  readonly events: StudioEvents;
  readonly now: () => Date;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(opts: ModelServiceOptions) {
    this.db = opts.db;
    this.paths = opts.paths;
    this.assets = opts.assets;
    this.subscription = opts.subscription;
    this.events = opts.events;
    this.now = opts.now ?? (() => new Date());
  }

  // ---- catalogue and models ------------------------------------------------------------------------

  catalog(): SubcategoryInfo[] {
    return CATALOG.map((s) => {
      const unit = pricingUnitOf(s);
      return {
        id: s.id,
        label: s.label,
        modality: s.modality,
        status: s.status,
        licences: [...licencesFor(s)],
        unit: { id: unit.id, singular: unit.singular, plural: unit.plural },
        trainable: s.modality === 'image',
      };
    });
  }

  list(): ModelSummary[] {
    const rows = this.sql('SELECT * FROM models ORDER BY created_at, rowid').all() as ModelRow[];
    return rows.map((r) => this.summaryOf(r));
  }

  summary(modelId: string): ModelSummary {
    return this.summaryOf(this.row(modelId));
  }

  detail(modelId: string): ModelDetail {
    const row = this.row(modelId);
    return { ...this.summaryOf(row), versions: this.versions(modelId), runs: this.runs(modelId) };
  }

  create(subcategory: SubcategoryId): ModelSummary {
    const sub = subcategoryOf(subcategory);
    if (sub.status !== 'available') {
      const available = CATALOG.filter((s) => s.status === 'available').map((s) => s.label).join(', ');
      throw new AtelierError('VALIDATION', `${sub.label} models are coming later. Choose one of: ${available}.`, { subcategory });
    }
    const id = randomUUID();
    const at = this.now().toISOString();
    this.sql(
      `INSERT INTO models (id, subcategory, name, selection_mode, instructions, active, created_at, updated_at)
       VALUES (?, ?, NULL, 'all-recent', NULL, 0, ?, ?)`,
    ).run(id, sub.id, at, at);
    this.changed(null);
    return this.summary(id);
  }

  rename(modelId: string, name: string): ModelSummary {
    this.row(modelId);
    const clash = this.sql('SELECT id FROM models WHERE id <> ? AND lower(name) = lower(?)').get(modelId, name) as { id: string } | undefined;
    if (clash) throw new AtelierError('CONFLICT', `Another model is already called “${name}”. Choose a different name.`, { name });
    this.touch(modelId, 'UPDATE models SET name = ? WHERE id = ?', name, modelId);
    return this.summary(modelId);
  }

  setInstructions(modelId: string, instructions: string): ModelSummary {
    const row = this.row(modelId);
    if (subcategoryOf(row.subcategory).modality !== 'text') {
      throw new AtelierError('VALIDATION', 'Instructions are for writing models only.', { modelId });
    }
    this.touch(modelId, 'UPDATE models SET instructions = ? WHERE id = ?', instructions.trim() || null, modelId);
    return this.summary(modelId);
  }

  /** Replace the selection, or add/remove explicit picks (adding to "All" starts from the assets it holds now). */
  setAssets(modelId: string, selection: ModelAssetSelection | undefined, add: readonly string[], remove: readonly string[]): ModelSummary {
    const row = this.row(modelId);
    const kind = subcategoryOf(row.subcategory).modality;
    let mode = selection?.mode ?? row.selection_mode;
    let picks: string[];
    if (selection?.mode === 'explicit') picks = [...selection.assetIds];
    else if (selection?.mode === 'all-recent') picks = [];
    else picks = row.selection_mode === 'explicit' ? this.explicitIds(modelId) : [];
    if (add.length > 0 || remove.length > 0) {
      if (mode === 'all-recent') picks = this.resolvedAssets(row).map((a) => a.assetId);
      mode = 'explicit';
      const removing = new Set(remove);
      picks = [...new Set([...picks, ...add])].filter((id) => !removing.has(id));
    }
    if (mode === 'explicit' && picks.length > 0) {
      // Unknown ids: NOT_FOUND naming how many; other modalities: VALIDATION naming the file.
      const wrong = this.assets.records.rows(picks).find((r) => r.kind !== kind);
      if (wrong) {
        throw new AtelierError('VALIDATION', `“${wrong.original_name}” is ${wrong.kind === 'image' ? 'an image' : wrong.kind}; this model learns from ${kind} files only.`, {
          assetId: wrong.id,
        });
      }
    }
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.sql('UPDATE models SET selection_mode = ?, updated_at = ? WHERE id = ?').run(mode, at, modelId);
      this.sql('DELETE FROM model_assets WHERE model_id = ?').run(modelId);
      if (mode === 'explicit') {
        const insert = this.sql('INSERT INTO model_assets (model_id, asset_id, added_at) VALUES (?, ?, ?)');
        for (const id of picks) insert.run(modelId, id, at);
      }
    })();
    this.changed(modelId);
    return this.summary(modelId);
  }

  /** Publish or withdraw. Publishing refuses with the first blocker's code (ACTIVE_LIMIT naming the three). */
  setActive(modelId: string, active: boolean): ModelSummary {
    const row = this.row(modelId);
    if (active && row.active !== 1) {
      const blockers = this.blockers(row);
      const first = blockers[0];
      if (first) {
        if (first.condition === 'active-limit') assertCanActivate(modelId, this.activeModels());
        const code = first.condition === 'subscription' ? 'SUBSCRIPTION_REQUIRED' : 'VALIDATION';
        throw new AtelierError(code, blockers.map((b) => b.message).join(' '), { blockers });
      }
      assertCanActivate(modelId, this.activeModels());
    }
    this.touch(modelId, 'UPDATE models SET active = ? WHERE id = ?', active ? 1 : 0, modelId);
    return this.summary(modelId);
  }

  /** Deletes the model with its versions, runs and outputs; refused while it trains or while published. */
  async delete(modelId: string): Promise<void> {
    const row = this.row(modelId);
    const name = displayName(row);
    if (this.runningRun(modelId)) throw new AtelierError('CONFLICT', `“${name}” is training. Cancel the training first, then delete it.`, { modelId });
    if (row.active === 1) throw new AtelierError('CONFLICT', `“${name}” is published. Unpublish it first, then delete it.`, { modelId });
    this.sql('DELETE FROM models WHERE id = ?').run(modelId);
    await fs.rm(this.modelDir(modelId), { recursive: true, force: true });
    await fs.rm(this.outputsDir(modelId), { recursive: true, force: true });
    this.changed(null);
  }

  // ---- training quota, runs, versions --------------------------------------------------------------

  quota(modelId: string): TrainingQuotaView {
    return this.quotaOf(this.row(modelId));
  }

  runRecords(modelId: string): TrainingRunRecord[] {
    const rows = this.sql(`SELECT state, finished_at FROM training_runs WHERE model_id = ? AND finished_at IS NOT NULL AND state IN ('succeeded', 'failed', 'cancelled')`).all(
      modelId,
    ) as Array<{ state: 'succeeded' | 'failed' | 'cancelled'; finished_at: string }>;
    return rows.map((r) => ({ finishedAt: r.finished_at, outcome: r.state }));
  }

  /** The run in progress; a run whose job ended without its runner (cancelled while queued) is closed here. */
  runningRun(modelId: string): RunRow | null {
    const run = this.sql(`SELECT * FROM training_runs WHERE model_id = ? AND state = 'running'`).get(modelId) as RunRow | undefined;
    if (!run) return null;
    const job = this.sql('SELECT state, finished_at FROM jobs WHERE id = ?').get(run.job_id) as { state: string; finished_at: string | null } | undefined;
    if (job && (job.state === 'queued' || job.state === 'running')) return run;
    const state = job?.state === 'cancelled' || job?.state === 'failed' ? job.state : 'interrupted';
    this.sql('UPDATE training_runs SET state = ?, finished_at = ? WHERE id = ?').run(state, job?.finished_at ?? this.now().toISOString(), run.id);
    return null;
  }

  runs(modelId: string): TrainingRun[] {
    const rows = this.sql('SELECT * FROM training_runs WHERE model_id = ? ORDER BY started_at DESC, rowid DESC').all(modelId) as RunRow[];
    return rows.map(toRun);
  }

  versions(modelId: string): ModelVersion[] {
    const row = this.row(modelId);
    const rows = this.sql('SELECT * FROM model_versions WHERE model_id = ? ORDER BY number DESC').all(modelId) as VersionRow[];
    return rows.map((v) => toVersion(v, row.active_version));
  }

  versionRow(modelId: string, version: number): VersionRow {
    const row = this.sql('SELECT * FROM model_versions WHERE model_id = ? AND number = ?').get(modelId, version) as VersionRow | undefined;
    if (!row) throw new AtelierError('NOT_FOUND', `Version ${version} of this model does not exist. Pick one from its versions list.`, { modelId, version });
    return row;
  }

  activateVersion(modelId: string, version: number): ModelSummary {
    this.row(modelId);
    this.versionRow(modelId, version);
    this.touch(modelId, 'UPDATE models SET active_version = ? WHERE id = ?', version, modelId);
    return this.summary(modelId);
  }

  async deleteVersion(modelId: string, version: number): Promise<ModelSummary> {
    const row = this.row(modelId);
    const v = this.versionRow(modelId, version);
    if (row.active_version === version) {
      throw new AtelierError('CONFLICT', `Version ${version} is the active version of “${displayName(row)}”. Activate another version first, then delete it.`, {
        modelId,
        version,
      });
    }
    this.sql('DELETE FROM model_versions WHERE model_id = ? AND number = ?').run(modelId, version);
    await fs.rm(v.bundle_path, { recursive: true, force: true });
    this.changed(modelId);
    return this.summary(modelId);
  }

  // ---- pricing and publishing ------------------------------------------------------------------------

  pricing(modelId: string): PricingScheme | null {
    this.row(modelId);
    return this.pricingOf(modelId);
  }

  setPricing(modelId: string, pricing: unknown): ModelSummary {
    const row = this.row(modelId);
    const clean = validatePricing(row.subcategory, pricing);
    const at = this.now().toISOString();
    this.sql(
      'INSERT INTO model_pricing (model_id, pricing_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (model_id) DO UPDATE SET pricing_json = excluded.pricing_json, updated_at = excluded.updated_at',
    ).run(modelId, JSON.stringify(clean), at);
    this.touch(modelId, 'UPDATE models SET id = id WHERE id = ?', modelId);
    return this.summary(modelId);
  }

  quote(modelId: string, draft: unknown, quantity: string | number, licence: Licence): Quote {
    const row = this.row(modelId);
    const pricing = draft === undefined ? this.pricingOf(modelId) : validatePricing(row.subcategory, draft);
    if (!pricing) throw new AtelierError('VALIDATION', `Set a price for “${displayName(row)}” first.`, { modelId });
    const q = typeof quantity === 'string' ? parseQuantity(row.subcategory, quantity) : quantity;
    return quote(row.subcategory, pricing, { quantity: q, licence });
  }

  publishCheck(modelId: string): PublishCheck {
    const blockers = this.blockers(this.row(modelId));
    return { modelId, ready: blockers.length === 0, blockers };
  }

  // ---- what training and the playground share --------------------------------------------------------

  row(modelId: string): ModelRow {
    const row = this.sql('SELECT * FROM models WHERE id = ?').get(modelId) as ModelRow | undefined;
    if (!row) throw new AtelierError('NOT_FOUND', 'That model no longer exists. Refresh the models list.', { modelId });
    return row;
  }

  /** The model's assets now: explicit picks, or the last 100 work samples of its modality; archived ones never. */
  resolvedAssets(row: ModelRow): ResolvedAsset[] {
    const kind = subcategoryOf(row.subcategory).modality;
    const ids =
      row.selection_mode === 'all-recent'
        ? this.assets.queries.lastWorkSamples(kind)
        : (
            this.sql(
              `SELECT m.asset_id AS id FROM model_assets m JOIN assets a ON a.id = m.asset_id
                WHERE m.model_id = ? AND a.archived_at IS NULL AND a.kind = ? ORDER BY m.added_at, a.rowid`,
            ).all(row.id, kind) as Array<{ id: string }>
          ).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = this.assets.records.rows(ids);
    const tags = this.assets.records.tagsOf(ids);
    return rows.map((r) => ({
      assetId: r.id,
      sha256: r.sha256,
      name: r.original_name,
      crop: parseJson<CropRect>(r.crop_json),
      trim: parseJson<TrimRange>(r.trim_json),
      tags: tags.get(r.id) ?? [],
      path: this.assets.store.pathFor(r.sha256, r.ext),
    }));
  }

  /** Stale = the set now differs from the active version's snapshot; reasons in the creator's words. */
  staleness(row: ModelRow, current: readonly VersionAsset[] = this.resolvedAssets(row)): { stale: boolean; reasons: string[] } {
    if (row.active_version === null) return { stale: false, reasons: [] };
    const version = this.sql('SELECT assets_json FROM model_versions WHERE model_id = ? AND number = ?').get(row.id, row.active_version) as
      | { assets_json: string }
      | undefined;
    if (!version) return { stale: false, reasons: [] };
    const reasons = staleReasons(JSON.parse(version.assets_json) as VersionAsset[], current);
    return { stale: reasons.length > 0, reasons };
  }

  /** Assigns the default name ("Tattoo model 2") the first time training starts. */
  ensureName(row: ModelRow): string {
    if (row.name) return row.name;
    const names = (this.sql('SELECT name FROM models WHERE name IS NOT NULL').all() as Array<{ name: string }>).map((r) => r.name);
    const name = defaultModelName(row.subcategory, names);
    this.sql('UPDATE models SET name = ?, updated_at = ? WHERE id = ?').run(name, this.now().toISOString(), row.id);
    return name;
  }

  modelDir(modelId: string): string {
    return path.join(this.paths.models, safeId(modelId));
  }

  outputsDir(modelId: string): string {
    return path.join(this.paths.outputs, safeId(modelId));
  }

  changed(modelId: string | null): void {
    this.events.emit('models:changed', { modelId });
  }

  sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  // -------------------------------------------------------------------------------------------------

  private summaryOf(row: ModelRow): ModelSummary {
    const sub = subcategoryOf(row.subcategory);
    const current = this.resolvedAssets(row);
    const { stale, reasons } = this.staleness(row, current);
    const run = this.runningRun(row.id);
    const versionCount = (this.sql('SELECT count(*) AS n FROM model_versions WHERE model_id = ?').get(row.id) as { n: number }).n;
    return {
      id: row.id,
      name: row.name,
      displayName: displayName(row),
      subcategory: row.subcategory,
      modality: sub.modality,
      selection: row.selection_mode === 'all-recent' ? { mode: 'all-recent' } : { mode: 'explicit', assetIds: this.explicitIds(row.id) },
      assetCount: current.length,
      stale,
      staleReasons: reasons,
      activeVersion: row.active_version,
      versionCount,
      training: run ? { runId: run.id, jobId: run.job_id } : null,
      quota: this.quotaOf(row),
      pricing: this.pricingOf(row.id),
      active: row.active === 1,
      playgroundGenerations: this.playgroundCount(row),
      instructions: row.instructions,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private quotaOf(row: ModelRow): TrainingQuotaView {
    const q = trainingQuota({
      subscription: this.subscription.state(),
      subcategory: row.subcategory,
      runs: this.runRecords(row.id),
      now: this.now().toISOString(),
      ...(row.name ? { modelName: row.name } : {}),
    });
    return { ...q, line: quotaLine(q, this.now().toISOString()) };
  }

  private playgroundCount(row: ModelRow): number {
    if (row.active_version === null) return 0;
    return (this.sql('SELECT count(*) AS n FROM generations WHERE model_id = ? AND version = ?').get(row.id, row.active_version) as { n: number }).n;
  }

  private pricingOf(modelId: string): PricingScheme | null {
    const row = this.sql('SELECT pricing_json FROM model_pricing WHERE model_id = ?').get(modelId) as { pricing_json: string } | undefined;
    return row ? (JSON.parse(row.pricing_json) as PricingScheme) : null;
  }

  private explicitIds(modelId: string): string[] {
    return (this.sql('SELECT asset_id FROM model_assets WHERE model_id = ? ORDER BY added_at, asset_id').all(modelId) as Array<{ asset_id: string }>).map(
      (r) => r.asset_id,
    );
  }

  private activeModels(): ActiveModelRef[] {
    return (this.sql('SELECT * FROM models WHERE active = 1 ORDER BY created_at').all() as ModelRow[]).map((r) => ({ id: r.id, name: displayName(r) }));
  }

  private blockers(row: ModelRow): PublishBlocker[] {
    const { stale } = this.staleness(row);
    return publishBlockers({
      subscription: this.subscription.state(),
      now: this.now().toISOString(),
      model: {
        id: row.id,
        trained: row.active_version !== null,
        stale,
        playgroundGenerations: this.playgroundCount(row),
        pricing: this.pricingOf(row.id),
        active: row.active === 1,
        subcategory: row.subcategory,
      },
      activeModels: this.activeModels(),
    });
  }

  private touch(modelId: string, update: string, ...params: unknown[]): void {
    this.db.transaction(() => {
      this.sql(update).run(...params);
      this.sql('UPDATE models SET updated_at = ? WHERE id = ?').run(this.now().toISOString(), modelId);
    })();
    this.changed(modelId);
  }
}

/** "Tattoo model 2", or before training "New tattoo model". */
export function displayName(row: Pick<ModelRow, 'name' | 'subcategory'>): string {
  return row.name ?? `New ${subcategoryOf(row.subcategory).label.toLowerCase()} model`;
}

/** Why a set differs from a snapshot, counted per kind of change; one asset is named, more are counted. */
export function staleReasons(snapshot: readonly VersionAsset[], current: readonly VersionAsset[]): string[] {
  const before = new Map(snapshot.map((a) => [a.sha256, a]));
  const now = new Map(current.map((a) => [a.sha256, a]));
  const added = [...now.values()].filter((a) => !before.has(a.sha256));
  const removed = [...before.values()].filter((a) => !now.has(a.sha256));
  const kept = [...now.values()].filter((a) => before.has(a.sha256));
  const crops = kept.filter((a) => !sameJson(a.crop, before.get(a.sha256)!.crop));
  const trims = kept.filter((a) => !sameJson(a.trim, before.get(a.sha256)!.trim));
  const tags = kept.filter((a) => tagKey(a.tags) !== tagKey(before.get(a.sha256)!.tags));
  const reasons: string[] = [];
  const count = (n: number): string => `${n} ${n === 1 ? 'asset' : 'assets'}`;
  if (added.length > 0) reasons.push(`${count(added.length)} added`);
  if (removed.length > 0) reasons.push(`${count(removed.length)} removed`);
  const changed = (what: string, list: VersionAsset[]): void => {
    if (list.length === 1) reasons.push(`${what} of ${list[0]!.name} changed`);
    else if (list.length > 1) reasons.push(`${what} of ${count(list.length)} changed`);
  };
  changed('crop', crops);
  changed('trim', trims);
  changed('tags', tags);
  return reasons;
}

function tagKey(tags: readonly AssetTag[]): string {
  return tags
    .map((t) => `${t.kind}:${t.value}`)
    .sort()
    .join('\n');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Model ids are our UUIDs; anything else never becomes part of a path. */
function safeId(modelId: string): string {
  if (!/^[0-9a-f-]{1,64}$/.test(modelId)) throw new AtelierError('VALIDATION', 'That is not a valid model id.', { modelId: modelId.slice(0, 80) });
  return modelId;
}

export function toRun(r: RunRow): TrainingRun {
  return {
    id: r.id,
    modelId: r.model_id,
    jobId: r.job_id,
    state: r.state,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    version: r.version,
    error: r.error_code ? { code: r.error_code as NonNullable<TrainingRun['error']>['code'], message: r.error_message ?? '' } : null,
    log: parseJson<string[]>(r.log_json) ?? [],
  };
}

function toVersion(v: VersionRow, active: number | null): ModelVersion {
  return {
    modelId: v.model_id,
    number: v.number,
    createdAt: v.created_at,
    durationMs: v.duration_ms,
    assets: parseJson<VersionAsset[]>(v.assets_json) ?? [],
    parameters: parseJson<Record<string, unknown>>(v.parameters_json) ?? {},
    metrics: parseJson<Record<string, unknown>>(v.metrics_json) ?? {},
    active: v.number === active,
    bundleBytes: v.bundle_bytes,
  };
}
