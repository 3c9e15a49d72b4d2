// Brings a SQLite database up to the latest known schema, one transaction per version, and refuses files it cannot trust.
import type Database from 'better-sqlite3';
import { AtelierError, isAtelierError } from '../../engine/errors';
import type { Migration } from './migrations/index';

export type { Migration };

/** Our own record of what was applied, by name, so a file from a different build is recognised (Actual-style). */
const LEDGER_TABLE = 'schema_migrations';

const LEDGER_SQL = `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

interface AppliedMigration {
  version: number;
  name: string;
}

/**
 * A programming error in the migration list (gap, reorder, duplicate, empty name) is caught on every open,
 * so a bad list never reaches a creator's file.
 */
export function validateMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version !== i + 1) {
      throw new AtelierError(
        'INTERNAL',
        'Atelier has a broken list of database updates. Please report this.',
        { problem: 'migration versions must run 1, 2, 3… without gaps', index: i, version: m.version, name: m.name },
      );
    }
    if (m.name.trim() === '' || m.sql.trim() === '') {
      throw new AtelierError('INTERNAL', 'Atelier has a broken list of database updates. Please report this.', {
        problem: 'migration without a name or SQL',
        version: m.version,
      });
    }
  });
}

/** True when SQLite says the file is not a database or is damaged. */
export function isCorruptionError(e: unknown): boolean {
  const code = sqliteCode(e);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (code?.startsWith('SQLITE_CORRUPT_') ?? false);
}

export function sqliteCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function corruptDatabase(label: string, cause?: unknown): AtelierError {
  return new AtelierError(
    'CORRUPT_FILE',
    `"${label}" is damaged or is not an Atelier database, so Atelier cannot open it. Restore it from a backup; Atelier has not changed it.`,
    cause === undefined ? undefined : causeDetails(cause),
  );
}

export function causeDetails(e: unknown): Record<string, unknown> {
  if (e instanceof Error) return { name: e.name, message: e.message, code: sqliteCode(e) };
  return { value: String(e) };
}

function readUserVersion(db: Database.Database): number {
  const v: unknown = db.pragma('user_version', { simple: true });
  return typeof v === 'number' ? v : Number.NaN;
}

function readLedger(db: Database.Database, label: string): AppliedMigration[] {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(LEDGER_TABLE);
  if (!exists) return [];
  const rows = db.prepare(`SELECT version, name FROM ${LEDGER_TABLE} ORDER BY version`).all() as unknown[];
  return rows.map((row) => {
    const r = row as { version: unknown; name: unknown };
    if (typeof r.version !== 'number' || typeof r.name !== 'string') throw corruptDatabase(label);
    return { version: r.version, name: r.name };
  });
}

/**
 * Refuses a database this build cannot safely use, without writing to it: one from a newer Atelier
 * (user_version above the latest known), or one whose schema header is nonsense. openDatabase calls this
 * before switching the file to WAL, which would otherwise rewrite its header.
 */
export function assertKnownSchema(db: Database.Database, migrations: readonly Migration[], label: string): number {
  const latest = migrations.length;
  let current: number;
  try {
    current = readUserVersion(db);
  } catch (e) {
    if (isCorruptionError(e)) throw corruptDatabase(label, e);
    throw e;
  }
  if (!Number.isInteger(current) || current < 0) throw corruptDatabase(label, { userVersion: current });
  if (current > latest) {
    throw new AtelierError(
      'CONFLICT',
      `"${label}" was written by a newer version of Atelier (schema v${current}; this version knows v${latest}). Update Atelier to open it.`,
      { file: label, schemaVersion: current, knownVersion: latest },
    );
  }
  return current;
}

/**
 * Applies every known migration the database lacks. Each runs in ONE transaction together with its ledger row
 * and `PRAGMA user_version = N` (Signal-style), so a failure leaves the file exactly at the previous version.
 * The applied list must be a prefix of `migrations` by version and name (Actual-style).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], label: string): void {
  validateMigrations(migrations);
  const current = assertKnownSchema(db, migrations, label);

  let applied: AppliedMigration[];
  try {
    applied = readLedger(db, label);
  } catch (e) {
    if (isAtelierError(e)) throw e;
    if (isCorruptionError(e)) throw corruptDatabase(label, e);
    throw e;
  }

  for (const [i, row] of applied.entries()) {
    const known = migrations[i];
    if (row.version !== i + 1 || !known) {
      // Rows beyond what this build knows mean a newer build wrote it even if user_version says otherwise.
      throw new AtelierError(
        'CONFLICT',
        `"${label}" was changed by a different version of Atelier (it records schema step ${row.version} "${row.name}", which this version does not know). Update Atelier to open it.`,
        { file: label, applied },
      );
    }
    if (known.name !== row.name) {
      throw new AtelierError(
        'CONFLICT',
        `"${label}" was set up by a different build of Atelier (schema step ${row.version} is "${row.name}" there, "${known.name}" here), so this version cannot use it. Open it with the build that created it.`,
        { file: label, version: row.version, appliedName: row.name, knownName: known.name },
      );
    }
  }
  if (applied.length !== current) {
    // The header and the ledger disagree: someone edited the file, or it is not one of ours.
    throw corruptDatabase(label, { userVersion: current, ledgerVersions: applied.map((a) => a.version) });
  }

  for (const m of migrations.slice(current)) {
    const step = db.transaction(() => {
      db.exec(LEDGER_SQL);
      db.exec(m.sql);
      db.prepare(`INSERT INTO ${LEDGER_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`).run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      // PRAGMA cannot take a bound parameter; m.version is a validated integer.
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step();
    } catch (e) {
      if (isAtelierError(e)) throw e;
      if (isCorruptionError(e)) throw corruptDatabase(label, e);
      throw new AtelierError(
        'INTERNAL',
        `Atelier could not update "${label}" (step ${m.version}, "${m.name}"). The file was left as it was; the details are in the log.`,
        { file: label, version: m.version, name: m.name, cause: causeDetails(e) },
      );
    }
  }
}
