// The worker side's pure parts: which buffers an output may hand over without copying.
import { describe, expect, it } from 'vitest';
import { AtelierError } from '../../engine/errors';
import { serveTasks, transferableBuffers } from './worker-runtime';

describe('transferableBuffers', () => {
  it('moves whole buffers at the top level, once each', () => {
    const thumb = new Uint8Array(64);
    const found = transferableBuffers({ thumbnail: thumb, same: thumb, width: 3 });
    expect(found).toEqual([thumb.buffer]);
    expect(transferableBuffers(thumb)).toEqual([thumb.buffer]);
  });

  it('leaves views into larger memory, shared memory and nested values alone', () => {
    const big = new Uint8Array(1024);
    const pooled = Buffer.from('abc'); // lives in Node's shared allocation pool
    const shared = new Uint8Array(new SharedArrayBuffer(16));
    const nested = { inner: new Uint8Array(8) };
    expect(transferableBuffers({ part: big.subarray(10, 20), pooled, shared, nested, list: [new Uint8Array(4)] })).toEqual([]);
    expect(transferableBuffers(null)).toEqual([]);
    expect(transferableBuffers('text')).toEqual([]);
  });
});

describe('serveTasks', () => {
  it('refuses to run outside a worker thread', () => {
    expect(() => serveTasks({})).toThrow(AtelierError);
  });
});
