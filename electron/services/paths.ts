// Where each file of the studio lives under <dataDir> (ARCHITECTURE.md "Data on disk"), and the guard on profile ids.
import fs from 'node:fs';
import path from 'node:path';
import { AtelierError } from '../../engine/errors';

export interface ProfilePaths {
  root: string;
  studioDb: string;
  assets: string;
  cache: string;
  thumbs: string;
  models: string;
  outputs: string;
  tmp: string;
}

/**
 * Profile folders are owner-only (0o700) so other accounts on the same computer cannot read a creator's
 * work, models or outputs (PRODUCT.md "Data & IP": no other profile on the workstation can read it).
 */
export const PROFILE_DIR_MODE = 0o700;

/** Longest profile id accepted; a UUID is 36 characters. */
export const PROFILE_ID_MAX = 64;

/**
 * Ids are lowercase hex in dash-separated groups (crypto.randomUUID()). Anything else is refused before it
 * becomes part of a path: no separators, dots, drive letters, upper case (which would alias on
 * case-insensitive disks) or Windows device names (CON, NUL… all contain non-hex letters).
 */
const PROFILE_ID_PATTERN = /^[0-9a-f]+(?:-[0-9a-f]+)*$/;

export function isProfileId(value: string): boolean {
  return value.length <= PROFILE_ID_MAX && PROFILE_ID_PATTERN.test(value);
}

/** Throws VALIDATION for an id that could escape <dataDir>/profiles (path traversal) or is not one of ours. */
export function assertProfileId(profileId: string): void {
  if (typeof profileId !== 'string' || !isProfileId(profileId)) {
    throw new AtelierError('VALIDATION', 'That is not a valid profile id. Choose the profile from the list.', {
      profileId: typeof profileId === 'string' ? profileId.slice(0, PROFILE_ID_MAX * 2) : typeof profileId,
    });
  }
}

export function workstationDbPath(dataDir: string): string {
  return path.join(dataDir, 'workstation.db');
}

export function profilesDir(dataDir: string): string {
  return path.join(dataDir, 'profiles');
}

export function profilePaths(dataDir: string, profileId: string): ProfilePaths {
  assertProfileId(profileId);
  const root = path.join(profilesDir(dataDir), profileId);
  const cache = path.join(root, 'cache');
  return {
    root,
    studioDb: path.join(root, 'studio.db'),
    assets: path.join(root, 'assets'),
    cache,
    thumbs: path.join(cache, 'thumbs'),
    models: path.join(root, 'models'),
    outputs: path.join(root, 'outputs'),
    tmp: path.join(root, 'tmp'),
  };
}

/** Creates every folder of a profile (idempotent) and tightens any that exist with looser permissions. */
export function ensureProfileDirs(paths: ProfilePaths): void {
  const dirs = [paths.root, paths.assets, paths.cache, paths.thumbs, paths.models, paths.outputs, paths.tmp];
  for (const dir of dirs) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: PROFILE_DIR_MODE });
      // mkdir leaves an existing folder's mode alone; a folder restored from a backup may be world-readable.
      if (process.platform !== 'win32') fs.chmodSync(dir, PROFILE_DIR_MODE);
    } catch (e) {
      throw new AtelierError(
        'INTERNAL',
        `Atelier could not create the folder "${dir}". Check that the disk is writable and that you may write there.`,
        { folder: dir, cause: e instanceof Error ? { name: e.name, message: e.message } : String(e) },
      );
    }
  }
}
