// What the Playground and Pricing screens share: the current model from the models store, the empty state when
// there is none yet, and the model picker in their top bar.
import { useEffect, type ReactNode } from 'react';
import type { ModelSummary } from '../../../preload/contract';
import { useShell } from '../shell/store';
import { useModels } from './store';

/** The models (loaded on first use) and the one the creator is working on, shared across screens. */
export function useCurrentModel(): { models: ModelSummary[]; loaded: boolean; model: ModelSummary | null; pick: (id: string) => void } {
  const models = useModels((s) => s.models);
  const loaded = useModels((s) => s.loaded);
  const currentId = useModels((s) => s.currentId);
  const pick = useModels((s) => s.pick);
  const load = useModels((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return { models, loaded, model: models.find((m) => m.id === currentId) ?? null, pick };
}

/** The empty state of a screen that works on a model, with the way to the Models screen. */
export function NoModelYet({ testid, icon, heading, children }: { testid: string; icon: ReactNode; heading: string; children: ReactNode }) {
  const go = useShell((s) => s.go);
  return (
    <section className="empty-state card" data-testid={testid}>
      <div className="empty-icon">{icon}</div>
      <h2>{heading}</h2>
      <p>{children}</p>
      <div className="empty-actions">
        <button type="button" className="button primary" onClick={() => go('models')}>
          Go to Models
        </button>
      </div>
    </section>
  );
}

/** "Model [select]" for a screen's top bar; `describe` adds to each option's name (e.g. its version). */
export function ModelSelect({
  testid,
  models,
  model,
  onPick,
  describe,
}: {
  testid: string;
  models: ModelSummary[];
  model: ModelSummary | null;
  onPick: (id: string) => void;
  describe?: (m: ModelSummary) => string;
}) {
  return (
    <label className="inline-label">
      Model
      <select className="select-input" data-testid={testid} value={model?.id ?? ''} onChange={(e) => onPick(e.target.value)}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.displayName}
            {describe ? describe(m) : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
