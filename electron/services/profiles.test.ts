// Profiles on a real workstation.db: create, list, find, unlock, and the growing wait after wrong passwords.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import { studioMigrations } from '../db/migrations/index';
import { profilePaths, workstationDbPath } from './paths';
import {
  DEFAULT_KDF,
  ProfileDirectory,
  UNLOCK_FREE_ATTEMPTS,
  UNLOCK_MAX_DELAY_MS,
  openStudioDatabase,
  unlockDelayMs,
  type KdfParams,
} from './profiles';
import { rejectedAtelierError, thrownAtelierError } from '../../tests/fixtures/atelier-errors';

/** Cheap scrypt so the suite stays fast; the real cost is DEFAULT_KDF. */
const TEST_KDF: KdfParams = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);

let dataDir: string;
let clock: number;
let directory: ProfileDirectory;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-profiles-'));
  clock = T0;
  directory = ProfileDirectory.open(dataDir, { now: () => clock, kdf: TEST_KDF });
});
afterEach(() => {
  directory.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('ProfileDirectory: create, list, find', () => {
  it('creates a profile that can be listed, found and unlocked', async () => {
    const created = await directory.create('  Mira  ', 'correct horse');
    expect(created).toEqual({ id: created.id, name: 'Mira', createdAt: new Date(T0).toISOString(), lastUnlockedAt: null });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(directory.list()).toEqual([created]);
    expect(directory.findByName('mira')).toEqual(created);
    expect(directory.findByName('Nobody')).toBeNull();
    expect(directory.get(created.id)).toEqual(created);

    clock = T0 + 60_000;
    const unlocked = await directory.unlock(created.id, 'correct horse');
    expect(unlocked.lastUnlockedAt).toBe(new Date(T0 + 60_000).toISOString());
  });

  it('lists profiles sorted by name as a reader sorts them', async () => {
    for (const name of ['Zoë', 'adam', 'Émile', 'bo 10', 'bo 9']) await directory.create(name, 'pw');
    expect(directory.list().map((p) => p.name)).toEqual(['adam', 'bo 9', 'bo 10', 'Émile', 'Zoë']);
  });

  it('finds names regardless of case and of how accents were typed', async () => {
    const emile = await directory.create('Émile', 'pw'); // composed É (NFC)
    expect(directory.findByName('E\u0301MILE')?.id).toBe(emile.id); // decomposed, upper case
    const strasse = await directory.create('Straße', 'pw');
    expect(directory.findByName('STRASSE')?.id).toBe(strasse.id);
  });

  it('refuses a second profile whose name differs only in case or accent encoding', async () => {
    await directory.create('Mira', 'pw');
    const sameCase = await rejectedAtelierError(directory.create('MIRA', 'other'));
    expect(sameCase.code).toBe('CONFLICT');
    expect(sameCase.message).toBe('A profile named “MIRA” already exists.');

    await directory.create('Émile', 'pw');
    expect((await rejectedAtelierError(directory.create('e\u0301mile', 'pw'))).code).toBe('CONFLICT');
    // Nothing half-made is left behind for the refused ones.
    expect(directory.list()).toHaveLength(2);
    expect(fs.readdirSync(path.join(dataDir, 'profiles'))).toHaveLength(2);
  });

  it('refuses the same name created twice at the same moment', async () => {
    const results = await Promise.allSettled([directory.create('Twin', 'a'), directory.create('twin', 'b')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AtelierError).code).toBe('CONFLICT');
    expect(fs.readdirSync(path.join(dataDir, 'profiles'))).toHaveLength(1);
  });

  it.each([
    ['', 'VALIDATION'],
    ['   ', 'VALIDATION'],
    ['x'.repeat(65), 'VALIDATION'],
    ['tab\there', 'VALIDATION'],
    ['evil\u202Egnp.exe', 'VALIDATION'],
  ])('refuses the profile name %j', async (name, code) => {
    expect((await rejectedAtelierError(directory.create(name, 'pw'))).code).toBe(code);
    expect(directory.list()).toEqual([]);
  });

  it('refuses an empty or oversized password', async () => {
    expect((await rejectedAtelierError(directory.create('Mira', ''))).code).toBe('VALIDATION');
    expect((await rejectedAtelierError(directory.create('Mira', 'x'.repeat(1025)))).code).toBe('VALIDATION');
  });

  it("creates the profile's folders owner-only and its studio.db ready to use", async () => {
    const { id } = await directory.create('Mira', 'pw');
    const paths = profilePaths(dataDir, id);
    for (const dir of [paths.root, paths.assets, paths.cache, paths.thumbs, paths.models, paths.outputs, paths.tmp]) {
      expect(fs.statSync(dir).isDirectory()).toBe(true);
      if (process.platform !== 'win32') expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    }
    const studio = openStudioDatabase(paths);
    expect(studio.prepare('SELECT count(*) AS n FROM assets').get()).toEqual({ n: 0 });
    expect(studio.pragma('user_version', { simple: true })).toBe(studioMigrations.length);
    studio.close();
  });

  it('stores a salted hash, never the password, with its parameters', async () => {
    const a = await directory.create('A', 'same password');
    const b = await directory.create('B', 'same password');
    const db = new Database(workstationDbPath(dataDir), { readonly: true });
    const rows = db.prepare('SELECT id, password_hash, password_salt, kdf FROM profiles ORDER BY name').all() as {
      id: string;
      password_hash: Buffer;
      password_salt: Buffer;
      kdf: string;
    }[];
    db.close();
    expect(rows.map((r) => r.id)).toEqual([a.id, b.id]);
    const [ra, rb] = rows as [(typeof rows)[0], (typeof rows)[0]];
    expect(ra.password_salt).toHaveLength(16);
    expect(ra.password_salt.equals(rb.password_salt)).toBe(false);
    expect(ra.password_hash.equals(rb.password_hash)).toBe(false);
    expect(JSON.parse(ra.kdf)).toEqual({ algorithm: 'scrypt', ...TEST_KDF });
    for (const file of [workstationDbPath(dataDir), `${workstationDbPath(dataDir)}-wal`]) {
      if (fs.existsSync(file)) expect(fs.readFileSync(file).includes(Buffer.from('same password'))).toBe(false);
    }
  });

  it('keeps profiles across a restart', async () => {
    const created = await directory.create('Mira', 'pw');
    directory.close();
    directory = ProfileDirectory.open(dataDir, { now: () => clock, kdf: TEST_KDF });
    expect(directory.list()).toEqual([created]);
    await expect(directory.unlock(created.id, 'pw')).resolves.toMatchObject({ id: created.id });
  });
});

describe('ProfileDirectory: unlock', () => {
  it('says which profile had the wrong password', async () => {
    const { id } = await directory.create('Mira', 'right');
    const err = await rejectedAtelierError(directory.unlock(id, 'wrong'));
    expect(err.code).toBe('AUTH');
    expect(err.message).toBe('Wrong password for “Mira”.');
  });

  it('accepts the password however its accents were typed', async () => {
    const { id } = await directory.create('Mira', 'caf\u00e9');
    await expect(directory.unlock(id, 'cafe\u0301')).resolves.toMatchObject({ id });
  });

  it('makes the creator wait after 5 wrong passwords, longer with each further one, and resets on success', async () => {
    const { id } = await directory.create('Mira', 'right');
    for (let i = 1; i < UNLOCK_FREE_ATTEMPTS; i++) {
      const err = await rejectedAtelierError(directory.unlock(id, `guess ${i}`));
      expect(err.code).toBe('AUTH');
      expect(err.details).not.toHaveProperty('retryAfterMs');
    }
    const fifth = await rejectedAtelierError(directory.unlock(id, 'guess 5'));
    expect(fifth.code).toBe('AUTH');
    expect(fifth.details).toMatchObject({ retryAfterMs: 1000 });

    // Even the right password waits out the delay.
    const locked = await rejectedAtelierError(directory.unlock(id, 'right'));
    expect(locked.code).toBe('RATE_LIMITED');
    expect(locked.message).toBe('Too many wrong passwords for “Mira”. Try again in 1 s.');
    expect(locked.details).toEqual({ retryAfterMs: 1000 });

    clock += 400;
    expect((await rejectedAtelierError(directory.unlock(id, 'right'))).details).toEqual({ retryAfterMs: 600 });

    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      clock += 60 * 60 * 1000; // past any wait so far
      await rejectedAtelierError(directory.unlock(id, 'still wrong'));
      const refused = await rejectedAtelierError(directory.unlock(id, 'right'));
      expect(refused.code).toBe('RATE_LIMITED');
      waits.push((refused.details as { retryAfterMs: number }).retryAfterMs);
    }
    expect(waits).toEqual([2000, 4000, 8000, 16000]);
    expect((await rejectedAtelierError(directory.unlock(id, 'right'))).message).toBe(
      'Too many wrong passwords for “Mira”. Try again in 16 s.',
    );

    clock += 16_000;
    const unlocked = await directory.unlock(id, 'right');
    expect(unlocked.lastUnlockedAt).toBe(new Date(clock).toISOString());

    // The count starts over: the next wrong password is one of five free ones again.
    const again = await rejectedAtelierError(directory.unlock(id, 'oops'));
    expect(again.code).toBe('AUTH');
    expect(again.details).not.toHaveProperty('retryAfterMs');
  });

  it('caps the wait at 15 minutes', async () => {
    expect(unlockDelayMs(UNLOCK_FREE_ATTEMPTS - 1)).toBe(0);
    expect(unlockDelayMs(UNLOCK_FREE_ATTEMPTS)).toBe(1000);
    expect(unlockDelayMs(UNLOCK_FREE_ATTEMPTS + 3)).toBe(8000);
    expect(unlockDelayMs(UNLOCK_FREE_ATTEMPTS + 1000)).toBe(UNLOCK_MAX_DELAY_MS);
    expect(UNLOCK_MAX_DELAY_MS).toBe(15 * 60 * 1000);

    const { id } = await directory.create('Mira', 'right');
    for (let i = 0; i < 30; i++) {
      clock += UNLOCK_MAX_DELAY_MS;
      await rejectedAtelierError(directory.unlock(id, 'wrong'));
    }
    const refused = await rejectedAtelierError(directory.unlock(id, 'right'));
    expect(refused.details).toEqual({ retryAfterMs: UNLOCK_MAX_DELAY_MS });
    expect(refused.message).toBe('Too many wrong passwords for “Mira”. Try again in 15 min.');
  });

  it('does not let many guesses started together skip the wait', async () => {
    const { id } = await directory.create('Mira', 'right');
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => directory.unlock(id, `guess ${i}`)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as AtelierError).code : 'OK'));
    expect(codes.filter((c) => c === 'AUTH')).toHaveLength(UNLOCK_FREE_ATTEMPTS);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(12 - UNLOCK_FREE_ATTEMPTS);
  });

  it('keeps the wait across a restart', async () => {
    const { id } = await directory.create('Mira', 'right');
    for (let i = 0; i < UNLOCK_FREE_ATTEMPTS; i++) await rejectedAtelierError(directory.unlock(id, 'wrong'));
    directory.close();
    directory = ProfileDirectory.open(dataDir, { now: () => clock, kdf: TEST_KDF });
    expect((await rejectedAtelierError(directory.unlock(id, 'right'))).code).toBe('RATE_LIMITED');
  });

  it('never waits longer than the cap when the clock was set back', async () => {
    const { id } = await directory.create('Mira', 'right');
    for (let i = 0; i < UNLOCK_FREE_ATTEMPTS; i++) await rejectedAtelierError(directory.unlock(id, 'wrong'));
    const db = new Database(workstationDbPath(dataDir));
    db.prepare('UPDATE profiles SET locked_until = ? WHERE id = ?').run(clock + 365 * 24 * 3600 * 1000, id);
    db.close();
    expect((await rejectedAtelierError(directory.unlock(id, 'right'))).details).toEqual({ retryAfterMs: UNLOCK_MAX_DELAY_MS });
    clock += UNLOCK_MAX_DELAY_MS;
    await expect(directory.unlock(id, 'right')).resolves.toMatchObject({ id });
  });

  it('refuses a hostile profile id before it reaches a path or a query', async () => {
    for (const hostile of ['../x', '../../etc/passwd', 'a/b', '..\\x']) {
      expect((await rejectedAtelierError(directory.unlock(hostile, 'pw'))).code).toBe('VALIDATION');
      expect(thrownAtelierError(() => directory.get(hostile)).code).toBe('VALIDATION');
    }
  });

  it('reports an unknown profile as NOT_FOUND', async () => {
    expect((await rejectedAtelierError(directory.unlock(crypto.randomUUID(), 'pw'))).code).toBe('NOT_FOUND');
    expect(thrownAtelierError(() => directory.get(crypto.randomUUID())).code).toBe('NOT_FOUND');
  });

  it('refuses a tampered password record instead of hanging on absurd scrypt costs', async () => {
    const { id } = await directory.create('Mira', 'right');
    const db = new Database(workstationDbPath(dataDir));
    const setKdf = db.prepare('UPDATE profiles SET kdf = ? WHERE id = ?');
    for (const kdf of [
      JSON.stringify({ algorithm: 'scrypt', N: 2 ** 40, r: 8, p: 1, keyLength: 32 }),
      JSON.stringify({ algorithm: 'scrypt', N: 1000, r: 8, p: 1, keyLength: 32 }),
      JSON.stringify({ algorithm: 'md5' }),
      '{not json',
      JSON.stringify({ algorithm: 'scrypt', N: '1024', r: 8, p: 1, keyLength: 32 }),
    ]) {
      setKdf.run(kdf, id);
      const err = await rejectedAtelierError(directory.unlock(id, 'right'));
      expect(err.code).toBe('CORRUPT_FILE');
      expect(err.message).toContain('Mira');
    }
    db.close();
  });
});

describe('ProfileDirectory.open', () => {
  it('refuses a workstation.db that is not a database, naming it', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-profiles-bad-'));
    try {
      fs.writeFileSync(workstationDbPath(other), crypto.randomBytes(2048));
      const err = thrownAtelierError(() => ProfileDirectory.open(other));
      expect(err.code).toBe('CORRUPT_FILE');
      expect(err.message).toContain(workstationDbPath(other));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('creates and unlocks with the real default cost (scrypt N=2^15, r=8, p=1, 32-byte key)', async () => {
    expect(DEFAULT_KDF).toEqual({ N: 32768, r: 8, p: 1, keyLength: 32 });
    // Node's default scrypt memory limit rejects exactly these parameters; this proves the app's cost works.
    const real = ProfileDirectory.open(dataDir, { now: () => clock });
    try {
      const { id } = await real.create('Real cost', 'pw');
      await expect(real.unlock(id, 'pw')).resolves.toMatchObject({ id });
      expect((await rejectedAtelierError(real.unlock(id, 'nope'))).code).toBe('AUTH');
    } finally {
      real.close();
    }
  });
});
