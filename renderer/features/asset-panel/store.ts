// The asset open in the panel: its detail and report, reloaded when the studio says it changed, and the
// panel's edits (tags, crop, trim, archive, one-click fixes) sent to the studio.
import { create } from 'zustand';
import type { AssetDetail, AssetTag, CropRect, ErrorInfo, FixKind, TagCount, TrimRange } from '../../../preload/contract';
import { api } from '../../platform';
import { reportFailure } from '../toasts/store';

export type PanelStatus = 'idle' | 'loading' | 'ready' | 'error';
/** Which edit is on its way to the studio (buttons show it and stay disabled meanwhile). */
export type PanelBusy = 'tags' | 'crop' | 'trim' | 'archive' | FixKind | null;

interface AssetPanelState {
  assetId: string | null;
  detail: AssetDetail | null;
  status: PanelStatus;
  error: ErrorInfo | null;
  /** Every tag in the library with its count, for completions. */
  libraryTags: TagCount[];
  busy: PanelBusy;
  open(assetId: string): Promise<void>;
  close(): void;
  /** Fetches the asset again (after an edit here or elsewhere, e.g. undo). Keeps the shown detail meanwhile. */
  reload(): Promise<void>;
  changeTags(add: AssetTag[], remove: AssetTag[]): Promise<boolean>;
  saveCrop(crop: CropRect | null): Promise<boolean>;
  saveTrim(trim: TrimRange | null): Promise<boolean>;
  setArchived(archived: boolean): Promise<boolean>;
  applyFix(fix: FixKind): Promise<boolean>;
}

// Every open/reload gets a number; an answer for an asset no longer shown is dropped.
let generation = 0;

export const useAssetPanel = create<AssetPanelState>()((set, get) => {
  async function fetchDetail(assetId: string, keepShown: boolean): Promise<void> {
    const mine = ++generation;
    if (!keepShown) set({ status: 'loading', error: null, detail: null });
    const [detail, tags] = await Promise.all([api.assets.get({ assetId }), api.assets.tags()]);
    if (mine !== generation || get().assetId !== assetId) return;
    if (tags.ok) set({ libraryTags: tags.value });
    if (detail.ok) {
      set({ detail: detail.value, status: 'ready', error: null });
    } else if (!keepShown || get().detail === null) {
      // The panel shows this error itself (with Try again), so no toast.
      set({ status: 'error', error: detail.error, detail: null });
    } else {
      reportFailure(detail, 'Could not refresh this asset');
    }
  }

  /** Runs one edit; the panel reloads afterwards so it shows what the studio stored. */
  async function edit(busy: Exclude<PanelBusy, null>, call: (assetId: string) => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>): Promise<boolean> {
    const assetId = get().assetId;
    if (!assetId || get().busy) return false;
    set({ busy });
    try {
      const result = await call(assetId);
      if (!reportFailure(result)) return false;
      await fetchDetail(assetId, true);
      return true;
    } finally {
      if (get().assetId === assetId) set({ busy: null });
    }
  }

  return {
    assetId: null,
    detail: null,
    status: 'idle',
    error: null,
    libraryTags: [],
    busy: null,

    async open(assetId) {
      if (get().assetId === assetId && get().status !== 'error') return;
      set({ assetId, busy: null });
      await fetchDetail(assetId, false);
    },

    close() {
      generation++;
      set({ assetId: null, detail: null, status: 'idle', error: null, busy: null });
    },

    async reload() {
      const assetId = get().assetId;
      if (assetId) await fetchDetail(assetId, get().detail !== null);
    },

    changeTags(add, remove) {
      return edit('tags', (assetId) => api.assets.tag({ assetIds: [assetId], add, remove }));
    },
    saveCrop(crop) {
      return edit('crop', (assetId) => api.assets.crop({ assetId, crop }));
    },
    saveTrim(trim) {
      return edit('trim', (assetId) => api.assets.trim({ assetId, trim }));
    },
    setArchived(archived) {
      return edit('archive', (assetId) => api.assets.archive({ assetIds: [assetId], archived }));
    },
    applyFix(fix) {
      return edit(fix, (assetId) => api.assets.fix({ fix, assetIds: [assetId] }));
    },
  };
});

// Undo/redo or a bulk edit elsewhere may change the open asset: show what the studio holds now.
api.on('assets:changed', ({ updated }) => {
  const { assetId, busy } = useAssetPanel.getState();
  // While an edit of ours is in flight the panel reloads when it returns.
  if (assetId && !busy && updated.includes(assetId)) void useAssetPanel.getState().reload();
});
