// The asset rows of studio.db as the contract's shapes: summaries with tags and problems, reports, health, editable facts.
import type Database from 'better-sqlite3';
import { AtelierError } from '../../engine/errors';
import {
  TAG_KINDS,
  type AssetHealth,
  type AssetKind,
  type AssetSource,
  type AssetSummary,
  type AssetTag,
  type CropRect,
  type Finding,
  type FindingCheck,
  type QualityReport,
  type TrimRange,
} from '../../preload/contract';
import type { EditableState } from './edit-history';

/** The columns a summary needs; lists never read reports or descriptors (they are the bulk of a row). */
export const SUMMARY_COLUMNS =
  'id, sha256, kind, ext, mime, byte_size, width, height, duration_ms, original_name, source, delivered_at, imported_at, health, crop_json, trim_json, archived_at';

/** A row with its report and descriptor (asset_reports; both NULL before the first analysis). */
const ANALYSED_SELECT = 'SELECT a.*, r.report_json AS report_json, r.descriptor AS descriptor FROM assets a LEFT JOIN asset_reports r ON r.asset_id = a.id';

export interface AssetRow {
  id: string;
  sha256: string;
  kind: AssetKind;
  ext: string;
  mime: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  original_name: string;
  source: AssetSource;
  delivered_at: string | null;
  imported_at: string;
  health: AssetHealth;
  crop_json: string | null;
  trim_json: string | null;
  archived_at: string | null;
}

/** A row with its analysis (report, descriptor, hash). */
export interface AnalysedRow extends AssetRow {
  sample_rate: number | null;
  channels: number | null;
  report_json: string | null;
  descriptor: Uint8Array | null;
  phash: string | null;
  needs_analysis: number;
}

export type ProblemSeverity = 'warning' | 'error';

const SEVERITY_RANK = { info: 1, warning: 2, error: 3 } as const;

/** The worst severity among the findings; 'ok' when none is a warning or an error (contract: AssetHealth). */
export function healthOf(findings: readonly Finding[]): AssetHealth {
  let worst = 0;
  for (const f of findings) worst = Math.max(worst, SEVERITY_RANK[f.severity] ?? 0);
  return worst === 3 ? 'error' : worst === 2 ? 'warning' : 'ok';
}

/** Checks with a warning or an error, each with its worst severity (what filters and badges use). */
export function problemsOf(findings: readonly Finding[]): Map<FindingCheck, ProblemSeverity> {
  const problems = new Map<FindingCheck, ProblemSeverity>();
  for (const f of findings) {
    if (f.severity !== 'warning' && f.severity !== 'error') continue;
    if (problems.get(f.check) !== 'error') problems.set(f.check, f.severity);
  }
  return problems;
}

/** Descriptors are stored as little-endian float32 (4 bytes a number, a fraction of JSON's size). */
export function encodeDescriptor(descriptor: readonly number[] | undefined | null): Buffer | null {
  if (!descriptor || descriptor.length === 0) return null;
  const buffer = Buffer.alloc(descriptor.length * 4);
  descriptor.forEach((v, i) => buffer.writeFloatLE(Number.isFinite(v) ? v : 0, i * 4));
  return buffer;
}

export function decodeDescriptor(blob: Uint8Array | null): number[] {
  if (!blob || blob.byteLength % 4 !== 0) return [];
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out: number[] = [];
  for (let i = 0; i < blob.byteLength; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

/** A report for an asset analysis has not reached yet (issue-2 rows before their re-check). */
export function emptyReport(kind: AssetKind): QualityReport {
  return { kind, findings: [], suggestedTags: [] };
}

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    // Written by this module; a row edited by hand shows "none" rather than breaking the library.
    return null;
  }
}

export function parseReport(row: Pick<AnalysedRow, 'report_json' | 'kind'>): QualityReport {
  const report = parseJson<QualityReport>(row.report_json);
  if (!report || !Array.isArray(report.findings)) return emptyReport(row.kind);
  return { ...report, suggestedTags: Array.isArray(report.suggestedTags) ? report.suggestedTags : [] };
}

/** assets.tag_text: the tag values the library search matches, one per line. */
export function tagText(tags: readonly AssetTag[]): string {
  return [...new Set(tags.map((t) => t.value))].join('\n');
}

const TAG_ORDER = new Map<string, number>(TAG_KINDS.map((k, i) => [k, i]));

