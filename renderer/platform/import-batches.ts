// Splits a creator's chosen files into import calls small enough for the transport that carries them.
import { IMPORT_BATCH_MAX } from '../../preload/contract';

const MIB = 1024 * 1024;

/**
 * Bytes of file content per browser import call. The loopback host accepts WebSocket frames up to
 * 512 MiB (electron/host, maxPayload); base64 grows bytes by 4/3 and the page holds the bytes and the
 * encoded text at once, so a quarter of the frame limit keeps memory and frame size comfortable.
 */
export const UPLOAD_BATCH_BYTES = 128 * MIB;

/** The largest single file a browser import can carry: 512 MiB frame / (4/3 base64) minus JSON headroom. */
export const UPLOAD_FILE_MAX_BYTES = 380 * MIB;

export interface BatchLimits {
  maxBytes: number;
  maxFiles: number;
}

export const DESKTOP_LIMITS: BatchLimits = { maxBytes: Number.POSITIVE_INFINITY, maxFiles: IMPORT_BATCH_MAX };
export const BROWSER_LIMITS: BatchLimits = { maxBytes: UPLOAD_BATCH_BYTES, maxFiles: IMPORT_BATCH_MAX };

/**
 * Greedy batches in the creator's order: a batch closes when the next file would push it over either
 * limit. A file larger than maxBytes on its own travels alone (the caller refuses files it cannot send).
 */
export function planBatches<T extends { size: number }>(files: readonly T[], limits: BatchLimits): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = Math.max(0, file.size);
    if (batch.length > 0 && (batch.length >= limits.maxFiles || bytes + size > limits.maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** "4.2 MB", "380 MB" — sizes in the creator's words (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
