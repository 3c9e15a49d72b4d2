// BS.1770-4 reference values: the 48 kHz K-weighting coefficients, −23 LUFS for a −20 dBFS 1 kHz sine, gating, true peak.
import { describe, expect, it } from 'vitest';
import { dbfs, sine } from '../../../tests/fixtures/audio';
import { ABSOLUTE_GATE_LUFS, DB_FLOOR } from './constants';
import { integratedLoudness, preFilter, rlbFilter, truePeak } from './loudness';

describe('K-weighting', () => {
  it('reproduces BS.1770-4 Tables 1 and 2 at 48 kHz', () => {
    const pre = preFilter(48_000);
    expect(pre.b0).toBeCloseTo(1.53512485958697, 10);
    expect(pre.b1).toBeCloseTo(-2.69169618940638, 10);
    expect(pre.b2).toBeCloseTo(1.19839281085285, 10);
    expect(pre.a1).toBeCloseTo(-1.69065929318241, 10);
    expect(pre.a2).toBeCloseTo(0.73248077421585, 10);
    const rlb = rlbFilter(48_000);
    expect([rlb.b0, rlb.b1, rlb.b2]).toEqual([1, -2, 1]);
    expect(rlb.a1).toBeCloseTo(-1.99004745483398, 10);
    expect(rlb.a2).toBeCloseTo(0.99007225036621, 10);
  });
});

describe('integratedLoudness', () => {
  for (const rate of [48_000, 44_100, 32_000, 22_050, 16_000]) {
    it(`reads a mono 1 kHz sine at −20 dBFS as −23.0 LUFS (±0.1) at ${rate} Hz`, () => {
      expect(integratedLoudness([sine(1000, 20, rate, -20)], rate)).toBeCloseTo(-23.0, 1);
    });
  }

  it('adds 3 LU for the same sine on both stereo channels (channels sum in power)', () => {
    const s = sine(1000, 10, 48_000, -20);
    expect(integratedLoudness([s, s], 48_000)).toBeCloseTo(-20.0, 1);
  });

  it('gates out silence: a tone with long silent gaps reads as the tone', () => {
    const rate = 48_000;
    const tone = sine(1000, 5, rate, -20);
    const gapped = new Float32Array(rate * 20);
    gapped.set(tone, 0);
    gapped.set(tone, rate * 15);
    // Blocks straddling a tone's edges are partly silent yet pass the gates, so the result sits a little under −23.
    expect(Math.abs(integratedLoudness([gapped], rate) - -23.0)).toBeLessThan(0.2);
  });

  it('applies the relative gate: a tone 30 dB quieter in between barely moves the result', () => {
    const rate = 48_000;
    const loud = sine(1000, 10, rate, -20);
    const quiet = sine(1000, 10, rate, -50);
    const both = new Float32Array(loud.length + quiet.length);
    both.set(loud);
    both.set(quiet, loud.length);
    // Without the relative gate this would read about −26 LUFS.
    expect(Math.abs(integratedLoudness([both], rate) - -23.0)).toBeLessThan(0.2);
  });

  it('reports the absolute gate for silence', () => {
    expect(integratedLoudness([new Float32Array(48_000)], 48_000)).toBe(ABSOLUTE_GATE_LUFS);
  });
});

describe('truePeak', () => {
  it('reads a −0.5 dBFS sine within 0.1 dB at low, mid and high frequencies', () => {
    for (const [freq, phase] of [
      [997, 0],
      [5000, 0.3],
      [12_000, Math.PI / 4],
      [17_000, 0.1],
    ] as const) {
      expect(Math.abs(truePeak([sine(freq, 1, 48_000, -0.5, phase)]) - -0.5)).toBeLessThan(0.1);
    }
  });

  it('finds the peak between samples that sample peaks miss by 3 dB (fs/4 at 45°)', () => {
    const s = sine(12_000, 1, 48_000, -0.5, Math.PI / 4);
    let samplePeak = 0;
    for (const v of s) samplePeak = Math.max(samplePeak, Math.abs(v));
    expect(20 * Math.log10(samplePeak)).toBeLessThan(-3.4);
    expect(truePeak([s])).toBeGreaterThan(-0.6);
  });

  it('takes the loudest channel and floors silence', () => {
    expect(truePeak([sine(1000, 1, 48_000, -12), sine(1000, 1, 48_000, -3)])).toBeCloseTo(-3, 1);
    expect(truePeak([new Float32Array(100)])).toBe(DB_FLOOR);
    expect(dbfs(0)).toBe(1);
  });
});
