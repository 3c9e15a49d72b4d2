// Each audio finding fires on the fixture made to trigger it and on no other; metrics, tags and the voice-count basis.
import { describe, expect, it } from 'vitest';
import { gain, hardClip, mix, music, noise, padSilence, sine, twoVoices, voice } from '../../../tests/fixtures/audio';
import type { DecodedAudio } from './decode';
import { analyzeDecoded, clippingRatio, silenceAtEnds } from './analyze';
import { DESCRIPTOR_LENGTH } from './features';
import type { AudioQualityReport } from './types';

const R = 22_050;
const ctx = { signal: new AbortController().signal, progress: () => undefined };

function decoded(samples: Float32Array | Float32Array[], sampleRate = R, extra: Partial<DecodedAudio> = {}): DecodedAudio {
  return { sampleRate, channels: Array.isArray(samples) ? samples : [samples], codec: 'pcm', bitDepth: 16, declaredFrames: null, ...extra };
}

const talk = (seconds: number, rate = R): Float32Array => voice({ seconds, rate, f0: 120 });

/** Fixture → the checks that must come out at warning or error level (and no others). */
const FIXTURES: Record<string, { audio: () => DecodedAudio; expect: string[] }> = {
  'clean voice, 40 s': { audio: () => decoded(talk(40)), expect: [] },
  'voice, 8 s': { audio: () => decoded(talk(8)), expect: ['duration'] },
  'voice, 20 s': { audio: () => decoded(talk(20)), expect: [] },
  // Band-limited to 5.5 kHz, the same peak level carries less energy: −26.5 LUFS, so loudness rightly fires too.
  'voice at 11.025 kHz': { audio: () => decoded(talk(15, 11_025), 11_025), expect: ['sample-rate', 'loudness'] },
  'voice at 16 kHz': { audio: () => decoded(talk(15, 16_000), 16_000), expect: ['sample-rate'] },
  'voice, clipped': { audio: () => decoded(hardClip(talk(30), 12)), expect: ['clipping', 'true-peak', 'loudness'] },
  'voice, 25 dB too quiet': { audio: () => decoded(gain(talk(30), -25)), expect: ['loudness'] },
  'voice in noise': { audio: () => decoded(mix(talk(30), noise(30, R, -33))), expect: ['noise'] },
  'two voices': { audio: () => decoded(twoVoices(40, R)), expect: ['multiple-voices'] },
  'voice with silence around it': { audio: () => decoded(padSilence(talk(30), R, 2, 1.5)), expect: ['silence'] },
  'music, 120 bpm, stereo': { audio: () => decoded([music(30, R, 120), music(30, R, 120, 32)]), expect: [] },
  'sine at −0.3 dBFS': { audio: () => decoded(sine(1000, 15, R, -0.3)), expect: ['true-peak', 'loudness'] },
  silence: { audio: () => decoded(new Float32Array(R * 15)), expect: ['loudness'] },
  '8-bit voice': { audio: () => decoded(talk(30), R, { bitDepth: 8 }), expect: ['noise'] },
  'header promised more': { audio: () => decoded(talk(30), R, { declaredFrames: R * 60 }), expect: ['duration'] },
};

const reports = new Map<string, AudioQualityReport>();
async function reportOf(name: string): Promise<AudioQualityReport> {
  const cached = reports.get(name);
  if (cached) return cached;
  const fixture = FIXTURES[name];
  if (!fixture) throw new Error(name);
  const { report } = await analyzeDecoded(fixture.audio(), name, ctx);
  reports.set(name, report);
  return report;
}

