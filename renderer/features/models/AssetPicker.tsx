// Which assets a model learns from: the library of its modality with checkboxes, "All", and the set's health.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AssetKind, AssetSummary, ModelDetail, SetHealthReport, Subcategory } from '../../../preload/contract';
import { SUBCATEGORIES } from '../../../preload/contract';
import { api } from '../../platform';
import { AudioIcon, TextIcon } from '../../ui/icons';
import { useObjectUrl } from '../../ui/use-object-url';
import { useShell } from '../shell/store';
import { reportFailure } from '../toasts/store';
import { useModels } from './store';

/** The library kind a model's modality learns from. */
function kindOf(model: ModelDetail): AssetKind {
  return model.modality === 'audio' ? 'audio' : model.modality === 'text' ? 'text' : 'image';
}

export function AssetPicker({ model }: { model: ModelDetail }) {
  const refreshOpen = useModels((s) => s.refreshOpen);
  const go = useShell((s) => s.go);
  const kind = kindOf(model);
  const [library, setLibrary] = useState<AssetSummary[] | null>(null);
  const [resolved, setResolved] = useState<string[]>([]);
  const [health, setHealth] = useState<SetHealthReport | null>(null);
  const allRecent = model.selection.mode === 'all-recent';
  const selectionKey = JSON.stringify(model.selection) + model.updatedAt;

  useEffect(() => {
    let alive = true;
    void api.assets.list({ kind, limit: 2000 }).then((got) => {
      if (alive && reportFailure(got) && got.ok) setLibrary(got.value.items);
    });
    return () => {
      alive = false;
    };
  }, [kind, selectionKey]);

  // The ids the selection stands for now ("All" resolves to the last 100 work samples).
  useEffect(() => {
    let alive = true;
    if (model.selection.mode === 'explicit') {
      setResolved(model.selection.assetIds);
      return;
    }
    void api.assets.selection({ selection: { mode: 'all-work-samples', kind } }).then((got) => {
      if (alive && got.ok) setResolved(got.value.assetIds);
    });
    return () => {
      alive = false;
    };
  }, [kind, model.selection]);

  const subcategory = (SUBCATEGORIES as readonly string[]).includes(model.subcategory) ? (model.subcategory as Subcategory) : undefined;
  useEffect(() => {
    let alive = true;
    if (resolved.length === 0) {
      setHealth(null);
      return;
    }
    void api.assets.health({ selection: { assetIds: resolved }, ...(subcategory ? { subcategory } : {}) }).then((got) => {
      if (alive && got.ok) setHealth(got.value);
    });
    return () => {
      alive = false;
    };
  }, [resolved, subcategory]);

  const chosen = useMemo(() => new Set(resolved), [resolved]);

  const toggle = useCallback(
    async (assetId: string, on: boolean) => {
      // The box follows the click at once (a controlled checkbox would otherwise spring back until the studio
      // answers); the model's refreshed selection then confirms it, or a failure puts it back.
      setResolved((ids) => (on ? [...ids.filter((id) => id !== assetId), assetId] : ids.filter((id) => id !== assetId)));
      const done = await api.models.assets({ modelId: model.id, ...(on ? { add: [assetId] } : { remove: [assetId] }) });
      if (!reportFailure(done, 'Could not change the model’s assets')) {
        setResolved((ids) => (on ? ids.filter((id) => id !== assetId) : [...ids.filter((id) => id !== assetId), assetId]));
      }
      await refreshOpen();
    },
    [model.id, refreshOpen],
  );

  async function setAll(on: boolean) {
    const selection = on ? ({ mode: 'all-recent' } as const) : ({ mode: 'explicit', assetIds: resolved } as const);
    const done = await api.models.assets({ modelId: model.id, selection });
    if (reportFailure(done, 'Could not change the model’s assets')) await refreshOpen();
  }

  async function setExplicit(ids: string[]) {
    const done = await api.models.assets({ modelId: model.id, selection: { mode: 'explicit', assetIds: ids } });
    if (reportFailure(done, 'Could not change the model’s assets')) await refreshOpen();
  }

  const kindWord = kind === 'image' ? 'images' : kind === 'audio' ? 'recordings' : 'texts';

  return (
    <section className="card panel asset-picker" data-testid="asset-picker" aria-labelledby="picker-h">
      <div className="picker-head">
        <h3 id="picker-h">Assets it learns from</h3>
        <span className="selected-count" data-testid="picker-count">
          {resolved.length} selected
        </span>
        <label className="toggle">
          <input type="checkbox" data-testid="picker-all" checked={allRecent} onChange={(e) => void setAll(e.target.checked)} />
          All = the last 100 work samples
        </label>
        {library && library.length > 0 ? (
          <span className="picker-bulk">
            <button type="button" className="button small quiet" data-testid="picker-select-all" onClick={() => void setExplicit(library.map((a) => a.id))}>
              Select every {kind}
            </button>
            {!allRecent ? (
              <button type="button" className="button small quiet" onClick={() => void setExplicit([])}>
                Clear
              </button>
            ) : null}
          </span>
        ) : null}
      </div>
      {allRecent && library && library.length > 0 ? (
        <p className="hint" data-testid="picker-all-hint">
          {resolved.length === 0
            ? `You have no ${kind} work samples yet, so “All” is empty. Import work samples, or pick from your library: untick “All” or press “Select every ${kind}”.`
            : 'The model uses your 100 most recently delivered work samples of this kind, and follows them as you add more.'}
        </p>
      ) : null}
      {health ? <HealthSummary report={health} /> : null}
      {library && library.length === 0 ? (
        <div className="picker-empty" data-testid="picker-empty">
          <p>
            Your library has no {kindWord} yet. This model learns from 10 to 50 of your own {kindWord}: import them in Assets.
          </p>
          <button type="button" className="button" onClick={() => go('assets')}>
            Import in Assets
          </button>
        </div>
      ) : null}
      <ul className="picker-grid" data-testid="picker-grid">
        {(library ?? []).map((a) => (
          <li key={a.id}>
            <PickerTile asset={a} checked={chosen.has(a.id)} disabled={allRecent} onToggle={toggle} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function PickerTile({
  asset,
  checked,
  disabled,
  onToggle,
}: {
  asset: AssetSummary;
  checked: boolean;
  disabled: boolean;
  onToggle(assetId: string, on: boolean): Promise<void>;
}) {
  const thumb = useObjectUrl(asset.kind === 'image' ? `asset:${asset.id}:${asset.crop ? JSON.stringify(asset.crop) : ''}` : null, () =>
    api.assets.thumbnail({ assetId: asset.id }),
  );
  return (
    <label className={`picker-tile${checked ? ' checked' : ''}`} data-testid="picker-tile" data-asset-name={asset.originalName} title={asset.originalName}>
      <span className="picker-thumb">
        {asset.kind === 'image' ? (
          thumb.url ? <img src={thumb.url} alt={asset.originalName} /> : null
        ) : asset.kind === 'audio' ? (
          <AudioIcon />
        ) : (
          <TextIcon />
        )}
        {asset.health === 'warning' || asset.health === 'error' ? (
          <span className={`dot ${asset.health}`} role="img" aria-label={asset.health === 'error' ? 'Has problems' : 'Has notes'} title={asset.health === 'error' ? 'Has problems: see Assets' : 'Has notes: see Assets'} />
        ) : null}
      </span>
      <span className="picker-caption">
        <input
          type="checkbox"
          data-testid="picker-check"
          checked={checked}
          disabled={disabled}
          onChange={(e) => void onToggle(asset.id, e.target.checked)}
        />
        <span className="picker-name">{asset.originalName}</span>
      </span>
    </label>
  );
}

function HealthSummary({ report }: { report: SetHealthReport }) {
  const worst = report.findings.some((f) => f.severity === 'error') ? 'error' : report.findings.some((f) => f.severity === 'warning') ? 'warning' : 'ok';
  const outliers = Object.values(report.perAsset).filter((f) => f.length > 0).length;
  return (
    <div className={`set-health ${worst}`} data-testid="set-health" data-health={worst}>
      <strong>
        {worst === 'ok' ? 'The set looks good.' : worst === 'warning' ? 'The set can train, with notes:' : 'Fix these before training:'}
      </strong>
      {report.findings.length > 0 ? (
        <ul>
          {report.findings.map((f, i) => (
            <li key={`${f.check}-${i}`} className={f.severity}>
              {f.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {outliers > 0 ? <p className="muted">{outliers} assets have notes of their own (near-duplicates or outliers); see Assets → Set health.</p> : null}
    </div>
  );
}
