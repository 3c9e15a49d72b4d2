// Models of the unlocked profile: the list, the catalogue, the open model's detail and its publish check.
import { create } from 'zustand';
import type {
  ModelDetail,
  ModelSummary,
  PublishCheck,
  SubcategoryId,
  SubcategoryInfo,
  SubscriptionView,
} from '../../../preload/contract';
import { api } from '../../platform';
import { useJobs } from '../jobs/store';
import { reportFailure } from '../toasts/store';

interface ModelsState {
  models: ModelSummary[];
  loaded: boolean;
  catalog: SubcategoryInfo[];
  subscription: SubscriptionView | null;
  /** The model the Models page shows (null: the list). */
  openId: string | null;
  /** The model Playground and Pricing work on (follows the last one opened or picked). */
  currentId: string | null;
  detail: ModelDetail | null;
  check: PublishCheck | null;
  load(): Promise<void>;
  loadSubscription(): Promise<void>;
  open(modelId: string | null): void;
  pick(modelId: string): void;
  refreshOpen(): Promise<void>;
  create(subcategory: SubcategoryId): Promise<ModelSummary | null>;
  rename(modelId: string, name: string): Promise<boolean>;
  train(modelId: string): Promise<boolean>;
  publish(modelId: string, active: boolean): Promise<boolean>;
  reset(): void;
}

// Answers for an older load (e.g. from before a lock) are dropped.
let generation = 0;

export const useModels = create<ModelsState>()((set, get) => ({
  models: [],
  loaded: false,
  catalog: [],
  subscription: null,
  openId: null,
  currentId: null,
  detail: null,
  check: null,

  async load() {
    const mine = ++generation;
    const [listed, catalog] = await Promise.all([api.models.list(), get().catalog.length ? null : api.catalog.subcategories()]);
    if (mine !== generation) return;
    if (catalog && reportFailure(catalog) && catalog.ok) set({ catalog: catalog.value });
    if (reportFailure(listed) && listed.ok) {
      const current = get().currentId;
      const keep = current && listed.value.some((m) => m.id === current) ? current : (listed.value[0]?.id ?? null);
      set({ models: listed.value, loaded: true, currentId: keep });
    }
    if (!get().subscription) void get().loadSubscription();
    if (get().openId) await get().refreshOpen();
  },

  async loadSubscription() {
    const got = await api.subscription.get();
    if (reportFailure(got) && got.ok) set({ subscription: got.value });
  },

  open(modelId) {
    set({ openId: modelId, detail: modelId === get().detail?.id ? get().detail : null, check: null });
    if (modelId) {
      set({ currentId: modelId });
      void get().refreshOpen();
    }
  },

  pick(modelId) {
    set({ currentId: modelId });
  },

  async refreshOpen() {
    const modelId = get().openId;
    if (!modelId) return;
    const mine = generation;
    const [detail, check] = await Promise.all([api.models.get({ modelId }), api.publishing.check({ modelId })]);
    if (mine !== generation || get().openId !== modelId) return;
    if (detail.ok) set({ detail: detail.value });
    else if (detail.error.code === 'NOT_FOUND') set({ openId: null, detail: null });
    else reportFailure(detail);
    if (check.ok) set({ check: check.value });
  },

  async create(subcategory) {
    const made = await api.models.create({ subcategory });
    if (!reportFailure(made) || !made.ok) return null;
    set({ models: [...get().models.filter((m) => m.id !== made.value.id), made.value] });
    get().open(made.value.id);
    return made.value;
  },

  async rename(modelId, name) {
    const renamed = await api.models.rename({ modelId, name });
    if (!reportFailure(renamed, 'Could not rename the model') || !renamed.ok) return false;
    upsert(renamed.value);
    await get().refreshOpen();
    return true;
  },

  async train(modelId) {
    const started = await api.training.start({ modelId });
    if (!reportFailure(started, 'Training could not start') || !started.ok) return false;
    useJobs.getState().track(started.value.job);
    await get().refreshOpen();
    return true;
  },

  async publish(modelId, active) {
    const done = await api.models.activate({ modelId, active });
    if (!reportFailure(done, active ? 'Could not publish the model' : 'Could not withdraw the model') || !done.ok) return false;
    upsert(done.value);
    await get().refreshOpen();
    return true;
  },

  reset() {
    generation++;
    set({ models: [], loaded: false, openId: null, currentId: null, detail: null, check: null, subscription: null });
  },
}));

function upsert(model: ModelSummary): void {
  const models = useModels.getState().models;
  const at = models.findIndex((m) => m.id === model.id);
  useModels.setState({ models: at < 0 ? [...models, model] : models.map((m) => (m.id === model.id ? model : m)) });
}

/** The catalogue entry of a subcategory (label, modality, unit, licences). */
export function subcategoryInfo(catalog: readonly SubcategoryInfo[], id: SubcategoryId): SubcategoryInfo | undefined {
  return catalog.find((c) => c.id === id);
}

// A model changed somewhere (this window, the CLI, a finished training): reload what is on screen.
let pending: ReturnType<typeof setTimeout> | null = null;
function reloadSoon(): void {
  if (pending) return;
  // Bursts (a training's several writes) collapse into one reload.
  pending = setTimeout(() => {
    pending = null;
    if (useModels.getState().loaded) void useModels.getState().load();
  }, 150);
}

api.on('models:changed', reloadSoon);
// A crop, trim, tag or archive of an asset can make a model stale; the studio announces it as an asset change.
api.on('assets:changed', reloadSoon);
api.on('playground:changed', reloadSoon);
api.on('subscription:changed', (view) => {
  useModels.setState({ subscription: view });
  reloadSoon();
});
api.on('jobs:updated', (job) => {
  if (job.kind === 'model.train' && job.state !== 'running' && job.state !== 'queued') reloadSoon();
});