describe('audio findings', () => {
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    it(`${name}: ${fixture.expect.length ? fixture.expect.join(', ') : 'no warnings'}`, async () => {
      const report = await reportOf(name);
      const problems = [...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.check))].sort();
      expect(problems).toEqual([...fixture.expect].sort());
      for (const f of report.findings) {
        expect(Number.isFinite(f.metric)).toBe(true);
        expect(f.reason.length).toBeGreaterThan(20);
        expect(f.threshold.length).toBeGreaterThan(0);
      }
    });
  }

  it('says why: the duration error gives the length and the 10 s rule; 20 s gets the voice-over note', async () => {
    const short = (await reportOf('voice, 8 s')).findings.find((f) => f.check === 'duration');
    expect(short).toMatchObject({ severity: 'error', metric: 8, unit: 's' });
    expect(short?.reason).toMatch(/8\.0 s long.*at least 10 s/);
    const twenty = (await reportOf('voice, 20 s')).findings.find((f) => f.check === 'duration');
    expect(twenty).toMatchObject({ severity: 'info', metric: 20 });
    expect(twenty?.reason).toMatch(/voice-over samples need at least 30 s/);
    expect((await reportOf('clean voice, 40 s')).findings.some((f) => f.check === 'duration')).toBe(false);
  });

  it('sample rate: error below 16 kHz, warning below 22.05 kHz, each saying what is lost', async () => {
    expect((await reportOf('voice at 11.025 kHz')).findings.find((f) => f.check === 'sample-rate')).toMatchObject({ severity: 'error', metric: 11_025 });
    const warn = (await reportOf('voice at 16 kHz')).findings.find((f) => f.check === 'sample-rate');
    expect(warn).toMatchObject({ severity: 'warning', metric: 16_000, unit: 'Hz' });
    expect(warn?.reason).toMatch(/above 8\.0 kHz/);
  });

  it('loudness names its target: speech is held to −19 LUFS, music to −14', async () => {
    const quiet = (await reportOf('voice, 25 dB too quiet')).findings.find((f) => f.check === 'loudness');
    expect(quiet?.threshold).toMatch(/-19 LUFS ± 6 LU for speech/);
    expect(quiet?.metric).toBeLessThan(-40);
    const m = (await reportOf('music, 120 bpm, stereo')).audio;
    expect(m.integratedLufs).toBeGreaterThan(-20);
  });

  it('measures the clean voice: loudness, true peak, a quiet noise floor and a high SNR', async () => {
    const m = (await reportOf('clean voice, 40 s')).audio;
    expect(m.truePeakDbtp).toBeGreaterThan(-3.5);
    expect(m.truePeakDbtp).toBeLessThan(-2.5);
    expect(m.noiseFloorDbfs).toBeLessThan(-60);
    expect(m.snrDb).toBeGreaterThan(40);
    expect(m.clippingRatio).toBe(0);
    expect(m.voiceRatio).toBeGreaterThan(0.6);
    expect(m.musicRatio).toBe(0);
    expect(m.voiceCount).toBe(1);
    expect(m.voiceCountBasis).toMatch(/one pitch cluster around 1[12]\d Hz/);
  });

  it('hears the noise: SNR under 20 dB with the floor in the reason', async () => {
    const report = await reportOf('voice in noise');
    expect(report.audio.snrDb).toBeLessThan(20);
    expect(report.findings.find((f) => f.check === 'noise' && f.unit === 'dB')?.reason).toMatch(/only \d+ dB above the background noise/);
  });

  it('tells two voices apart and says on what basis', async () => {
    const report = await reportOf('two voices');
    expect(report.audio.voiceCount).toBe(2);
    expect(report.audio.voiceCountBasis).toMatch(/two separated pitch clusters around 1[01]\d Hz and 2[12]\d Hz over \d+ voiced seconds/);
    expect(report.findings.find((f) => f.check === 'multiple-voices')?.reason).toContain(report.audio.voiceCountBasis);
  });

  it('offers a one-click trim for silence at the ends', async () => {
    const report = await reportOf('voice with silence around it');
    expect(report.audio.leadingSilenceMs).toBeGreaterThanOrEqual(2000);
    expect(report.audio.leadingSilenceMs).toBeLessThan(2200);
    expect(report.audio.trailingSilenceMs).toBeGreaterThanOrEqual(1500);
    expect(report.audio.trailingSilenceMs).toBeLessThan(1700);
    expect(report.findings.find((f) => f.check === 'silence')).toMatchObject({ fix: 'trim-silence', severity: 'warning' });
  });

  it('recognises music, its tempo and suggests tags; speech gets "speech"', async () => {
    const musicReport = await reportOf('music, 120 bpm, stereo');
    expect(musicReport.audio.musicRatio).toBeGreaterThan(0.8);
    expect(musicReport.audio.voiceRatio).toBe(0);
    expect(musicReport.audio.tempoBpm).toBe(120);
    expect(musicReport.suggestedTags).toEqual(expect.arrayContaining([{ kind: 'content', value: 'music' }, { kind: 'style', value: '120 bpm' }]));
    expect(musicReport.findings.find((f) => f.check === 'channels')).toMatchObject({ severity: 'info', metric: 2 });
    const speech = await reportOf('clean voice, 40 s');
    expect(speech.suggestedTags).toEqual([{ kind: 'content', value: 'speech' }]);
  });

  it('clipping counts runs at full scale, not single peaks', () => {
    const s = new Float32Array(1000);
    s[10] = 1; // a lone full-scale sample
    s.fill(1, 100, 105); // a run of 5
    expect(clippingRatio([s])).toBeCloseTo(5 / 1000, 6);
  });

  it('silence at the ends is measured in every channel', () => {
    const quiet = new Float32Array(R * 2);
    const loud = padSilence(sine(440, 1, R, -6), R, 0.5, 0.5);
    const ends = silenceAtEnds([quiet, loud], R);
    // The sine fades in and out over 10 ms, crossing −50 dBFS a few ms inside the padding's edge.
    expect(Math.abs(ends.leadingMs - 500)).toBeLessThanOrEqual(10);
    expect(Math.abs(ends.trailingMs - 500)).toBeLessThanOrEqual(10);
  });

  it('returns a fixed-length descriptor, a waveform and a spectrogram PNG', async () => {
    const result = await analyzeDecoded(decoded(talk(12)), 'short.wav', ctx);
    expect(result.descriptor).toHaveLength(DESCRIPTOR_LENGTH);
    expect(result.descriptor.every(Number.isFinite)).toBe(true);
    expect(result.waveform.peaks).toHaveLength(1);
    expect(result.waveform.peaks[0]).toHaveLength(2 * 2000);
    expect(Math.max(...(result.waveform.peaks[0] ?? []))).toBeLessThanOrEqual(1);
    expect(Array.from(result.spectrogram.subarray(1, 4), (c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });
});
