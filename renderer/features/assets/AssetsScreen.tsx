// Assets: import (button, Ctrl/Cmd+I, drag and drop) and the thumbnail grid of the creator's own work.
import { createContext, useContext, useEffect, useRef, useState, type DragEvent } from 'react';
import type { AssetSummary } from '../../../preload/contract';
import { api } from '../../platform';
import { formatBytes } from '../../platform/import-batches';
import { AssetsIcon, ImportIcon } from '../../ui/icons';
import { useNearViewport } from '../../ui/use-in-view';
import { useShell } from '../shell/store';
import { useToasts } from '../toasts/store';
import { useAssets } from './store';
import { ThumbnailCache, ThumbnailError } from './thumbnail-cache';
import './assets.css';

/** Below this on the short side an image still imports but trains less well (PRODUCT.md, asset checks). */
export const RECOMMENDED_MIN_SIDE = 1024;
/** The accept filter of the file chooser; drag and drop takes anything and the studio says what it refused. */
const IMAGE_ACCEPT = 'image/*';

const CacheContext = createContext<ThumbnailCache | null>(null);

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function AssetsScreen({ shortcut }: { shortcut: string }) {
  const items = useAssets((s) => s.items);
  const total = useAssets((s) => s.total);
  const loaded = useAssets((s) => s.loaded);
  const starting = useAssets((s) => s.starting);
  const load = useAssets((s) => s.load);
  const loadMore = useAssets((s) => s.loadMore);
  const startImport = useAssets((s) => s.importFiles);
  const importPending = useShell((s) => s.importPending);
  const inputRef = useRef<HTMLInputElement>(null);
  const [cache, setCache] = useState<ThumbnailCache | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);

  useEffect(() => {
    void load();
  }, [load]);

  // The cache lives exactly as long as the screen: leaving Assets revokes every thumbnail URL.
  useEffect(() => {
    const created = new ThumbnailCache((assetId) => api.assets.thumbnail({ assetId }), {
      create: (blob) => URL.createObjectURL(blob),
      revoke: (url) => URL.revokeObjectURL(url),
    });
    setCache(created);
    return () => created.dispose();
  }, []);

  useEffect(() => {
    if (importPending && useShell.getState().takeImportRequest()) inputRef.current?.click();
  }, [importPending]);

  function chooseFiles() {
    inputRef.current?.click();
  }

  function onChosen(input: HTMLInputElement) {
    const files = Array.from(input.files ?? []);
    // Cleared so choosing the same files again still fires a change.
    input.value = '';
    void startImport(files);
  }

  function onDragEnter(event: DragEvent) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current++;
    setDragging(true);
  }

  function onDragOver(event: DragEvent) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }

  function onDragLeave() {
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (dragDepth.current === 0) setDragging(false);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) void startImport(files);
  }

  return (
    <CacheContext.Provider value={cache}>
      <div className="assets-screen">
        <div className="assets-toolbar">
          <div>
            <p className="assets-count">
              {loaded ? (total === 1 ? '1 image' : `${total} images`) : 'Loading your library…'}
            </p>
            <p className="muted assets-sub">Newest first. Drop images anywhere on the grid to add them.</p>
          </div>
          <button
            type="button"
            className="button primary"
            data-testid="import-button"
            onClick={chooseFiles}
            disabled={starting}
            aria-keyshortcuts="Control+I Meta+I"
          >
            <ImportIcon />
            {starting ? 'Sending…' : 'Import images'}
            <span className="kbd">{shortcut}</span>
          </button>
          <input
            ref={inputRef}
            type="file"
            multiple
            accept={IMAGE_ACCEPT}
            hidden
            data-testid="import-input"
            aria-label="Images to import"
            onChange={(e) => onChosen(e.currentTarget)}
          />
        </div>

        <div
          className={`asset-dropzone${dragging ? ' dragging' : ''}`}
          data-testid="asset-dropzone"
          onDragEnter={onDragEnter}
          onDragOver={onDragOver}
          onDragLeave={onDragLeave}
          onDrop={onDrop}
        >
          {loaded && items.length === 0 ? (
            <AssetsEmpty onChoose={chooseFiles} />
          ) : (
            <ul className="asset-grid" data-testid="asset-grid" aria-label="Your assets">
              {items.map((asset) => (
                <AssetTile key={asset.id} asset={asset} />
              ))}
            </ul>
          )}
          {items.length < total ? <LoadMore key={items.length} onNear={loadMore} /> : null}
          {dragging ? (
            <div className="drop-overlay" aria-hidden="true">
              <ImportIcon />
              <span>Drop to import into your library</span>
            </div>
          ) : null}
        </div>
      </div>
    </CacheContext.Provider>
  );
}

