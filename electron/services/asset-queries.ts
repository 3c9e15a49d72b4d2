// Reading the library: filtered newest-first pages with a total, tag counts, and selections resolved to asset ids.
import type Database from 'better-sqlite3';
import type { AssetKind, AssetPage, AssetSelection, ChannelParsed, TagCount } from '../../preload/contract';
import { SUMMARY_COLUMNS, type AssetRecords, type AssetRow } from './asset-records';

/** PRODUCT.md creator item 2: "All" means the last 100 work samples. */
export const ALL_WORK_SAMPLES_COUNT = 100;

export type ParsedAssetQuery = ChannelParsed<'assets:list'>;

/** LIKE wildcards in the creator's search text are matched literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause of a query and its parameters; the shape (not the values) keys the statement cache. */
export function assetFilter(q: Omit<ParsedAssetQuery, 'offset' | 'limit'>): { where: string; params: unknown[] } {
  const terms: string[] = [q.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL'];
  const params: unknown[] = [];
  if (q.kind) {
    terms.push('kind = ?');
    params.push(q.kind);
  }
  if (q.source) {
    terms.push('source = ?');
    params.push(q.source);
  }
  if (q.tag) {
    terms.push('id IN (SELECT asset_id FROM asset_tags WHERE value = ?)');
    params.push(q.tag);
  }
  if (q.problem === 'any') {
    terms.push("health IN ('warning', 'error')");
  } else if (q.problem) {
    terms.push('id IN (SELECT asset_id FROM asset_problems WHERE check_id = ?)');
    params.push(q.problem);
  }
  const search = q.search?.trim();
  if (search) {
    // SQLite's LIKE folds ASCII case only; tag values are stored lower-case. tag_text mirrors asset_tags (see 0002).
    terms.push("(original_name LIKE ? ESCAPE '\\' OR tag_text LIKE ? ESCAPE '\\')");
    params.push(likePattern(search), likePattern(search.toLowerCase()));
  }
  return { where: terms.join(' AND '), params };
}

export class AssetQueries {
  private readonly db: Database.Database;
  private readonly records: AssetRecords;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, records: AssetRecords) {
    this.db = db;
    this.records = records;
  }

  /** One page, newest first (rowid orders files imported in the same millisecond), and the filter's total. */
  list(query: ParsedAssetQuery): AssetPage {
    const { where, params } = assetFilter(query);
    const offset = Math.max(0, Math.floor(query.offset));
    const limit = Math.max(1, Math.floor(query.limit));
    const page = this.statement(`SELECT ${SUMMARY_COLUMNS} FROM assets WHERE ${where} ORDER BY imported_at DESC, rowid DESC LIMIT ? OFFSET ?`);
    const count = this.statement(`SELECT COUNT(*) AS total FROM assets WHERE ${where}`);
    const rows = page.all(...params, limit, offset) as AssetRow[];
    // The total only matters when the page is full or starts past the first row; else it is known already.
    const total =
      offset === 0 && rows.length < limit ? rows.length : ((count.get(...params) as { total: number } | undefined)?.total ?? 0);
    return { total, items: this.records.summaries(rows) };
  }

  /** Every tag on a visible asset with how many carry it, most used first. */
  tagCounts(): TagCount[] {
    // Archived assets are few: leaving them out by a NOT IN list lets the count run over asset_tags alone.
    return this.statement(
      `SELECT kind, value, COUNT(*) AS count
         FROM asset_tags
        WHERE asset_id NOT IN (SELECT id FROM assets WHERE archived_at IS NOT NULL)
        GROUP BY kind, value
        ORDER BY count DESC, value, kind`,
    ).all() as TagCount[];
  }

  /** A selection as asset ids: explicit ids must all exist; the modes list visible assets only. */
  resolveSelection(selection: AssetSelection): string[] {
    if ('assetIds' in selection) return this.records.rows(selection.assetIds).map((r) => r.id);
    if (selection.mode === 'all-work-samples') return this.lastWorkSamples(selection.kind);
    return (
      this.statement("SELECT id FROM assets WHERE kind = ? AND archived_at IS NULL ORDER BY imported_at DESC, rowid DESC").all(
        selection.kind,
      ) as Array<{ id: string }>
    ).map((r) => r.id);
  }

  /** The last 100 work samples of a kind by delivery date (then import time): PRODUCT.md creator item 2. */
  lastWorkSamples(kind: AssetKind, count = ALL_WORK_SAMPLES_COUNT): string[] {
    const rows = this.statement(
      `SELECT id FROM assets
        WHERE source = 'work-sample' AND kind = ? AND archived_at IS NULL
        ORDER BY delivered_at DESC, imported_at DESC, rowid DESC
        LIMIT ?`,
    ).all(kind, count) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
