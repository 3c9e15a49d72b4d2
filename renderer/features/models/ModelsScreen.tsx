// Models: the creator's model cards, a "New model" subcategory picker, and each model's own page.
import { useEffect, useRef } from 'react';
import type { ModelSummary, SubcategoryId } from '../../../preload/contract';
import { ModelsIcon } from '../../ui/icons';
import { useShell } from '../shell/store';
import { ModelPage } from './ModelPage';
import { subcategoryInfo, useModels } from './store';
import './models.css';

export function ModelsScreen() {
  const models = useModels((s) => s.models);
  const loaded = useModels((s) => s.loaded);
  const openId = useModels((s) => s.openId);
  const load = useModels((s) => s.load);
  const dialog = useRef<HTMLDialogElement>(null);

  // Also on the way back from a model's page: the cards must show what changed meanwhile (staleness, quota).
  const onList = openId === null;
  useEffect(() => {
    void load();
  }, [load, onList]);

  if (openId) return <ModelPage key={openId} modelId={openId} />;

  return (
    <div className="models-screen" data-testid="models-screen">
      <div className="models-head">
        <p className="muted">One model learns one style of one subcategory from your own assets. Up to 3 can be published at once.</p>
        <button type="button" className="button primary" data-testid="model-new" onClick={() => dialog.current?.showModal()}>
          New model
        </button>
      </div>
      {loaded && models.length === 0 ? <ModelsEmpty onNew={() => dialog.current?.showModal()} /> : null}
      <ul className="model-cards" aria-label="Your models">
        {models.map((m) => (
          <li key={m.id}>
            <ModelCard model={m} />
          </li>
        ))}
      </ul>
      <NewModelDialog dialogRef={dialog} />
    </div>
  );
}

function ModelsEmpty({ onNew }: { onNew(): void }) {
  const go = useShell((s) => s.go);
  return (
    <section className="empty-state card" data-testid="models-empty">
      <div className="empty-icon">
        <ModelsIcon />
      </div>
      <h2>No models yet</h2>
      <p>
        A model learns your style from 10 to 50 of your own pieces and makes new work in it, here on this computer. Start
        by choosing what it makes.
      </p>
      <div className="empty-actions">
        <button type="button" className="button primary" onClick={onNew}>
          New model
        </button>
        <button type="button" className="button" onClick={() => go('assets')}>
          Import assets first
        </button>
      </div>
    </section>
  );
}

export function ModelCard({ model }: { model: ModelSummary }) {
  const catalog = useModels((s) => s.catalog);
  const open = useModels((s) => s.open);
  const info = subcategoryInfo(catalog, model.subcategory);
  return (
    <button
      type="button"
      className="card model-card"
      data-testid="model-card"
      data-model-id={model.id}
      aria-label={model.displayName}
      onClick={() => open(model.id)}
    >
      <span className="model-card-top">
        <strong className="model-card-name">{model.displayName}</strong>
        {model.active ? (
          <span className="pill success" data-testid="model-published-badge">
            Published
          </span>
        ) : null}
      </span>
      <span className="model-card-meta">
        {info?.label ?? model.subcategory} · {model.activeVersion ? `version ${model.activeVersion}` : 'not trained yet'} ·{' '}
        {model.assetCount} {model.assetCount === 1 ? 'asset' : 'assets'}
      </span>
      {model.training ? <span className="pill info">Training…</span> : null}
      {model.stale ? (
        <span className="stale-badge" data-testid="model-stale-badge" title={model.staleReasons.join('\n')}>
          <span className="pill warning">Needs retraining</span>
          <span className="stale-reasons">{model.staleReasons.join(' · ')}</span>
        </span>
      ) : null}
      <span className="quota-line" data-testid="model-quota">
        {model.quota.line}
      </span>
    </button>
  );
}

function NewModelDialog({ dialogRef }: { dialogRef: React.RefObject<HTMLDialogElement | null> }) {
  const catalog = useModels((s) => s.catalog);
  const create = useModels((s) => s.create);

  async function choose(id: SubcategoryId) {
    const made = await create(id);
    if (made) dialogRef.current?.close();
  }

  return (
    <dialog ref={dialogRef} className="card dialog new-model-dialog" data-testid="model-new-dialog" aria-labelledby="new-model-title">
      <h2 id="new-model-title">What will this model make?</h2>
      <p className="muted">A model covers one subcategory. You can make as many as you like.</p>
      <ul className="subcategory-list">
        {catalog.map((c) => {
          const later = c.status === 'later';
          return (
            <li key={c.id}>
              <button
                type="button"
                className="subcategory-choice"
                data-testid={`subcategory-${c.id}`}
                disabled={later}
                onClick={() => void choose(c.id)}
              >
                <strong>{c.label}</strong>
                <span className="muted">
                  {c.modality === 'image' ? 'Images' : c.modality === 'audio' ? 'Audio' : 'Text'} · priced per {c.unit.singular}
                </span>
                {later ? <span className="pill">Coming soon</span> : null}
                {!later && !c.trainable ? <span className="pill">Trains once the {c.modality} engine arrives</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
