// "Check a file": drop or choose a picture or recording; see whether it carries this creator's mark and what it names.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { WatermarkCheck } from '../../../preload/contract';
import { api } from '../../platform';
import { UPLOAD_FILE_MAX_BYTES, formatBytes } from '../../platform/import-batches';
import { checkHeadline, checkRows, credentialsLine } from './check-view';
import './watermark.css';

type PanelState =
  | { step: 'empty' }
  | { step: 'checking'; name: string }
  | { step: 'done'; check: WatermarkCheck; preview: string | null }
  | { step: 'failed'; name: string; code: string; message: string };

/** What the file chooser offers; anything else dropped is still sent, and the studio says why it cannot be checked. */
const ACCEPT = 'image/png,image/jpeg,image/webp,image/avif,image/tiff,image/gif,audio/wav,audio/x-wav,audio/mpeg,audio/flac,audio/ogg,audio/opus,.wav,.mp3,.flac,.ogg,.opus';

export function CheckFilePanel() {
  const [state, setState] = useState<PanelState>({ step: 'empty' });
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Only the latest file's answer is shown when the creator drops another while one is being checked.
  const latest = useRef(0);

  const preview = state.step === 'done' ? state.preview : null;
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);

  async function check(file: File | undefined) {
    if (!file) return;
    const ticket = ++latest.current;
    if (file.size > UPLOAD_FILE_MAX_BYTES) {
      setState({ step: 'failed', name: file.name, code: 'TOO_LARGE', message: `“${file.name}” is ${formatBytes(file.size)}; Atelier checks files up to ${formatBytes(UPLOAD_FILE_MAX_BYTES)} here. Use the command line: atelier watermark detect FILE.` });
      return;
    }
    setState({ step: 'checking', name: file.name });
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      if (ticket === latest.current) setState({ step: 'failed', name: file.name, code: 'NOT_FOUND', message: `“${file.name}” could not be read. It may have been moved or deleted; choose it again.` });
      return;
    }
    const got = await api.watermark.check({ source: { kind: 'bytes', name: file.name, bytes } });
    if (ticket !== latest.current) return;
    if (!got.ok) {
      setState({ step: 'failed', name: file.name, code: got.error.code, message: got.error.message });
      return;
    }
    const url = got.value.kind === 'image' ? URL.createObjectURL(file) : null;
    setState({ step: 'done', check: got.value, preview: url });
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    void check(e.dataTransfer.files[0]);
  }

  const busy = state.step === 'checking';
  return (
    <section className="card settings-card check-file" aria-labelledby="check-file-title" data-testid="check-file-panel">
      <h2 id="check-file-title">Check a file</h2>
      <p className="muted">
        Found one of your drafts somewhere? Check whether a picture or recording carries your mark, and which draft and client it
        names. Only marks made with this profile’s key can be read; the key never leaves this computer.
      </p>
      <div
        className={`check-drop${over ? ' over' : ''}`}
        data-testid="check-file-drop"
        aria-busy={busy}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {state.step === 'empty' ? (
          <p data-testid="check-file-empty">
            Drop a picture (PNG, JPEG, WebP…) or a recording (WAV, MP3, FLAC, OGG) here, or{' '}
            <button type="button" className="linkish" data-testid="check-file-choose" onClick={() => input.current?.click()}>
              choose a file
            </button>
            .
          </p>
        ) : null}

        {state.step === 'checking' ? (
          <div className="check-progress" data-testid="check-file-progress">
            <p>
              Checking <strong>{state.name}</strong>…
            </p>
            {/* Indeterminate: a check is one step (≈ 0.1 s for a picture, up to a few seconds for a long recording). */}
            <progress aria-label={`Checking ${state.name}`} />
          </div>
        ) : null}

        {state.step === 'done' ? <CheckResult check={state.check} preview={state.preview} /> : null}

        {state.step === 'failed' ? (
          <div className="check-error" role="alert" data-testid="check-file-error" data-code={state.code}>
            <p className="check-headline">{state.code === 'UNSUPPORTED_FILE' ? 'This file cannot be checked' : `“${state.name}” could not be checked`}</p>
            <p>{state.message}</p>
          </div>
        ) : null}

        {state.step === 'done' || state.step === 'failed' ? (
          <p className="check-again">
            Drop another file, or{' '}
            <button type="button" className="linkish" data-testid="check-file-choose" onClick={() => input.current?.click()}>
              choose one
            </button>
            .
          </p>
        ) : null}
      </div>
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        hidden
        data-testid="check-file-input"
        onChange={(e) => {
          void check(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
    </section>
  );
}

function CheckResult({ check, preview }: { check: WatermarkCheck; preview: string | null }) {
  const rows = checkRows(check);
  return (
    <div className="check-result" data-testid="check-file-result" data-found={check.found} data-kind={check.kind} aria-live="polite">
      {preview ? <img className="check-preview" src={preview} alt={check.name} /> : null}
      <div className="check-facts">
        <p className={`check-headline ${check.found ? 'found' : 'none'}`}>
          {check.found ? <span aria-hidden="true">✓ </span> : null}
          {checkHeadline(check)}
        </p>
        <p className="check-name">{check.name}</p>
        {rows.length > 0 ? (
          <dl className="facts">
            {rows.map((r) => (
              <div key={r.id} className="check-row">
                <dt>{r.label}</dt>
                <dd data-testid={`check-file-${r.id}`}>{r.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        <p className="muted small" data-testid="check-file-message">
          {check.message}
        </p>
        {check.credentials ? (
          <p className={`check-credentials ${check.credentials.verdict}`} data-testid="check-file-credentials" data-verdict={check.credentials.verdict}>
            {credentialsLine(check)}
          </p>
        ) : null}
      </div>
    </div>
  );
}
