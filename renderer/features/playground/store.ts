// The playground's live state: the generation job in flight and the coarse previews it streams.
import { create } from 'zustand';
import type { JobPreview } from '../../../preload/contract';
import { api } from '../../platform';
import { bytesUrl } from '../../ui/use-object-url';

export interface PreviewShown {
  index: number;
  level: number;
  levels: number;
  url: string;
}

/** What the creator had typed and picked for one model, kept while they visit other sections (until lock). */
export interface PlaygroundDraft<R = unknown> {
  prompt: string;
  seedText: string;
  count: number;
  size: number;
  lengthS: number;
  /** The reference picked or dropped (its object URL stays valid while the draft lives). */
  reference: R | null;
  jobId: string | null;
}

interface PlaygroundState {
  drafts: Record<string, PlaygroundDraft>;
  saveDraft(modelId: string, draft: PlaygroundDraft): void;
  /** Jobs this window started, newest last (their previews are kept while they run). */
  jobIds: string[];
  previews: Record<string, PreviewShown[]>;
  /** Bumped when the gallery should reload (a generation finished or changed). */
  galleryTick: number;
  started(jobId: string): void;
  clearPreviews(jobId: string): void;
  reset(): void;
}

export const usePlayground = create<PlaygroundState>()((set, get) => ({
  drafts: {},
  saveDraft(modelId, draft) {
    set({ drafts: { ...get().drafts, [modelId]: draft } });
  },
  jobIds: [],
  previews: {},
  galleryTick: 0,
  started(jobId) {
    set({ jobIds: [...get().jobIds.filter((j) => j !== jobId), jobId] });
  },
  clearPreviews(jobId) {
    for (const p of get().previews[jobId] ?? []) URL.revokeObjectURL(p.url);
    const { [jobId]: _gone, ...rest } = get().previews;
    set({ previews: rest });
  },
  reset() {
    for (const list of Object.values(get().previews)) for (const p of list) URL.revokeObjectURL(p.url);
    for (const draft of Object.values(get().drafts)) {
      const ref = draft.reference as { kind?: string; url?: string } | null;
      if (ref?.kind === 'file' && ref.url) URL.revokeObjectURL(ref.url);
    }
    set({ jobIds: [], previews: {}, drafts: {} });
  },
}));

function onPreview(p: JobPreview): void {
  const state = usePlayground.getState();
  if (!state.jobIds.includes(p.jobId)) return;
  const list = state.previews[p.jobId] ?? [];
  const old = list.find((x) => x.index === p.index);
  // Levels arrive coarse to fine; a late coarse one must not replace a finer picture.
  if (old && old.level >= p.level) return;
  if (old) URL.revokeObjectURL(old.url);
  const next = [...list.filter((x) => x.index !== p.index), { index: p.index, level: p.level, levels: p.levels, url: bytesUrl(p.image) }];
  next.sort((a, b) => a.index - b.index);
  usePlayground.setState({ previews: { ...state.previews, [p.jobId]: next } });
}

api.on('jobs:preview', onPreview);
api.on('playground:changed', () => usePlayground.setState({ galleryTick: usePlayground.getState().galleryTick + 1 }));
