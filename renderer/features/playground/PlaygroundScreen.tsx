// Playground: generate with a trained model (prompt, reference, seed, count, size), watch it, and keep a gallery.
import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { AssetSummary, GenerateRequest, Generation, ImportSource, ModelSummary, PlainTextProblem } from '../../../preload/contract';
import { GENERATION_COUNT_MAX, GENERATION_LENGTH_S, GENERATION_SIZE } from '../../../preload/contract';
import { api } from '../../platform';
import { DiceIcon, PlaygroundIcon } from '../../ui/icons';
import { useObjectUrl } from '../../ui/use-object-url';
import { canCancel, isFinal } from '../jobs/job-list';
import { useJobs } from '../jobs/store';
import { ModelSelect, NoModelYet, useCurrentModel } from '../models/ModelChooser';
import { useModels } from '../models/store';
import { useShell } from '../shell/store';
import { reportFailure, useToasts } from '../toasts/store';
import { CompareView } from './CompareView';
import { GenerationDetail } from './GenerationDetail';
import { moveFocus, parseSeed, rollSeed } from './gallery-logic';
import { usePlayground, type PlaygroundDraft, type PreviewShown } from './store';
import '../models/models.css';
import './playground.css';

/** Problems with the prompt as the studio lists them (VALIDATION details.problems). */
export function promptProblemsOf(details: unknown): PlainTextProblem[] {
  if (typeof details !== 'object' || details === null || !('problems' in details)) return [];
  const list = (details as { problems: unknown }).problems;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p): p is PlainTextProblem => typeof p === 'object' && p !== null && 'kind' in p && 'message' in p && typeof (p as PlainTextProblem).message === 'string',
  );
}

/** One shared empty list: a selector must return the same value while nothing changed (zustand 5 loops otherwise). */
const NO_PREVIEWS: readonly PreviewShown[] = [];

type Reference = { kind: 'asset'; asset: AssetSummary } | { kind: 'file'; name: string; bytes: Uint8Array<ArrayBuffer>; url: string };

export function PlaygroundScreen() {
  const { models, loaded, model, pick } = useCurrentModel();

  if (loaded && models.length === 0) {
    return (
      <NoModelYet testid="playground-empty" icon={<PlaygroundIcon />} heading="No model to try yet">
        The playground generates with one of your trained models. Make a model, choose its assets and train it first.
      </NoModelYet>
    );
  }

  return (
    <div className="playground" data-testid="playground">
      <div className="pg-bar">
        <ModelSelect
          testid="pg-model"
          models={models}
          model={model}
          onPick={pick}
          describe={(m) => (m.activeVersion ? ` (v${m.activeVersion})` : ' (not trained)')}
        />
      </div>
      {model ? <ModelPlayground key={model.id} model={model} /> : null}
    </div>
  );
}

