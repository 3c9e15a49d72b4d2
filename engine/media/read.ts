// Reads a creator's whole file once (hashing as it goes), refusing folders, devices, empty and oversized files first.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import { AtelierError } from '../errors';
import { folderNotFile, notARegularFile, readFailure } from './file-access';

/** Bytes read per step; between steps a cancel is noticed. */
const READ_CHUNK_BYTES = 8 * 1024 * 1024;

export interface WholeFile {
  bytes: Buffer;
  sha256: string;
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 100 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/**
 * The file's stat, once it is known to be a regular file: folders, devices and FIFOs (which would block or never
 * end) and unreadable paths are refused with the file named. Every reader of a creator's file starts here.
 */
export async function statRegularFile(path: string, name: string): Promise<Stats> {
  let stat: Stats;
  try {
    stat = await fs.stat(path);
  } catch (e) {
    throw readFailure(name, e);
  }
  if (stat.isDirectory()) throw folderNotFile(name);
  if (!stat.isFile()) throw notARegularFile(name);
  return stat;
}

/**
 * Every importer (images, audio, text) reads through here. `what` names the kind in messages ("images",
 * "recordings", "text files"). Opening a FIFO or a device would block or never end: only regular files are read.
 */
export async function readWholeFile(path: string, name: string, opts: { maxBytes: number; what: string; signal: AbortSignal }): Promise<WholeFile> {
  const stat = await statRegularFile(path, name);
  if (stat.size === 0) {
    throw new AtelierError('CORRUPT_FILE', `“${name}” is empty (0 bytes). It may not have finished downloading or copying; get the file again and import it.`, { file: name });
  }
  if (stat.size > opts.maxBytes) {
    throw new AtelierError(
      'TOO_LARGE',
      `“${name}” is ${formatMegabytes(stat.size)}; Atelier imports ${opts.what} up to ${formatMegabytes(opts.maxBytes)}. Save a smaller or compressed version and import that.`,
      { file: name, byteSize: stat.size, limitBytes: opts.maxBytes },
    );
  }
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    throw readFailure(name, e);
  }
  try {
    const bytes = Buffer.alloc(stat.size);
    const hash = createHash('sha256');
    let filled = 0;
    while (filled < bytes.length) {
      if (opts.signal.aborted) throw new AtelierError('CANCELLED', `Importing “${name}” was cancelled.`);
      const { bytesRead } = await handle.read(bytes, filled, Math.min(READ_CHUNK_BYTES, bytes.length - filled), filled);
      if (bytesRead === 0) break;
      hash.update(bytes.subarray(filled, filled + bytesRead));
      filled += bytesRead;
    }
    const { bytesRead: beyondEnd } = await handle.read(Buffer.alloc(1), 0, 1, filled);
    if (filled !== stat.size || beyondEnd !== 0) {
      throw new AtelierError('CONFLICT', `“${name}” changed while Atelier was reading it. Wait until it is completely saved and import it again.`, {
        file: name,
        expectedBytes: stat.size,
        readBytes: filled,
      });
    }
    return { bytes, sha256: hash.digest('hex') };
  } catch (e) {
    throw readFailure(name, e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The first `count` bytes (or the whole of a shorter file), for sniffing before a full read. */
export async function readHead(path: string, name: string, count: number): Promise<Uint8Array> {
  const stat = await statRegularFile(path, name);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    throw readFailure(name, e);
  }
  try {
    const head = Buffer.alloc(Math.min(count, stat.size));
    let filled = 0;
    while (filled < head.length) {
      const { bytesRead } = await handle.read(head, filled, head.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return head.subarray(0, filled);
  } catch (e) {
    throw readFailure(name, e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
