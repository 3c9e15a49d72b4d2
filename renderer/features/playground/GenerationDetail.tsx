// One generated piece: the picture with its provenance overlay on hover, its sources, and a before/after slider.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ExportFormat, Generation, ProvenanceOverlay } from '../../../preload/contract';
import { api } from '../../platform';
import { bytesUrl, useObjectUrl } from '../../ui/use-object-url';
import { Rating } from './PlaygroundScreen';

/** The overlay PNG is already semi-transparent (the studio's alpha); this keeps the output readable beneath it. */
const OVERLAY_OPACITY = 0.85;
/** How far one arrow key moves the before/after divider (percent of the width). */
const SLIDER_STEP = 5;
/** The download's object URL lives this long: browsers read it after click() returns, and revoking at once can cancel it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** Saves bytes as a file through an <a download>: the same flow in the browser host and in Electron's renderer. */
function download(bytes: Uint8Array, mime: string, name: string, parent: HTMLElement): void {
  const url = bytesUrl({ mime, bytes });
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  // Inside the modal dialog: outside it the page is inert.
  parent.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

export function GenerationDetail({
  generation: g,
  onClose,
  onFavourite,
  onRate,
}: {
  generation: Generation;
  onClose(): void;
  onFavourite(): void;
  onRate(rating: number | null): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const image = g.mime.startsWith('image/');
  const output = useObjectUrl(`out:${g.id}`, () => api.playground.output({ generationId: g.id }));
  const reference = useObjectUrl(image && g.mode === 'reference' ? `ref:${g.id}` : null, () => api.playground.reference({ generationId: g.id }));
  const [overlay, setOverlay] = useState<{ data: ProvenanceOverlay; url: string } | null>(null);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [exported, setExported] = useState<{ ok: boolean; text: string } | null>(null);

  async function exportAs(format: ExportFormat) {
    setExporting(format);
    setExported(null);
    const got = await api.playground.export({ generationId: g.id, format });
    setExporting(null);
    if (!got.ok) {
      setExported({ ok: false, text: got.error.message });
      return;
    }
    if (dialog.current) download(got.value.bytes, got.value.mime, got.value.name, dialog.current);
    setExported({ ok: true, text: `Saved ${got.value.name}: no marks, with content credentials signed by you.` });
  }

  useEffect(() => {
    dialog.current?.showModal();
    // showModal focuses the first control (the star); Close is the safer place for Enter and Space to land.
    closeButton.current?.focus();
  }, []);

  useEffect(() => {
    if (!image) return;
    let alive = true;
    let url: string | null = null;
    void api.playground.provenance({ generationId: g.id }).then((got) => {
      if (!alive || !got.ok) return;
      url = bytesUrl(got.value.overlay);
      setOverlay({ data: got.value, url });
    });
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [g.id, image]);

  function onKey(e: KeyboardEvent) {
    if ((e.key === 'f' || e.key === 'F') && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault();
      onFavourite();
    }
  }

  return (
    <dialog ref={dialog} className="card dialog gen-detail" data-testid="pg-detail" onClose={onClose} onKeyDown={onKey} aria-label="Generated piece">
      <div className="gen-detail-body">
        <div className="gen-visual">
          {image && output.url ? (
            g.mode === 'reference' && reference.url ? (
              <BeforeAfter before={reference.url} after={output.url} />
            ) : (
              <ProvenanceView src={output.url} overlay={overlay} />
            )
          ) : null}
          {!image && output.url ? <audio controls src={output.url} data-testid="pg-detail-audio" /> : null}
          {output.error ? <p className="form-error">{output.error}</p> : null}
        </div>
        <aside className="gen-facts">
          <h3>{g.prompt || (g.referenceName ? `From ${g.referenceName}` : 'Variation')}</h3>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{g.version}</dd>
            <dt>Seed</dt>
            <dd data-testid="pg-detail-seed">{g.seed}</dd>
            <dt>Size</dt>
            <dd>{g.lengthS ? `${g.lengthS} s` : `${g.width} × ${g.height}`}</dd>
            <dt>Made</dt>
            <dd>
              {new Date(g.createdAt).toLocaleString()} in {(g.durationMs / 1000).toFixed(1)} s
            </dd>
            {g.tags.length ? (
              <>
                <dt>Tags</dt>
                <dd>{g.tags.join(', ')}</dd>
              </>
            ) : null}
          </dl>
          <div className="gallery-controls">
            <button type="button" className={`star${g.favourite ? ' on' : ''}`} aria-pressed={g.favourite} onClick={onFavourite} title="Favourite (F)">
              {g.favourite ? '★ Favourite' : '☆ Favourite'}
            </button>
            <Rating value={g.rating} onChange={onRate} />
          </div>
          <h4>Built from your assets</h4>
          <ul className="legend" data-testid="pg-provenance-legend">
            {(overlay?.data.assets ?? g.provenance).map((a) => (
              <li key={a.sha256}>
                <span className="swatch" style={{ background: a.colour }} aria-hidden="true" />
                <span className="legend-name">{a.name}</span>
                <span className="muted">{Math.round(a.share * 100)}%</span>
              </li>
            ))}
          </ul>
          {image && g.mode !== 'reference' ? <p className="hint">Hover the picture to see which asset each part came from.</p> : null}
          {image ? (
            <div className="gen-export" data-testid="pg-export">
              <button type="button" className="button primary" data-testid="pg-export-png" disabled={exporting !== null} onClick={() => void exportAs('png')}>
                {exporting === 'png' ? 'Exporting…' : 'Export PNG'}
              </button>
              <button type="button" className="button" data-testid="pg-export-jpeg" disabled={exporting !== null} onClick={() => void exportAs('jpeg')}>
                {exporting === 'jpeg' ? 'Exporting…' : 'Export JPEG'}
              </button>
              <p className="hint">Without any mark, with content credentials: “AI-generated with this model by you”, its version and training set.</p>
              {exported ? (
                <p className={exported.ok ? 'hint' : 'form-error'} role={exported.ok ? 'status' : 'alert'} data-testid="pg-export-status">
                  {exported.text}
                </p>
              ) : null}
            </div>
          ) : null}
          <button type="button" className="button" data-testid="pg-detail-close" ref={closeButton} onClick={() => dialog.current?.close()}>
            Close
          </button>
        </aside>
      </div>
    </dialog>
  );
}

/** The output; on hover the overlay fades in and the pixel under the pointer names its source asset. */
function ProvenanceView({ src, overlay }: { src: string; overlay: { data: ProvenanceOverlay; url: string } | null }) {
  const [hover, setHover] = useState(false);
  const [source, setSource] = useState<{ name: string; x: number; y: number } | null>(null);

  function onMove(e: PointerEvent<HTMLDivElement>) {
    if (!overlay) return;
    const box = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - box.left) / box.width;
    const fy = (e.clientY - box.top) / box.height;
    const { grid, gridWidth, gridHeight, assets } = overlay.data;
    const cx = Math.min(gridWidth - 1, Math.max(0, Math.floor(fx * gridWidth)));
    const cy = Math.min(gridHeight - 1, Math.max(0, Math.floor(fy * gridHeight)));
    const asset = assets[grid[cy * gridWidth + cx] ?? -1];
    setSource(asset ? { name: asset.name, x: e.clientX - box.left, y: e.clientY - box.top } : null);
  }

  return (
    <div
      className="provenance-view"
      data-testid="pg-provenance"
      data-hover={hover}
      onPointerEnter={() => setHover(true)}
      onPointerLeave={() => {
        setHover(false);
        setSource(null);
      }}
      onPointerMove={onMove}
    >
      <img src={src} alt="Generated piece" data-testid="pg-detail-image" />
      {overlay ? <img className="overlay" src={overlay.url} alt="" aria-hidden="true" style={{ opacity: hover ? OVERLAY_OPACITY : 0 }} data-testid="pg-provenance-overlay" /> : null}
      {hover && source ? (
        <span className="provenance-tip" data-testid="pg-provenance-tip" style={{ left: source.x + 12, top: source.y + 12 }}>
          {source.name}
        </span>
      ) : null}
    </div>
  );
}

/** Reference on the left of the divider, output on the right; drag it or use the arrow keys. */
function BeforeAfter({ before, after }: { before: string; after: string }) {
  const [at, setAt] = useState(50);
  const dragging = useRef(false);

  function fromPointer(e: PointerEvent<HTMLDivElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    setAt(Math.min(100, Math.max(0, ((e.clientX - box.left) / box.width) * 100)));
  }

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowLeft: -SLIDER_STEP, ArrowRight: SLIDER_STEP, ArrowDown: -SLIDER_STEP, ArrowUp: SLIDER_STEP };
    if (e.key in moves) {
      e.preventDefault();
      setAt((v) => Math.min(100, Math.max(0, v + (moves[e.key] ?? 0))));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      setAt(e.key === 'Home' ? 0 : 100);
    }
  }

  return (
    <div
      className="before-after"
      data-testid="pg-before-after"
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        fromPointer(e);
      }}
      onPointerMove={(e) => dragging.current && fromPointer(e)}
      onPointerUp={() => (dragging.current = false)}
    >
      <img src={after} alt="Output" />
      <img className="before" src={before} alt="Reference" style={{ clipPath: `inset(0 ${100 - at}% 0 0)` }} />
      <div
        className="ba-divider"
        role="slider"
        tabIndex={0}
        aria-label="Before and after divider"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(at)}
        data-testid="pg-slider"
        style={{ left: `${at}%` }}
        onKeyDown={onKey}
      />
      <span className="ba-label left">Reference</span>
      <span className="ba-label right">Output</span>
    </div>
  );
}
