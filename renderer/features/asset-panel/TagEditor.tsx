// Tags on the open asset: chips by kind (style, content type, details, free), add with completions from the
// library and suggestions from the analysis, remove — each change one undoable step in the studio.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { TAG_KINDS, TAG_VALUE_MAX, type AssetTag, type TagCount, type TagKind } from '../../../preload/contract';
import { CloseIcon } from '../../ui/icons';
import { TAG_KIND_LABELS, completions, groupTags, normaliseTagValue, pendingSuggestions, tagKey } from './report-format';

export interface TagEditorProps {
  tags: AssetTag[];
  suggested: AssetTag[];
  libraryTags: TagCount[];
  busy: boolean;
  onChange(add: AssetTag[], remove: AssetTag[]): Promise<boolean>;
}

export function TagEditor({ tags, suggested, libraryTags, busy, onChange }: TagEditorProps) {
  const [kind, setKind] = useState<TagKind>('style');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();
  const groups = useMemo(() => groupTags(tags), [tags]);
  const pending = useMemo(() => pendingSuggestions(suggested, tags), [suggested, tags]);
  const options = useMemo(() => completions(libraryTags, kind, value, tags), [libraryTags, kind, value, tags]);

  async function add(event: FormEvent) {
    event.preventDefault();
    const clean = normaliseTagValue(value);
    if (clean === '') {
      setProblem('Type a tag first.');
      return;
    }
    if (clean.length > TAG_VALUE_MAX) {
      setProblem(`Tags are at most ${TAG_VALUE_MAX} characters.`);
      return;
    }
    if (tags.some((t) => t.kind === kind && t.value === clean)) {
      setProblem(`This asset already has the ${TAG_KIND_LABELS[kind].toLowerCase()} tag “${clean}”.`);
      return;
    }
    setProblem(null);
    if (await onChange([{ kind, value: clean }], [])) setValue('');
  }

  return (
    <section className="ap-panel-section" aria-labelledby={`${ids}-title`} data-testid="asset-tags">
      <div className="ap-section-head">
        <h3 id={`${ids}-title`}>Tags</h3>
        <p className="muted ap-small">Style and content words steer generation later.</p>
      </div>

      {groups.length === 0 ? <p className="muted ap-small">No tags yet.</p> : null}
      {groups.map((group) => (
        <div key={group.kind} className="ap-tag-group">
          <span className="ap-tag-group-label">{TAG_KIND_LABELS[group.kind]}</span>
          <ul className="ap-tags" aria-label={`${TAG_KIND_LABELS[group.kind]} tags`}>
            {group.tags.map((tag) => (
              <li key={tagKey(tag)} className={`ap-tag ap-kind-${tag.kind}`} data-testid="tag-chip" data-kind={tag.kind} data-value={tag.value}>
                <span>{tag.value}</span>
                <button
                  type="button"
                  className="ap-tag-remove"
                  disabled={busy}
                  aria-label={`Remove ${TAG_KIND_LABELS[tag.kind].toLowerCase()} tag “${tag.value}”`}
                  onClick={() => void onChange([], [tag])}
                >
                  <CloseIcon />
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}

      <form className="ap-tag-add" onSubmit={(e) => void add(e)}>
        <label className="visually-hidden" htmlFor={`${ids}-kind`}>
          Kind of tag
        </label>
        <select id={`${ids}-kind`} value={kind} data-testid="tag-add-kind" onChange={(e) => setKind(e.currentTarget.value as TagKind)}>
          {TAG_KINDS.map((k) => (
            <option key={k} value={k}>
              {TAG_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={`${ids}-value`}>
          New tag
        </label>
        <input
          id={`${ids}-value`}
          type="text"
          value={value}
          maxLength={TAG_VALUE_MAX}
          list={`${ids}-options`}
          placeholder="Add a tag…"
          autoComplete="off"
          data-testid="tag-add-input"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${ids}-problem` : undefined}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            setProblem(null);
          }}
        />
        <datalist id={`${ids}-options`}>
          {options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
        <button type="submit" className="button small" disabled={busy} data-testid="tag-add-submit">
          Add
        </button>
      </form>
      {problem ? (
        <p className="ap-field-problem" id={`${ids}-problem`} role="alert">
          {problem}
        </p>
      ) : null}

      {pending.length > 0 ? (
        <div className="ap-tag-suggestions">
          <span className="ap-tag-group-label">Suggested by the analysis</span>
          <ul className="ap-tags">
            {pending.map((tag) => (
              <li key={tagKey(tag)}>
                <button
                  type="button"
                  className="ap-tag-suggestion"
                  disabled={busy}
                  data-testid="tag-suggestion"
                  title={`Add as a ${TAG_KIND_LABELS[tag.kind].toLowerCase()} tag`}
                  onClick={() => void onChange([tag], [])}
                >
                  + {tag.value}
                  <span className="ap-tag-kind-hint">{TAG_KIND_LABELS[tag.kind]}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
