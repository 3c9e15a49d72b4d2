// The asset library as the grid shows it: filters, a sparse list filled page by page, selection, tags and undo state.
import { create } from 'zustand';
import type {
  AssetKind,
  AssetSource,
  AssetSummary,
  AssetTag,
  EditState,
  FindingCheck,
  JobSummary,
  Result,
  Subcategory,
  TagCount,
} from '../../../preload/contract';
import { api, importDrop, importFiles, type ImportItem, type ImportOptions } from '../../platform';
import { useJobs } from '../jobs/store';
import { reportFailure, useToasts } from '../toasts/store';
import { NO_FILTERS, checksForKind, countLabel, sameQuery, toQuery, type LibraryFilters } from './filters';
import { pagesCovering } from './grid-layout';
import {
  EMPTY_SELECTION,
  clearSelection,
  clickSelection,
  selectAll,
  type ClickModifiers,
  type SelectionState,
} from './selection';

/** Assets per list call. 120 rows of summaries are ~60 kB; a screen at 1080p shows 20–40 tiles. */
export const ASSETS_PAGE_SIZE = 120;
/** The contract's largest list page (assetQuerySchema.limit); "select all" asks for at most this many ids. */
export const LIST_LIMIT_MAX = 10_000;
/** Imports emit one 'assets:changed' per file; changes closer together than this reload once. */
const CHANGE_COALESCE_MS = 150;
/** Rows for a scrolled-to range are asked for at most this often (a fling passes pages it never shows). */
const RANGE_FETCH_MS = 60;
/** Problem counts cost one small query per check; they refresh at most this often. */
const PROBLEM_COUNTS_COALESCE_MS = 1_000;

/** Which set the health panel checks: the selection, "All" work samples (the last 100), or the whole library of a kind. */
export type HealthScope = 'selection' | 'all-work-samples' | 'library';
export interface HealthChoice {
  scope: HealthScope;
  kind: AssetKind;
  subcategory: Subcategory | null;
}

export const NO_EDITS: EditState = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null };

interface AssetsState {
  filters: LibraryFilters;
  /** Matching assets (for the current filters). */
  total: number;
  /** The first answer for the current filters has arrived. */
  loaded: boolean;
  /** The library holds nothing at all (not just nothing matching). */
  libraryEmpty: boolean;
  /** One slot per matching asset, newest first; a hole is a page not fetched yet. */
  items: (AssetSummary | undefined)[];
  selection: SelectionState;
  /** The asset shown in the asset panel. */
  openAssetId: string | null;
  /** Bumped to ask the grid to scroll an index into view. */
  scrollRequest: { index: number; seq: number } | null;
  tags: TagCount[];
  problemCounts: Partial<Record<FindingCheck, number>>;
  edits: EditState;
  healthOpen: boolean;
  health: HealthChoice;
  importSource: AssetSource;
  /** YYYY-MM-DD from the date field; only used for work samples. */
  deliveredOn: string;
  /** True while files are read and handed to the studio (before the import job takes over). */
  starting: boolean;

  /** Reads the list again keeping what is shown until the new rows arrive (after changes, reconnects). */
  load(): Promise<void>;
  /** Makes sure the rows for asset indexes [start, end) are fetched. */
  ensureRange(start: number, end: number): void;
  setFilters(patch: Partial<LibraryFilters>): void;
  clearFilters(): void;
  click(index: number, mods: ClickModifiers): Promise<void>;
  setFocus(index: number | null, extendFrom?: boolean): Promise<void>;
  toggleFocused(): void;
  selectAllMatching(): Promise<void>;
  clearSelection(): void;
  openAsset(assetId: string | null): void;
  tagSelected(add: AssetTag[], remove: AssetTag[]): Promise<boolean>;
  archiveSelected(archived: boolean): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  setHealthOpen(open: boolean): void;
  setHealth(patch: Partial<HealthChoice> & { open?: boolean }): void;
  setImportSource(source: AssetSource, deliveredOn?: string): void;
  importFiles(files: readonly ImportItem[]): Promise<void>;
  importDrop(data: DataTransfer): Promise<void>;
  loadTags(): Promise<void>;
  loadProblemCounts(): Promise<void>;
  loadEdits(): Promise<void>;
  reset(): void;
}

