// One model: rename, its assets, training with live progress, its versions, and the publish check.
import { useState } from 'react';
import type { ModelDetail, ModelVersion, TrainingRun } from '../../../preload/contract';
import { api } from '../../platform';
import { canCancel, isFinal } from '../jobs/job-list';
import { useJobs } from '../jobs/store';
import { useShell } from '../shell/store';
import { reportFailure } from '../toasts/store';
import { AssetPicker } from './AssetPicker';
import { subcategoryInfo, useModels } from './store';

export function ModelPage({ modelId }: { modelId: string }) {
  const detail = useModels((s) => (s.detail?.id === modelId ? s.detail : null));
  const open = useModels((s) => s.open);

  return (
    <div className="model-page" data-testid="model-page">
      <div className="model-page-head">
        <button type="button" className="button quiet small" data-testid="model-back" onClick={() => open(null)}>
          ← All models
        </button>
        {detail ? <ModelTitle model={detail} /> : <p className="muted">Loading…</p>}
      </div>
      {detail ? (
        <div className="model-page-body">
          <div className="model-col main-col">
            <AssetPicker model={detail} />
          </div>
          <div className="model-col side-col">
            <TrainingPanel model={detail} />
            <VersionsList model={detail} />
            <PublishPanel model={detail} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function ModelTitle({ model }: { model: ModelDetail }) {
  const catalog = useModels((s) => s.catalog);
  const rename = useModels((s) => s.rename);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(model.displayName);
  const info = subcategoryInfo(catalog, model.subcategory);

  async function save() {
    const name = draft.trim();
    if (!name || name === model.displayName) {
      setEditing(false);
      return;
    }
    if (await rename(model.id, name)) setEditing(false);
  }

  return (
    <div className="model-title">
      {editing ? (
        <form
          className="rename-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input
            className="text-input"
            data-testid="model-rename-input"
            aria-label="Model name"
            value={draft}
            maxLength={64}
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setEditing(false);
              }
            }}
            onBlur={() => void save()}
          />
        </form>
      ) : (
        <h2>
          <button
            type="button"
            className="rename-button"
            data-testid="model-name"
            title="Rename"
            onClick={() => {
              setDraft(model.displayName);
              setEditing(true);
            }}
          >
            {model.displayName}
          </button>
        </h2>
      )}
      <span className="muted">
        {info?.label ?? model.subcategory}
        {model.activeVersion ? ` · version ${model.activeVersion} active` : ''}
      </span>
      {model.active ? <span className="pill success">Published</span> : null}
      {model.stale ? (
        <span className="pill warning" data-testid="model-stale-badge" title={model.staleReasons.join('\n')}>
          Needs retraining: {model.staleReasons.join(', ')}
        </span>
      ) : null}
    </div>
  );
}

function TrainingPanel({ model }: { model: ModelDetail }) {
  const catalog = useModels((s) => s.catalog);
  const subscription = useModels((s) => s.subscription);
  const train = useModels((s) => s.train);
  const cancel = useJobs((s) => s.cancel);
  const latest: TrainingRun | undefined = [...model.runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const jobId = model.training?.jobId ?? latest?.jobId ?? null;
  const job = useJobs((s) => (jobId ? s.jobs.find((j) => j.id === jobId) : undefined));
  const [busy, setBusy] = useState(false);
  const info = subcategoryInfo(catalog, model.subcategory);
  const trainable = info?.trainable ?? model.modality === 'image';
  const running = model.training !== null || (job !== undefined && !isFinal(job.state));
  const progress = job ? (job.state === 'succeeded' ? 1 : Math.min(1, Math.max(0, job.progress))) : 0;
  const log = latest?.log ?? [];

  let blocked: string | null = null;
  if (!trainable) blocked = `${info?.label ?? 'Audio'} training arrives with the ${model.modality} engine. You can already choose its assets and set its price.`;
  else if (model.assetCount === 0) blocked = 'Choose the assets it learns from first.';
  else if (!model.quota.allowed) blocked = model.quota.reason ?? 'No trainings left for now.';
  else if (subscription && !subscription.canTrain && model.quota.basis !== 'free') blocked = 'Training needs a subscription.';

  async function start() {
    setBusy(true);
    try {
      await train(model.id);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card panel training-panel" data-testid="training-panel" aria-labelledby="training-h">
      <h3 id="training-h">Training</h3>
      <p className="quota-line" data-testid="model-quota">
        {model.quota.line}
      </p>
      {running ? (
        <div className="training-progress" data-testid="training-progress" data-state={job?.state ?? 'running'}>
          <progress max={1} value={progress} aria-label="Training progress" />
          <p className="stage">
            <span data-testid="training-stage">{job?.stage || 'Starting…'}</span>
            <span className="muted">{Math.round(progress * 100)}%</span>
          </p>
          {job && canCancel(job) ? (
            <button type="button" className="button small" data-testid="training-cancel" onClick={() => void cancel(job.id)}>
              Cancel training
            </button>
          ) : null}
        </div>
      ) : (
        <>
          <button
            type="button"
            className="button primary"
            data-testid="model-train"
            disabled={busy || blocked !== null}
            onClick={() => void start()}
          >
            {model.versionCount > 0 ? 'Train again' : 'Train'}
          </button>
          {blocked ? (
            <p className="hint" data-testid="train-blocked">
              {blocked}
            </p>
          ) : (
            <p className="hint">Trains here on this computer; a small set takes seconds to a few minutes.</p>
          )}
        </>
      )}
      {latest && !running && latest.state !== 'succeeded' ? (
        <p className={latest.state === 'failed' ? 'form-error' : 'muted'} data-testid="training-last">
          Last training {latest.state}
          {latest.error ? `: ${latest.error.message}` : '.'}
        </p>
      ) : null}
      {log.length > 0 ? (
        <details className="training-log" open={running}>
          <summary>Log ({log.length} lines)</summary>
          <ol data-testid="training-log">
            {log.slice(-200).map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function metricLine(v: ModelVersion): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(v.metrics)) {
    if (typeof value === 'number') parts.push(`${key.replace(/([A-Z])/g, ' $1').toLowerCase()} ${Number.isInteger(value) ? value : value.toFixed(2)}`);
    if (parts.length >= 3) break;
  }
  return parts.join(' · ');
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function VersionsList({ model }: { model: ModelDetail }) {
  const refreshOpen = useModels((s) => s.refreshOpen);
  const [confirming, setConfirming] = useState<number | null>(null);
  const versions = [...model.versions].sort((a, b) => b.number - a.number);

  async function activate(version: number) {
    const done = await api.versions.activate({ modelId: model.id, version });
    if (reportFailure(done, 'Could not switch versions')) await refreshOpen();
  }
  async function remove(version: number) {
    setConfirming(null);
    const done = await api.versions.delete({ modelId: model.id, version });
    if (reportFailure(done, 'Could not delete the version')) await refreshOpen();
  }

  return (
    <section className="card panel" data-testid="versions-panel" aria-labelledby="versions-h">
      <h3 id="versions-h">Versions</h3>
      {versions.length === 0 ? <p className="muted">Each training makes a new version; you can compare them and roll back.</p> : null}
      <ul className="version-list">
        {versions.map((v) => (
          <li key={v.number} className={`version-row${v.active ? ' active' : ''}`} data-testid="version-row" data-version={v.number} data-active={v.active}>
            <div className="version-main">
              <strong>Version {v.number}</strong>
              {v.active ? <span className="pill success">Active</span> : null}
              <span className="muted">
                {new Date(v.createdAt).toLocaleString()} · {formatSeconds(v.durationMs)} · {v.assets.length} assets
              </span>
              {metricLine(v) ? <span className="muted small">{metricLine(v)}</span> : null}
            </div>
            {!v.active ? (
              <div className="version-actions">
                <button type="button" className="button small" data-testid="version-activate" onClick={() => void activate(v.number)}>
                  {v.number < (model.activeVersion ?? 0) ? 'Roll back to this' : 'Make active'}
                </button>
                {confirming === v.number ? (
                  <>
                    <button type="button" className="button small danger" data-testid="version-delete-confirm" onClick={() => void remove(v.number)}>
                      Delete version {v.number}
                    </button>
                    <button type="button" className="button small quiet" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="button small quiet" data-testid="version-delete" onClick={() => setConfirming(v.number)}>
                    Delete
                  </button>
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

const FIX_ACTIONS: Readonly<Record<string, { label: string; section: 'playground' | 'pricing' | 'settings' } | null>> = {
  subscription: { label: 'Open Settings', section: 'settings' },
  playground: { label: 'Open the playground', section: 'playground' },
  pricing: { label: 'Set a price', section: 'pricing' },
  trained: null,
  stale: null,
  'active-limit': null,
};

function PublishPanel({ model }: { model: ModelDetail }) {
  const check = useModels((s) => s.check);
  const publish = useModels((s) => s.publish);
  const pick = useModels((s) => s.pick);
  const go = useShell((s) => s.go);
  const [busy, setBusy] = useState(false);

  async function toggle() {
    setBusy(true);
    try {
      await publish(model.id, !model.active);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card panel" data-testid="publish-panel" aria-labelledby="publish-h">
      <h3 id="publish-h">Publishing</h3>
      {model.active ? (
        <p>This model is published: clients will order from it once Atelier Market opens.</p>
      ) : check?.ready ? (
        <p data-testid="publish-ready">Everything is in place: you can publish this model.</p>
      ) : (
        <p className="muted">Before this model can be published:</p>
      )}
      {check && !model.active ? (
        <ul className="blockers" data-testid="publish-blockers">
          {check.blockers.map((b) => {
            const action = FIX_ACTIONS[b.condition];
            return (
              <li key={b.condition} data-testid="publish-blocker" data-condition={b.condition}>
                <span>{b.message}</span>
                {action ? (
                  <button
                    type="button"
                    className="button small quiet"
                    onClick={() => {
                      pick(model.id);
                      go(action.section);
                    }}
                  >
                    {action.label}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      <button
        type="button"
        className={`button${model.active ? '' : ' primary'}`}
        data-testid="model-publish"
        disabled={busy || (!model.active && !check?.ready)}
        onClick={() => void toggle()}
      >
        {model.active ? 'Withdraw' : 'Publish'}
      </button>
    </section>
  );
}
