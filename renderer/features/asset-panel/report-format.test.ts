// How findings, metrics and tags read in the panel.
import { describe, expect, it } from 'vitest';
import type { AudioMetrics, Finding } from '../../../preload/contract';
import {
  appliedFixNote,
  audioMetricRows,
  checkTitle,
  completions,
  findingSummary,
  fixLabel,
  formatDuration,
  formatMetric,
  groupTags,
  normaliseTagValue,
  pendingSuggestions,
  sortFindings,
} from './report-format';

describe('numbers with units', () => {
  it('reads like a creator would say them', () => {
    expect(formatMetric(812, 'px')).toBe('812 px');
    expect(formatMetric(3000.4, 'px')).toBe('3000 px');
    expect(formatMetric(12_000, 'count')).toBe('12,000');
    expect(formatMetric(44_100, 'Hz')).toBe('44.1 kHz');
    expect(formatMetric(22_050, 'Hz')).toBe('22.05 kHz');
    expect(formatMetric(800, 'Hz')).toBe('800 Hz');
    expect(formatMetric(-23.44, 'LUFS')).toBe('\u221223.4 LUFS');
    expect(formatMetric(-0.3, 'dBTP')).toBe('\u22120.3 dBTP');
    expect(formatMetric(8.46, 's')).toBe('8.5 s');
    expect(formatMetric(2.84, 'z')).toBe('z = 2.8');
    expect(formatMetric(6, 'bits')).toBe('6 bits');
    expect(formatMetric(1, 'bits')).toBe('1 bit');
    expect(formatMetric(0.125, '%')).toBe('0.13 %');
    expect(formatMetric(12, 'count')).toBe('12');
    expect(formatMetric(1, 'words')).toBe('1 word');
    expect(formatMetric(0.4321, '')).toBe('0.432');
  });

  it('does not print NaN or Infinity', () => {
    expect(formatMetric(Number.NaN, 'dB')).toBe('— dB');
    expect(formatMetric(Number.NEGATIVE_INFINITY, 'LUFS')).toBe('\u2212∞ LUFS');
  });

  it('formats durations short and long', () => {
    expect(formatDuration(8_450)).toBe('8.5 s');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});

const finding = (over: Partial<Finding>): Finding => ({
  check: 'resolution',
  severity: 'warning',
  metric: 812,
  unit: 'px',
  threshold: '≥ 1024 px recommended, ≥ 256 px required',
  reason: 'The short side is small; training sees less detail.',
  ...over,
});

describe('findings', () => {
  it('puts problems before warnings before notes, keeping the report order within each', () => {
    const sorted = sortFindings([
      finding({ check: 'colour', severity: 'info' }),
      finding({ check: 'blur', severity: 'warning' }),
      finding({ check: 'resolution', severity: 'error' }),
      finding({ check: 'overlay', severity: 'warning' }),
    ]);
    expect(sorted.map((f) => f.check)).toEqual(['resolution', 'blur', 'overlay', 'colour']);
  });

  it('says the whole finding in one sentence', () => {
    expect(findingSummary(finding({}))).toBe(
      'Warning: Resolution 812 px (≥ 1024 px recommended, ≥ 256 px required). The short side is small; training sees less detail.',
    );
    expect(checkTitle('near-duplicate')).toBe('Near-duplicate');
    expect(fixLabel('trim-silence')).toBe('Trim the silence');
  });

  it('tells a fix already applied from one still to do', () => {
    const fresh = { crop: null, trim: null, archived: false };
    expect(appliedFixNote('apply-suggested-crops', fresh)).toBeNull();
    expect(appliedFixNote('apply-suggested-crops', { ...fresh, crop: { x: 0, y: 0, size: 10 } })).toContain('crop is saved');
    expect(appliedFixNote('trim-silence', { ...fresh, trim: { startMs: 1, endMs: 2 } })).toContain('span is saved');
    expect(appliedFixNote('drop-duplicates', { ...fresh, archived: true })).toBe('This copy is archived.');
  });
});

describe('metric tables', () => {
  it('shows what the voice count is based on', () => {
    const audio: AudioMetrics = {
      durationMs: 12_000,
      sampleRate: 48_000,
      channels: 1,
      bitDepth: null,
      codec: 'mp3',
      clippingRatio: 0,
      integratedLufs: -18.2,
      truePeakDbtp: -1.1,
      noiseFloorDbfs: -62,
      snrDb: 41,
      voiceRatio: 0.82,
      musicRatio: 0.05,
      voiceCount: 2,
      voiceCountBasis: 'pitch clusters over voiced frames',
      leadingSilenceMs: 1200,
      trailingSilenceMs: 300,
      tempoBpm: null,
    };
    const rows = audioMetricRows(audio);
    const voices = rows.find((r) => r.label === 'Voices');
    expect(voices?.value).toBe('2 voices');
    expect(voices?.note).toBe('What this estimate is based on: pitch clusters over voiced frames');
    expect(rows.find((r) => r.label === 'Bit depth')?.value).toBe('Not stored in this format');
    expect(rows.find((r) => r.label === 'Tempo')?.value).toBe('No steady beat found');
    expect(rows.find((r) => r.label === 'Voice')?.value).toBe('82 %');
  });
});

describe('tags', () => {
  const tags = [
    { kind: 'free' as const, value: 'sold' },
    { kind: 'style' as const, value: 'line art' },
    { kind: 'style' as const, value: 'flash' },
  ];

  it('groups by kind in the contract order, values sorted', () => {
    expect(groupTags(tags)).toEqual([
      { kind: 'style', tags: [{ kind: 'style', value: 'flash' }, { kind: 'style', value: 'line art' }] },
      { kind: 'free', tags: [{ kind: 'free', value: 'sold' }] },
    ]);
  });

  it('suggests only analysis tags the asset does not have, once each', () => {
    const suggested = [
      { kind: 'style' as const, value: 'line art' },
      { kind: 'style' as const, value: 'monochrome' },
      { kind: 'style' as const, value: 'monochrome' },
      { kind: 'content' as const, value: 'line art' },
    ];
    expect(pendingSuggestions(suggested, tags)).toEqual([
      { kind: 'style', value: 'monochrome' },
      { kind: 'content', value: 'line art' },
    ]);
  });

  it('completes from the library: same kind, prefix matches first, then by use, minus tags already on', () => {
    const library = [
      { kind: 'style' as const, value: 'linocut', count: 2 },
      { kind: 'style' as const, value: 'fine line', count: 9 },
      { kind: 'style' as const, value: 'line art', count: 30 },
      { kind: 'content' as const, value: 'lineup', count: 50 },
    ];
    expect(completions(library, 'style', ' LIN', tags)).toEqual(['linocut', 'fine line']);
    expect(completions(library, 'style', '', [])).toEqual(['line art', 'fine line', 'linocut']);
  });

  it('normalises typed tags the way the studio stores them', () => {
    expect(normaliseTagValue('  Line   Art ')).toBe('line art');
  });
});