// Every filter state and every change gets a generation; answers for an older one are dropped.
let generation = 0;
/** Page index → generation it was fetched (or is being fetched) for. */
const fetched = new Map<number, number>();
/** The index range the grid showed last, refetched after a change. */
let lastRange: [number, number] = [0, ASSETS_PAGE_SIZE];
let changeTimer: ReturnType<typeof setTimeout> | null = null;
let rangeTimer: ReturnType<typeof setTimeout> | null = null;
let countsTimer: ReturnType<typeof setTimeout> | null = null;
let scrollSeq = 0;

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The delivery date field as ISO 8601 (local midnight), or undefined when empty or not a date. */
export function deliveredAtIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const at = new Date(`${day}T00:00:00`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

function initial() {
  return {
    filters: NO_FILTERS,
    total: 0,
    loaded: false,
    libraryEmpty: false,
    items: [] as (AssetSummary | undefined)[],
    selection: EMPTY_SELECTION,
    openAssetId: null,
    scrollRequest: null,
    tags: [] as TagCount[],
    problemCounts: {},
    edits: NO_EDITS,
    healthOpen: false,
    health: { scope: 'library', kind: 'image', subcategory: null } as HealthChoice,
    importSource: 'upload' as AssetSource,
    deliveredOn: today(),
    starting: false,
  };
}

export const useAssets = create<AssetsState>()((set, get) => {
  /** Writes one page's rows into the sparse list (resizing it to the new total). */
  function place(offset: number, rows: AssetSummary[], total: number): void {
    const items = get().items.slice(0, total);
    if (items.length < total) items.length = total;
    for (let i = 0; i < rows.length && offset + i < total; i++) items[offset + i] = rows[i];
    set({ items, total, loaded: true });
  }

  async function fetchPage(page: number): Promise<void> {
    const mine = generation;
    fetched.set(page, mine);
    const { filters } = get();
    const answer = await api.assets.list(toQuery(filters, page * ASSETS_PAGE_SIZE, ASSETS_PAGE_SIZE));
    if (mine !== generation) return;
    if (!reportFailure(answer) || !answer.ok) {
      // Not remembered as fetched: the next scroll over it tries again.
      fetched.delete(page);
      set({ loaded: true });
      return;
    }
    place(page * ASSETS_PAGE_SIZE, answer.value.items, answer.value.total);
    if (page === 0) void checkLibraryEmpty(answer.value.total, mine);
  }

  async function checkLibraryEmpty(total: number, mine: number): Promise<void> {
    if (total > 0) {
      if (get().libraryEmpty) set({ libraryEmpty: false });
      return;
    }
    // Nothing matches; is there anything at all? (decides between "import something" and "clear filters")
    if (sameQuery(get().filters, NO_FILTERS)) {
      set({ libraryEmpty: true });
      return;
    }
    const any = await api.assets.list({ offset: 0, limit: 1 });
    if (mine === generation && any.ok) set({ libraryEmpty: any.value.total === 0 && any.value.items.length === 0 });
  }

  /** Ids of the matching assets at indexes [lo, hi], fetching rows not loaded yet. */
  async function idsBetween(lo: number, hi: number): Promise<string[] | null> {
    const { items } = get();
    const ids: string[] = [];
    let missing = false;
    for (let i = lo; i <= hi; i++) {
      const item = items[i];
      if (item) ids.push(item.id);
      else missing = true;
    }
    if (!missing) return ids;
    const mine = generation;
    const answer = await api.assets.list(toQuery(get().filters, lo, Math.min(LIST_LIMIT_MAX, hi - lo + 1)));
    if (mine !== generation || !reportFailure(answer) || !answer.ok) return null;
    place(lo, answer.value.items, answer.value.total);
    return answer.value.items.map((a) => a.id);
  }

  function refetchVisible(): void {
    generation++;
    fetched.clear();
    const [start, end] = lastRange;
    const pages = new Set([0, ...pagesCovering(start, end, ASSETS_PAGE_SIZE)]);
    for (const page of pages) void fetchPage(page);
  }

  return {
    ...initial(),

    async load() {
      refetchVisible();
      void get().loadTags();
      void get().loadEdits();
      scheduleProblemCounts(get);
    },

    ensureRange(start, end) {
      lastRange = [start, end];
      // Throttled: during a fling the range changes every frame, and only where it pauses needs rows.
      if (rangeTimer) return;
      rangeTimer = setTimeout(() => {
        rangeTimer = null;
        const [from, to] = lastRange;
        for (const page of pagesCovering(from, to, ASSETS_PAGE_SIZE)) {
          if (fetched.get(page) !== generation) void fetchPage(page);
        }
      }, RANGE_FETCH_MS);
    },

    setFilters(patch) {
      const filters = { ...get().filters, ...patch };
      const before = get().filters;
      set({ filters });
      if (sameQuery(before, filters)) return;
      generation++;
      fetched.clear();
      lastRange = [0, ASSETS_PAGE_SIZE];
      // A new question: the old rows are not answers to it. The selection stays (it is by id).
      set({ items: [], total: 0, loaded: false, selection: { ...get().selection, anchor: null, focus: null } });
      void fetchPage(0);
      if (before.kind !== filters.kind || before.archived !== filters.archived) scheduleProblemCounts(get);
    },

    clearFilters() {
      get().setFilters({ ...NO_FILTERS });
    },

    async click(index, mods) {
      const { selection, items } = get();
      const id = items[index]?.id;
      if (!id) return;
      let range: readonly string[] = [id];
      if (mods.range && selection.anchor !== null) {
        const [lo, hi] = selection.anchor <= index ? [selection.anchor, index] : [index, selection.anchor];
        const ids = await idsBetween(lo, hi);
        if (!ids) return;
        range = ids;
      }
      set({ selection: clickSelection(get().selection, index, id, mods, range) });
    },

    async setFocus(index, extend = false) {
      const { selection } = get();
      if (index === null) {
        set({ selection: { ...selection, focus: null } });
        return;
      }
      if (!extend) {
        set({ selection: { ...selection, focus: index, anchor: index }, scrollRequest: { index, seq: ++scrollSeq } });
        return;
      }
      const anchor = selection.anchor ?? selection.focus ?? index;
      const [lo, hi] = anchor <= index ? [anchor, index] : [index, anchor];
      set({ selection: { ...selection, focus: index }, scrollRequest: { index, seq: ++scrollSeq } });
      const ids = await idsBetween(lo, hi);
      if (ids) set({ selection: { selected: new Set(ids), anchor, focus: index } });
    },

    toggleFocused() {
      const { selection, items } = get();
      if (selection.focus === null) return;
      const id = items[selection.focus]?.id;
      if (id) set({ selection: clickSelection(selection, selection.focus, id, { toggle: true, range: false }) });
    },

    async selectAllMatching() {
      const { total } = get();
      if (total === 0) return;
      const ids = await idsBetween(0, Math.min(total, LIST_LIMIT_MAX) - 1);
      if (ids) set({ selection: selectAll(get().selection, ids) });
    },

    clearSelection() {
      set({ selection: clearSelection(get().selection) });
    },

    openAsset(assetId) {
      if (assetId === null) {
        set({ openAssetId: null });
        return;
      }
      const index = get().items.findIndex((a) => a?.id === assetId);
      if (index >= 0) {
        set({
          openAssetId: assetId,
          selection: { ...get().selection, focus: index, anchor: index },
          scrollRequest: { index, seq: ++scrollSeq },
        });
      } else {
        set({ openAssetId: assetId });
      }
    },

    async tagSelected(add, remove) {
      const assetIds = [...get().selection.selected];
      if (assetIds.length === 0 || (add.length === 0 && remove.length === 0)) return false;
      const answer = await api.assets.tag({ assetIds, add, remove });
      if (!reportFailure(answer, 'The tags could not be changed') || !answer.ok) return false;
      const words = [...add.map((t) => `+${t.value}`), ...remove.map((t) => `−${t.value}`)].join(', ');
      useToasts.getState().show({
        kind: 'success',
        heading: `Tags changed on ${countLabel(answer.value.changed, 'asset', 'assets')}`,
        message: `${words}. Undo with Ctrl+Z (⌘Z).`,
      });
      return true;
    },

    async archiveSelected(archived) {
      const assetIds = [...get().selection.selected];
      if (assetIds.length === 0) return;
      const answer = await api.assets.archive({ assetIds, archived });
      if (!reportFailure(answer) || !answer.ok) return;
      set({ selection: clearSelection(get().selection) });
      useToasts.getState().show({
        kind: 'success',
        heading: `${archived ? 'Archived' : 'Restored'} ${countLabel(answer.value.changed, 'asset', 'assets')}`,
        message: archived
          ? 'Archived assets leave the library and every set; the originals are kept. Undo with Ctrl+Z (⌘Z).'
          : 'They are back in the library.',
      });
    },

    async undo() {
      if (!get().edits.canUndo) return;
      const answer = await api.edits.undo();
      if (reportFailure(answer, 'Nothing was undone') && answer.ok) set({ edits: answer.value });
    },

    async redo() {
      if (!get().edits.canRedo) return;
      const answer = await api.edits.redo();
      if (reportFailure(answer, 'Nothing was redone') && answer.ok) set({ edits: answer.value });
    },

    setHealthOpen(open) {
      set({ healthOpen: open });
    },

    setHealth({ open, ...patch }) {
      set({ health: { ...get().health, ...patch }, ...(open !== undefined ? { healthOpen: open } : {}) });
    },

    setImportSource(source, deliveredOn) {
      set({ importSource: source, ...(deliveredOn !== undefined ? { deliveredOn } : {}) });
    },

    async importFiles(files) {
      if (files.length === 0) return;
      set({ starting: true });
      try {
        track(await importFiles(files, importOptions(get())));
      } finally {
        set({ starting: false });
      }
    },

    async importDrop(data) {
      // importDrop takes the drop's entries before its first await; nothing may come before it.
      const running = importDrop(data, importOptions(get()));
      set({ starting: true });
      try {
        const dropped = await running;
        if (dropped.unreadable.length > 0) {
          useToasts.getState().show({
            kind: 'error',
            heading: 'Some dropped files could not be read',
            message: 'They may have been moved, or this browser was not allowed to read them. The rest is importing.',
            lines: dropped.unreadable.slice(0, 20),
          });
        }
        if (dropped.truncated) {
          useToasts.getState().show({
            kind: 'error',
            heading: 'The folder holds too many files',
            message: `One drop imports at most ${LIST_LIMIT_MAX.toLocaleString('en-US')} files; the first ones are importing. Drop the rest in smaller folders.`,
          });
        }
        track(dropped.results);
      } finally {
        set({ starting: false });
      }
    },

    async loadTags() {
      const mine = generation;
      const answer = await api.assets.tags();
      if (answer.ok && mine <= generation) set({ tags: answer.value });
    },

    async loadProblemCounts() {
      const { filters } = get();
      const checks = checksForKind(filters.kind);
      const base = { kind: filters.kind === 'all' ? undefined : filters.kind, archived: filters.archived };
      const answers = await Promise.all(
        checks.map((problem) => api.assets.list({ offset: 0, limit: 1, problem, ...(base.kind ? { kind: base.kind } : {}), archived: base.archived })),
      );
      const counts: Partial<Record<FindingCheck, number>> = {};
      answers.forEach((answer, i) => {
        const check = checks[i];
        if (check && answer.ok && answer.value.total > 0) counts[check] = answer.value.total;
      });
      set({ problemCounts: counts });
    },

    async loadEdits() {
      const answer = await api.edits.state();
      if (answer.ok) set({ edits: answer.value });
    },

    reset() {
      generation++;
      fetched.clear();
      lastRange = [0, ASSETS_PAGE_SIZE];
      if (changeTimer) clearTimeout(changeTimer);
      if (countsTimer) clearTimeout(countsTimer);
      if (rangeTimer) clearTimeout(rangeTimer);
      changeTimer = countsTimer = rangeTimer = null;
      set({ ...initial() });
    },
  };
});

function importOptions(state: AssetsState): ImportOptions {
  if (state.importSource !== 'work-sample') return { source: state.importSource };
  const deliveredAt = deliveredAtIso(state.deliveredOn);
  return deliveredAt ? { source: 'work-sample', deliveredAt } : { source: 'work-sample' };
}

function track(started: Result<JobSummary>[]): void {
  let tracked = false;
  for (const result of started) {
    if (reportFailure(result) && result.ok) {
      useJobs.getState().track(result.value);
      tracked = true;
    }
  }
  // The creator sees the progress at once; the tray is where it lives.
  if (tracked) useJobs.getState().setTrayOpen(true);
}

function scheduleProblemCounts(get: () => AssetsState): void {
  if (countsTimer) return;
  countsTimer = setTimeout(() => {
    countsTimer = null;
    void get().loadProblemCounts();
  }, PROBLEM_COUNTS_COALESCE_MS);
}

api.on('assets:changed', () => {
  if (changeTimer) return;
  changeTimer = setTimeout(() => {
    changeTimer = null;
    void useAssets.getState().load();
  }, CHANGE_COALESCE_MS);
});

api.on('edits:changed', (edits) => {
  useAssets.setState({ edits });
});
