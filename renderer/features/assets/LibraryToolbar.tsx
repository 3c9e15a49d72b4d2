// The library's toolbar: counts, undo/redo, import with its source, and the filters (kind, source, tag, problem, search, archived).
import { useEffect, useRef, useState } from 'react';
import { ASSET_KINDS, type AssetKind, type AssetSource, type FindingCheck } from '../../../preload/contract';
import type { ImportItem } from '../../platform';
import { FolderIcon, HealthIcon, ImportIcon, RedoIcon, SearchIcon, UndoIcon } from '../../ui/icons';
import { CHECK_LABELS, KIND_LABELS, SOURCE_LABELS, checksForKind, countLabel, hasFilters } from './filters';
import { useShell } from '../shell/store';
import { useAssets } from './store';

/** Typing pauses this long before the search runs (one query per word, not per key). */
export const SEARCH_DEBOUNCE_MS = 250;
/** What the file chooser offers: images, audio (wav, mp3, flac, ogg, opus) and text (txt, md) — issue 3 "Import". */
export const IMPORT_ACCEPT = [
  'image/*',
  '.svg',
  'audio/wav',
  'audio/x-wav',
  'audio/mpeg',
  'audio/flac',
  'audio/ogg',
  'audio/opus',
  '.wav',
  '.mp3',
  '.flac',
  '.ogg',
  '.oga',
  '.opus',
  'text/plain',
  'text/markdown',
  '.txt',
  '.md',
  '.markdown',
].join(',');

/** Why undo does not reach back further (the history lives in the unlocked session only). */
export const HISTORY_NOTE = 'Edit history ends when the profile locks.';

export function LibraryHeader({ shortcut, mac, onImport }: { shortcut: string; mac: boolean; onImport(items: ImportItem[]): void }) {
  const total = useAssets((s) => s.total);
  const loaded = useAssets((s) => s.loaded);
  const selected = useAssets((s) => s.selection.selected.size);
  const archived = useAssets((s) => s.filters.archived);
  const filtered = useAssets((s) => hasFilters(s.filters));
  const healthOpen = useAssets((s) => s.healthOpen);

  return (
    <div className="library-header">
      <div className="library-counts" data-testid="library-count" aria-live="polite">
        <strong>
          {loaded
            ? countLabel(total, archived ? 'archived asset' : filtered ? 'matching asset' : 'asset', archived ? 'archived assets' : filtered ? 'matching assets' : 'assets')
            : 'Loading your library…'}
        </strong>
        {selected > 0 ? <span className="muted">, {selected.toLocaleString('en-US')} selected</span> : null}
      </div>
      <div className="library-actions">
        <UndoRedo mac={mac} />
        <span className="divider" aria-hidden="true" />
        <button
          type="button"
          className={`button small${healthOpen ? ' on' : ''}`}
          data-testid="health-open"
          aria-pressed={healthOpen}
          onClick={() => useAssets.getState().setHealthOpen(!healthOpen)}
        >
          <HealthIcon />
          Set health
        </button>
        <span className="divider" aria-hidden="true" />
        <ImportControls shortcut={shortcut} onImport={onImport} />
      </div>
    </div>
  );
}

function UndoRedo({ mac }: { mac: boolean }) {
  const edits = useAssets((s) => s.edits);
  const undoKeys = mac ? '⌘Z' : 'Ctrl+Z';
  const redoKeys = mac ? '⇧⌘Z' : 'Ctrl+Shift+Z';
  return (
    <div className="undo-redo" role="group" aria-label="Edit history">
      <button
        type="button"
        className="button small quiet"
        data-testid="undo-button"
        disabled={!edits.canUndo}
        title={`${edits.undoLabel ?? 'Nothing to undo'} (${undoKeys}). ${HISTORY_NOTE}`}
        aria-keyshortcuts="Control+Z Meta+Z"
        onClick={() => void useAssets.getState().undo()}
      >
        <UndoIcon />
        <span className="undo-label">{edits.undoLabel ?? 'Undo'}</span>
      </button>
      <button
        type="button"
        className="button small quiet"
        data-testid="redo-button"
        disabled={!edits.canRedo}
        title={`${edits.redoLabel ?? 'Nothing to redo'} (${redoKeys}). ${HISTORY_NOTE}`}
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
        onClick={() => void useAssets.getState().redo()}
      >
        <RedoIcon />
        <span className="undo-label">{edits.redoLabel ?? 'Redo'}</span>
      </button>
    </div>
  );
}

