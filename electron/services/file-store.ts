// The profile's content-addressed store of originals, and the atomic write (temp → fsync → rename → fsync dir) under it.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AtelierError } from '../../engine/errors';
import { errnoCode, folderNotFile, notARegularFile, readFailure } from '../../engine/media/file-access';

/** Content addresses are lowercase hex SHA-256; anything else never becomes part of a path. */
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** Extensions we store under (jpg, png, webp, avif, tif, gif…): short lowercase alphanumerics, no dots or separators. */
const EXT_PATTERN = /^[a-z0-9]{1,10}$/;
const SHARD_PATTERN = /^[0-9a-f]{2}$/;
const STORED_NAME_PATTERN = /^([0-9a-f]{64})\.([a-z0-9]{1,10})$/;

/** Partial files carry this suffix until renamed; a crash can leave them behind for the sweep. */
const PART_SUFFIX = '.part';
const SIDE_PART_PREFIX = '.atelier-';
const STORE_PART_PREFIX = 'store-';

/** Files and folders only the owner may read: a creator's originals are private (PRODUCT.md 11). */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** Copy step: large enough to stream at disk speed, small enough to keep memory flat for big originals. */
const COPY_CHUNK_BYTES = 1024 * 1024;

/** Partial files being written by this process right now; the sweep leaves them alone. */
const partsInProgress = new Set<string>();

function causeOf(e: unknown): unknown {
  return e instanceof Error ? { name: e.name, message: e.message, code: errnoCode(e) } : String(e);
}

/** A failure to write inside the profile folder: the creator can only fix disk space or permissions. */
function storageFailure(target: string, e: unknown): AtelierError {
  if (e instanceof AtelierError) return e;
  const code = errnoCode(e);
  const details = { file: target, cause: causeOf(e) };
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AtelierError('INTERNAL', 'The disk is full, so Atelier could not save the file. Free some space and try again.', details);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AtelierError(
      'INTERNAL',
      `Atelier is not allowed to write to its library folder (${path.dirname(target)}). Check that the disk is writable.`,
      details,
    );
  }
  return new AtelierError('INTERNAL', 'Atelier could not save a file to its library. The details are in the log.', details);
}

/** Makes a rename durable: the directory entry itself must reach the disk (POSIX; Windows cannot open folders). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (e) {
    // Some file systems (network, FUSE) refuse fsync on a directory; the rename is still atomic there.
    const code = errnoCode(e);
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function writeAll(handle: fsp.FileHandle, data: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}

function sidePartPath(target: string): string {
  return path.join(path.dirname(target), `${SIDE_PART_PREFIX}${randomUUID()}${PART_SUFFIX}`);
}

/**
 * Writes `data` to `file` so that a reader (or a restart after a crash) sees either the old file or the whole
 * new one, never a part: temp name in the same folder → write → fsync → rename → fsync the folder.
 */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const part = sidePartPath(file);
  partsInProgress.add(part);
  let handle: fsp.FileHandle | undefined;
  try {
    await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    handle = await fsp.open(part, 'wx', PRIVATE_FILE_MODE);
    await writeAll(handle, data, 0);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(part, file);
    await syncDirectory(dir);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(part, { force: true }).catch(() => undefined);
    throw storageFailure(file, e);
  } finally {
    partsInProgress.delete(part);
  }
}

/** Removes partial files left in `dir` by a crash (names ending in .part), except those being written now. */
export async function removeLeftoverParts(dir: string, prefix = SIDE_PART_PREFIX): Promise<number> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return 0;
    throw e;
  }
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.startsWith(prefix) || !entry.name.endsWith(PART_SUFFIX)) continue;
    const file = path.join(dir, entry.name);
    if (partsInProgress.has(file)) continue;
    await fsp.rm(file, { force: true });
    removed++;
  }
  return removed;
}

function assertSha256(sha256: string): void {
  if (!SHA256_PATTERN.test(sha256)) {
    throw new AtelierError('VALIDATION', 'That is not a content address Atelier stores files under.', { sha256: String(sha256).slice(0, 80) });
  }
}

function assertExt(ext: string): void {
  if (!EXT_PATTERN.test(ext)) {
    throw new AtelierError('VALIDATION', 'That is not a file extension Atelier stores files under.', { ext: String(ext).slice(0, 40) });
  }
}

export interface StoredFile {
  sha256: string;
  path: string;
  byteSize: number;
  /** True when the same bytes were already stored; the existing original was kept untouched. */
  existed: boolean;
}

/**
 * A profile's originals, stored once per content under <root>/<sha[0..2]>/<sha>.<ext> and never rewritten.
 * `tmpDir` holds partial copies; it must be on the same disk as `root` (both live in the profile folder).
 */
export class FileStore {
  constructor(
    readonly root: string,
    readonly tmpDir: string,
  ) {}

  pathFor(sha256: string, ext: string): string {
    assertSha256(sha256);
    assertExt(ext);
    return path.join(this.root, sha256.slice(0, 2), `${sha256}.${ext}`);
  }

  has(sha256: string, ext: string): boolean {
    return fs.existsSync(this.pathFor(sha256, ext));
  }

