// Thumbnail object URLs: one fetch per asset, shared, kept a while when unused, always revoked in the end.
import { describe, expect, it } from 'vitest';
import type { Result, Thumbnail } from '../../../preload/contract';
import { ThumbnailCache, ThumbnailError } from './thumbnail-cache';

function harness(idleKept = 2) {
  const fetched: string[] = [];
  const live = new Set<string>();
  const revoked: string[] = [];
  let failNext: string | null = null;
  let n = 0;
  const cache = new ThumbnailCache(
    async (assetId): Promise<Result<Thumbnail>> => {
      fetched.push(assetId);
      if (failNext === assetId) {
        failNext = null;
        return { ok: false, error: { code: 'NOT_FOUND', message: `No asset ${assetId}.` } };
      }
      return { ok: true, value: { mime: 'image/webp', bytes: new Uint8Array([1, 2, 3]) } };
    },
    {
      create: (blob) => {
        expect(blob.type).toBe('image/webp');
        const url = `blob:thumb-${++n}`;
        live.add(url);
        return url;
      },
      revoke: (url) => {
        live.delete(url);
        revoked.push(url);
      },
    },
    idleKept,
  );
  return { cache, fetched, live, revoked, fail: (id: string) => (failNext = id) };
}

describe('ThumbnailCache', () => {
  it('fetches once for tiles showing the same asset at the same time', async () => {
    const { cache, fetched } = harness();
    const [a, b] = await Promise.all([cache.acquire('x'), cache.acquire('x')]);
    expect(a).toBe(b);
    expect(fetched).toEqual(['x']);
  });

  it('keeps a released thumbnail for a quick return, then revokes the oldest beyond the limit', async () => {
    const { cache, fetched, live, revoked } = harness(2);
    for (const id of ['a', 'b', 'c']) await cache.acquire(id);
    cache.release('a');
    cache.release('b');
    expect(revoked).toEqual([]);
    await cache.acquire('a');
    expect(fetched).toEqual(['a', 'b', 'c']);
    cache.release('c');
    cache.release('a');
    // Idle now: b (oldest), c, a. The limit is 2, so b goes.
    expect(revoked).toEqual(['blob:thumb-2']);
    expect(live.size).toBe(2);
  });

  it('does not revoke a URL while a tile still holds it', async () => {
    const { cache, revoked } = harness(0);
    await cache.acquire('a');
    await cache.acquire('a');
    cache.release('a');
    expect(revoked).toEqual([]);
    cache.release('a');
    expect(revoked).toEqual(['blob:thumb-1']);
  });

  it('reports a failure with the studio message and tries again next time', async () => {
    const { cache, fetched, fail } = harness();
    fail('gone');
    const error = await cache.acquire('gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThumbnailError);
    expect((error as ThumbnailError).info).toEqual({ code: 'NOT_FOUND', message: 'No asset gone.' });
    await expect(cache.acquire('gone')).resolves.toMatch(/^blob:/);
    expect(fetched).toEqual(['gone', 'gone']);
  });

  it('turns a fetch that throws into a ThumbnailError instead of a stuck entry', async () => {
    let calls = 0;
    const cache = new ThumbnailCache(
      async () => {
        calls++;
        if (calls === 1) throw new Error('socket exploded');
        return { ok: true, value: { mime: 'image/webp', bytes: new Uint8Array(1) } };
      },
      { create: () => 'blob:ok', revoke: () => undefined },
    );
    await expect(cache.acquire('a')).rejects.toBeInstanceOf(ThumbnailError);
    await expect(cache.acquire('a')).resolves.toBe('blob:ok');
  });

  it('revokes everything on dispose, including a thumbnail that arrives afterwards', async () => {
    const { cache, live } = harness();
    await cache.acquire('a');
    const late = cache.acquire('b');
    cache.dispose();
    await expect(late).rejects.toBeInstanceOf(ThumbnailError);
    expect(live.size).toBe(0);
    await expect(cache.acquire('c')).rejects.toBeInstanceOf(ThumbnailError);
    expect(cache.liveUrls).toBe(0);
  });

  it('ignores a release without an acquire', () => {
    const { cache, revoked } = harness();
    cache.release('never');
    expect(revoked).toEqual([]);
    expect(cache.has('never')).toBe(false);
  });
});
