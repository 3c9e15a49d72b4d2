// Set health: pick a set (selection, "All" work samples, the library of a kind), see its findings with numbers, fix in one click.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ASSET_KINDS, type AssetKind, type Finding, type SetFix, type SetHealthReport, type Subcategory } from '../../../preload/contract';
import { api } from '../../platform';
import { CloseIcon, HealthIcon, WarningIcon } from '../../ui/icons';
import { reportFailure, useToasts } from '../toasts/store';
import { CHECK_LABELS, KIND_LABELS, countLabel } from './filters';
import {
  ALL_WORK_SAMPLES,
  SET_SIZE_MAX,
  SET_SIZE_MIN,
  SUBCATEGORY_LABELS,
  bySeverity,
  formatMetric,
  selectionFor,
  sizeVerdict,
  subcategoriesFor,
} from './health-format';
import { useAssets, type HealthScope } from './store';

/** Per-asset findings listed before "show all" (a big library can have hundreds). */
const PER_ASSET_SHOWN = 30;

export function HealthPanel() {
  const choice = useAssets((s) => s.health);
  const selected = useAssets((s) => s.selection.selected);
  const [report, setReport] = useState<SetHealthReport | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const asked = useRef(0);

  const selection = selectionFor(choice, [...selected]);
  const selectionKey = JSON.stringify(selection);

  const check = useCallback(async () => {
    const mine = ++asked.current;
    const sel = selectionFor(useAssets.getState().health, [...useAssets.getState().selection.selected]);
    if (!sel) {
      setReport(null);
      return;
    }
    setBusy('check');
    const { subcategory } = useAssets.getState().health;
    const answer = await api.assets.health(subcategory ? { selection: sel, subcategory } : { selection: sel });
    if (mine !== asked.current) return;
    setBusy(null);
    if (reportFailure(answer, 'The set could not be checked') && answer.ok) setReport(answer.value);
  }, []);

  // Ask again whenever the set or the subcategory changes, and after every change to the library.
  useEffect(() => {
    void check();
  }, [check, selectionKey, choice.subcategory]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('assets:changed', () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void check(), 250);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [check]);

  // Names of the assets with findings: from the loaded rows, else one read each.
  useEffect(() => {
    if (!report) return;
    let alive = true;
    const ids = Object.keys(report.perAsset).filter((id) => !(id in names));
    const items = useAssets.getState().items;
    const found: Record<string, string> = {};
    const missing: string[] = [];
    for (const id of ids) {
      const item = items.find((a) => a?.id === id);
      if (item) found[id] = item.originalName;
      else missing.push(id);
    }
    void Promise.all(missing.slice(0, 100).map((assetId) => api.assets.get({ assetId }))).then((answers) => {
      if (!alive) return;
      for (const a of answers) if (a.ok) found[a.value.id] = a.value.originalName;
      setNames((n) => ({ ...n, ...found }));
    });
    return () => {
      alive = false;
    };
    // `names` is read to skip known ids, not a reason to ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [report]);

  async function applyFix(fix: SetFix) {
    setBusy(fix.fix);
    const answer = await api.assets.fix({ fix: fix.fix, assetIds: fix.assetIds });
    setBusy(null);
    if (!reportFailure(answer, 'The fix could not be applied') || !answer.ok) return;
    useToasts.getState().show({
      kind: 'success',
      heading: `${fix.label}: done`,
      message: `${countLabel(answer.value.changed, 'asset', 'assets')} changed. Undo brings them back (Ctrl+Z / ⌘Z).`,
    });
    void check();
  }

  const set = (patch: Partial<{ scope: HealthScope; kind: AssetKind; subcategory: Subcategory | null }>) =>
    useAssets.getState().setHealth(patch);
  const subcategories = subcategoriesFor(choice.kind);
  const perAsset = report ? Object.entries(report.perAsset).filter(([, f]) => f.length > 0) : [];

  return (
    <aside className="side-panel health-panel" data-testid="health-panel" aria-label="Set health">
      <header className="side-panel-head">
        <h2>
          <HealthIcon /> Set health
        </h2>
        <button
          type="button"
          className="button quiet icon-only"
          aria-label="Close set health"
          onClick={() => useAssets.getState().setHealthOpen(false)}
        >
          <CloseIcon />
        </button>
      </header>

      <fieldset className="health-choice">
        <legend className="visually-hidden">Which set</legend>
        <label>
          <input
            type="radio"
            name="health-scope"
            data-testid="health-scope-selection"
            checked={choice.scope === 'selection'}
            onChange={() => set({ scope: 'selection' })}
          />
          Selected assets ({selected.size.toLocaleString('en-US')})
        </label>
        <label title={`PRODUCT.md: “All” means the last ${ALL_WORK_SAMPLES} work samples, by delivery date`}>
          <input
            type="radio"
            name="health-scope"
            data-testid="health-scope-work-samples"
            checked={choice.scope === 'all-work-samples'}
            onChange={() => set({ scope: 'all-work-samples' })}
          />
          All work samples (the last {ALL_WORK_SAMPLES})
        </label>
        <label>
          <input
            type="radio"
            name="health-scope"
            data-testid="health-scope-library"
            checked={choice.scope === 'library'}
            onChange={() => set({ scope: 'library' })}
          />
          The whole library
        </label>
        <div className="health-choice-row">
          <label className="inline-field">
            <span className="inline-label">Kind</span>
            <select
              data-testid="health-kind"
              value={choice.kind}
              disabled={choice.scope === 'selection'}
              onChange={(e) => set({ kind: e.currentTarget.value as AssetKind, subcategory: null })}
            >
              {ASSET_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span className="inline-label">For</span>
            <select
              data-testid="health-subcategory"
              value={choice.subcategory ?? ''}
              onChange={(e) => set({ subcategory: (e.currentTarget.value || null) as Subcategory | null })}
            >
              <option value="">Any model</option>
              {(choice.scope === 'selection' ? (Object.keys(SUBCATEGORY_LABELS) as Subcategory[]) : subcategories).map((s) => (
                <option key={s} value={s}>
                  {SUBCATEGORY_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>

      {!selection ? (
        <p className="muted health-empty">Select some assets in the grid, or choose a set above.</p>
      ) : !report ? (
        <p className="muted health-empty">{busy === 'check' ? 'Checking the set…' : ' '}</p>
      ) : (
        <div className="health-report" data-testid="health-report" aria-busy={busy !== null}>
          <SetSize count={report.count} kind={report.kind} />

          {report.fixes.length > 0 ? (
            <div className="health-fixes">
              {report.fixes.map((fix) => (
                <button
                  key={fix.fix}
                  type="button"
                  className="button primary small"
                  data-testid="health-fix"
                  data-fix={fix.fix}
                  disabled={busy !== null}
                  onClick={() => void applyFix(fix)}
                >
                  {busy === fix.fix ? 'Applying…' : fix.label}
                </button>
              ))}
            </div>
          ) : null}

          <h3 className="health-heading">The set</h3>
          {report.findings.length === 0 ? (
            <p className="muted">No set-level problems found.</p>
          ) : (
            <ul className="finding-list">
              {bySeverity(report.findings).map((f, i) => (
                <FindingItem key={`${f.check}-${i}`} finding={f} />
              ))}
            </ul>
          )}

          <h3 className="health-heading">Assets in it</h3>
          {perAsset.length === 0 ? (
            <p className="muted">No asset stands out within this set.</p>
          ) : (
            <ul className="per-asset-list">
              {(showAll ? perAsset : perAsset.slice(0, PER_ASSET_SHOWN)).map(([id, findings]) => (
                <li key={id}>
                  <button
                    type="button"
                    className="per-asset-name"
                    data-testid="health-asset"
                    title="Show this asset"
                    onClick={() => useAssets.getState().openAsset(id)}
                  >
                    {names[id] ?? 'Loading name…'}
                  </button>
                  <ul className="finding-list compact">
                    {bySeverity(findings).map((f, i) => (
                      <FindingItem key={`${f.check}-${i}`} finding={f} />
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          {!showAll && perAsset.length > PER_ASSET_SHOWN ? (
            <button type="button" className="button quiet small" onClick={() => setShowAll(true)}>
              Show all {perAsset.length}
            </button>
          ) : null}
        </div>
      )}
    </aside>
  );
}

function SetSize({ count, kind }: { count: number; kind: SetHealthReport['kind'] }) {
  const verdict = sizeVerdict(count);
  // The bar runs to 60 so both ends of the 10–50 band are visible.
  const scale = SET_SIZE_MAX + SET_SIZE_MIN;
  return (
    <div className={`set-size ${verdict.tone}`} data-testid="health-count">
      <div className="set-size-line">
        <strong>{countLabel(count, 'asset', 'assets')}</strong>
        <span className="muted">{kind === 'mixed' ? 'mixed kinds' : KIND_LABELS[kind].toLowerCase()}</span>
      </div>
      <div className="set-size-bar" aria-hidden="true">
        <span className="band" style={{ left: `${(SET_SIZE_MIN / scale) * 100}%`, width: `${((SET_SIZE_MAX - SET_SIZE_MIN) / scale) * 100}%` }} />
        <span className="mark" style={{ left: `${Math.min(100, (count / scale) * 100)}%` }} />
      </div>
      <p className="set-size-text">
        {SET_SIZE_MIN}–{SET_SIZE_MAX} recommended: {verdict.text}.
      </p>
    </div>
  );
}

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className={`finding ${finding.severity}`} data-testid="health-finding" data-check={finding.check}>
      <span className="finding-icon" aria-label={finding.severity}>
        {finding.severity === 'info' ? 'i' : <WarningIcon />}
      </span>
      <div className="finding-body">
        <div className="finding-line">
          <strong>{CHECK_LABELS[finding.check]}</strong>
          <span className="finding-metric">{formatMetric(finding)}</span>
        </div>
        <div className="finding-threshold">{finding.threshold}</div>
        <p className="finding-reason">{finding.reason}</p>
      </div>
    </li>
  );
}
