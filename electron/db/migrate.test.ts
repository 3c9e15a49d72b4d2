// Schema migrations on real SQLite files: reopened, upgraded, from the future, failing, and from a foreign build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, validateMigrations, type Migration } from './migrate';
import { studioMigrations as allStudioMigrations, workstationMigrations } from './migrations/index';

/** These tests build their own v2 on top of the first shipped migration. */
const studioMigrations = allStudioMigrations.slice(0, 1);
import { openDatabase } from './open';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-migrate-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function tables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

const v2: Migration = { version: 2, name: 'tags', sql: 'CREATE TABLE tags (asset_id TEXT NOT NULL, tag TEXT NOT NULL) STRICT;' };

describe('migrate (through openDatabase)', () => {
  it('applies nothing when reopened, and only the new step after an upgrade', () => {
    const file = path.join(dir, 'studio.db');
    openDatabase(file, studioMigrations).close();
    const first = new Database(file);
    const appliedAt = first.prepare('SELECT applied_at FROM schema_migrations WHERE version = 1').get();
    first.prepare(`INSERT INTO jobs (id, kind, title, state, input_json, created_at) VALUES ('j1', 'k', 't', 'queued', '{}', 'now')`).run();
    first.close();

    const again = openDatabase(file, studioMigrations);
    expect(again.prepare('SELECT applied_at FROM schema_migrations WHERE version = 1').get()).toEqual(appliedAt);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    again.close();

    const upgraded = openDatabase(file, [...studioMigrations, v2]);
    expect(userVersion(upgraded)).toBe(2);
    expect(tables(upgraded)).toContain('tags');
    // The creator's rows survive the upgrade.
    expect(upgraded.prepare('SELECT id FROM jobs').all()).toEqual([{ id: 'j1' }]);
    upgraded.close();
  });

  it('refuses a database from a newer Atelier, naming the file and leaving it byte-identical', () => {
    const file = path.join(dir, 'workstation.db');
    const future = new Database(file);
    future.exec('CREATE TABLE profiles (id TEXT PRIMARY KEY, secret_new_column TEXT)');
    future.pragma('user_version = 99');
    future.close();
    const before = fs.readFileSync(file);

    const err = thrownAtelierError(() => openDatabase(file, workstationMigrations));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toBe(
      `"${file}" was written by a newer version of Atelier (schema v99; this version knows v1). Update Atelier to open it.`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    // No ledger was added and the journal mode was not switched (either would rewrite the file).
    const check = new Database(file, { readonly: true });
    expect(tables(check)).toEqual(['profiles']);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('refuses a WAL database from the future and closes its handle (no -wal/-shm left behind)', () => {
    const file = path.join(dir, 'studio.db');
    const future = new Database(file);
    future.pragma('journal_mode = WAL');
    future.exec('CREATE TABLE later (x)');
    future.pragma('user_version = 7');
    future.close();
    const before = fs.readFileSync(file);

    expect(thrownAtelierError(() => openDatabase(file, studioMigrations)).message).toContain('schema v7; this version knows v1');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}-shm`)).toBe(false);
  });

  it('rolls a failing migration back entirely: user_version unchanged, no half-created table', () => {
    const file = path.join(dir, 'studio.db');
    openDatabase(file, studioMigrations).close();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE half_made (x TEXT); INSERT INTO no_such_table VALUES (1);',
    };
    const err = thrownAtelierError(() => openDatabase(file, [...studioMigrations, broken]));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain(file);
    expect(err.message).toContain('"broken"');

    const db = new Database(file);
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half_made');
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);
    db.close();
  });

  it('leaves a fresh file with no tables at all when its first migration fails', () => {
    const db = new Database(path.join(dir, 'x.db'));
    const bad: Migration = { version: 1, name: 'bad', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' };
    expect(thrownAtelierError(() => migrate(db, [bad], 'x.db')).code).toBe('INTERNAL');
    expect(tables(db)).toEqual([]);
    expect(userVersion(db)).toBe(0);
    db.close();
  });

  it('refuses a database whose applied steps are not a prefix of the known ones', () => {
    const file = path.join(dir, 'studio.db');
    openDatabase(file, studioMigrations).close();
    const renamed: Migration[] = [{ version: 1, name: 'assets-and-jobs-from-a-branch', sql: 'SELECT 1;' }];
    const err = thrownAtelierError(() => openDatabase(file, renamed));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(file);
    expect(err.message).toContain('"assets-jobs"');
  });

  it('refuses a file whose ledger lists a step this build does not know', () => {
    const file = path.join(dir, 'studio.db');
    openDatabase(file, [...studioMigrations, v2]).close();
    const db = new Database(file);
    db.pragma('user_version = 1'); // header says v1, ledger says v2 was applied
    db.close();
    expect(thrownAtelierError(() => openDatabase(file, studioMigrations)).code).toBe('CONFLICT');
  });

  it('refuses a file whose header and ledger disagree (edited by hand)', () => {
    const file = path.join(dir, 'studio.db');
    openDatabase(file, studioMigrations).close();
    const db = new Database(file);
    db.pragma('user_version = 0');
    db.close();
    expect(thrownAtelierError(() => openDatabase(file, studioMigrations)).code).toBe('CORRUPT_FILE');
  });

});

describe('validateMigrations', () => {
  it('rejects gaps, reordering and unnamed steps as programming errors', () => {
    const a: Migration = { version: 1, name: 'a', sql: 'SELECT 1;' };
    const c: Migration = { version: 3, name: 'c', sql: 'SELECT 1;' };
    expect(thrownAtelierError(() => validateMigrations([a, c])).code).toBe('INTERNAL');
    expect(thrownAtelierError(() => validateMigrations([{ ...a, version: 2 }, { ...a, version: 1 }])).code).toBe('INTERNAL');
    expect(thrownAtelierError(() => validateMigrations([{ ...a, name: ' ' }])).code).toBe('INTERNAL');
    expect(() => validateMigrations([...studioMigrations, v2])).not.toThrow();
  });

  it('accepts the shipped lists', () => {
    expect(() => validateMigrations(studioMigrations)).not.toThrow();
    expect(() => validateMigrations(workstationMigrations)).not.toThrow();
  });
});
