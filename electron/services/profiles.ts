// The profiles on this computer: create with a password (scrypt), list, find, unlock with a growing wait after repeated wrong passwords.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { AtelierError } from '../../engine/errors';
import { PASSWORD_MAX, PROFILE_NAME_MAX, type ProfileSummary } from '../../preload/contract';
import { sqliteCode } from '../db/migrate';
import { studioMigrations, workstationMigrations } from '../db/migrations/index';
import { openDatabase } from '../db/open';
import { assertProfileId, ensureProfileDirs, profilePaths, workstationDbPath, type ProfilePaths } from './paths';

export interface KdfParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/**
 * scrypt cost for new profiles. Percival's scrypt paper (2009) and RFC 7914 §2 give N=2^14, r=8, p=1 for
 * interactive logins (<100 ms then); we double N for today's hardware (~115 ms measured on the dev machine).
 * OWASP's Password Storage Cheat Sheet now asks for N=2^17; the parameters are stored per profile, so
 * raising this later does not break existing profiles.
 */
export const DEFAULT_KDF: KdfParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

/** Issue 2: "an increasing delay after 5 failures". The first five wrong passwords in a row cost nothing. */
export const UNLOCK_FREE_ATTEMPTS = 5;
/** Wait after the 5th consecutive failure; it doubles with each further failure (1 s, 2 s, 4 s …). */
export const UNLOCK_FIRST_DELAY_MS = 1000;
/** Ceiling of that wait: slow enough to stop guessing, short enough that a forgetful creator is not locked out for long. */
export const UNLOCK_MAX_DELAY_MS = 15 * 60 * 1000;

/** Bytes of random salt per profile (RFC 8018 §4.1 asks for at least 8; 16 is the common choice). */
export const SALT_BYTES = 16;

/**
 * Bounds on stored parameters: workstation.db is a file on disk, and a tampered row must not make unlock
 * allocate gigabytes or spin for minutes. 2^20 is scrypt's "sensitive storage" setting (1 GiB with r=8).
 */
const KDF_LIMITS = { maxN: 2 ** 20, maxR: 32, maxP: 16, minKeyLength: 16, maxKeyLength: 64 } as const;

/** Characters that would make a name misleading in a list: C0/C1 controls and bidirectional overrides. */
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

interface ProfileRow {
  id: string;
  name: string;
  name_key: string;
  password_hash: Buffer;
  password_salt: Buffer;
  kdf: string;
  failed_attempts: number;
  locked_until: number | null;
  created_at: string;
  last_unlocked_at: string | null;
}

/** The stored form of the KDF parameters (JSON in profiles.kdf). */
interface StoredKdf extends KdfParams {
  algorithm: 'scrypt';
}

export interface ProfileDirectoryOptions {
  /** Epoch milliseconds; tests inject a clock to step through the unlock delays. */
  now?: () => number;
  /** scrypt cost for new profiles; tests pass a cheap one. */
  kdf?: KdfParams;
}

/**
 * The key two names are compared by: NFC so "é" typed two ways is one name, and upper-then-lower case so
 * "Straße"/"STRASSE" and final/medial sigma fold together as the creator would read them.
 */
export function profileNameKey(name: string): string {
  return name.trim().normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** Wait imposed after `failures` consecutive wrong passwords, or 0 while still within the free attempts. */
export function unlockDelayMs(failures: number): number {
  if (failures < UNLOCK_FREE_ATTEMPTS) return 0;
  const doublings = Math.min(failures - UNLOCK_FREE_ATTEMPTS, 30);
  return Math.min(UNLOCK_FIRST_DELAY_MS * 2 ** doublings, UNLOCK_MAX_DELAY_MS);
}

function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

function checkKdf(kdf: KdfParams): boolean {
  const { N, r, p, keyLength } = kdf;
  return (
    Number.isInteger(N) && N >= 2 && N <= KDF_LIMITS.maxN && (N & (N - 1)) === 0 &&
    Number.isInteger(r) && r >= 1 && r <= KDF_LIMITS.maxR &&
    Number.isInteger(p) && p >= 1 && p <= KDF_LIMITS.maxP &&
    Number.isInteger(keyLength) && keyLength >= KDF_LIMITS.minKeyLength && keyLength <= KDF_LIMITS.maxKeyLength
  );
}

/** The parameters stored with a profile, or null when the JSON is not a sane scrypt record. */
function parseStoredKdf(json: string): KdfParams | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const p = parsed as Record<string, unknown>;
  if (p.algorithm !== 'scrypt') return null;
  const { N, r, p: parallel, keyLength } = p;
  if (typeof N !== 'number' || typeof r !== 'number' || typeof parallel !== 'number' || typeof keyLength !== 'number') {
    return null;
  }
  const kdf: KdfParams = { N, r, p: parallel, keyLength };
  return checkKdf(kdf) ? kdf : null;
}

