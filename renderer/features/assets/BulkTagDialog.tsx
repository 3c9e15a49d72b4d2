// Bulk tagging: add or remove style, content-type, detail and free tags on every selected asset in one undoable step.
import { useEffect, useMemo, useRef, useState } from 'react';
import { TAG_KINDS, type AssetTag, type TagKind } from '../../../preload/contract';
import { api } from '../../platform';
import { CloseIcon } from '../../ui/icons';
import { countLabel } from './filters';
import { useAssets } from './store';
import {
  TAG_KIND_LABELS,
  normaliseTag,
  stage,
  tagKey,
  tagSuggestions,
  tagsOnSelection,
  unstage,
  type StagedTags,
} from './tag-suggestions';

/** Suggestions come from the analysis of this many selected assets (one report read each). */
const SUGGESTION_SAMPLE = 40;

export function BulkTagDialog({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const selectedIds = useAssets((s) => s.selection.selected);
  const items = useAssets((s) => s.items);
  const library = useAssets((s) => s.tags);
  const [kind, setKind] = useState<TagKind>('style');
  const [value, setValue] = useState('');
  const [staged, setStaged] = useState<StagedTags>({ add: [], remove: [] });
  const [suggested, setSuggested] = useState<AssetTag[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const selectedLoaded = useMemo(
    () => items.filter((a): a is NonNullable<typeof a> => a !== undefined && selectedIds.has(a.id)),
    [items, selectedIds],
  );
  const onSelection = useMemo(() => tagsOnSelection(selectedLoaded), [selectedLoaded]);
  const count = selectedIds.size;

  // The analysis' suggested tags of (a sample of) the selection.
  useEffect(() => {
    let alive = true;
    const ids = [...selectedIds].slice(0, SUGGESTION_SAMPLE);
    void Promise.all(ids.map((assetId) => api.assets.get({ assetId }))).then((answers) => {
      if (!alive) return;
      setSuggested(answers.flatMap((a) => (a.ok ? a.value.report.suggestedTags : [])));
    });
    return () => {
      alive = false;
    };
  }, [selectedIds]);

  const suggestions = useMemo(
    () => tagSuggestions(suggested, library, onSelection, selectedLoaded.length).filter((t) => !staged.add.some((s) => tagKey(s) === tagKey(t))),
    [suggested, library, onSelection, selectedLoaded.length, staged.add],
  );

  function addTyped(): boolean {
    if (value.trim() === '') return true;
    const tag = normaliseTag(kind, value);
    if (!tag) {
      setProblem('A tag is 1 to 48 characters, without control characters.');
      return false;
    }
    setStaged((s) => stage(s, tag, 'add'));
    setValue('');
    setProblem(null);
    return true;
  }

  async function apply() {
    let { add } = staged;
    if (value.trim() !== '') {
      const tag = normaliseTag(kind, value);
      if (!tag) {
        setProblem('A tag is 1 to 48 characters, without control characters.');
        return;
      }
      add = stage(staged, tag, 'add').add;
    }
    if (add.length === 0 && staged.remove.length === 0) {
      setProblem('Add or remove at least one tag first.');
      return;
    }
    setBusy(true);
    const done = await useAssets.getState().tagSelected(add, staged.remove);
    setBusy(false);
    if (done) close();
  }

  function close() {
    ref.current?.close();
  }

  return (
    <dialog
      ref={ref}
      className="dialog card bulk-tag-dialog"
      aria-labelledby="bulk-tag-title"
      data-testid="bulk-tag-dialog"
      onClose={onClose}
    >
      <h2 id="bulk-tag-title">Tag {countLabel(count, 'asset', 'assets')}</h2>
      <p className="muted dialog-lead">
        Style and content-type tags steer what your model makes; details (e.g. a voice&apos;s accent) and free tags help you
        find things. One change, one undo.
      </p>

      <form
        className="tag-add-row"
        onSubmit={(e) => {
          e.preventDefault();
          addTyped();
        }}
      >
        <label className="inline-field">
          <span className="visually-hidden">Tag family</span>
          <select data-testid="bulk-tag-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as TagKind)}>
            {TAG_KINDS.map((k) => (
              <option key={k} value={k}>
                {TAG_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="tag-value-field">
          <span className="visually-hidden">Tag</span>
          <input
            data-testid="bulk-tag-value"
            list="bulk-tag-options"
            placeholder="e.g. line art, portrait, warm"
            value={value}
            maxLength={48}
            autoFocus
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setValue(e.currentTarget.value)}
          />
          <datalist id="bulk-tag-options">
            {suggestions.map((t) => (
              <option key={tagKey(t)} value={t.value} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="button small" data-testid="bulk-tag-add">
          Add
        </button>
      </form>
      {problem ? <p className="form-error">{problem}</p> : null}

      {suggestions.length > 0 ? (
        <div className="tag-section">
          <h3>Suggestions</h3>
          <div className="chip-row">
            {suggestions.slice(0, 12).map((t) => (
              <button
                key={tagKey(t)}
                type="button"
                className={`tag-chip kind-${t.kind} suggestion`}
                data-testid="bulk-tag-suggestion"
                title={`Add ${TAG_KIND_LABELS[t.kind].toLowerCase()} “${t.value}”`}
                onClick={() => setStaged((s) => stage(s, t, 'add'))}
              >
                + {t.value}
              </button>
            ))}
          </div>
        </div>
      ) : null}

      {onSelection.length > 0 ? (
        <div className="tag-section">
          <h3>On the selection</h3>
          <div className="chip-row">
            {onSelection.map((t) => {
              const removing = staged.remove.some((r) => tagKey(r) === tagKey(t));
              return (
                <span key={tagKey(t)} className={`tag-chip kind-${t.kind}${removing ? ' removing' : ''}`}>
                  {t.value}
                  <span className="chip-count">
                    {t.count}/{selectedLoaded.length}
                  </span>
                  <button
                    type="button"
                    className="chip-x"
                    data-testid="bulk-tag-remove"
                    aria-label={`Remove “${t.value}” from the selection`}
                    onClick={() => setStaged((s) => (removing ? unstage(s, t) : stage(s, t, 'remove')))}
                  >
                    <CloseIcon />
                  </button>
                </span>
              );
            })}
          </div>
        </div>
      ) : null}

      {staged.add.length + staged.remove.length > 0 ? (
        <div className="tag-section">
          <h3>Changes</h3>
          <ul className="staged-list" data-testid="bulk-tag-staged">
            {staged.add.map((t) => (
              <li key={`+${tagKey(t)}`}>
                <span className="staged-op add">Add</span> {TAG_KIND_LABELS[t.kind].toLowerCase()} <strong>{t.value}</strong>
                <button type="button" className="button quiet small" onClick={() => setStaged((s) => unstage(s, t))}>
                  Undo
                </button>
              </li>
            ))}
            {staged.remove.map((t) => (
              <li key={`-${tagKey(t)}`}>
                <span className="staged-op remove">Remove</span> {TAG_KIND_LABELS[t.kind].toLowerCase()} <strong>{t.value}</strong>
                <button type="button" className="button quiet small" onClick={() => setStaged((s) => unstage(s, t))}>
                  Undo
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="dialog-actions">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button primary" data-testid="bulk-tag-apply" disabled={busy} onClick={() => void apply()}>
          {busy ? 'Tagging…' : `Apply to ${countLabel(count, 'asset', 'assets')}`}
        </button>
      </div>
    </dialog>
  );
}
