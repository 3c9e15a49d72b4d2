// The creator's curation edits — tags, crops, trims, archive, one-click fixes — each one undo step, written in one transaction.
import { AtelierError } from '../../engine/errors';
import type { AssetSummary, AssetTag, CropRect, EditState, FixKind, TrimRange } from '../../preload/contract';
import type { StudioEvents } from '../events';
import { parseReport, type AssetRecords, type AssetRow } from './asset-records';
import { EditHistory, type EditableState, type EditStep } from './edit-history';
import type { NearDuplicates } from './near-duplicates';

export interface AssetEditorOptions {
  records: AssetRecords;
  nearDuplicates: NearDuplicates;
  events: StudioEvents;
  history?: EditHistory;
  now?: () => Date;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Button and history text of a one-click fix, with its count ("Apply 4 suggested crops"). */
export function fixLabel(fix: FixKind, n: number): string {
  switch (fix) {
    case 'apply-suggested-crops':
      return `Apply ${count(n, 'suggested crop', 'suggested crops')}`;
    case 'drop-duplicates':
      return `Drop ${count(n, 'duplicate', 'duplicates')}`;
    case 'trim-silence':
      return `Trim silence on ${count(n, 'recording', 'recordings')}`;
  }
}

function quoted(tags: readonly AssetTag[]): string {
  const first = `‘${tags[0]?.value ?? ''}’`;
  return tags.length > 1 ? `${first} and ${tags.length - 1} more` : first;
}

function sameTag(a: AssetTag, b: AssetTag): boolean {
  return a.kind === b.kind && a.value === b.value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A crop that lies inside an image of width × height (the contract's crops are square by construction). */
export function cropFits(crop: CropRect, width: number, height: number): boolean {
  return crop.x >= 0 && crop.y >= 0 && crop.size >= 1 && crop.x + crop.size <= width && crop.y + crop.size <= height;
}

/** The span without leading/trailing silence, or null when there is nothing to trim. */
export function silenceTrim(metrics: { durationMs: number; leadingSilenceMs: number; trailingSilenceMs: number }): TrimRange | null {
  const startMs = Math.max(0, Math.round(metrics.leadingSilenceMs));
  const endMs = Math.min(Math.round(metrics.durationMs), Math.round(metrics.durationMs - metrics.trailingSilenceMs));
  if (endMs <= startMs || (startMs === 0 && endMs >= Math.round(metrics.durationMs))) return null;
  return { startMs, endMs };
}

export class AssetEditor {
  private readonly records: AssetRecords;
  private readonly nearDuplicates: NearDuplicates;
  private readonly events: StudioEvents;
  private readonly now: () => Date;
  readonly history: EditHistory;

  constructor(opts: AssetEditorOptions) {
    this.records = opts.records;
    this.nearDuplicates = opts.nearDuplicates;
    this.events = opts.events;
    this.history = opts.history ?? new EditHistory();
    this.now = opts.now ?? (() => new Date());
  }

  /** Adds and removes tags on many assets (one undo step). `changed` counts assets whose tags changed. */
  tag(assetIds: readonly string[], add: readonly AssetTag[], remove: readonly AssetTag[]): { changed: number } {
    if (add.length === 0 && remove.length === 0) throw new AtelierError('VALIDATION', 'Choose at least one tag to add or remove.');
    const rows = this.records.rows(assetIds);
    const before = this.records.editable(rows, ['tags']);
    const after = new Map<string, EditableState>();
    for (const row of rows) {
      const current = before.get(row.id)?.tags ?? [];
      const next = current.filter((t) => !remove.some((r) => sameTag(r, t)));
      for (const t of add) if (!next.some((n) => sameTag(n, t))) next.push({ kind: t.kind, value: t.value });
      if (!sameJson(sortKey(next), sortKey(current))) after.set(row.id, { tags: next });
    }
    const who = rows.length === 1 ? rows[0]!.original_name : count(after.size, 'asset', 'assets');
    const label =
      remove.length === 0 ? `Tag ${who} ${quoted(add)}` : add.length === 0 ? `Remove ${quoted(remove)} from ${who}` : `Change tags on ${who}`;
    return { changed: this.commit(label, before, after) };
  }

  crop(assetId: string, crop: CropRect | null): AssetSummary {
    const row = this.records.row(assetId);
    if (row.kind !== 'image') {
      throw new AtelierError('VALIDATION', `Only images can be cropped; “${row.original_name}” is ${row.kind === 'audio' ? 'audio' : 'text'}.`);
    }
    if (crop) this.assertCropFits(row, crop);
    const before = this.records.editable([row], ['crop']);
    if (!sameJson(before.get(row.id)?.crop, crop)) {
      this.commit(crop ? `Crop ${row.original_name}` : `Clear the crop of ${row.original_name}`, before, new Map([[row.id, { crop }]]));
    }
    return this.records.summary(assetId);
  }

  trim(assetId: string, trim: TrimRange | null): AssetSummary {
    const row = this.records.row(assetId);
    if (row.kind !== 'audio') {
      throw new AtelierError('VALIDATION', `Only audio can be trimmed; “${row.original_name}” is ${row.kind === 'image' ? 'an image' : 'text'}.`);
    }
    if (trim && row.duration_ms !== null && trim.endMs > row.duration_ms) {
      throw new AtelierError(
        'VALIDATION',
        `The trim ends at ${(trim.endMs / 1000).toFixed(2)} s, after the end of “${row.original_name}” (${(row.duration_ms / 1000).toFixed(2)} s). Keep it within the recording.`,
        { trim, durationMs: row.duration_ms },
      );
    }
    const before = this.records.editable([row], ['trim']);
    if (!sameJson(before.get(row.id)?.trim, trim)) {
      this.commit(trim ? `Trim ${row.original_name}` : `Clear the trim of ${row.original_name}`, before, new Map([[row.id, { trim }]]));
    }
    return this.records.summary(assetId);
  }

  /** Archives (hides) or restores assets; originals are kept. */
  archive(assetIds: readonly string[], archived: boolean, label?: string): { changed: number } {
    const rows = this.records.rows(assetIds);
    const before = this.records.editable(rows, ['archivedAt']);
    const at = this.now().toISOString();
    const after = new Map<string, EditableState>();
    for (const row of rows) if ((row.archived_at !== null) !== archived) after.set(row.id, { archivedAt: archived ? at : null });
    const who = rows.length === 1 ? rows[0]!.original_name : count(after.size, 'asset', 'assets');
    return { changed: this.commit(label ?? `${archived ? 'Archive' : 'Restore'} ${who}`, before, after) };
  }

  /** A one-click fix from a set health report (one undo step). Refuses when it applies to none of the assets. */
  fix(fix: FixKind, assetIds: readonly string[]): { changed: number } {
    if (fix === 'drop-duplicates') {
      const rows = this.records.rows(assetIds).filter((r) => r.archived_at === null);
      if (rows.length === 0) throw new AtelierError('VALIDATION', 'Those duplicates are archived already.');
      return this.archive(
        rows.map((r) => r.id),
        true,
        fixLabel(fix, rows.length),
      );
    }
    const rows = this.records.analysedRows(assetIds);
    const field = fix === 'apply-suggested-crops' ? 'crop' : 'trim';
    const before = this.records.editable(rows, [field]);
    const after = new Map<string, EditableState>();
    for (const row of rows) {
      const report = parseReport(row);
      if (fix === 'apply-suggested-crops') {
        const crop = row.kind === 'image' ? (report.image?.suggestedCrop ?? null) : null;
        if (crop && row.width !== null && row.height !== null && cropFits(crop, row.width, row.height)) {
          if (!sameJson(before.get(row.id)?.crop, crop)) after.set(row.id, { crop: { x: crop.x, y: crop.y, size: crop.size } });
        }
      } else {
        const trim = row.kind === 'audio' && report.audio ? silenceTrim(report.audio) : null;
        if (trim && !sameJson(before.get(row.id)?.trim, trim)) after.set(row.id, { trim });
      }
    }
    if (after.size === 0) {
      throw new AtelierError(
        'VALIDATION',
        fix === 'apply-suggested-crops'
          ? 'None of the chosen assets has a suggested crop left to apply: they are square, not images, or already cropped that way.'
          : 'None of the chosen assets has silence left to trim: they are not audio, have no leading or trailing silence, or are trimmed already.',
      );
    }
    return { changed: this.commit(fixLabel(fix, after.size), before, after) };
  }

  state(): EditState {
    return this.history.state();
  }

  undo(): EditState {
    let refreshed: string[] = [];
    const step = this.history.undo((states) => {
      refreshed = this.write(states);
    });
    if (step) this.announce([...step.before.keys()], refreshed);
    return this.history.state();
  }

  redo(): EditState {
    let refreshed: string[] = [];
    const step = this.history.redo((states) => {
      refreshed = this.write(states);
    });
    if (step) this.announce([...step.after.keys()], refreshed);
    return this.history.state();
  }

  // -------------------------------------------------------------------------------------------------

  private assertCropFits(row: AssetRow, crop: CropRect): void {
    if (row.width === null || row.height === null) {
      throw new AtelierError('VALIDATION', `The size of “${row.original_name}” is unknown, so it cannot be cropped. Import it again.`);
    }
    if (!cropFits(crop, row.width, row.height)) {
      throw new AtelierError(
        'VALIDATION',
        `The square crop (x ${crop.x}, y ${crop.y}, size ${crop.size} px) reaches outside “${row.original_name}” (${row.width} × ${row.height} px). Keep the square inside the image.`,
        { crop, width: row.width, height: row.height },
      );
    }
  }

  /** Writes the changed assets' new states as one step; returns how many changed (0 = no step recorded). */
  private commit(label: string, allBefore: ReadonlyMap<string, EditableState>, after: ReadonlyMap<string, EditableState>): number {
    if (after.size === 0) return 0;
    const before = new Map<string, EditableState>();
    for (const id of after.keys()) before.set(id, allBefore.get(id) ?? {});
    const step: EditStep = { label, before, after };
    const refreshed = this.write(after);
    this.history.record(step);
    this.announce([...after.keys()], refreshed);
    return after.size;
  }

  /** One transaction; archive changes also refresh the library's near-duplicate findings. Returns ids refreshed. */
  private write(states: ReadonlyMap<string, EditableState>): string[] {
    return this.records.transaction(() => {
      let archiveTouched = false;
      for (const [id, state] of states) {
        this.records.applyEditable(id, state);
        if (state.archivedAt !== undefined) archiveTouched = true;
      }
      return archiveTouched ? this.nearDuplicates.refresh([...states.keys()]) : [];
    });
  }

  private announce(ids: string[], refreshed: string[]): void {
    this.events.emit('assets:changed', { added: 0, updated: [...new Set([...ids, ...refreshed])] });
    this.events.emit('edits:changed', this.history.state());
  }
}

function sortKey(tags: readonly AssetTag[]): string[] {
  return tags.map((t) => `${t.kind}:${t.value}`).sort();
}
