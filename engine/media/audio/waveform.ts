// Waveform peaks for wavesurfer.js: per channel, interleaved min/max pairs in full-scale units (−1..1).
import type { Waveform } from './types';

/** 100 pairs per second lets the audio view zoom to ~10 ms per pixel-pair… */
export const PEAKS_PER_SECOND = 100;
/** …with at least ~2000 pairs, so a short clip still fills a wide view sharply… */
export const MIN_PEAK_PAIRS = 2000;
/** …and at most 30 000, so a 30-minute file's peaks stay under a megabyte of JSON per channel. */
export const MAX_PEAK_PAIRS = 30_000;

/** Rounded to 4 decimals: finer than a pixel at any height, and it keeps the cached JSON small. */
function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/**
 * Values stay in full-scale units (1 = 0 dBFS) rather than being stretched to the loudest sample, so a quiet
 * recording looks quiet; wavesurfer's own `normalize` option can stretch it for display.
 */
export function computeWaveform(channels: readonly Float32Array[], sampleRate: number): Waveform {
  const length = channels[0]?.length ?? 0;
  const durationMs = Math.round((length / sampleRate) * 1000);
  const wanted = Math.round((length / sampleRate) * PEAKS_PER_SECOND);
  const pairs = Math.max(1, Math.min(length, Math.min(MAX_PEAK_PAIRS, Math.max(MIN_PEAK_PAIRS, wanted))));
  const peaks = channels.map((ch) => {
    const out: number[] = new Array<number>(pairs * 2);
    for (let p = 0; p < pairs; p++) {
      const from = Math.floor((p * length) / pairs);
      const to = Math.max(from + 1, Math.floor(((p + 1) * length) / pairs));
      let min = Infinity;
      let max = -Infinity;
      for (let i = from; i < to; i++) {
        const v = ch[i] ?? 0;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      out[2 * p] = round4(Math.max(-1, min));
      out[2 * p + 1] = round4(Math.min(1, max));
    }
    return out;
  });
  return { durationMs, sampleRate, peaks };
}
