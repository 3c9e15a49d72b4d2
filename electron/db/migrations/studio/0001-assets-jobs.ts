// studio.db v1: one creator's asset library and job history.
export default /* sql */ `
CREATE TABLE assets (
  id            TEXT PRIMARY KEY,
  -- Content address of the original under assets/ab/<sha256>.<ext>; the same bytes are one asset.
  sha256        TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL CHECK (kind IN ('image', 'audio', 'text')),
  ext           TEXT NOT NULL,
  mime          TEXT NOT NULL,
  byte_size     INTEGER NOT NULL CHECK (byte_size > 0),
  width         INTEGER,
  height        INTEGER,
  original_name TEXT NOT NULL,
  source        TEXT NOT NULL CHECK (source IN ('upload', 'portfolio', 'work-sample')),
  delivered_at  TEXT,
  imported_at   TEXT NOT NULL
) STRICT;
CREATE INDEX assets_by_imported_at ON assets (imported_at DESC, id);

CREATE TABLE jobs (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  title         TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  progress      REAL NOT NULL DEFAULT 0,
  stage         TEXT NOT NULL DEFAULT '',
  input_json    TEXT NOT NULL,
  result_json   TEXT,
  error_code    TEXT,
  error_message TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT
) STRICT;
CREATE INDEX jobs_by_created_at ON jobs (created_at DESC);
CREATE INDEX jobs_by_state ON jobs (state);
`;
