// One process at a time per profile: a lock file beside studio.db, so the desktop app, the CLI and the
// loopback host never mark each other's running jobs interrupted or sweep each other's half-written files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AtelierError } from '../../engine/errors';

export const PROFILE_LOCK_FILE = 'session.lock';

interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string'
      ? { pid: owner.pid, hostname: owner.hostname, since: String(owner.since ?? '') }
      : null;
  } catch {
    return null;
  }
}

export class ProfileLock {
  private released = false;

  private constructor(private readonly file: string) {}

  /**
   * Takes the profile's lock or throws CONFLICT naming who holds it. A lock left by a process that no
   * longer runs on this machine (a crash) is taken over.
   */
  static acquire(profileRoot: string, profileName: string): ProfileLock {
    const file = path.join(profileRoot, PROFILE_LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx', 0o600);
        try {
          const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
          fs.writeSync(fd, JSON.stringify(owner));
        } finally {
          fs.closeSync(fd);
        }
        return new ProfileLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(file);
      // A lock from another machine (a shared folder) cannot be checked, so it is respected.
      const stale = owner !== null && owner.hostname === os.hostname() && !isAlive(owner.pid);
      if (owner !== null && !stale) {
        const who = owner.pid === process.pid ? 'this Atelier process' : `another Atelier window or command (process ${owner.pid})`;
        throw new AtelierError(
          'CONFLICT',
          `The profile “${profileName}” is open in ${who}. Lock or close it there first.`,
          { owner },
        );
      }
      // Stale, or unreadable (a crash while writing it): remove and try once more.
      fs.rmSync(file, { force: true });
    }
    throw new AtelierError('CONFLICT', `The profile “${profileName}” could not be locked for this session. Try again.`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    // Only remove the lock if it is still ours (never another process's after a takeover).
    const owner = readOwner(this.file);
    if (owner && owner.pid === process.pid && owner.hostname === os.hostname()) fs.rmSync(this.file, { force: true });
  }
}
