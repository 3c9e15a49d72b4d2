// Thumbnails as object URLs: fetched once per asset, shared by every tile showing it, revoked when unused.
import type { ErrorInfo, Result, Thumbnail } from '../../../preload/contract';

export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

/** Thumbnails no tile shows any more are kept this long (in count), so scrolling back is instant. */
export const IDLE_THUMBNAILS_KEPT = 300;

interface Entry {
  refs: number;
  url: string | null;
  promise: Promise<string>;
}

export class ThumbnailError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ThumbnailError';
    this.info = info;
  }
}

export class ThumbnailCache {
  private readonly entries = new Map<string, Entry>();
  /** Released entries, oldest first (Map keeps insertion order). */
  private readonly idle = new Map<string, true>();
  private disposed = false;

  constructor(
    private readonly fetchThumbnail: (assetId: string) => Promise<Result<Thumbnail>>,
    private readonly urls: ObjectUrls,
    private readonly idleKept: number = IDLE_THUMBNAILS_KEPT,
  ) {}

  /** The object URL of an asset's thumbnail; every acquire needs one release. Rejects with ThumbnailError. */
  acquire(assetId: string): Promise<string> {
    if (this.disposed) return Promise.reject(new ThumbnailError({ code: 'CANCELLED', message: 'The asset grid was closed.' }));
    let entry = this.entries.get(assetId);
    if (!entry) {
      const created: Entry = { refs: 0, url: null, promise: Promise.resolve('') };
      this.entries.set(assetId, created);
      created.promise = this.load(assetId, created);
      // Rejections are handled by whoever acquired; this keeps an unobserved one from being reported.
      created.promise.catch(() => undefined);
      entry = created;
    }
    entry.refs++;
    this.idle.delete(assetId);
    return entry.promise;
  }

  release(assetId: string): void {
    const entry = this.entries.get(assetId);
    if (!entry || entry.refs === 0) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.idle.set(assetId, true);
    while (this.idle.size > this.idleKept) {
      const oldest = this.idle.keys().next().value as string;
      this.idle.delete(oldest);
      this.drop(oldest);
    }
  }

  /** Whether the cache holds (or is fetching) this asset's thumbnail. */
  has(assetId: string): boolean {
    return this.entries.has(assetId);
  }

  /** How many object URLs are alive right now. */
  get liveUrls(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.url) n++;
    return n;
  }

  /** Revokes every URL; later acquires reject. */
  dispose(): void {
    this.disposed = true;
    for (const id of [...this.entries.keys()]) this.drop(id);
    this.idle.clear();
  }

  private async load(assetId: string, entry: Entry): Promise<string> {
    let result: Result<Thumbnail>;
    try {
      result = await this.fetchThumbnail(assetId);
    } catch {
      result = { ok: false, error: { code: 'INTERNAL', message: 'The preview could not be loaded.' } };
    }
    if (!result.ok) {
      // A failure is not remembered: the next tile that asks tries again.
      if (this.entries.get(assetId) === entry) this.entries.delete(assetId);
      this.idle.delete(assetId);
      throw new ThumbnailError(result.error);
    }
    const { mime, bytes } = result.value;
    const url = this.urls.create(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
    if (this.disposed || this.entries.get(assetId) !== entry) {
      this.urls.revoke(url);
      throw new ThumbnailError({ code: 'CANCELLED', message: 'The asset grid was closed.' });
    }
    entry.url = url;
    return url;
  }

  private drop(assetId: string): void {
    const entry = this.entries.get(assetId);
    if (!entry) return;
    this.entries.delete(assetId);
    if (entry.url) this.urls.revoke(entry.url);
  }
}