  /**
   * Copies the file at `srcPath` into the store, hashing while it streams. With `expectedSha256` (the hash the
   * importer decoded), a file that changed in between is refused with CONFLICT rather than stored under a
   * content address its bytes do not have.
   */
  async putFile(srcPath: string, ext: string, expectedSha256?: string): Promise<StoredFile> {
    assertExt(ext);
    if (expectedSha256 !== undefined) assertSha256(expectedSha256);
    const name = path.basename(srcPath);
    const part = path.join(this.tmpDir, `${STORE_PART_PREFIX}${randomUUID()}${PART_SUFFIX}`);
    partsInProgress.add(part);
    let source: fsp.FileHandle | undefined;
    let copy: fsp.FileHandle | undefined;
    try {
      try {
        source = await fsp.open(srcPath, 'r');
      } catch (e) {
        throw readFailure(name, e);
      }
      const stat = await source.stat();
      if (stat.isDirectory()) throw folderNotFile(name);
      if (!stat.isFile()) throw notARegularFile(name);

      try {
        await fsp.mkdir(this.tmpDir, { recursive: true, mode: PRIVATE_DIR_MODE });
        copy = await fsp.open(part, 'wx', PRIVATE_FILE_MODE);
      } catch (e) {
        throw storageFailure(part, e);
      }
      const hash = createHash('sha256');
      const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
      let byteSize = 0;
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await source.read(chunk, 0, chunk.length, byteSize));
        } catch (e) {
          throw readFailure(name, e);
        }
        if (bytesRead === 0) break;
        const piece = chunk.subarray(0, bytesRead);
        hash.update(piece);
        try {
          await writeAll(copy, piece, byteSize);
        } catch (e) {
          throw storageFailure(part, e);
        }
        byteSize += bytesRead;
      }
      try {
        await copy.sync();
        await copy.close();
        copy = undefined;
      } catch (e) {
        throw storageFailure(part, e);
      }
      await source.close();
      source = undefined;

      const sha256 = hash.digest('hex');
      if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
        throw new AtelierError(
          'CONFLICT',
          `“${name}” changed while Atelier was importing it. Wait until it is completely saved and import it again.`,
          { file: name, expectedSha256, sha256 },
        );
      }
      const target = this.pathFor(sha256, ext);
      if (fs.existsSync(target)) return { sha256, path: target, byteSize, existed: true };
      try {
        await fsp.mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
        await this.moveIntoPlace(part, target);
        await syncDirectory(path.dirname(target));
      } catch (e) {
        throw storageFailure(target, e);
      }
      return { sha256, path: target, byteSize, existed: false };
    } finally {
      await copy?.close().catch(() => undefined);
      await source?.close().catch(() => undefined);
      await fsp.rm(part, { force: true }).catch(() => undefined);
      partsInProgress.delete(part);
    }
  }

  private async moveIntoPlace(part: string, target: string): Promise<void> {
    try {
      await fsp.rename(part, target);
    } catch (e) {
      // tmp on another disk (a symlinked profile folder): copy beside the target first so the final step is still a rename.
      if (errnoCode(e) !== 'EXDEV') throw e;
      const side = sidePartPath(target);
      partsInProgress.add(side);
      try {
        await fsp.copyFile(part, side);
        const handle = await fsp.open(side, 'r+');
        await handle.sync().finally(() => handle.close());
        await fsp.rename(side, target);
      } finally {
        await fsp.rm(side, { force: true }).catch(() => undefined);
        partsInProgress.delete(side);
      }
    }
  }

  async remove(sha256: string, ext: string): Promise<void> {
    const file = this.pathFor(sha256, ext);
    try {
      await fsp.rm(file, { force: true });
    } catch (e) {
      throw storageFailure(file, e);
    }
  }

  /** Every stored original, for the orphan sweep. Files that do not look like ours are skipped, never touched. */
  async *listAll(): AsyncIterable<{ sha256: string; ext: string; path: string }> {
    let shards: fs.Dirent[];
    try {
      shards = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return;
      throw e;
    }
    for (const shard of shards) {
      if (!shard.isDirectory() || !SHARD_PATTERN.test(shard.name)) continue;
      const shardDir = path.join(this.root, shard.name);
      let files: fs.Dirent[];
      try {
        files = await fsp.readdir(shardDir, { withFileTypes: true });
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') continue;
        throw e;
      }
      for (const file of files) {
        const match = file.isFile() ? STORED_NAME_PATTERN.exec(file.name) : null;
        if (!match?.[1] || !match[2] || !match[1].startsWith(shard.name)) continue;
        yield { sha256: match[1], ext: match[2], path: path.join(shardDir, file.name) };
      }
    }
  }

  /** Removes partial copies a crash left in tmpDir and in the shard folders; returns how many. */
  async removeLeftoverParts(): Promise<number> {
    let removed = await removeLeftoverParts(this.tmpDir, STORE_PART_PREFIX);
    let shards: fs.Dirent[];
    try {
      shards = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return removed;
      throw e;
    }
    for (const shard of shards) {
      if (shard.isDirectory() && SHARD_PATTERN.test(shard.name)) removed += await removeLeftoverParts(path.join(this.root, shard.name));
    }
    return removed;
  }
}
