// Trim math for the audio view: wavesurfer regions (seconds) ↔ the saved training span (whole milliseconds).
import type { TrimRange } from '../../../preload/contract';

/** The shortest span the editor lets a creator keep (shorter than this is a click, not a sample). */
export const TRIM_MIN_MS = 100;
/** Silence shorter than this at either end is not worth a suggestion (a breath, a fade). */
export const SILENCE_SUGGEST_MIN_MS = 200;

export interface RegionSeconds {
  start: number;
  end: number;
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** The span as whole milliseconds inside the recording, at least TRIM_MIN_MS long (shorter files: the whole file). */
export function clampTrim(trim: TrimRange, durationMs: number): TrimRange {
  const total = Math.max(1, Math.round(durationMs));
  const minLength = Math.min(TRIM_MIN_MS, total);
  const rawStart = Number.isFinite(trim.startMs) ? Math.round(trim.startMs) : 0;
  const rawEnd = Number.isFinite(trim.endMs) ? Math.round(trim.endMs) : total;
  const startMs = clamp(rawStart, 0, total - minLength);
  const endMs = clamp(rawEnd, startMs + minLength, total);
  return { startMs, endMs };
}

export function regionToTrim(region: RegionSeconds, durationMs: number): TrimRange {
  return clampTrim({ startMs: region.start * 1000, endMs: region.end * 1000 }, durationMs);
}

export function trimToRegion(trim: TrimRange): RegionSeconds {
  return { start: trim.startMs / 1000, end: trim.endMs / 1000 };
}

export function wholeFile(durationMs: number): TrimRange {
  return { startMs: 0, endMs: Math.max(1, Math.round(durationMs)) };
}

/** Where the region starts: the saved trim, else the whole recording. */
export function initialTrim(saved: TrimRange | null, durationMs: number): TrimRange {
  return saved ? clampTrim(saved, durationMs) : wholeFile(durationMs);
}

export function isWholeFile(trim: TrimRange, durationMs: number): boolean {
  const whole = wholeFile(durationMs);
  return trim.startMs === whole.startMs && trim.endMs === whole.endMs;
}

export function sameTrim(a: TrimRange | null, b: TrimRange | null): boolean {
  if (a === null || b === null) return a === b;
  return a.startMs === b.startMs && a.endMs === b.endMs;
}

/**
 * The span without the leading and trailing silence the analysis measured, or null when there is too
 * little silence to bother (or when cutting it would leave nothing).
 */
export function silenceTrim(leadingSilenceMs: number, trailingSilenceMs: number, durationMs: number): TrimRange | null {
  const lead = leadingSilenceMs >= SILENCE_SUGGEST_MIN_MS ? leadingSilenceMs : 0;
  const tail = trailingSilenceMs >= SILENCE_SUGGEST_MIN_MS ? trailingSilenceMs : 0;
  if (lead === 0 && tail === 0) return null;
  const startMs = Math.round(lead);
  const endMs = Math.round(durationMs - tail);
  if (endMs - startMs < TRIM_MIN_MS) return null;
  return clampTrim({ startMs, endMs }, durationMs);
}

/** "1:05.250" — minutes, seconds and milliseconds, for the trim readout. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(Number.isFinite(ms) ? ms : 0));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${minutes}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}
