// Opens one of Atelier's SQLite files with the house pragmas and brings its schema up to date.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AtelierError, isAtelierError } from '../../engine/errors';
import { assertKnownSchema, causeDetails, corruptDatabase, isCorruptionError, migrate, sqliteCode } from './migrate';
import type { Migration } from './migrations/index';

/**
 * How long a connection waits for another one (a second window, the CLI) to release a lock before giving up.
 * 5 s: long enough for any single write we make, short enough that a stuck process is reported, not hung on.
 */
export const BUSY_TIMEOUT_MS = 5000;

/** Folders and files only their owner may read: other accounts on the machine must not see a creator's data (PRODUCT.md 11). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Opens (creating if absent) the database at `file`, applies the pragmas (WAL, foreign keys, busy timeout,
 * synchronous=NORMAL — safe with WAL: a power cut may lose the last commits, never corrupt the file) and migrates it.
 * Throws CORRUPT_FILE for a file that is not SQLite, CONFLICT for one from a newer Atelier; never leaves a handle open.
 */
export function openDatabase(file: string, migrations: readonly Migration[]): Database.Database {
  createPrivateFile(file);

  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (e) {
    throw databaseFailure(file, e);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    // Before anything that writes: switching to WAL rewrites the header of a file we must refuse untouched.
    assertKnownSchema(db, migrations, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations, file);
    return db;
  } catch (e) {
    db.close();
    throw databaseFailure(file, e);
  }
}

/**
 * Creates the folder (owner-only) and, for a new database, an empty owner-only file: SQLite gives its -wal and
 * -shm companions the same permissions as the main file, so they stay private too.
 */
function createPrivateFile(file: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (e) {
    throw new AtelierError(
      'INTERNAL',
      `Atelier could not create the folder "${dir}". Check that the disk is writable and that you may write there.`,
      { folder: dir, cause: causeDetails(e) },
    );
  }
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch {
    // EEXIST is the normal case; anything else (a folder in the way, no permission) surfaces when SQLite
    // opens the file, where databaseFailure names it.
  }
}

/** Turns whatever went wrong while opening into an AtelierError that names the file. */
function databaseFailure(file: string, e: unknown): AtelierError {
  if (isAtelierError(e)) return e;
  if (isCorruptionError(e)) return corruptDatabase(file, e);
  const code = sqliteCode(e);
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    return new AtelierError(
      'CONFLICT',
      `"${file}" is in use by another program. Close other copies of Atelier and try again.`,
      { file, cause: causeDetails(e) },
    );
  }
  if (code?.startsWith('SQLITE_FULL')) {
    return new AtelierError('INTERNAL', `The disk holding "${file}" is full. Free some space and try again.`, {
      file,
      cause: causeDetails(e),
    });
  }
  return new AtelierError(
    'INTERNAL',
    `Atelier could not open "${file}". Check that it is a file you may read and write; the details are in the log.`,
    { file, cause: causeDetails(e) },
  );
}
