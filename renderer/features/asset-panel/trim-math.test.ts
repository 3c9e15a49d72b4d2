// Trim math: the region on the waveform (seconds) and the saved training span (whole ms) agree.
import { describe, expect, it } from 'vitest';
import {
  TRIM_MIN_MS,
  clampTrim,
  formatClock,
  initialTrim,
  isWholeFile,
  regionToTrim,
  sameTrim,
  silenceTrim,
  trimToRegion,
  wholeFile,
} from './trim-math';

describe('region ↔ trim', () => {
  it('turns a region in seconds into whole milliseconds and back', () => {
    const trim = regionToTrim({ start: 1.2345, end: 8.0004 }, 12_000);
    expect(trim).toEqual({ startMs: 1235, endMs: 8000 });
    expect(trimToRegion(trim)).toEqual({ start: 1.235, end: 8 });
  });

  it('keeps the span inside the recording', () => {
    expect(regionToTrim({ start: -0.5, end: 99 }, 12_000)).toEqual({ startMs: 0, endMs: 12_000 });
  });

  it('never lets the span be shorter than the minimum or inside out', () => {
    expect(clampTrim({ startMs: 5000, endMs: 5010 }, 12_000)).toEqual({ startMs: 5000, endMs: 5000 + TRIM_MIN_MS });
    expect(clampTrim({ startMs: 11_990, endMs: 11_995 }, 12_000)).toEqual({ startMs: 12_000 - TRIM_MIN_MS, endMs: 12_000 });
    expect(clampTrim({ startMs: 6000, endMs: 1000 }, 12_000)).toEqual({ startMs: 6000, endMs: 6000 + TRIM_MIN_MS });
  });

  it('treats a recording shorter than the minimum as one whole span', () => {
    expect(clampTrim({ startMs: 10, endMs: 20 }, 40)).toEqual({ startMs: 0, endMs: 40 });
  });

  it('ignores nonsense numbers', () => {
    expect(clampTrim({ startMs: Number.NaN, endMs: Number.POSITIVE_INFINITY }, 3000)).toEqual({ startMs: 0, endMs: 3000 });
  });
});

describe('starting point and comparisons', () => {
  it('starts from the saved trim, else the whole file', () => {
    expect(initialTrim({ startMs: 500, endMs: 2000 }, 3000)).toEqual({ startMs: 500, endMs: 2000 });
    expect(initialTrim(null, 3000.4)).toEqual({ startMs: 0, endMs: 3000 });
    expect(isWholeFile(wholeFile(3000), 3000)).toBe(true);
    expect(isWholeFile({ startMs: 1, endMs: 3000 }, 3000)).toBe(false);
    expect(sameTrim(null, null)).toBe(true);
    expect(sameTrim({ startMs: 1, endMs: 2 }, null)).toBe(false);
  });
});

describe('the silence suggestion', () => {
  it('cuts the measured silence at both ends', () => {
    expect(silenceTrim(1500, 700, 12_000)).toEqual({ startMs: 1500, endMs: 11_300 });
  });

  it('ignores a breath-length gap at one end but still cuts the other', () => {
    expect(silenceTrim(50, 900, 12_000)).toEqual({ startMs: 0, endMs: 11_100 });
  });

  it('suggests nothing when there is no real silence, or when nothing would be left', () => {
    expect(silenceTrim(0, 100, 12_000)).toBeNull();
    expect(silenceTrim(6000, 6000, 12_000)).toBeNull();
  });
});

describe('clock readout', () => {
  it('shows minutes, seconds and milliseconds', () => {
    expect(formatClock(0)).toBe('0:00.000');
    expect(formatClock(65_250)).toBe('1:05.250');
    expect(formatClock(-3)).toBe('0:00.000');
  });
});
