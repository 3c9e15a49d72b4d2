// studio.db v3: models, their asset picks, training runs, versions, playground generations, pricing and the subscription.
export default /* sql */ `
-- One creation model per row. name stays NULL until training first starts (then "Tattoo model 2").
-- selection_mode 'all-recent' = the last 100 work samples of the modality; 'explicit' = the rows of model_assets.
CREATE TABLE models (
  id             TEXT PRIMARY KEY,
  subcategory    TEXT NOT NULL,
  name           TEXT,
  selection_mode TEXT NOT NULL CHECK (selection_mode IN ('explicit', 'all-recent')),
  instructions   TEXT,
  active         INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  active_version INTEGER,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX models_by_created ON models (created_at);

-- Explicit picks, in the order they were added.
CREATE TABLE model_assets (
  model_id TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  asset_id TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  added_at TEXT NOT NULL,
  PRIMARY KEY (model_id, asset_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX model_assets_by_asset ON model_assets (asset_id);

-- Only succeeded runs count against the quota (engine/rules quota); interrupted ones never do.
CREATE TABLE training_runs (
  id            TEXT PRIMARY KEY,
  model_id      TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  job_id        TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  version       INTEGER,
  error_code    TEXT,
  error_message TEXT,
  log_json      TEXT NOT NULL DEFAULT '[]',
  -- The asset set as the run saw it (VersionAsset[] plus the stored file's path inputs).
  snapshot_json TEXT NOT NULL
) STRICT;
CREATE INDEX training_runs_by_model ON training_runs (model_id, started_at);
CREATE INDEX training_runs_by_job ON training_runs (job_id);

CREATE TABLE model_versions (
  model_id        TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  number          INTEGER NOT NULL CHECK (number >= 1),
  created_at      TEXT NOT NULL,
  duration_ms     INTEGER NOT NULL,
  assets_json     TEXT NOT NULL,
  parameters_json TEXT NOT NULL,
  metrics_json    TEXT NOT NULL,
  bundle_path     TEXT NOT NULL,
  bundle_bytes    INTEGER NOT NULL,
  PRIMARY KEY (model_id, number)
) STRICT;

-- Version numbers are never reused, even after a delete: the highest number ever given per model.
CREATE TABLE model_version_counters (
  model_id TEXT PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
  last     INTEGER NOT NULL
) STRICT;

CREATE TABLE generations (
  id                  TEXT PRIMARY KEY,
  model_id            TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  version             INTEGER NOT NULL,
  mode                TEXT NOT NULL CHECK (mode IN ('prompt', 'reference', 'variation')),
  prompt              TEXT,
  reference_name      TEXT,
  reference_path      TEXT,
  variation_asset_id  TEXT,
  seed                INTEGER NOT NULL,
  width               INTEGER NOT NULL,
  height              INTEGER NOT NULL,
  length_s            REAL,
  mime                TEXT NOT NULL,
  output_path         TEXT NOT NULL,
  thumbnail_path      TEXT NOT NULL,
  provenance_json     TEXT NOT NULL,
  provenance_map_path TEXT,
  favourite           INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
  rating              INTEGER CHECK (rating BETWEEN 1 AND 5),
  -- Matched model tags joined by newlines (searched with LIKE like assets.tag_text).
  tags_text           TEXT NOT NULL DEFAULT '',
  created_at          TEXT NOT NULL,
  duration_ms         INTEGER NOT NULL
) STRICT;
-- The gallery: a model's outputs newest first, optionally of one version or favourites only.
CREATE INDEX generations_by_model ON generations (model_id, created_at);
CREATE INDEX generations_by_model_version ON generations (model_id, version, created_at);
CREATE INDEX generations_favourites ON generations (model_id, created_at) WHERE favourite = 1;

-- PricingScheme JSON, validated by engine/rules validatePricing before it is written.
CREATE TABLE model_pricing (
  model_id     TEXT PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
  pricing_json TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;

-- One row: the SubscriptionState JSON (engine/rules subscription).
CREATE TABLE subscription (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  state_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;
