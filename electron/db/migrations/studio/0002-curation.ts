// studio.db v2: curation — quality reports, media facts, tags, problems, crops, trims, archive, and the indexes the library's queries use.
export default /* sql */ `
ALTER TABLE assets ADD COLUMN duration_ms INTEGER;
ALTER TABLE assets ADD COLUMN sample_rate INTEGER;
ALTER TABLE assets ADD COLUMN channels INTEGER;
-- Images: 64-bit perceptual hash as 16 hex digits, for library-wide near-duplicate checks.
ALTER TABLE assets ADD COLUMN phash TEXT;
-- Worst severity of the report ('ok' when nothing is a warning or error); 'info' while the asset awaits analysis.
ALTER TABLE assets ADD COLUMN health TEXT NOT NULL DEFAULT 'info' CHECK (health IN ('ok', 'info', 'warning', 'error'));
-- 1 for rows imported before reports existed (issue 2): assets:get and set health re-run the analysis first.
ALTER TABLE assets ADD COLUMN needs_analysis INTEGER NOT NULL DEFAULT 0 CHECK (needs_analysis IN (0, 1));
ALTER TABLE assets ADD COLUMN crop_json TEXT;
ALTER TABLE assets ADD COLUMN trim_json TEXT;
ALTER TABLE assets ADD COLUMN archived_at TEXT;
-- The asset's tag values joined by newlines, kept with asset_tags (AssetRecords.applyEditable): the library search
-- matches names and tags with two LIKEs per row instead of a probe into asset_tags (2–3× faster at 10,000 assets).
ALTER TABLE assets ADD COLUMN tag_text TEXT NOT NULL DEFAULT '';

-- Every row that exists now came from issue 2's image import and has no report yet.
UPDATE assets SET needs_analysis = 1, health = 'info';
-- A work sample's delivery date defaults to its import time (what issue 3's import does for new ones), so
-- "the last 100 work samples by delivery date" also orders issue-2 rows.
UPDATE assets SET delivered_at = imported_at WHERE source = 'work-sample' AND delivered_at IS NULL;

-- The QualityReport (JSON, contract field names) and the style/genre descriptor (little-endian float32s, for set
-- health) of an analysed asset. A table of their own rather than columns of assets: a report is a few KB, and in
-- assets it would spread 10,000 rows over ~10× the pages every list, count and search has to read (measured by
-- tests/bench/library-query.ts: searches ran 2–3× slower with the reports inline).
CREATE TABLE asset_reports (
  asset_id    TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  report_json TEXT NOT NULL,
  descriptor  BLOB
) STRICT;

CREATE TABLE asset_tags (
  asset_id TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  kind     TEXT NOT NULL CHECK (kind IN ('style', 'content', 'detail', 'free')),
  value    TEXT NOT NULL,
  PRIMARY KEY (asset_id, kind, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX asset_tags_by_value ON asset_tags (value, asset_id);

-- One row per check that is a warning or an error on an asset (info findings stay in the report only).
-- "check" is an SQL keyword, hence check_id.
CREATE TABLE asset_problems (
  asset_id TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  check_id TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('warning', 'error')),
  PRIMARY KEY (asset_id, check_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX asset_problems_by_check ON asset_problems (check_id, asset_id);

-- The grid's pages: newest first among visible assets, optionally by kind or source. Ascending indexes scanned
-- backwards give "imported_at DESC, rowid DESC" (rowid orders a batch imported in the same millisecond) with
-- no sort step; partial on "not archived" because that is what the library shows unless asked otherwise.
CREATE INDEX assets_visible_by_imported ON assets (imported_at) WHERE archived_at IS NULL;
CREATE INDEX assets_visible_by_kind ON assets (kind, imported_at) WHERE archived_at IS NULL;
CREATE INDEX assets_visible_by_source ON assets (source, imported_at) WHERE archived_at IS NULL;
-- "All" = the last 100 work samples of a kind by delivery date (PRODUCT.md creator item 2).
CREATE INDEX assets_work_samples_by_delivery ON assets (kind, delivered_at, imported_at) WHERE source = 'work-sample';
`;
