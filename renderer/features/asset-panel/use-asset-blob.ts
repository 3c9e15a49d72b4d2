// Fetches one of an asset's derived files (preview, audio, spectrogram) as an object URL that lives as long as the view.
import { useEffect, useState } from 'react';
import type { ErrorInfo, Result, Thumbnail } from '../../../preload/contract';

export type BlobState = { status: 'loading' } | { status: 'ready'; url: string; mime: string } | { status: 'error'; error: ErrorInfo };

/**
 * `key` says when to fetch again (the asset id, plus anything that changes the file); `fetcher` is read
 * at that moment only.
 */
export function useAssetBlob(key: string, fetcher: () => Promise<Result<Thumbnail>>): BlobState {
  const [state, setState] = useState<{ key: string; value: BlobState }>({ key, value: { status: 'loading' } });

  useEffect(() => {
    let live = true;
    let url: string | null = null;
    setState({ key, value: { status: 'loading' } });
    fetcher().then(
      (result) => {
        if (!live) return;
        if (!result.ok) {
          setState({ key, value: { status: 'error', error: result.error } });
          return;
        }
        // Copy into a plain ArrayBuffer: a Blob needs it, and the wire may hand out a view into a larger buffer.
        url = URL.createObjectURL(new Blob([result.value.bytes.slice()], { type: result.value.mime }));
        setState({ key, value: { status: 'ready', url, mime: result.value.mime } });
      },
      () => {
        const message = 'Atelier Studio could not load this file. Close the panel and open the asset again.';
        if (live) setState({ key, value: { status: 'error', error: { code: 'INTERNAL', message } } });
      },
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
    // The fetcher is a fresh closure every render; the key is what identifies the file.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return state.key === key ? state.value : { status: 'loading' };
}