function AssetsEmpty({ onChoose }: { onChoose: () => void }) {
  return (
    <div className="empty-state assets-empty" data-testid="assets-empty">
      <div className="empty-icon">
        <AssetsIcon />
      </div>
      <h2>Bring in your own work</h2>
      <p>
        Your creation model learns your style from the pieces you import here, on this computer. Nothing is uploaded
        anywhere.
      </p>
      <ul>
        <li>
          <strong>What to import:</strong> portfolio pieces and work samples from past client deliveries that show the
          style you want the model to make.
        </li>
        <li>
          <strong>How many:</strong> 10 to 50 images make a good set. A consistent style matters more than a big one.
        </li>
        <li>
          <strong>Size:</strong> 1024 × 1024 pixels or larger works best. JPEG, PNG, WebP, AVIF, TIFF and GIF are
          supported.
        </li>
      </ul>
      <div className="empty-actions">
        <button type="button" className="button primary" onClick={onChoose}>
          Choose images
        </button>
        <span className="muted">or drag them from your file manager onto this area.</span>
      </div>
    </div>
  );
}

/** Keyed by the number of rows shown, so it re-arms after each page arrives. */
function LoadMore({ onNear }: { onNear: () => unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearViewport(ref);
  useEffect(() => {
    if (near) onNear();
  }, [near, onNear]);
  return (
    <div ref={ref} className="load-more muted">
      Loading more…
    </div>
  );
}

function AssetTile({ asset }: { asset: AssetSummary }) {
  const cache = useContext(CacheContext);
  const ref = useRef<HTMLLIElement>(null);
  const near = useNearViewport(ref);
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [decoded, setDecoded] = useState(false);

  useEffect(() => {
    if (!near || !cache) return;
    let alive = true;
    cache.acquire(asset.id).then(
      (objectUrl) => {
        if (alive) setUrl(objectUrl);
      },
      (e: unknown) => {
        if (!alive || !(e instanceof ThumbnailError) || e.info.code === 'CANCELLED') return;
        setProblem(e.info.message);
        useToasts.getState().showError(e.info, 'A preview could not be loaded');
      },
    );
    return () => {
      alive = false;
      cache.release(asset.id);
    };
  }, [near, cache, asset.id]);

  const small =
    asset.width !== null && asset.height !== null && Math.min(asset.width, asset.height) < RECOMMENDED_MIN_SIDE;

  return (
    <li ref={ref} className="asset-tile" data-testid="asset-tile">
      <div className={`thumb-frame${decoded ? ' ready' : ''}`}>
        <img
          data-testid="asset-thumb"
          alt={asset.originalName}
          src={url ?? undefined}
          data-loaded={decoded ? 'true' : undefined}
          draggable={false}
          onLoad={(e) => {
            const img = e.currentTarget;
            void img
              .decode()
              .catch(() => undefined)
              .then(() => setDecoded(true));
          }}
          onError={() => {
            if (url) setProblem('This preview could not be shown.');
          }}
        />
        {problem ? (
          <span className="thumb-missing" title={problem}>
            No preview
          </span>
        ) : null}
      </div>
      <div className="asset-caption">
        <span className="asset-name" title={asset.originalName}>
          {asset.originalName}
        </span>
        <span className="asset-meta">
          <span>
            {asset.width !== null && asset.height !== null ? `${asset.width} × ${asset.height}` : asset.kind}
          </span>
          <span>{formatBytes(asset.byteSize)}</span>
          {small ? (
            <span
              className="asset-small"
              title={`Smaller than the recommended ${RECOMMENDED_MIN_SIDE} × ${RECOMMENDED_MIN_SIDE}: it can still be used, but larger images train better.`}
            >
              below {RECOMMENDED_MIN_SIDE} px
            </span>
          ) : null}
        </span>
      </div>
    </li>
  );
}