function deriveKey(password: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  // NFC so the same password typed on another keyboard or OS (composed vs decomposed accents) still matches.
  const secret = Buffer.from(password.normalize('NFC'), 'utf8');
  // Node's default maxmem (32 MiB) is exactly 128·N·r for N=2^15, r=8, which OpenSSL rejects; allow twice that.
  const maxmem = 2 * 128 * kdf.N * kdf.r;
  return new Promise((resolve, reject) => {
    crypto.scrypt(secret, salt, kdf.keyLength, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

function toSummary(row: ProfileRow): ProfileSummary {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUnlockedAt: row.last_unlocked_at };
}

function validateName(raw: string): string {
  const name = typeof raw === 'string' ? raw.trim().normalize('NFC') : '';
  if (name === '') throw new AtelierError('VALIDATION', 'Give the profile a name.');
  if ([...name].length > PROFILE_NAME_MAX) {
    throw new AtelierError('VALIDATION', `Profile names are at most ${PROFILE_NAME_MAX} characters.`);
  }
  if (UNSAFE_NAME_CHARS.test(name)) {
    throw new AtelierError('VALIDATION', 'Profile names cannot contain control or text-direction characters.');
  }
  return name;
}

function validatePassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0) throw new AtelierError('VALIDATION', 'Enter a password.');
  if (password.length > PASSWORD_MAX) {
    throw new AtelierError('VALIDATION', `Passwords are at most ${PASSWORD_MAX} characters.`);
  }
}

export function openStudioDatabase(paths: ProfilePaths): Database.Database {
  // Recreate any folder the creator deleted (cache, thumbs…) so later writes do not fail one by one.
  ensureProfileDirs(paths);
  return openDatabase(paths.studioDb, studioMigrations);
}

export class ProfileDirectory {
  private readonly db: Database.Database;
  private readonly dataDir: string;
  private readonly now: () => number;
  private readonly kdf: KdfParams;
  private readonly collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

  private constructor(dataDir: string, db: Database.Database, opts: ProfileDirectoryOptions) {
    this.dataDir = dataDir;
    this.db = db;
    this.now = opts.now ?? Date.now;
    this.kdf = opts.kdf ?? DEFAULT_KDF;
  }

  static open(dataDir: string, opts: ProfileDirectoryOptions = {}): ProfileDirectory {
    if (opts.kdf && !checkKdf(opts.kdf)) {
      throw new AtelierError('INTERNAL', 'Atelier was started with invalid password-hashing settings.', { kdf: opts.kdf });
    }
    const db = openDatabase(workstationDbPath(dataDir), workstationMigrations);
    return new ProfileDirectory(dataDir, db, opts);
  }

  /** Every profile, sorted by name as a reader would sort it. */
  list(): ProfileSummary[] {
    const rows = this.db.prepare('SELECT * FROM profiles').all() as ProfileRow[];
    return rows
      .sort((a, b) => this.collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(toSummary);
  }

  /** Case-insensitive, Unicode-normalised lookup; null when no profile has that name. */
  findByName(name: string): ProfileSummary | null {
    const row = this.db.prepare('SELECT * FROM profiles WHERE name_key = ?').get(profileNameKey(name)) as
      | ProfileRow
      | undefined;
    return row ? toSummary(row) : null;
  }

  get(profileId: string): ProfileSummary {
    return toSummary(this.row(profileId));
  }

  async create(rawName: string, password: string): Promise<ProfileSummary> {
    const name = validateName(rawName);
    validatePassword(password);
    const nameKey = profileNameKey(name);
    this.assertNameFree(name, nameKey);

    const salt = crypto.randomBytes(SALT_BYTES);
    const hash = await deriveKey(password, salt, this.kdf);
    // Checked again after the await: another create may have taken the name meanwhile.
    this.assertNameFree(name, nameKey);

    const id = crypto.randomUUID();
    const paths = profilePaths(this.dataDir, id);
    const stored: StoredKdf = { algorithm: 'scrypt', ...this.kdf };
    const createdAt = new Date(this.now()).toISOString();
    try {
      // Folders and studio.db first, the row last: a row never points at a profile that is not complete.
      ensureProfileDirs(paths);
      openStudioDatabase(paths).close();
      this.db
        .prepare(
          `INSERT INTO profiles (id, name, name_key, password_hash, password_salt, kdf, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, name, nameKey, hash, salt, JSON.stringify(stored), createdAt);
    } catch (e) {
      // The folder is brand new (random id), so removing it cannot touch anyone's data.
      fs.rmSync(paths.root, { recursive: true, force: true });
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE') throw this.duplicateName(name);
      throw e;
    }
    return this.get(id);
  }

  async unlock(profileId: string, password: string): Promise<ProfileSummary> {
    const before = this.row(profileId);
    if (typeof password !== 'string' || password.length > PASSWORD_MAX) {
      throw new AtelierError('VALIDATION', `Passwords are at most ${PASSWORD_MAX} characters.`);
    }
    const kdf = this.storedKdf(before);
    const attempt = this.reserveAttempt(profileId);

    const candidate = await deriveKey(password, before.password_salt, kdf);
    const expected = before.password_hash;
    const match = candidate.length === expected.length && crypto.timingSafeEqual(candidate, expected);
    if (!match) {
      const details: Record<string, unknown> = { failedAttempts: attempt.failures };
      if (attempt.lockedUntil !== null) details.retryAfterMs = attempt.lockedUntil - attempt.at;
      throw new AtelierError('AUTH', `Wrong password for “${before.name}”.`, details);
    }

    this.db
      .prepare('UPDATE profiles SET failed_attempts = 0, locked_until = NULL, last_unlocked_at = ? WHERE id = ?')
      .run(new Date(this.now()).toISOString(), profileId);
    return this.get(profileId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Counts the attempt as a failure BEFORE the (slow) password check and sets the wait it would earn. Otherwise
   * many attempts started together would all pass the lock check while the first is still hashing, and the
   * delay would never bite. A correct password then clears the count. Runs in one transaction so two
   * processes sharing workstation.db (app and CLI) count every attempt.
   */
  private reserveAttempt(profileId: string): { failures: number; lockedUntil: number | null; at: number } {
    const outcome = this.db
      .transaction(() => {
        const row = this.row(profileId);
        const now = this.now();
        if (row.locked_until !== null && row.locked_until > now) {
          let waitMs = row.locked_until - now;
          if (waitMs > UNLOCK_MAX_DELAY_MS) {
            // Only a clock set backwards gets here; never make the creator wait longer than the ceiling.
            waitMs = UNLOCK_MAX_DELAY_MS;
            this.db.prepare('UPDATE profiles SET locked_until = ? WHERE id = ?').run(now + waitMs, profileId);
          }
          return { locked: true as const, name: row.name, waitMs };
        }
        const failures = row.failed_attempts + 1;
        const delay = unlockDelayMs(failures);
        const lockedUntil = delay > 0 ? now + delay : null;
        this.db
          .prepare('UPDATE profiles SET failed_attempts = ?, locked_until = ? WHERE id = ?')
          .run(failures, lockedUntil, profileId);
        return { locked: false as const, failures, lockedUntil, at: now };
      })
      .immediate();
    // Thrown after the commit, so the clamp above is kept.
    if (outcome.locked) {
      throw new AtelierError(
        'RATE_LIMITED',
        `Too many wrong passwords for “${outcome.name}”. Try again in ${formatWait(outcome.waitMs)}.`,
        { retryAfterMs: outcome.waitMs },
      );
    }
    return outcome;
  }

  private row(profileId: string): ProfileRow {
    assertProfileId(profileId);
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(profileId) as ProfileRow | undefined;
    if (!row) {
      throw new AtelierError('NOT_FOUND', 'That profile no longer exists on this computer. Choose another one.', {
        profileId,
      });
    }
    return row;
  }

  private storedKdf(row: ProfileRow): KdfParams {
    const kdf = parseStoredKdf(row.kdf);
    if (!kdf || row.password_hash.length !== kdf.keyLength) {
      throw new AtelierError(
        'CORRUPT_FILE',
        `The password record of “${row.name}” in "${workstationDbPath(this.dataDir)}" is damaged, so it cannot be unlocked.`,
        { profileId: row.id },
      );
    }
    return kdf;
  }

  private assertNameFree(name: string, nameKey: string): void {
    const taken = this.db.prepare('SELECT 1 FROM profiles WHERE name_key = ?').get(nameKey);
    if (taken) throw this.duplicateName(name);
  }

  private duplicateName(name: string): AtelierError {
    return new AtelierError('CONFLICT', `A profile named “${name}” already exists.`);
  }
}
