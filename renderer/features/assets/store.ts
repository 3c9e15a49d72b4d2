// The asset library of the unlocked profile as the grid shows it, reloaded on 'assets:changed'.
import { create } from 'zustand';
import type { AssetSource, AssetSummary } from '../../../preload/contract';
import { api, importFiles } from '../../platform';
import { useJobs } from '../jobs/store';
import { reportFailure } from '../toasts/store';

/** Assets per list call; thumbnails are lazy, so a page this size costs little more than its rows. */
export const ASSETS_PAGE_SIZE = 200;

interface AssetsState {
  items: AssetSummary[];
  total: number;
  loaded: boolean;
  /** True while files are read and handed to the studio (before the import job takes over). */
  starting: boolean;
  /** Loads the first page again, keeping at least as many rows as are shown now. */
  load(): Promise<void>;
  loadMore(): Promise<void>;
  importFiles(files: readonly File[], source?: AssetSource): Promise<void>;
  reset(): void;
}

// Every load gets a number; an answer for an older one (e.g. from before a lock) is dropped.
let generation = 0;
let inFlight: Promise<void> | null = null;
let again = false;

export const useAssets = create<AssetsState>()((set, get) => ({
  items: [],
  total: 0,
  loaded: false,
  starting: false,

  load() {
    // Many 'assets:changed' in a row (one per imported file) coalesce into one reload after the current one.
    if (inFlight) {
      again = true;
      return inFlight;
    }
    const run = async (): Promise<void> => {
      do {
        again = false;
        const mine = generation;
        const limit = Math.max(ASSETS_PAGE_SIZE, get().items.length);
        const page = await api.assets.list({ offset: 0, limit });
        if (mine !== generation) return;
        if (reportFailure(page) && page.ok) set({ items: page.value.items, total: page.value.total, loaded: true });
        else set({ loaded: true });
      } while (again);
    };
    const running: Promise<void> = run().finally(() => {
      if (inFlight === running) inFlight = null;
    });
    inFlight = running;
    return running;
  },

  async loadMore() {
    if (inFlight) await inFlight;
    const { items, total } = get();
    if (items.length >= total) return;
    const mine = generation;
    const page = await api.assets.list({ offset: items.length, limit: ASSETS_PAGE_SIZE });
    if (mine !== generation || !reportFailure(page) || !page.ok) return;
    // Newest first: an import meanwhile shifts pages, so skip rows already shown.
    const seen = new Set(get().items.map((a) => a.id));
    set({ items: [...get().items, ...page.value.items.filter((a) => !seen.has(a.id))], total: page.value.total });
  },

  async importFiles(files, source) {
    if (files.length === 0) return;
    set({ starting: true });
    try {
      const started = await importFiles(files, source);
      let tracked = false;
      for (const result of started) {
        if (reportFailure(result) && result.ok) {
          useJobs.getState().track(result.value);
          tracked = true;
        }
      }
      // The creator sees the progress at once; the tray is where it lives.
      if (tracked) useJobs.getState().setTrayOpen(true);
    } finally {
      set({ starting: false });
    }
  },

  reset() {
    generation++;
    again = false;
    inFlight = null;
    set({ items: [], total: 0, loaded: false, starting: false });
  },
}));

api.on('assets:changed', () => {
  void useAssets.getState().load();
});
