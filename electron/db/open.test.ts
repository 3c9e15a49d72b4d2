// Opening Atelier's SQLite files: house pragmas, private permissions, and files that are not SQLite at all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { studioMigrations, workstationMigrations } from './migrations/index';
import { openDatabase } from './open';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-open-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function tables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

describe('openDatabase', () => {
  it('gives a fresh studio.db every known migration, WAL and foreign keys', () => {
    const file = path.join(dir, 'nested', 'studio.db');
    const db = openDatabase(file, studioMigrations);
    try {
      expect(tables(db)).toEqual([
        'asset_problems',
        'asset_reports',
        'asset_tags',
        'assets',
        'generations',
        'jobs',
        'model_assets',
        'model_marks',
        'model_pricing',
        'model_version_counters',
        'model_versions',
        'models',
        'schema_migrations',
        'studio_settings',
        'subscription',
        'training_runs',
        'watermark_drafts',
      ]);
      expect(db.pragma('user_version', { simple: true })).toBe(studioMigrations.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(
        studioMigrations.map((m) => ({ version: m.version, name: m.name })),
      );
    } finally {
      db.close();
    }
  });

  it('keeps a new database and its folder private to the owner', () => {
    const file = path.join(dir, 'fresh', 'workstation.db');
    openDatabase(file, workstationMigrations).close();
    if (process.platform === 'win32') return;
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reports garbage bytes as CORRUPT_FILE naming the file, without touching it', () => {
    const file = path.join(dir, 'workstation.db');
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 73 + 11) % 256));
    fs.writeFileSync(file, garbage);
    const err = thrownAtelierError(() => openDatabase(file, workstationMigrations));
    expect(err.code).toBe('CORRUPT_FILE');
    expect(err.message).toContain(`"${file}"`);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('reports a short text file and a truncated database as CORRUPT_FILE', () => {
    const text = path.join(dir, 'notes.db');
    fs.writeFileSync(text, 'these are my notes, not a database\n');
    expect(thrownAtelierError(() => openDatabase(text, studioMigrations)).code).toBe('CORRUPT_FILE');

    const whole = path.join(dir, 'whole.db');
    openDatabase(whole, studioMigrations).close();
    // Cut inside the header, and after the first page (schema readable, table pages missing).
    for (const length of [60, 4096]) {
      const truncated = path.join(dir, `truncated-${length}.db`);
      fs.writeFileSync(truncated, fs.readFileSync(whole).subarray(0, length));
      expect(thrownAtelierError(() => openDatabase(truncated, studioMigrations)).code).toBe('CORRUPT_FILE');
    }
  });

  it('names the file when a folder stands where the database should be', () => {
    const file = path.join(dir, 'studio.db');
    fs.mkdirSync(file);
    const err = thrownAtelierError(() => openDatabase(file, studioMigrations));
    expect(err.message).toContain(file);
  });
});
