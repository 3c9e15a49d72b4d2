// Set-level audio checks: voice-over lengths and voices, jingles' voice + music, genre outliers by robust z-score.
import { describe, expect, it } from 'vitest';
import { analyzeAudioSet, genreOutlierScores, type AudioSetItem } from './set';
import type { AudioMetrics } from './types';

function metrics(over: Partial<AudioMetrics> = {}): AudioMetrics {
  return {
    durationMs: 65_000,
    sampleRate: 48_000,
    channels: 1,
    bitDepth: 24,
    codec: 'pcm',
    clippingRatio: 0,
    integratedLufs: -19,
    truePeakDbtp: -3,
    noiseFloorDbfs: -70,
    snrDb: 45,
    voiceRatio: 0.8,
    musicRatio: 0,
    voiceCount: 1,
    voiceCountBasis: 'one pitch cluster around 120 Hz over 40 voiced seconds',
    leadingSilenceMs: 0,
    trailingSilenceMs: 0,
    tempoBpm: null,
    ...over,
  };
}

/** Descriptors near a common centre, deterministically spread. */
function descriptor(i: number, shift = 0): number[] {
  return Array.from({ length: 22 }, (_, d) => 1 + 0.05 * Math.sin(i * 1.7 + d) + shift);
}

function item(id: string, over: Partial<AudioMetrics> = {}, i = 0, shift = 0): AudioSetItem {
  return { id, metrics: metrics(over), descriptor: descriptor(i, shift) };
}

describe('analyzeAudioSet', () => {
  it('voice_over: under 30 s is an error, under 60 s an info ("60 s ideal"), 60 s+ nothing', () => {
    const result = analyzeAudioSet([item('a', { durationMs: 25_000 }), item('b', { durationMs: 45_000 }), item('c')], 'voice_over');
    expect(result.perAsset.a?.[0]).toMatchObject({ check: 'duration', severity: 'error', metric: 25 });
    expect(result.perAsset.a?.[0]?.reason).toMatch(/at least 30 s/);
    expect(result.perAsset.b?.[0]).toMatchObject({ check: 'duration', severity: 'info', metric: 45 });
    expect(result.perAsset.b?.[0]?.reason).toMatch(/60 s is ideal/);
    expect(result.perAsset.c).toBeUndefined();
  });

  it('voice_over: a recording with more than one voice gets a warning quoting the basis', () => {
    const basis = 'two separated pitch clusters around 110 Hz and 220 Hz over 34 voiced seconds';
    const result = analyzeAudioSet([item('a', { voiceCount: 2, voiceCountBasis: basis }), item('b')], 'voice_over');
    expect(result.perAsset.a?.[0]).toMatchObject({ check: 'multiple-voices', severity: 'warning', metric: 2 });
    expect(result.perAsset.a?.[0]?.reason).toContain(basis);
    expect(result.perAsset.b).toBeUndefined();
    // Other subcategories do not apply voice-over rules.
    expect(analyzeAudioSet([item('a', { voiceCount: 2, durationMs: 12_000 })], 'jingles').perAsset.a).toBeUndefined();
  });

  it('jingles: an error naming what is missing until there is ≥ 1 voice and ≥ 1 music recording', () => {
    const speechOnly = analyzeAudioSet([item('a'), item('b')], 'jingles').findings.find((f) => f.check === 'jingle-mix');
    expect(speechOnly).toMatchObject({ severity: 'error' });
    expect(speechOnly?.reason).toMatch(/lacks a recording with music \(2 with voice, 0 with music\)/);
    const empty = analyzeAudioSet([], 'jingles').findings.find((f) => f.check === 'jingle-mix');
    expect(empty?.reason).toMatch(/lacks a recording with voice and a recording with music/);
    const both = analyzeAudioSet([item('a'), item('m', { voiceRatio: 0, musicRatio: 0.9, tempoBpm: 120 })], 'jingles').findings.find((f) => f.check === 'jingle-mix');
    expect(both).toMatchObject({ severity: 'info' });
  });

  it('genre consistency: flags the one recording far from the rest with its robust z, and summarises', () => {
    const items = Array.from({ length: 8 }, (_, i) => item(`v${i}`, {}, i));
    items.push(item('odd', {}, 9, 2));
    const result = analyzeAudioSet(items);
    const flagged = Object.entries(result.perAsset).filter(([, fs]) => fs.some((f) => f.check === 'genre-consistency'));
    expect(flagged.map(([id]) => id)).toEqual(['odd']);
    expect(result.perAsset.odd?.[0]?.metric).toBeGreaterThanOrEqual(3);
    const summary = result.findings.find((f) => f.check === 'genre-consistency');
    expect(summary).toMatchObject({ severity: 'warning', metric: 1, relatedAssetIds: ['odd'] });
    expect(summary?.reason).toMatch(/1 of 9 recordings/);
  });

  it('genre consistency: a consistent set gets an info, and fewer than 5 recordings are not compared', () => {
    const consistent = analyzeAudioSet(Array.from({ length: 6 }, (_, i) => item(`v${i}`, {}, i)));
    expect(consistent.findings.find((f) => f.check === 'genre-consistency')).toMatchObject({ severity: 'info', metric: 0 });
    const small = analyzeAudioSet([item('a'), item('b', {}, 1, 5)]);
    expect(small.findings.find((f) => f.check === 'genre-consistency')?.reason).toMatch(/from 5 recordings on; this set has 2/);
    expect(small.perAsset.b).toBeUndefined();
  });

  it('robust scores ignore dimensions that do not vary and are deterministic', () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ id: `x${i}`, metrics: metrics(), descriptor: [1, 1, i === 4 ? 9 : i * 0.1] }));
    const a = genreOutlierScores(items);
    expect(a).toEqual(genreOutlierScores(items));
    expect(a.get('x4')?.z).toBeGreaterThan(3);
    expect(a.get('x4')?.distance).toBeGreaterThan(2);
  });
});

describe('analyzeAudioSet on real descriptors', () => {
  it('flags a music track in a set of speech recordings, and only it', async () => {
    const { analyzeDecoded } = await import('./analyze');
    const { music, voice } = await import('../../../tests/fixtures/audio');
    const rate = 16_000;
    const ctx = { signal: new AbortController().signal, progress: () => undefined };
    const items: AudioSetItem[] = [];
    const takes = [
      { f0: 105, seed: 1 },
      { f0: 115, seed: 2 },
      { f0: 125, seed: 3 },
      { f0: 110, seed: 4 },
      { f0: 120, seed: 5 },
      { f0: 130, seed: 6 },
    ];
    for (const [i, take] of takes.entries()) {
      const { report, descriptor } = await analyzeDecoded(
        { sampleRate: rate, channels: [voice({ seconds: 15, rate, ...take })], codec: 'pcm', bitDepth: 16, declaredFrames: null },
        `take-${i}.wav`,
        ctx,
      );
      items.push({ id: `take-${i}`, metrics: report.audio, descriptor });
    }
    const track = await analyzeDecoded({ sampleRate: rate, channels: [music(15, rate, 120)], codec: 'pcm', bitDepth: 16, declaredFrames: null }, 'track.wav', ctx);
    items.push({ id: 'track', metrics: track.report.audio, descriptor: track.descriptor });
    const result = analyzeAudioSet(items, 'voice_over');
    const flagged = Object.entries(result.perAsset).filter(([, fs]) => fs.some((f) => f.check === 'genre-consistency')).map(([id]) => id);
    expect(flagged).toEqual(['track']);
  });
});