export function sortTags(tags: AssetTag[]): AssetTag[] {
  return tags.sort((a, b) => (TAG_ORDER.get(a.kind) ?? 9) - (TAG_ORDER.get(b.kind) ?? 9) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** "3 of the chosen assets are …" — creator-facing NOT_FOUND for a batch. */
function missingAssets(missing: string[], of: number): AtelierError {
  const message =
    of === 1
      ? 'That asset is no longer in your library. Refresh the list and choose it again.'
      : `${missing.length} of the ${of} chosen assets are no longer in your library. Refresh the list and choose again.`;
  return new AtelierError('NOT_FOUND', message, { assetIds: missing.slice(0, 20) });
}

export class AssetRecords {
  private readonly db: Database.Database;
  private readonly byId: Database.Statement<[string], AssetRow>;
  private readonly analysedById: Database.Statement<[string], AnalysedRow>;
  private readonly byIds: Database.Statement<[string], AssetRow>;
  private readonly analysedByIds: Database.Statement<[string], AnalysedRow>;
  private readonly tagsByIds: Database.Statement<[string], { asset_id: string; kind: AssetTag['kind']; value: string }>;
  private readonly problemsByIds: Database.Statement<[string], { asset_id: string; check_id: FindingCheck }>;
  private readonly updateHealth: Database.Statement<[AssetHealth, string]>;
  private readonly upsertReport: Database.Statement<[string, string]>;
  private readonly updateDescriptor: Database.Statement<[Buffer | null, string]>;
  private readonly deleteProblems: Database.Statement<[string]>;
  private readonly insertProblem: Database.Statement<[string, string, string]>;
  private readonly deleteTags: Database.Statement<[string]>;
  private readonly insertTag: Database.Statement<[string, string, string]>;
  private readonly updateTagText: Database.Statement<[string, string]>;
  private readonly updateCrop: Database.Statement<[string | null, string]>;
  private readonly updateTrim: Database.Statement<[string | null, string]>;
  private readonly updateArchived: Database.Statement<[string | null, string]>;

  constructor(db: Database.Database) {
    this.db = db;
    this.byId = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM assets WHERE id = ?`);
    this.analysedById = db.prepare(`${ANALYSED_SELECT} WHERE a.id = ?`);
    this.byIds = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM assets WHERE id IN (SELECT value FROM json_each(?))`);
    this.analysedByIds = db.prepare(`${ANALYSED_SELECT} WHERE a.id IN (SELECT value FROM json_each(?))`);
    this.tagsByIds = db.prepare('SELECT asset_id, kind, value FROM asset_tags WHERE asset_id IN (SELECT value FROM json_each(?))');
    this.problemsByIds = db.prepare(
      'SELECT asset_id, check_id FROM asset_problems WHERE asset_id IN (SELECT value FROM json_each(?)) ORDER BY check_id',
    );
    this.updateHealth = db.prepare('UPDATE assets SET health = ? WHERE id = ?');
    this.upsertReport = db.prepare(
      'INSERT INTO asset_reports (asset_id, report_json) VALUES (?, ?) ON CONFLICT (asset_id) DO UPDATE SET report_json = excluded.report_json',
    );
    this.updateDescriptor = db.prepare('UPDATE asset_reports SET descriptor = ? WHERE asset_id = ?');
    this.deleteProblems = db.prepare('DELETE FROM asset_problems WHERE asset_id = ?');
    this.insertProblem = db.prepare('INSERT INTO asset_problems (asset_id, check_id, severity) VALUES (?, ?, ?)');
    this.deleteTags = db.prepare('DELETE FROM asset_tags WHERE asset_id = ?');
    this.insertTag = db.prepare('INSERT OR IGNORE INTO asset_tags (asset_id, kind, value) VALUES (?, ?, ?)');
    this.updateTagText = db.prepare('UPDATE assets SET tag_text = ? WHERE id = ?');
    this.updateCrop = db.prepare('UPDATE assets SET crop_json = ? WHERE id = ?');
    this.updateTrim = db.prepare('UPDATE assets SET trim_json = ? WHERE id = ?');
    this.updateArchived = db.prepare('UPDATE assets SET archived_at = ? WHERE id = ?');
  }

  row(assetId: string): AssetRow {
    const row = this.byId.get(assetId);
    if (!row) throw missingAssets([assetId], 1);
    return row;
  }

  analysed(assetId: string): AnalysedRow {
    const row = this.analysedById.get(assetId);
    if (!row) throw missingAssets([assetId], 1);
    return row;
  }

  /** The rows of these ids in the order given (duplicates dropped); NOT_FOUND naming how many are missing. */
  rows(assetIds: readonly string[]): AssetRow[] {
    return this.inOrder(assetIds, this.byIds.all(JSON.stringify([...new Set(assetIds)])));
  }

  analysedRows(assetIds: readonly string[]): AnalysedRow[] {
    return this.inOrder(assetIds, this.analysedByIds.all(JSON.stringify([...new Set(assetIds)])));
  }

  summary(assetId: string): AssetSummary {
    return this.summaries([this.row(assetId)])[0]!;
  }

  /** Summaries of rows with their tags and problems, in two queries for the whole page. */
  summaries(rows: readonly AssetRow[]): AssetSummary[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((r) => r.id));
    const tags = new Map<string, AssetTag[]>();
    for (const t of this.tagsByIds.all(ids)) {
      let list = tags.get(t.asset_id);
      if (!list) tags.set(t.asset_id, (list = []));
      list.push({ kind: t.kind, value: t.value });
    }
    const problems = new Map<string, FindingCheck[]>();
    for (const p of this.problemsByIds.all(ids)) {
      let list = problems.get(p.asset_id);
      if (!list) problems.set(p.asset_id, (list = []));
      list.push(p.check_id);
    }
    return rows.map((row) => toSummary(row, sortTags(tags.get(row.id) ?? []), problems.get(row.id) ?? []));
  }

  tagsOf(assetIds: readonly string[]): Map<string, AssetTag[]> {
    const tags = new Map<string, AssetTag[]>(assetIds.map((id) => [id, []]));
    for (const t of this.tagsByIds.all(JSON.stringify(assetIds))) tags.get(t.asset_id)?.push({ kind: t.kind, value: t.value });
    for (const list of tags.values()) sortTags(list);
    return tags;
  }

  /** Stores a report with its health and problem rows. Call inside a transaction. */
  writeReport(assetId: string, report: QualityReport): void {
    this.upsertReport.run(assetId, JSON.stringify(report));
    this.updateHealth.run(healthOf(report.findings), assetId);
    this.deleteProblems.run(assetId);
    for (const [check, severity] of problemsOf(report.findings)) this.insertProblem.run(assetId, check, severity);
  }

  /** Stores the descriptor of an asset whose report is written. Call inside a transaction, after writeReport. */
  writeDescriptor(assetId: string, descriptor: Buffer | null): void {
    this.updateDescriptor.run(descriptor, assetId);
  }

  /** The fields of these assets an edit may change, for an undo step. */
  editable(rows: readonly AssetRow[], fields: ReadonlyArray<keyof EditableState>): Map<string, EditableState> {
    const tags = fields.includes('tags') ? this.tagsOf(rows.map((r) => r.id)) : null;
    const states = new Map<string, EditableState>();
    for (const row of rows) {
      const state: EditableState = {};
      if (tags) state.tags = tags.get(row.id) ?? [];
      if (fields.includes('crop')) state.crop = parseJson<CropRect>(row.crop_json);
      if (fields.includes('trim')) state.trim = parseJson<TrimRange>(row.trim_json);
      if (fields.includes('archivedAt')) state.archivedAt = row.archived_at;
      states.set(row.id, state);
    }
    return states;
  }

  /** Writes the given fields of one asset. Call inside a transaction. */
  applyEditable(assetId: string, state: EditableState): void {
    if (state.tags) {
      this.deleteTags.run(assetId);
      for (const t of state.tags) this.insertTag.run(assetId, t.kind, t.value);
      this.updateTagText.run(tagText(state.tags), assetId);
    }
    if (state.crop !== undefined) this.updateCrop.run(state.crop ? JSON.stringify(state.crop) : null, assetId);
    if (state.trim !== undefined) this.updateTrim.run(state.trim ? JSON.stringify(state.trim) : null, assetId);
    if (state.archivedAt !== undefined) this.updateArchived.run(state.archivedAt, assetId);
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  private inOrder<R extends AssetRow>(assetIds: readonly string[], found: R[]): R[] {
    const byId = new Map(found.map((r) => [r.id, r]));
    const unique = [...new Set(assetIds)];
    const missing = unique.filter((id) => !byId.has(id));
    if (missing.length > 0) throw missingAssets(missing, unique.length);
    return unique.map((id) => byId.get(id)!);
  }
}

export function toSummary(row: AssetRow, tags: AssetTag[], problems: FindingCheck[]): AssetSummary {
  return {
    id: row.id,
    sha256: row.sha256,
    kind: row.kind,
    originalName: row.original_name,
    mime: row.mime,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    source: row.source,
    deliveredAt: row.delivered_at,
    importedAt: row.imported_at,
    tags,
    health: row.health,
    problems,
    crop: parseJson<CropRect>(row.crop_json),
    trim: parseJson<TrimRange>(row.trim_json),
    archived: row.archived_at !== null,
  };
}
