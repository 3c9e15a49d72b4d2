// Library-wide near-duplicate findings: an image whose perceptual hash is within the threshold of another visible image's, both ways.
import type Database from 'better-sqlite3';
import { hammingDistance, NEAR_DUPLICATE_MAX_DISTANCE } from '../../engine/image/phash';
import type { Finding } from '../../preload/contract';
import { parseReport, type AssetRecords } from './asset-records';

/** Twins named in one finding; a burst of 200 copies of one photo still gives a readable report. */
export const NEAR_DUPLICATE_RELATED_MAX = 20;

interface HashedImage {
  id: string;
  phash: string;
  original_name: string;
}

interface Twin {
  id: string;
  name: string;
  distance: number;
}

function nearDuplicateFinding(twins: Twin[]): Finding {
  const closest = twins[0]!;
  const others = twins.length - 1;
  const twinText = others > 0 ? `“${closest.name}” and ${others} other ${others === 1 ? 'image' : 'images'}` : `“${closest.name}”`;
  return {
    check: 'near-duplicate',
    severity: 'warning',
    metric: closest.distance,
    unit: 'bits',
    threshold: `≤ ${NEAR_DUPLICATE_MAX_DISTANCE} of 64 hash bits differ counts as a near copy`,
    reason:
      `This looks almost the same as ${twinText} in your library (${closest.distance} of 64 perceptual-hash bits differ). ` +
      'Near copies make a model over-learn one piece: keep the best version and archive the others.',
    fix: 'drop-duplicates',
    relatedAssetIds: twins.slice(0, NEAR_DUPLICATE_RELATED_MAX).map((t) => t.id),
  };
}

export class NearDuplicates {
  private readonly records: AssetRecords;
  private readonly visibleHashes: Database.Statement<[], HashedImage>;

  constructor(db: Database.Database, records: AssetRecords) {
    this.records = records;
    this.visibleHashes = db.prepare(
      "SELECT id, phash, original_name FROM assets WHERE kind = 'image' AND phash IS NOT NULL AND archived_at IS NULL",
    );
  }

  /**
   * Recomputes the near-duplicate finding of these assets, of every visible image they match, and of every
   * image their old finding named (an archived twin no longer counts). Archived images are compared against
   * the visible library too. Call inside a transaction. Returns the ids whose report changed.
   */
  refresh(assetIds: readonly string[]): string[] {
    if (assetIds.length === 0) return [];
    const visible = this.visibleHashes.all();
    const twinsOf = (id: string, phash: string): Twin[] => {
      const twins: Twin[] = [];
      for (const other of visible) {
        if (other.id === id) continue;
        const distance = hammingDistance(phash, other.phash);
        if (distance <= NEAR_DUPLICATE_MAX_DISTANCE) twins.push({ id: other.id, name: other.original_name, distance });
      }
      return twins.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
    };

    const affected = new Set<string>();
    for (const row of this.records.analysedRows(existingOnly(this.records, assetIds))) {
      if (row.kind !== 'image') continue;
      affected.add(row.id);
      if (row.phash) for (const t of twinsOf(row.id, row.phash)) affected.add(t.id);
      const before = parseReport(row).findings.find((f) => f.check === 'near-duplicate');
      for (const id of before?.relatedAssetIds ?? []) affected.add(id);
    }

    const changed: string[] = [];
    for (const row of this.records.analysedRows(existingOnly(this.records, [...affected]))) {
      if (row.kind !== 'image' || row.needs_analysis === 1) continue;
      const report = parseReport(row);
      const previous = report.findings.find((f) => f.check === 'near-duplicate');
      const twins = row.phash ? twinsOf(row.id, row.phash) : [];
      const next = twins.length > 0 ? nearDuplicateFinding(twins) : undefined;
      if (JSON.stringify(previous) === JSON.stringify(next)) continue;
      const findings = report.findings.filter((f) => f.check !== 'near-duplicate');
      if (next) findings.push(next);
      this.records.writeReport(row.id, { ...report, findings });
      changed.push(row.id);
    }
    return changed;
  }
}

/** Ids that still have a row (a twin named in an old finding may have been removed since). */
function existingOnly(records: AssetRecords, ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    try {
      records.row(id);
      out.push(id);
    } catch {
      // Gone: nothing to refresh.
    }
  }
  return out;
}
