// The library screen: toolbar and filters, the virtualised grid with drag-and-drop, selection, set health and the asset panel.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { api } from '../../platform';
import { AssetsIcon, ImportIcon } from '../../ui/icons';
import { AssetPanel } from '../asset-panel/AssetPanel';
import { useShell } from '../shell/store';
import { CacheContext } from './AssetTile';
import { HealthPanel } from './HealthPanel';
import { LibraryGrid } from './LibraryGrid';
import { FilterBar, LibraryHeader } from './LibraryToolbar';
import { SelectionBar } from './SelectionBar';
import { isTextTarget, libraryShortcut } from './library-keys';
import { useAssets } from './store';
import { ThumbnailCache } from './thumbnail-cache';
import './assets.css';

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function AssetsScreen({ shortcut, mac = false }: { shortcut: string; mac?: boolean }) {
  const total = useAssets((s) => s.total);
  const loaded = useAssets((s) => s.loaded);
  const libraryEmpty = useAssets((s) => s.libraryEmpty);
  const openAssetId = useAssets((s) => s.openAssetId);
  const healthOpen = useAssets((s) => s.healthOpen);
  const [cache, setCache] = useState<ThumbnailCache | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);

  useEffect(() => {
    void useAssets.getState().load();
  }, []);

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
    function onKey(event: KeyboardEvent) {
      if (event.defaultPrevented) return;
      const action = libraryShortcut(event, isTextTarget(event.target));
      if (!action) return;
      // A modal dialog owns the keyboard (Escape closes it; its fields undo their own typing).
      if (document.querySelector('dialog[open]')) return;
      const state = useAssets.getState();
      if (action === 'clear-selection') {
        if (state.selection.selected.size > 0) state.clearSelection();
        return;
      }
      event.preventDefault();
      if (action === 'undo') void state.undo();
      else if (action === 'redo') void state.redo();
      else void state.selectAllMatching();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
    // Synchronously: the browser empties the DataTransfer when this handler returns.
    if (event.dataTransfer) void useAssets.getState().importDrop(event.dataTransfer);
  }

  const side = openAssetId ? (
    <aside className="side-panel asset-side" aria-label="Asset">
      <AssetPanel key={openAssetId} assetId={openAssetId} onClose={() => useAssets.getState().openAsset(null)} />
    </aside>
  ) : healthOpen ? (
    <HealthPanel />
  ) : null;

  return (
    <CacheContext.Provider value={cache}>
      <div className="library">
        <LibraryHeader shortcut={shortcut} mac={mac} onImport={(items) => void useAssets.getState().importFiles(items)} />
        {libraryEmpty ? null : <FilterBar />}
        {libraryEmpty ? null : <SelectionBar mac={mac} />}
        <div className="library-body">
          <div
            className={`asset-dropzone${dragging ? ' dragging' : ''}`}
            data-testid="asset-dropzone"
            onDragEnter={onDragEnter}
            onDragOver={onDragOver}
            onDragLeave={onDragLeave}
            onDrop={onDrop}
          >
            {libraryEmpty ? <AssetsEmpty /> : loaded && total === 0 ? <NoMatches /> : <LibraryGrid mac={mac} />}
            {dragging ? (
              <div className="drop-overlay" aria-hidden="true">
                <ImportIcon />
                <span>Drop files or folders to import them</span>
              </div>
            ) : null}
          </div>
          {side}
        </div>
      </div>
    </CacheContext.Provider>
  );
}

function AssetsEmpty() {
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
          style you want the model to make. Mark work samples with their delivery date: “All” work samples means the last
          100.
        </li>
        <li>
          <strong>How many:</strong> 10 to 50 pieces make a good set. A consistent style matters more than a big one.
        </li>
        <li>
          <strong>Images:</strong> 1024 × 1024 pixels or larger works best; JPEG, PNG, WebP, AVIF, TIFF, GIF and SVG.
        </li>
        <li>
          <strong>Audio:</strong> WAV, MP3, FLAC, OGG or Opus, at least 10 seconds (voice over: 30 seconds, ideally 60).
        </li>
        <li>
          <strong>Text:</strong> plain text or Markdown.
        </li>
      </ul>
      <div className="empty-actions">
        <button
          type="button"
          className="button primary"
          onClick={() => useShell.getState().requestImport()}
        >
          Choose files
        </button>
        <span className="muted">or drag files and whole folders from your file manager onto this area.</span>
      </div>
    </div>
  );
}

function NoMatches() {
  return (
    <div className="empty-state no-matches" data-testid="assets-no-matches">
      <h2>Nothing matches these filters</h2>
      <p>No asset in your library fits every filter above. Loosen one, or start again from the whole library.</p>
      <div className="empty-actions">
        <button type="button" className="button primary" data-testid="clear-filters" onClick={() => useAssets.getState().clearFilters()}>
          Clear filters
        </button>
      </div>
    </div>
  );
}