function ImportControls({ shortcut, onImport }: { shortcut: string; onImport(items: ImportItem[]): void }) {
  const source = useAssets((s) => s.importSource);
  const deliveredOn = useAssets((s) => s.deliveredOn);
  const starting = useAssets((s) => s.starting);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const importPending = useShell((s) => s.importPending);

  // Ctrl/Cmd+I from anywhere asks the shell; the chooser opens here.
  useEffect(() => {
    if (importPending && useShell.getState().takeImportRequest()) fileInput.current?.click();
  }, [importPending]);

  // The folder chooser is a non-standard attribute React does not type; set it on the element.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  function chosen(input: HTMLInputElement) {
    const files = Array.from(input.files ?? []);
    // Cleared so choosing the same files again still fires a change.
    input.value = '';
    // A folder chooser lists hidden files too ("flash/.DS_Store"); the creator's work never starts with a dot.
    onImport(files.filter((f) => !(f.webkitRelativePath || f.name).split('/').some((part) => part.startsWith('.'))));
  }

  return (
    <div className="import-controls">
      <label className="inline-field">
        <span className="visually-hidden">Import as</span>
        <select
          data-testid="import-source"
          value={source}
          title="What the imported files are: portfolio pieces, work samples (past client deliveries) or plain uploads"
          onChange={(e) => useAssets.getState().setImportSource(e.currentTarget.value as AssetSource)}
        >
          {(['upload', 'portfolio', 'work-sample'] as const).map((s) => (
            <option key={s} value={s}>
              {s === 'upload' ? 'As uploads' : s === 'portfolio' ? 'As portfolio' : 'As work samples'}
            </option>
          ))}
        </select>
      </label>
      {source === 'work-sample' ? (
        <label className="inline-field">
          <span className="inline-label">Delivered</span>
          <input
            type="date"
            data-testid="import-delivered-at"
            value={deliveredOn}
            title="When the work was delivered to the client: “All” work samples are the last 100 by this date"
            onChange={(e) => useAssets.getState().setImportSource('work-sample', e.currentTarget.value)}
          />
        </label>
      ) : null}
      <button
        type="button"
        className="button small"
        data-testid="import-folder-button"
        disabled={starting}
        onClick={() => folderInput.current?.click()}
      >
        <FolderIcon />
        Folder
      </button>
      <button
        type="button"
        className="button primary"
        data-testid="import-button"
        onClick={() => fileInput.current?.click()}
        disabled={starting}
        aria-keyshortcuts="Control+I Meta+I"
      >
        <ImportIcon />
        {starting ? 'Sending…' : 'Import'}
        <span className="kbd">{shortcut}</span>
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        accept={IMPORT_ACCEPT}
        hidden
        data-testid="import-input"
        aria-label="Files to import"
        onChange={(e) => chosen(e.currentTarget)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        data-testid="import-folder-input"
        aria-label="A folder to import"
        onChange={(e) => chosen(e.currentTarget)}
      />
    </div>
  );
}

export function FilterBar() {
  const filters = useAssets((s) => s.filters);
  const tags = useAssets((s) => s.tags);
  const problemCounts = useAssets((s) => s.problemCounts);
  const [search, setSearch] = useState(filters.search);
  const set = useAssets.getState().setFilters;

  // The store's search changes from outside too ("clear filters").
  useEffect(() => setSearch(filters.search), [filters.search]);
  useEffect(() => {
    if (search === useAssets.getState().filters.search) return;
    const timer = setTimeout(() => useAssets.getState().setFilters({ search }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search]);

  // One entry per tag value (the filter matches any tag family), with the summed count.
  const tagValues = new Map<string, number>();
  for (const t of tags) tagValues.set(t.value, (tagValues.get(t.value) ?? 0) + t.count);
  const tagOptions = [...tagValues.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (filters.tag && !tagValues.has(filters.tag)) tagOptions.unshift([filters.tag, 0]);
  const checks = checksForKind(filters.kind).filter((c) => (problemCounts[c] ?? 0) > 0 || filters.problem === c);

  return (
    <div className="filter-bar" role="search" aria-label="Filter the library">
      <div className="segmented" role="radiogroup" aria-label="Kind">
        {(['all', ...ASSET_KINDS] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={filters.kind === k}
            className={filters.kind === k ? 'on' : undefined}
            data-testid={`filter-kind-${k}`}
            onClick={() => set({ kind: k as AssetKind | 'all', problem: null })}
          >
            {k === 'all' ? 'All' : KIND_LABELS[k]}
          </button>
        ))}
      </div>
      <label className="inline-field">
        <span className="visually-hidden">Source</span>
        <select
          data-testid="filter-source"
          value={filters.source}
          onChange={(e) => set({ source: e.currentTarget.value as AssetSource | 'all' })}
        >
          {(['all', 'portfolio', 'work-sample', 'upload'] as const).map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span className="visually-hidden">Tag</span>
        <select data-testid="filter-tag" value={filters.tag ?? ''} onChange={(e) => set({ tag: e.currentTarget.value || null })}>
          <option value="">Any tag</option>
          {tagOptions.map(([value, count]) => (
            <option key={value} value={value}>
              {value} ({count.toLocaleString('en-US')})
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span className="visually-hidden">Problem</span>
        <select
          data-testid="filter-problem"
          value={filters.problem ?? ''}
          onChange={(e) => set({ problem: (e.currentTarget.value || null) as FindingCheck | 'any' | null })}
        >
          <option value="">Any health</option>
          <option value="any">With a problem</option>
          {checks.map((c) => (
            <option key={c} value={c}>
              {CHECK_LABELS[c]} ({(problemCounts[c] ?? 0).toLocaleString('en-US')})
            </option>
          ))}
        </select>
      </label>
      <label className="search-field">
        <SearchIcon />
        <span className="visually-hidden">Search names and tags</span>
        <input
          type="search"
          data-testid="filter-search"
          placeholder="Search names and tags"
          value={search}
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
      </label>
      <label className="toggle-field">
        <input
          type="checkbox"
          data-testid="filter-archived"
          checked={filters.archived}
          onChange={(e) => set({ archived: e.currentTarget.checked })}
        />
        Archived
      </label>
      {hasFilters(filters) ? (
        <button type="button" className="button small quiet" data-testid="clear-filters-bar" onClick={() => useAssets.getState().clearFilters()}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
