// The health of a set of assets as a whole (what a model would learn from), with its one-click fixes and their counts.
import { analyzeImageSet } from '../../engine/image/set';
import { analyzeAudioSet } from '../../engine/media/audio/set';
import type { AssetKind, Finding, SetFix, SetHealthReport, Subcategory } from '../../preload/contract';
import { decodeDescriptor, parseReport, type AnalysedRow } from './asset-records';
import { cropFits, fixLabel, silenceTrim } from './asset-edits';

/**
 * Builds the report for these rows (already resolved from a selection, analysed). `kind` is the selection's
 * kind when it names one, so an empty "All work samples" set still says which rules it is held to.
 */
export function buildSetHealth(rows: readonly AnalysedRow[], opts: { kind?: AssetKind; subcategory?: Subcategory } = {}): SetHealthReport {
  const kinds = new Set(rows.map((r) => r.kind));
  const kind: SetHealthReport['kind'] = kinds.size > 1 ? 'mixed' : (rows[0]?.kind ?? opts.kind ?? 'mixed');
  const reports = new Map(rows.map((r) => [r.id, parseReport(r)]));
  const findings: Finding[] = [];
  const perAsset: Record<string, Finding[]> = {};
  const addPerAsset = (more: Record<string, Finding[]>) => {
    for (const [id, list] of Object.entries(more)) if (list.length > 0) (perAsset[id] ??= []).push(...list);
  };

  const images = rows.filter((r) => r.kind === 'image' && reports.get(r.id)?.image);
  let duplicateGroups: string[][] = [];
  if (images.length > 0 || (kind === 'image' && rows.length === 0)) {
    const result = analyzeImageSet(
      images.map((r) => ({ id: r.id, metrics: reports.get(r.id)!.image!, descriptor: decodeDescriptor(r.descriptor) })),
    );
    findings.push(...result.findings);
    addPerAsset(result.perAsset);
    duplicateGroups = result.duplicateGroups;
  }
  const audio = rows.filter((r) => r.kind === 'audio' && reports.get(r.id)?.audio);
  if (audio.length > 0 || (kind === 'audio' && rows.length === 0)) {
    const result = analyzeAudioSet(
      audio.map((r) => ({ id: r.id, metrics: reports.get(r.id)!.audio!, descriptor: decodeDescriptor(r.descriptor) })),
      opts.subcategory,
    );
    findings.push(...result.findings);
    addPerAsset(result.perAsset);
  }

  const fixes: SetFix[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hasFix = (r: AnalysedRow, fix: Finding['fix']) => (reports.get(r.id)?.findings ?? []).some((f) => f.fix === fix);

  const crops = rows.filter((r) => {
    const crop = reports.get(r.id)?.image?.suggestedCrop;
    return (
      r.kind === 'image' &&
      r.crop_json === null &&
      hasFix(r, 'apply-suggested-crops') &&
      crop != null &&
      r.width !== null &&
      r.height !== null &&
      cropFits(crop, r.width, r.height)
    );
  });
  if (crops.length > 0) fixes.push(setFix('apply-suggested-crops', crops.map((r) => r.id)));

  const duplicates = duplicatesToDrop(duplicateGroups, byId);
  if (duplicates.length > 0) fixes.push(setFix('drop-duplicates', duplicates));

  const trims = rows.filter((r) => {
    const metrics = reports.get(r.id)?.audio;
    return r.kind === 'audio' && r.trim_json === null && hasFix(r, 'trim-silence') && metrics != null && silenceTrim(metrics) !== null;
  });
  if (trims.length > 0) fixes.push(setFix('trim-silence', trims.map((r) => r.id)));

  return { assetIds: rows.map((r) => r.id), count: rows.length, kind, findings, perAsset, fixes };
}

function setFix(fix: SetFix['fix'], assetIds: string[]): SetFix {
  return { fix, assetIds, label: fixLabel(fix, assetIds.length) };
}

/** In each group of near copies keep the largest image (earliest imported on a tie) and drop the others. */
export function duplicatesToDrop(groups: readonly string[][], rows: ReadonlyMap<string, AnalysedRow>): string[] {
  const drop: string[] = [];
  for (const group of groups) {
    const members = group.map((id) => rows.get(id)).filter((r): r is AnalysedRow => r !== undefined && r.archived_at === null);
    if (members.length < 2) continue;
    const area = (r: AnalysedRow) => (r.width ?? 0) * (r.height ?? 0);
    const keep = members.reduce((best, r) =>
      area(r) > area(best) || (area(r) === area(best) && r.imported_at < best.imported_at) ? r : best,
    );
    for (const r of members) if (r !== keep && !drop.includes(r.id)) drop.push(r.id);
  }
  return drop;
}
