// The audio view: wavesurfer.js with the studio's peaks, playback of the original, zoom, one region for the
// training span (drag/resize, saved as a trim), the silence suggestion, and the spectrogram aligned below.
import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { AudioMetrics, ErrorInfo, TrimRange, Waveform } from '../../../preload/contract';
import { api } from '../../platform';
import { PauseMark, PlayMark } from '../../ui/icons';
import { formatDuration } from './report-format';
import {
  TRIM_MIN_MS,
  clampTrim,
  formatClock,
  initialTrim,
  regionToTrim,
  sameTrim,
  silenceTrim,
  trimToRegion,
  wholeFile,
} from './trim-math';
import { useAssetBlob } from './use-asset-blob';

/** Zoom slider range in pixels per second; 0 fits the whole recording in the panel. */
const ZOOM_MAX_PX_PER_SEC = 400;
const ZOOM_STEP = 10;
const WAVEFORM_HEIGHT = 112;
/** The start/end fields step by this much with the arrow keys (a syllable is ~150 ms, so 50 ms is fine-grained). */
const TRIM_FIELD_STEP_S = 0.05;

/** What the panel can do to the player from its own keyboard handling (Space). */
export interface AudioControls {
  toggle(): void;
}

export interface AudioViewProps {
  assetId: string;
  /** The recording's length as the library knows it (the waveform's own length is used when missing). */
  durationMs: number | null;
  saved: TrimRange | null;
  audio: AudioMetrics | undefined;
  busy: boolean;
  onSave(trim: TrimRange | null): void;
  controlsRef: MutableRefObject<AudioControls | null>;
}

type WaveformState = { status: 'loading' } | { status: 'ready'; waveform: Waveform } | { status: 'error'; error: ErrorInfo };

function themeColours(el: Element) {
  const css = getComputedStyle(el);
  const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    waveColor: read('--text-3', '#857e76'),
    progressColor: read('--accent', '#b04f2a'),
    cursorColor: read('--text', '#1f1c19'),
  };
}

/** A seconds field that applies each valid value at once but shows what is typed until focus leaves. */
function SecondsField(props: { label: string; testId: string; ms: number; maxMs: number; disabled: boolean; onCommit(ms: number): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label>
      <span>{props.label}</span>
      <input
        type="number"
        min={0}
        max={props.maxMs / 1000}
        step={TRIM_FIELD_STEP_S}
        value={draft ?? (props.ms / 1000).toFixed(2)}
        disabled={props.disabled}
        data-testid={props.testId}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          const seconds = Number(text);
          if (text.trim() !== '' && Number.isFinite(seconds)) props.onCommit(seconds * 1000);
        }}
        onBlur={() => setDraft(null)}
      />
    </label>
  );
}