function ModelPlayground({ model }: { model: ModelSummary }) {
  const detail = useModels((s) => (s.detail?.id === model.id ? s.detail : null));
  const [versions, setVersions] = useState<number[]>([]);
  const [version, setVersion] = useState<number | null>(model.activeVersion);
  // The form survives leaving the playground: it starts from this model's saved draft and keeps it up to date.
  const [saved] = useState(() => usePlayground.getState().drafts[model.id] as PlaygroundDraft<Reference> | undefined);
  const [prompt, setPrompt] = useState(saved?.prompt ?? '');
  const [problems, setProblems] = useState<PlainTextProblem[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [seedText, setSeedText] = useState(saved?.seedText ?? '');
  const [count, setCount] = useState(saved?.count ?? 1);
  const [size, setSize] = useState<number>(saved?.size ?? GENERATION_SIZE.default);
  const [lengthS, setLengthS] = useState(saved?.lengthS ?? 30);
  const [reference, setReference] = useState<Reference | null>(saved?.reference ?? null);
  const [jobId, setJobId] = useState<string | null>(saved?.jobId ?? null);
  useEffect(() => {
    usePlayground.getState().saveDraft(model.id, { prompt, seedText, count, size, lengthS, reference, jobId });
  }, [model.id, prompt, seedText, count, size, lengthS, reference, jobId]);
  const [comparing, setComparing] = useState(false);
  const job = useJobs((s) => (jobId ? s.jobs.find((j) => j.id === jobId) : undefined));
  const previews = usePlayground((s) => (jobId ? (s.previews[jobId] ?? NO_PREVIEWS) : NO_PREVIEWS));
  const seed = parseSeed(seedText);
  const audio = model.modality === 'audio';
  const trained = model.activeVersion !== null;
  const working = job !== undefined && !isFinal(job.state);

  useEffect(() => {
    let alive = true;
    void api.versions.list({ modelId: model.id }).then((got) => {
      if (alive && got.ok) setVersions(got.value.map((v) => v.number).sort((a, b) => b - a));
    });
    return () => {
      alive = false;
    };
  }, [model.id, model.versionCount, detail?.updatedAt]);

  useEffect(() => {
    if (version === null && model.activeVersion !== null) setVersion(model.activeVersion);
  }, [model.activeVersion, version]);

  async function generate() {
    if (!trained || working) return;
    setProblems([]);
    setFormError(null);
    if (seed.error) {
      setFormError(seed.error);
      return;
    }
    const request: GenerateRequest = { modelId: model.id, count, size };
    if (version !== null) request.version = version;
    if (prompt.trim()) request.prompt = prompt;
    if (seed.seed !== null) request.seed = seed.seed;
    if (audio) request.lengthS = lengthS;
    if (reference?.kind === 'asset') request.referenceAssetId = reference.asset.id;
    if (reference?.kind === 'file') request.reference = { kind: 'bytes', name: reference.name, bytes: reference.bytes } satisfies ImportSource;
    const started = await api.playground.generate(request);
    if (!started.ok) {
      const found = promptProblemsOf(started.error.details);
      if (started.error.code === 'VALIDATION') {
        setProblems(found);
        setFormError(found.length ? null : started.error.message);
      } else {
        reportFailure(started, 'Could not generate');
      }
      return;
    }
    useJobs.getState().track(started.value);
    usePlayground.getState().started(started.value.id);
    setJobId(started.value.id);
  }

  function onPromptKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void generate();
    }
  }

  if (!trained) {
    return (
      <section className="card panel" data-testid="pg-untrained">
        <h3>{model.displayName} is not trained yet</h3>
        <p className="muted">
          {model.modality === 'audio'
            ? 'Audio models generate once the audio engine arrives; you can already choose their assets and set their price.'
            : 'Train it on the Models page; its first version appears here as soon as training finishes.'}
        </p>
        <div>
          <button type="button" className="button" onClick={() => { useModels.getState().open(model.id); useShell.getState().go('models'); }}>
            Open {model.displayName}
          </button>
        </div>
      </section>
    );
  }

  const progress = job ? (job.state === 'succeeded' ? 1 : Math.min(1, Math.max(0, job.progress))) : 0;

  return (
    <div className="pg-body">
      <form
        className="card panel pg-form"
        data-testid="pg-form"
        onSubmit={(e) => {
          e.preventDefault();
          void generate();
        }}
      >
        <label className="inline-label">
          Version
          <select className="select-input" data-testid="pg-version" value={version ?? ''} onChange={(e) => setVersion(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v} value={v}>
                Version {v}
                {v === model.activeVersion ? ' (active)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="stack-label" htmlFor="pg-prompt">
          Prompt <span className="muted small">plain text: no markup, code or emoji</span>
        </label>
        <textarea
          id="pg-prompt"
          className="prompt-box"
          data-testid="pg-prompt"
          rows={3}
          maxLength={2000}
          placeholder={audio ? 'A warm, calm read of the welcome line' : 'A rose with a dagger, bold outlines'}
          value={prompt}
          aria-invalid={problems.length > 0}
          aria-describedby="pg-prompt-problems"
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={onPromptKey}
        />
        <div id="pg-prompt-problems" aria-live="polite">
          {problems.length > 0 ? (
            <ul className="prompt-problems" data-testid="pg-prompt-problems">
              {problems.map((p, i) => (
                <li key={i} data-kind={p.kind}>
                  {/* The studio's message already quotes the offending excerpt. */}
                  {p.message}
                </li>
              ))}
            </ul>
          ) : null}
          {formError ? (
            <p className="form-error" data-testid="pg-form-error">
              {formError}
            </p>
          ) : null}
        </div>
        {!audio ? <ReferenceDrop reference={reference} onChange={setReference} /> : null}
        <div className="pg-row">
          <label className="stack-label">
            Seed
            <span className="seed-field">
              <input
                className="text-input"
                data-testid="pg-seed"
                inputMode="numeric"
                placeholder="random"
                value={seedText}
                aria-invalid={seed.error !== null}
                onChange={(e) => setSeedText(e.target.value)}
              />
              <button type="button" className="button small" data-testid="pg-dice" title="Roll a seed" aria-label="Roll a random seed" onClick={() => setSeedText(String(rollSeed(Math.random)))}>
                <DiceIcon />
              </button>
            </span>
          </label>
          <label className="stack-label">
            Count
            <input className="text-input narrow" data-testid="pg-count" type="number" min={1} max={GENERATION_COUNT_MAX} value={count} onChange={(e) => setCount(clamp(Number(e.target.value), 1, GENERATION_COUNT_MAX))} />
          </label>
          {audio ? (
            <label className="stack-label">
              Length (s)
              <input className="text-input narrow" data-testid="pg-length" type="number" min={GENERATION_LENGTH_S.min} max={GENERATION_LENGTH_S.max} value={lengthS} onChange={(e) => setLengthS(clamp(Number(e.target.value), GENERATION_LENGTH_S.min, GENERATION_LENGTH_S.max))} />
            </label>
          ) : (
            <label className="stack-label">
              Size: {size} px
              <input data-testid="pg-size" type="range" min={GENERATION_SIZE.min} max={GENERATION_SIZE.max} step={128} value={size} onChange={(e) => setSize(Number(e.target.value))} />
            </label>
          )}
        </div>
        <div className="pg-actions">
          <button type="submit" className="button primary" data-testid="pg-generate" disabled={working}>
            Generate <span className="kbd">Ctrl+Enter</span>
          </button>
          <button type="button" className="button" data-testid="pg-compare-open" onClick={() => setComparing(true)} disabled={versions.length < 2}>
            Compare versions
          </button>
        </div>
        {job ? (
          <div className="pg-job" data-testid="pg-job" data-state={job.state}>
            {working ? (
              <>
                <progress max={1} value={progress} aria-label="Generation progress" />
                <p className="stage">
                  <span>{job.stage || 'Starting…'}</span>
                  {canCancel(job) ? (
                    <button type="button" className="button small" data-testid="pg-cancel" onClick={() => void useJobs.getState().cancel(job.id)}>
                      Cancel
                    </button>
                  ) : null}
                </p>
              </>
            ) : (
              <p className="muted small">{job.state === 'succeeded' ? 'Done: the new pieces are in the gallery.' : job.error ? job.error.message : `Generation ${job.state}.`}</p>
            )}
            {working && previews.length > 0 ? (
              <div className="pg-previews" data-testid="pg-previews">
                {previews.map((p) => (
                  <img key={p.index} src={p.url} alt={`Preview ${p.index + 1}, level ${p.level + 1} of ${p.levels}`} data-testid="pg-preview" />
                ))}
              </div>
            ) : null}
          </div>
        ) : null}
      </form>
      {comparing ? (
        <CompareView model={model} versions={versions} prompt={prompt} seedText={seedText} setSeedText={setSeedText} size={size} onClose={() => setComparing(false)} />
      ) : null}
      <Gallery model={model} versions={versions} />
    </div>
  );
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : min;
}

function ReferenceDrop({ reference, onChange }: { reference: Reference | null; onChange(r: Reference | null): void }) {
  const [over, setOver] = useState(false);
  const [picking, setPicking] = useState(false);
  const [library, setLibrary] = useState<AssetSummary[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const assetThumb = useObjectUrl(reference?.kind === 'asset' ? `ref:${reference.asset.id}` : null, () =>
    api.assets.thumbnail({ assetId: reference?.kind === 'asset' ? reference.asset.id : '' }),
  );

  async function takeFile(file: File | undefined) {
    if (!file) return;
    if (!file.type.startsWith('image/')) {
      useToasts.getState().show({ kind: 'error', heading: 'Not a picture', message: `“${file.name}” is not an image; drop a PNG, JPEG or WebP.` });
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (reference?.kind === 'file') URL.revokeObjectURL(reference.url);
    onChange({ kind: 'file', name: file.name, bytes, url: URL.createObjectURL(file) });
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    void takeFile(e.dataTransfer.files[0]);
  }

  async function openLibrary() {
    setPicking(true);
    const got = await api.assets.list({ kind: 'image', limit: 500 });
    if (reportFailure(got) && got.ok) setLibrary(got.value.items);
  }

  const shown = reference?.kind === 'file' ? reference.url : assetThumb.url;
  return (
    <div
      className={`reference-drop${over ? ' over' : ''}`}
      data-testid="pg-reference"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {reference ? (
        <div className="reference-chosen">
          {shown ? <img src={shown} alt="Reference" /> : null}
          <span data-testid="pg-reference-name">{reference.kind === 'file' ? reference.name : reference.asset.originalName}</span>
          <button type="button" className="button small quiet" onClick={() => onChange(null)}>
            Remove
          </button>
        </div>
      ) : (
        <p>
          Reference (optional): drop a photo or sketch here to redraw it in your style, or{' '}
          <button type="button" className="linkish" onClick={() => fileInput.current?.click()}>
            choose a file
          </button>{' '}
          or{' '}
          <button type="button" className="linkish" data-testid="pg-reference-library" onClick={() => void openLibrary()}>
            pick from the library
          </button>
          .
        </p>
      )}
      <input ref={fileInput} type="file" accept="image/*" hidden data-testid="pg-reference-input" onChange={(e) => void takeFile(e.target.files?.[0])} />
      {picking ? (
        <div className="reference-library" data-testid="pg-reference-picker">
          {library.length === 0 ? <p className="muted small">No images in the library.</p> : null}
          <ul>
            {library.slice(0, 60).map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  className="button small quiet"
                  data-testid="pg-reference-option"
                  data-asset-name={a.originalName}
                  onClick={() => {
                    onChange({ kind: 'asset', asset: a });
                    setPicking(false);
                  }}
                >
                  {a.originalName}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button small" onClick={() => setPicking(false)}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Gallery columns follow the CSS grid; this reads how many fit so Up/Down move by a row. */
function columnsOf(list: HTMLElement | null): number {
  if (!list) return 1;
  const cols = getComputedStyle(list).gridTemplateColumns.split(' ').filter(Boolean).length;
  return Math.max(1, cols);
}

function Gallery({ model, versions }: { model: ModelSummary; versions: number[] }) {
  const tick = usePlayground((s) => s.galleryTick);
  const [items, setItems] = useState<Generation[]>([]);
  const [total, setTotal] = useState(0);
  const [search, setSearch] = useState('');
  const [versionFilter, setVersionFilter] = useState<number | null>(null);
  const [favouritesOnly, setFavouritesOnly] = useState(false);
  const [focus, setFocus] = useState(-1);
  const [openId, setOpenId] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let alive = true;
    const timer = setTimeout(() => {
      void api.playground
        .list({
          modelId: model.id,
          ...(versionFilter !== null ? { version: versionFilter } : {}),
          ...(search.trim() ? { search: search.trim() } : {}),
          ...(favouritesOnly ? { favourite: true } : {}),
        })
        .then((got) => {
          if (alive && reportFailure(got) && got.ok) {
            setItems(got.value.items);
            setTotal(got.value.total);
          }
        });
    }, 120);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [model.id, versionFilter, search, favouritesOnly, tick]);

  async function update(g: Generation, change: { favourite?: boolean; rating?: number | null }) {
    const done = await api.playground.update({ generationId: g.id, ...change });
    if (reportFailure(done) && done.ok) setItems((list) => list.map((x) => (x.id === g.id ? done.value : x)));
  }

  function onKey(e: KeyboardEvent<HTMLUListElement>) {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    if (['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) {
      e.preventDefault();
      const next = moveFocus(focus, e.key, columnsOf(listRef.current), items.length);
      setFocus(next);
      listRef.current?.querySelectorAll<HTMLElement>('[data-testid="pg-gallery-item"]')[next]?.focus();
    } else if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey) {
      const g = items[focus];
      if (g) {
        e.preventDefault();
        void update(g, { favourite: !g.favourite });
      }
    } else if (e.key === 'Enter') {
      const g = items[focus];
      // Without preventDefault the same Enter would press the button the opening detail focuses.
      if (g) {
        e.preventDefault();
        setOpenId(g.id);
      }
    }
  }

  const open = useMemo(() => items.find((g) => g.id === openId) ?? null, [items, openId]);

  return (
    <section className="card panel pg-gallery" data-testid="pg-gallery" aria-labelledby="gallery-h">
      <div className="gallery-head">
        <h3 id="gallery-h">Gallery</h3>
        <span className="muted small" data-testid="pg-gallery-total">
          {total} {total === 1 ? 'piece' : 'pieces'}
        </span>
        <input className="text-input" type="search" data-testid="pg-search" placeholder="Search prompts and tags" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select className="select-input" data-testid="pg-filter-version" value={versionFilter ?? ''} onChange={(e) => setVersionFilter(e.target.value ? Number(e.target.value) : null)}>
          <option value="">All versions</option>
          {versions.map((v) => (
            <option key={v} value={v}>
              Version {v}
            </option>
          ))}
        </select>
        <label className="toggle">
          <input type="checkbox" data-testid="pg-filter-favourites" checked={favouritesOnly} onChange={(e) => setFavouritesOnly(e.target.checked)} />
          Favourites
        </label>
      </div>
      {items.length === 0 ? (
        <p className="muted" data-testid="pg-gallery-empty">
          {search || favouritesOnly || versionFilter !== null
            ? 'Nothing matches these filters.'
            : 'Nothing generated yet. Write a prompt and press Generate (Ctrl+Enter); every piece is kept here with its seed and version.'}
        </p>
      ) : null}
      <ul className="gallery-grid" ref={listRef} onKeyDown={onKey} aria-label="Generated pieces">
        {items.map((g, i) => (
          <li key={g.id}>
            <GalleryItem
              g={g}
              focused={focus === i}
              onFocus={() => setFocus(i)}
              onOpen={() => setOpenId(g.id)}
              onFavourite={() => void update(g, { favourite: !g.favourite })}
              onRate={(rating) => void update(g, { rating })}
            />
          </li>
        ))}
      </ul>
      {open ? (
        <GenerationDetail
          generation={open}
          onClose={() => setOpenId(null)}
          onFavourite={() => void update(open, { favourite: !open.favourite })}
          onRate={(rating) => void update(open, { rating })}
        />
      ) : null}
    </section>
  );
}

function GalleryItem({
  g,
  focused,
  onFocus,
  onOpen,
  onFavourite,
  onRate,
}: {
  g: Generation;
  focused: boolean;
  onFocus(): void;
  onOpen(): void;
  onFavourite(): void;
  onRate(rating: number | null): void;
}) {
  const thumb = useObjectUrl(g.mime.startsWith('image/') ? `gen:${g.id}` : null, () => api.playground.thumbnail({ generationId: g.id }));
  return (
    <div
      className={`gallery-item${focused ? ' focused' : ''}`}
      data-testid="pg-gallery-item"
      data-mode={g.mode}
      data-version={g.version}
      data-seed={g.seed}
      data-favourite={g.favourite}
      tabIndex={focused ? 0 : -1}
      onFocus={onFocus}
      onDoubleClick={onOpen}
    >
      <button type="button" className="gallery-thumb" onClick={onOpen} tabIndex={-1} aria-label={`Open ${g.prompt ?? g.referenceName ?? 'piece'}`}>
        {thumb.url ? <img src={thumb.url} alt={g.prompt ?? 'Generated piece'} data-testid="pg-gallery-thumb" /> : <span className="muted small">{g.mime.startsWith('audio/') ? 'Audio' : '…'}</span>}
      </button>
      <div className="gallery-caption">
        <span className="gallery-prompt" title={g.prompt ?? ''}>
          {g.prompt || (g.referenceName ? `From ${g.referenceName}` : 'Variation')}
        </span>
        <span className="muted small">
          v{g.version} · seed {g.seed} · {new Date(g.createdAt).toLocaleTimeString()}
        </span>
        <span className="gallery-controls">
          <button type="button" className={`star${g.favourite ? ' on' : ''}`} data-testid="pg-favourite" aria-pressed={g.favourite} aria-label="Favourite (F)" title="Favourite (F)" tabIndex={-1} onClick={onFavourite}>
            {g.favourite ? '★' : '☆'}
          </button>
          <Rating value={g.rating} onChange={onRate} />
        </span>
      </div>
    </div>
  );
}

export function Rating({ value, onChange }: { value: number | null; onChange(rating: number | null): void }) {
  return (
    <span className="rating" role="group" aria-label="Rating" data-testid="pg-rating" data-value={value ?? 0}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          tabIndex={-1}
          className={value !== null && n <= value ? 'on' : ''}
          aria-label={`${n} of 5`}
          aria-pressed={value === n}
          onClick={() => onChange(value === n ? null : n)}
        >
          {value !== null && n <= value ? '●' : '○'}
        </button>
      ))}
    </span>
  );
}
