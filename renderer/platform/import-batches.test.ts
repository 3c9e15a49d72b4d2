// How a creator's files are split into import calls.
import { describe, expect, it } from 'vitest';
import { IMPORT_BATCH_MAX } from '../../preload/contract';
import { BROWSER_LIMITS, UPLOAD_BATCH_BYTES, UPLOAD_FILE_MAX_BYTES, formatBytes, planBatches } from './import-batches';

const MIB = 1024 * 1024;
const file = (name: string, size: number) => ({ name, size });

describe('planBatches', () => {
  it('keeps a normal selection in one call, in the order chosen', () => {
    const files = [file('a.jpg', 3 * MIB), file('b.png', 5 * MIB), file('c.webp', MIB)];
    expect(planBatches(files, BROWSER_LIMITS)).toEqual([files]);
  });

  it('returns no calls for no files', () => {
    expect(planBatches([], BROWSER_LIMITS)).toEqual([]);
  });

  it('splits by total bytes so no call carries more than the limit', () => {
    const files = Array.from({ length: 10 }, (_, i) => file(`photo-${i}.jpg`, 40 * MIB));
    const batches = planBatches(files, BROWSER_LIMITS);
    expect(batches.flat()).toEqual(files);
    for (const batch of batches) {
      expect(batch.reduce((n, f) => n + f.size, 0)).toBeLessThanOrEqual(UPLOAD_BATCH_BYTES);
    }
    expect(batches.length).toBeGreaterThan(1);
  });

  it('sends a file larger than a batch on its own', () => {
    const big = file('poster.tif', UPLOAD_BATCH_BYTES + 1);
    const batches = planBatches([file('a.jpg', MIB), big, file('b.jpg', MIB)], BROWSER_LIMITS);
    expect(batches).toEqual([[file('a.jpg', MIB)], [big], [file('b.jpg', MIB)]]);
  });

  it('never puts more files in one call than the contract allows', () => {
    const files = Array.from({ length: IMPORT_BATCH_MAX + 3 }, (_, i) => file(`${i}.png`, 0));
    const batches = planBatches(files, BROWSER_LIMITS);
    expect(batches.map((b) => b.length)).toEqual([IMPORT_BATCH_MAX, 3]);
  });

  it('treats a nonsense negative size as empty rather than letting it open room', () => {
    const batches = planBatches([file('x', -5), file('y', 1)], { maxBytes: 1, maxFiles: 10 });
    expect(batches).toEqual([[file('x', -5), file('y', 1)]]);
  });

  it('lets a single file up to the per-file limit fit the host frame once base64-encoded', () => {
    const hostFrameLimit = 512 * MIB;
    expect(Math.ceil((UPLOAD_FILE_MAX_BYTES * 4) / 3)).toBeLessThan(hostFrameLimit);
  });
});

describe('formatBytes', () => {
  it('reads like a file manager', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(4_200_000)).toBe('4.2 MB');
    expect(formatBytes(380 * MIB)).toBe('398 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
  });
});