export function AudioView({ assetId, durationMs: knownDurationMs, saved, audio, busy, onSave, controlsRef }: AudioViewProps) {
  const [wave, setWave] = useState<WaveformState>({ status: 'loading' });
  const media = useAssetBlob(`media:${assetId}`, () => api.assets.media({ assetId }));
  const spectrogram = useAssetBlob(`spectrogram:${assetId}`, () => api.assets.spectrogram({ assetId }));
  const containerRef = useRef<HTMLDivElement | null>(null);
  const trackRef = useRef<HTMLDivElement | null>(null);
  const timeRef = useRef<HTMLSpanElement | null>(null);
  const wsRef = useRef<WaveSurfer | null>(null);
  const regionRef = useRef<Region | null>(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [playbackError, setPlaybackError] = useState(false);
  const [zoom, setZoom] = useState(0);

  const durationMs = knownDurationMs ?? (wave.status === 'ready' ? wave.waveform.durationMs : null);
  const total = durationMs ?? 0;
  const [trim, setTrim] = useState<TrimRange | null>(null);
  const working = trim ?? (durationMs !== null ? initialTrim(saved, durationMs) : null);
  const savedOrWhole = durationMs !== null ? (saved ?? wholeFile(durationMs)) : null;
  const silence = audio && durationMs !== null ? silenceTrim(audio.leadingSilenceMs, audio.trailingSilenceMs, durationMs) : null;

  useEffect(() => {
    let live = true;
    setWave({ status: 'loading' });
    void api.assets.waveform({ assetId }).then((result) => {
      if (!live) return;
      setWave(result.ok ? { status: 'ready', waveform: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [assetId]);

  // A new saved trim (saved here, or changed by undo elsewhere) becomes the working span.
  const savedKey = saved ? `${saved.startMs}-${saved.endMs}` : 'none';
  useEffect(() => {
    setTrim(null);
  }, [savedKey, durationMs]);

  const mediaUrl = media.status === 'ready' ? media.url : null;
  const peaks = wave.status === 'ready' ? wave.waveform.peaks : null;

  // One wavesurfer per recording; peaks come from the studio, so the browser never decodes the whole file.
  useEffect(() => {
    const container = containerRef.current;
    if (!container || !mediaUrl || !peaks || durationMs === null) return;
    const regions = RegionsPlugin.create();
    const ws = WaveSurfer.create({
      container,
      height: WAVEFORM_HEIGHT,
      ...themeColours(container),
      cursorWidth: 2,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      dragToSeek: false,
      autoScroll: true,
      plugins: [regions],
    });
    wsRef.current = ws;
    setReady(false);
    setPlaybackError(false);

    const syncSpectrogram = () => {
      const track = trackRef.current;
      if (!track) return;
      // The spectrogram covers the same seconds as the waveform: same width, same scroll.
      track.style.width = `${ws.getWrapper().getBoundingClientRect().width}px`;
      track.style.transform = `translateX(${-ws.getScroll()}px)`;
    };
    const later = () => requestAnimationFrame(syncSpectrogram);
    ws.on('redraw', later);
    ws.on('zoom', later);
    ws.on('scroll', later);
    ws.on('resize', later);
    ws.on('play', () => setPlaying(true));
    ws.on('pause', () => setPlaying(false));
    ws.on('finish', () => setPlaying(false));
    ws.on('error', () => setPlaybackError(true));
    ws.on('timeupdate', (seconds) => {
      if (timeRef.current) timeRef.current.textContent = formatClock(seconds * 1000);
    });

    const syncFromRegion = (region: Region) => setTrim(regionToTrim({ start: region.start, end: region.end }, durationMs));
    regions.on('region-update', syncFromRegion);
    regions.on('region-updated', syncFromRegion);

    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => ws.setOptions(themeColours(container));
    scheme.addEventListener('change', onScheme);

    let live = true;
    ws.load(mediaUrl, peaks, durationMs / 1000).then(
      () => {
        if (!live) return;
        const span = trimToRegion(initialTrim(saved, durationMs));
        regionRef.current = regions.addRegion({
          id: 'training-span',
          start: span.start,
          end: span.end,
          drag: true,
          resize: true,
          minLength: TRIM_MIN_MS / 1000,
          color: 'color-mix(in srgb, var(--accent) 16%, transparent)',
        });
        setReady(true);
        later();
      },
      () => {
        if (live) setPlaybackError(true);
      },
    );
    controlsRef.current = { toggle: () => void ws.playPause().catch(() => setPlaybackError(true)) };

    return () => {
      live = false;
      scheme.removeEventListener('change', onScheme);
      controlsRef.current = null;
      regionRef.current = null;
      wsRef.current = null;
      ws.destroy();
    };
    // The saved trim is read once here for the first region; later changes move the region (below).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mediaUrl, peaks, durationMs, controlsRef]);

  // The region follows the working span when a button (suggestion, reset) or a save changes it.
  useEffect(() => {
    const region = regionRef.current;
    if (!region || !working || !ready) return;
    const shown = regionToTrim({ start: region.start, end: region.end }, total);
    if (!sameTrim(shown, working)) {
      const span = trimToRegion(working);
      region.setOptions({ start: span.start, end: span.end });
    }
  }, [working, ready, total]);

  function onZoom(value: number) {
    setZoom(value);
    wsRef.current?.zoom(value);
  }

  const loadingError = wave.status === 'error' ? wave.error : media.status === 'error' ? media.error : null;
  const changed = working !== null && savedOrWhole !== null && !sameTrim(working, savedOrWhole);

  return (
    <section className="ap-panel-section ap-audio-view" data-testid="audio-view" aria-labelledby="audio-view-title">
      <div className="ap-section-head">
        <h3 id="audio-view-title">Recording</h3>
        <p className="muted ap-small">The highlighted span is what training uses. Drag it, or drag its edges.</p>
      </div>

      {loadingError ? (
        <div className="ap-panel-inline-error" role="alert">
          <strong>The recording could not be loaded.</strong> {loadingError.message}
        </div>
      ) : null}

      <div className="ap-audio-frame" aria-busy={!ready}>
        <div className="ap-audio-waveform" ref={containerRef} data-testid="audio-waveform" data-ready={ready ? 'true' : 'false'} />
        {!ready && !loadingError ? <div className="ap-audio-loading">Loading the waveform…</div> : null}
        <div className="ap-audio-spectrogram" aria-label="Spectrogram (frequency over time)" role="img">
          <div className="ap-spectrogram-track" ref={trackRef}>
            {spectrogram.status === 'ready' ? <img src={spectrogram.url} alt="" draggable={false} data-testid="audio-spectrogram" /> : null}
            {working && total > 0 ? (
              <>
                <div className="ap-spectrogram-dim" style={{ left: 0, width: `${(working.startMs / total) * 100}%` }} />
                <div className="ap-spectrogram-dim" style={{ left: `${(working.endMs / total) * 100}%`, right: 0 }} />
              </>
            ) : null}
          </div>
          {spectrogram.status === 'error' ? <p className="muted ap-small ap-spectrogram-note">No spectrogram: {spectrogram.error.message}</p> : null}
        </div>
      </div>

      <div className="ap-audio-controls">
        <button
          type="button"
          className="button small"
          data-testid="audio-play"
          disabled={!ready || playbackError}
          aria-keyshortcuts="Space"
          onClick={() => controlsRef.current?.toggle()}
        >
          {playing ? <PauseMark /> : <PlayMark />}
          {playing ? 'Pause' : 'Play'}
          <span className="kbd">Space</span>
        </button>
        <span className="ap-audio-time" aria-live="off">
          <span ref={timeRef}>{formatClock(0)}</span> / {formatClock(total)}
        </span>
        <label className="ap-audio-zoom">
          <span>Zoom</span>
          <input
            type="range"
            min={0}
            max={ZOOM_MAX_PX_PER_SEC}
            step={ZOOM_STEP}
            value={zoom}
            disabled={!ready}
            data-testid="audio-zoom"
            aria-valuetext={zoom === 0 ? 'Whole recording' : `${zoom} pixels per second`}
            onChange={(e) => onZoom(Number(e.currentTarget.value))}
          />
        </label>
      </div>
      {playbackError ? <p className="muted ap-small">This browser cannot play this file; the waveform and trim still work.</p> : null}

      <dl className="ap-trim-readout">
        <div>
          <dt>Training span</dt>
          <dd data-testid="trim-readout" data-start-ms={working?.startMs} data-end-ms={working?.endMs}>
            {working ? `${formatClock(working.startMs)} – ${formatClock(working.endMs)} (${formatDuration(working.endMs - working.startMs)})` : '—'}
          </dd>
        </div>
        <div>
          <dt>Saved</dt>
          <dd data-testid="trim-saved" data-start-ms={saved?.startMs} data-end-ms={saved?.endMs}>
            {saved ? `${formatClock(saved.startMs)} – ${formatClock(saved.endMs)}` : 'No trim saved: the whole recording is used'}
          </dd>
        </div>
      </dl>

      {/* The same span as numbers, for the keyboard (arrow keys step it) and for exact values. */}
      {working && total > 0 ? (
        <div className="ap-trim-fields">
          <SecondsField
            label="Start (s)"
            testId="trim-start-input"
            ms={working.startMs}
            maxMs={total}
            disabled={!ready}
            onCommit={(ms) => setTrim(clampTrim({ startMs: ms, endMs: working.endMs }, total))}
          />
          <SecondsField
            label="End (s)"
            testId="trim-end-input"
            ms={working.endMs}
            maxMs={total}
            disabled={!ready}
            onCommit={(ms) => setTrim(clampTrim({ startMs: working.startMs, endMs: ms }, total))}
          />
        </div>
      ) : null}

      {silence && audio ? (
        <p className="ap-suggestion-note" data-testid="trim-silence-note">
          The analysis found {formatDuration(audio.leadingSilenceMs)} of silence at the start and {formatDuration(audio.trailingSilenceMs)} at
          the end.
        </p>
      ) : null}

      <div className="ap-button-row">
        <div className="ap-button-group">
          <button
            type="button"
            className="button small"
            data-testid="trim-to-silence"
            disabled={!silence || !ready || (working !== null && silence !== null && sameTrim(working, silence))}
            title={silence ? 'Move the span to where the sound starts and ends' : 'No silence worth trimming at either end'}
            onClick={() => silence && setTrim(silence)}
          >
            Trim to silence
          </button>
          <button
            type="button"
            className="button small quiet"
            data-testid="trim-reset"
            disabled={!changed}
            title="Back to the saved span (or the whole recording when none is saved)"
            onClick={() => setTrim(null)}
          >
            Reset
          </button>
        </div>
        <div className="ap-button-group ap-end">
          <button type="button" className="button small quiet" data-testid="trim-clear" disabled={!saved || busy} onClick={() => onSave(null)}>
            Clear trim
          </button>
          <button
            type="button"
            className="button small primary"
            data-testid="trim-save"
            disabled={!changed || busy || !working}
            onClick={() => working && onSave(working)}
          >
            {busy ? 'Saving…' : 'Save trim'}
          </button>
        </div>
      </div>
    </section>
  );
}
