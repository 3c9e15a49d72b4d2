// studio.db v4: the creator's watermark key (a per-profile setting), the drafts this studio marked, and model mark numbers.
export default /* sql */ `
-- Per-profile settings as name → value. First row: 'watermark.key', 32 random bytes as hex, made on first use.
-- It never leaves the machine: drafts marked with it can only be read by this profile.
CREATE TABLE studio_settings (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Every draft payload this studio embedded. Audio marks carry only the 32-bit draft id (engine/watermark/audio),
-- so "Check a file" finds the client and model of an audio draft here. The latest embed of a draft id wins.
CREATE TABLE watermark_drafts (
  draft_id  INTEGER PRIMARY KEY CHECK (draft_id BETWEEN 0 AND 4294967295),
  client_id INTEGER NOT NULL CHECK (client_id BETWEEN 0 AND 1048575),
  model_id  INTEGER NOT NULL CHECK (model_id BETWEEN 0 AND 4095),
  kind      TEXT NOT NULL CHECK (kind IN ('image', 'audio')),
  marked_at TEXT NOT NULL
) STRICT;

-- The 12-bit model number a mark carries, per model of this profile (1, 2, 3… in the order models were first
-- numbered). No foreign key on purpose: a deleted model keeps its number, so it is never reused for another
-- model and old drafts never name the wrong one.
CREATE TABLE model_marks (
  mark_id     INTEGER PRIMARY KEY CHECK (mark_id BETWEEN 1 AND 4095),
  model_id    TEXT NOT NULL UNIQUE,
  assigned_at TEXT NOT NULL
) STRICT;
`;
