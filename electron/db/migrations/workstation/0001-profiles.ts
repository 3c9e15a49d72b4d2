// workstation.db v1: the profiles on this machine and app-wide settings.
export default /* sql */ `
CREATE TABLE profiles (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  -- NFC-normalised, case-folded name: two profiles may not differ only in case.
  name_key         TEXT NOT NULL UNIQUE,
  password_hash    BLOB NOT NULL,
  password_salt    BLOB NOT NULL,
  -- Key-derivation parameters as JSON, so they can be raised later without breaking old profiles.
  kdf              TEXT NOT NULL,
  failed_attempts  INTEGER NOT NULL DEFAULT 0,
  -- Epoch milliseconds before which unlock attempts are refused (after repeated wrong passwords).
  locked_until     INTEGER,
  created_at       TEXT NOT NULL,
  last_unlocked_at TEXT
) STRICT;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
