// A picture fetched from the studio as an object URL, revoked when the component leaves or the key changes.
import { useEffect, useState } from 'react';
import type { Result, Thumbnail } from '../../preload/contract';

export interface ObjectUrlState {
  url: string | null;
  error: string | null;
}

/** `key` names what is fetched; null fetches nothing. The fetcher is read when the key changes. */
export function useObjectUrl(key: string | null, fetcher: () => Promise<Result<Thumbnail>>): ObjectUrlState {
  const [state, setState] = useState<ObjectUrlState & { key: string | null }>({ url: null, error: null, key: null });
  useEffect(() => {
    if (!key) return;
    let alive = true;
    let made: string | null = null;
    void fetcher().then((got) => {
      if (!alive) return;
      if (got.ok) {
        made = URL.createObjectURL(new Blob([got.value.bytes as Uint8Array<ArrayBuffer>], { type: got.value.mime }));
        setState({ url: made, error: null, key });
      } else {
        setState({ url: null, error: got.error.message, key });
      }
    });
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
    // The fetcher is a fresh closure each render; the key says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state.key === key ? { url: state.url, error: state.error } : { url: null, error: null };
}

/** An object URL for bytes already in hand (previews streamed by a job). */
export function bytesUrl(image: Thumbnail): string {
  return URL.createObjectURL(new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.mime }));
}
