// Frame-level features of a recording (level, spectrum, pitch) and what they add up to: noise, voice/music, voices, tempo, descriptor.
import { DB_FLOOR } from './constants';
import { Fft, hannWindow, percentile } from './fft';

/** Voice and music features are computed at 16 kHz: wide-band speech (ITU-T G.722) carries every cue used here. */
export const ANALYSIS_RATE = 16_000;
/** 64 ms frames: two periods of a 60 Hz voice fit, which autocorrelation pitch needs (Boersma 1993). */
const FRAME = 1024;
/** Zero-padded transform size, so autocorrelation is linear (not circular) up to the longest pitch period. */
const PADDED = 2048;
/** A frame every 20 ms (50 per second): enough to see 4 Hz syllables and beats to ±2 bpm at 120 bpm. */
const HOP_S = 0.02;
/** Long recordings get a coarser hop so one analysis stays within about 30 000 frames (10 min at 20 ms). */
const MAX_FRAMES = 30_000;

/** Pitch search range: 60 Hz (deep male voice) to 400 Hz (child, high female), typical speaking F0 (Titze 1994). */
const F0_MIN_HZ = 60;
const F0_MAX_HZ = 400;
/** Normalised autocorrelation at the period above which a frame counts as voiced (Praat's default voicing threshold is 0.45). */
const VOICING_THRESHOLD = 0.45;
/** A frame is active (not pause) when it is this far above the noise floor. */
const ACTIVE_ABOVE_FLOOR_DB = 12;
/** …and never when quieter than this absolute level. */
const ACTIVE_MIN_DBFS = -60;
/** Mel bands for the MFCC-style envelope (a common speech front end uses 20–40). */
const MEL_BANDS = 24;
/** MFCC coefficients kept in the descriptor (c1..c12, the usual speech/music timbre set). */
const MFCC_COUNT = 12;
const MEL_LOW_HZ = 60;
const MEL_HIGH_HZ = 7600;

export interface FrameFeatures {
  hopS: number;
  count: number;
  levelDb: Float32Array;
  /** Spectral flatness (Wiener entropy) 0..1 over 100 Hz–6 kHz: 1 = noise-like, near 0 = tonal. */
  flatness: Float32Array;
  centroidHz: Float32Array;
  rolloffHz: Float32Array;
  /** Fundamental frequency in Hz, 0 when unvoiced. */
  f0: Float32Array;
  /** Peak normalised autocorrelation 0..1 (Boersma's harmonicity cue). */
  harmonicity: Float32Array;
  /** Positive spectral flux on a log-magnitude spectrum: onsets. */
  flux: Float32Array;
  /** Share of this frame's spectral peaks still present 100 ms later (sustained notes ≈ 1, speech lower). */
  persistence: Float32Array;
  /** Per frame, MFCC_COUNT cepstral coefficients (c1..). */
  mfcc: Float32Array[];
}

function melOf(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}
function hzOfMel(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** Triangular mel filters over the PADDED/2+1 bins. */
function melFilters(rate: number): Array<{ start: number; weights: Float64Array }> {
  const bins = PADDED / 2 + 1;
  const binHz = rate / PADDED;
  const lo = melOf(MEL_LOW_HZ);
  const hi = melOf(Math.min(MEL_HIGH_HZ, rate / 2 - binHz));
  const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) => hzOfMel(lo + ((hi - lo) * i) / (MEL_BANDS + 1)));
  const filters: Array<{ start: number; weights: Float64Array }> = [];
  for (let b = 0; b < MEL_BANDS; b++) {
    const left = edges[b] ?? 0;
    const centre = edges[b + 1] ?? 0;
    const right = edges[b + 2] ?? 0;
    const start = Math.max(0, Math.floor(left / binHz));
    const end = Math.min(bins - 1, Math.ceil(right / binHz));
    const weights = new Float64Array(end - start + 1);
    for (let k = start; k <= end; k++) {
      const hz = k * binHz;
      weights[k - start] = hz <= centre ? Math.max(0, (hz - left) / (centre - left)) : Math.max(0, (right - hz) / (right - centre));
    }
    filters.push({ start, weights });
  }
  return filters;
}

/** Local maxima of a magnitude spectrum between two bins, at least 20 dB above the frame's median: the tonal peaks. */
function spectralPeaks(power: Float64Array, lo: number, hi: number, floor: number): number[] {
  const peaks: number[] = [];
  for (let k = lo + 1; k < hi - 1; k++) {
    const p = power[k] ?? 0;
    if (p > floor && p > (power[k - 1] ?? 0) && p >= (power[k + 1] ?? 0)) peaks.push(k);
  }
  return peaks;
}

/** Frames 100 ms apart are compared for peak persistence. */
const PERSISTENCE_LAG_S = 0.1;

export function analyzeFrames(samples: Float32Array, rate: number = ANALYSIS_RATE): FrameFeatures {
  const duration = samples.length / rate;
  const hopS = Math.max(HOP_S, duration / MAX_FRAMES);
  const hop = Math.round(hopS * rate);
  const count = samples.length >= FRAME ? Math.floor((samples.length - FRAME) / hop) + 1 : samples.length > 0 ? 1 : 0;
  const window = hannWindow(FRAME);
  let windowEnergy = 0;
  for (const w of window) windowEnergy += w * w;
  // Autocorrelation of the window itself, to undo its taper (Boersma 1993, eq. 9).
  const fft = new Fft(PADDED);
  const wr = new Float64Array(PADDED);
  const wi = new Float64Array(PADDED);
  wr.set(window);
  fft.transform(wr, wi);
  for (let k = 0; k < PADDED; k++) {
    wr[k] = (wr[k] ?? 0) ** 2 + (wi[k] ?? 0) ** 2;
    wi[k] = 0;
  }
  fft.transform(wr, wi);
  const windowAc = Float64Array.from(wr, (v) => v / (wr[0] ?? 1));

  const binHz = rate / PADDED;
  const bins = PADDED / 2 + 1;
  const loBin = Math.round(100 / binHz);
  const hiBin = Math.min(bins - 1, Math.round(6000 / binHz));
  const peakHiBin = Math.min(bins - 1, Math.round(4000 / binHz));
  const minLag = Math.floor(rate / F0_MAX_HZ);
  const maxLag = Math.ceil(rate / F0_MIN_HZ);
  const filters = melFilters(rate);
  const persistenceLag = Math.max(1, Math.round(PERSISTENCE_LAG_S / hopS));

  const f: FrameFeatures = {
    hopS: hop / rate,
    count,
    levelDb: new Float32Array(count),
    flatness: new Float32Array(count),
    centroidHz: new Float32Array(count),
    rolloffHz: new Float32Array(count),
    f0: new Float32Array(count),
    harmonicity: new Float32Array(count),
    flux: new Float32Array(count),
    persistence: new Float32Array(count),
    mfcc: [],
  };
  const re = new Float64Array(PADDED);
  const im = new Float64Array(PADDED);
  const power = new Float64Array(bins);
  let previousLog = new Float64Array(bins);
  const peakHistory: Array<Set<number>> = [];
  const melLog = new Float64Array(MEL_BANDS);

  for (let t = 0; t < count; t++) {
    const start = t * hop;
    re.fill(0);
    im.fill(0);
    let mean = 0;
    const n = Math.min(FRAME, samples.length - start);
    for (let i = 0; i < n; i++) mean += samples[start + i] ?? 0;
    mean /= Math.max(1, n);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const v = ((samples[start + i] ?? 0) - mean) * (window[i] ?? 0);
      re[i] = v;
      energy += v * v;
    }
    const level = energy > 0 ? 10 * Math.log10(energy / windowEnergy) : DB_FLOOR;
    f.levelDb[t] = Math.max(DB_FLOOR, level);
    fft.transform(re, im);
    let total = 0;
    for (let k = 0; k < bins; k++) {
      const p = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2;
      power[k] = p;
      total += p;
    }

    // Flatness, centroid, roll-off (the 85 % point, Scheirer & Slaney 1997).
    let logSum = 0;
    let linSum = 0;
    for (let k = loBin; k <= hiBin; k++) {
      const p = (power[k] ?? 0) + 1e-12;
      logSum += Math.log(p);
      linSum += p;
    }
    const span = hiBin - loBin + 1;
    f.flatness[t] = linSum > 0 ? Math.exp(logSum / span) / (linSum / span) : 1;
    let weighted = 0;
    for (let k = 0; k < bins; k++) weighted += k * binHz * (power[k] ?? 0);
    f.centroidHz[t] = total > 0 ? weighted / total : 0;
    let cumulative = 0;
    let rolloff = 0;
    for (let k = 0; k < bins; k++) {
      cumulative += power[k] ?? 0;
      if (cumulative >= 0.85 * total) {
        rolloff = k * binHz;
        break;
      }
    }
    f.rolloffHz[t] = rolloff;

    // Onsets: positive change of the log spectrum since the previous frame.
    const logSpec = new Float64Array(bins);
    let flux = 0;
    for (let k = 1; k < bins; k++) {
      const l = Math.log10((power[k] ?? 0) + 1e-10);
      logSpec[k] = l;
      const d = l - (previousLog[k] ?? 0);
      if (d > 0 && t > 0) flux += d;
    }
    f.flux[t] = flux / bins;
    previousLog = logSpec;

    // Peak persistence: which tonal peaks (±1 bin) survive 100 ms.
    const sorted = Float64Array.from(power.subarray(loBin, peakHiBin)).sort();
    const floor = percentile(sorted, 0.5) * 100; // 20 dB above the median bin
    const peaks = new Set(spectralPeaks(power, loBin, peakHiBin, floor));
    peakHistory.push(peaks);
    const earlier = peakHistory[t - persistenceLag];
    if (earlier && peaks.size > 0) {
      let kept = 0;
      for (const k of peaks) if (earlier.has(k) || earlier.has(k - 1) || earlier.has(k + 1)) kept++;
      f.persistence[t] = kept / peaks.size;
    }
    if (t >= persistenceLag) peakHistory[t - persistenceLag] = new Set();

    // Mel energies → cepstrum (DCT-II), the spectral envelope independent of pitch and loudness (c0 left out).
    for (let b = 0; b < MEL_BANDS; b++) {
      const filter = filters[b];
      let e = 0;
      if (filter) for (let j = 0; j < filter.weights.length; j++) e += (filter.weights[j] ?? 0) * (power[filter.start + j] ?? 0);
      melLog[b] = Math.log10(e + 1e-10) * 10;
    }
    const cep = new Float32Array(MFCC_COUNT);
    for (let c = 1; c <= MFCC_COUNT; c++) {
      let s = 0;
      for (let b = 0; b < MEL_BANDS; b++) s += (melLog[b] ?? 0) * Math.cos((Math.PI * c * (b + 0.5)) / MEL_BANDS);
      cep[c - 1] = s / MEL_BANDS;
    }
    f.mfcc.push(cep);

    // Pitch: autocorrelation from the power spectrum, divided by the window's own autocorrelation.
    if (level > ACTIVE_MIN_DBFS) {
      for (let k = 0; k < PADDED; k++) {
        re[k] = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2;
        im[k] = 0;
      }
      fft.transform(re, im);
      const r0 = re[0] ?? 0;
      if (r0 > 0) {
        let best = 0;
        const ac = new Float64Array(maxLag + 2);
        for (let lag = minLag - 1; lag <= maxLag + 1; lag++) ac[lag] = (re[lag] ?? 0) / r0 / (windowAc[lag] ?? 1);
        for (let lag = minLag; lag <= maxLag; lag++) best = Math.max(best, ac[lag] ?? 0);
        // The shortest lag within 90 % of the best peak: avoids picking twice the period (an octave too low).
        for (let lag = minLag; lag <= maxLag; lag++) {
          const v = ac[lag] ?? 0;
          if (v >= 0.9 * best && v >= (ac[lag - 1] ?? 0) && v >= (ac[lag + 1] ?? 0)) {
            const a = ac[lag - 1] ?? 0;
            const c = ac[lag + 1] ?? 0;
            const denom = a - 2 * v + c;
            const shift = denom !== 0 ? (0.5 * (a - c)) / denom : 0;
            f.harmonicity[t] = Math.min(1, v);
            if (v >= VOICING_THRESHOLD) f.f0[t] = rate / (lag + Math.max(-0.5, Math.min(0.5, shift)));
            break;
          }
        }
      }
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------------

export interface NoiseEstimate {
  noiseFloorDbfs: number;
  snrDb: number;
  /** Frames clearly above the noise floor (the VAD behind the SNR). */
  active: Uint8Array;
  /** Frames within 30 dB of the loud parts: what voice/music are judged on, pauses or not. */
  sounding: Uint8Array;
}

/** Frames more than this far below the recording's loud frames (95th percentile) are not judged for content. */
const SOUNDING_RANGE_DB = 30;

/** Noise floor = 10th percentile of frame levels (the pauses); signal = mean power of active frames (a simple energy VAD). */
export function estimateNoise(f: FrameFeatures): NoiseEstimate {
  const sorted = Float32Array.from(f.levelDb).sort();
  const noiseFloor = f.count > 0 ? percentile(sorted, 0.1) : DB_FLOOR;
  const active = new Uint8Array(f.count);
  let power = 0;
  let n = 0;
  for (let t = 0; t < f.count; t++) {
    const l = f.levelDb[t] ?? DB_FLOOR;
    if (l > noiseFloor + ACTIVE_ABOVE_FLOOR_DB && l > ACTIVE_MIN_DBFS) {
      active[t] = 1;
      power += 10 ** (l / 10);
      n++;
    }
  }
  const signal = n > 0 ? 10 * Math.log10(power / n) : noiseFloor;
  const loud = f.count > 0 ? percentile(sorted, 0.95) : DB_FLOOR;
  const sounding = new Uint8Array(f.count);
  for (let t = 0; t < f.count; t++) {
    const l = f.levelDb[t] ?? DB_FLOOR;
    if (l > ACTIVE_MIN_DBFS && l > loud - SOUNDING_RANGE_DB) sounding[t] = 1;
  }
  return { noiseFloorDbfs: noiseFloor, snrDb: Math.max(0, signal - noiseFloor), active, sounding };
}

/** Syllables come at 3–6 per second in most languages (the 4 Hz modulation of speech; Houtgast & Steeneken 1985). */
const SYLLABLE_BAND_HZ: [number, number] = [2.5, 7];
/** Window over which voice/music is judged; long enough for several syllables or a beat pattern. */
const DECISION_WINDOW_S = 2;
/** Rhythm is judged over this many seconds (a few bars at 60–200 bpm). */
const RHYTHM_WINDOW_S = 6;
/** Tempo search range in bpm. */
const TEMPO_MIN_BPM = 60;
const TEMPO_MAX_BPM = 200;

/** Share of syllable-rate (2.5–7 Hz) modulation in the level contour's 0.5–12 Hz modulation spectrum. */
function syllabicModulation(levels: Float32Array, from: number, to: number, hopS: number, floorDb: number): number {
  const values: number[] = [];
  for (let t = from; t < to; t++) values.push(Math.max(floorDb, levels[t] ?? floorDb));
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  let inBand = 0;
  let all = 0;
  const duration = values.length * hopS;
  for (let hz = 0.5; hz <= 12; hz += 1 / duration) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < values.length; i++) {
      const phase = 2 * Math.PI * hz * i * hopS;
      re += ((values[i] ?? 0) - mean) * Math.cos(phase);
      im += ((values[i] ?? 0) - mean) * Math.sin(phase);
    }
    const p = re * re + im * im;
    all += p;
    if (hz >= SYLLABLE_BAND_HZ[0] && hz <= SYLLABLE_BAND_HZ[1]) inBand += p;
  }
  return all > 0 ? inBand / all : 0;
}

/** Normalised autocorrelation of the onset envelope over beat periods; returns the best lag (frames) and its strength. */
function rhythm(flux: Float32Array, from: number, to: number, hopS: number, preferTempo: boolean): { lag: number; strength: number } {
  const x: number[] = [];
  for (let t = from; t < to; t++) x.push(flux[t] ?? 0);
  // Two passes of a [¼ ½ ¼] kernel: an onset a frame early or late still lines up, so beats between two lags are not split.
  const smooth = (v: number[]): number[] => v.map((c, i) => 0.25 * (v[i - 1] ?? c) + 0.5 * c + 0.25 * (v[i + 1] ?? c));
  const smoothed = smooth(smooth(x));
  const mean = smoothed.reduce((a, b) => a + b, 0) / Math.max(1, smoothed.length);
  const centred = smoothed.map((v) => v - mean);
  let r0 = 0;
  for (const v of centred) r0 += v * v;
  if (r0 <= 0) return { lag: 0, strength: 0 };
  const minLag = Math.floor(60 / TEMPO_MAX_BPM / hopS);
  const maxLag = Math.ceil(60 / TEMPO_MIN_BPM / hopS);
  const ac = new Float64Array(2 * maxLag + 3);
  for (let lag = Math.max(1, minLag - 1); lag <= 2 * maxLag + 2 && lag < centred.length; lag++) {
    let s = 0;
    for (let i = lag; i < centred.length; i++) s += (centred[i] ?? 0) * (centred[i - lag] ?? 0);
    ac[lag] = s / r0 * (centred.length / (centred.length - lag));
  }
  let bestLag = 0;
  let bestScore = -Infinity;
  for (let lag = minLag; lag <= maxLag; lag++) {
    // A log-Gaussian preference for ~120 bpm (Ellis 2007, "Beat tracking by dynamic programming") settles half/double-tempo ties.
    const bpm = 60 / (lag * hopS);
    const prior = preferTempo ? Math.exp(-0.5 * (Math.log2(bpm / 120) / 1) ** 2) : 1;
    // The beat also repeats at twice its period; counting that favours the beat over its subdivisions (hi-hat eighths).
    const score = ((ac[lag] ?? 0) + 0.5 * (ac[2 * lag] ?? 0)) * prior;
    if (score > bestScore && (ac[lag] ?? 0) >= (ac[lag - 1] ?? 0) && (ac[lag] ?? 0) >= (ac[lag + 1] ?? 0)) {
      bestScore = score;
      bestLag = lag;
    }
  }
  if (bestLag === 0) return { lag: 0, strength: 0 };
  const a = ac[bestLag - 1] ?? 0;
  const b = ac[bestLag] ?? 0;
  const c = ac[bestLag + 1] ?? 0;
  const denom = a - 2 * b + c;
  const shift = denom !== 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom)) : 0;
  return { lag: bestLag + shift, strength: Math.max(0, b) };
}

/** Decision rules per window (calibrated on tests/fixtures/audio.ts: synthetic speech, two voices, chords + drums, noise). */
const VOICED_SHARE_FOR_SPEECH = 0.3;
const SYLLABIC_SHARE_FOR_SPEECH = 0.3;
/** Share of voiced frame pairs whose pitch glides (0.03–1.5 semitones per frame): speech intonation moves, held notes do not. */
const GLIDE_SHARE_FOR_SPEECH = 0.5;
const PERSISTENCE_FOR_MUSIC = 0.6;
const RHYTHM_FOR_MUSIC = 0.4;
/** Onset contrast (95th − 50th percentile of spectral flux): music has note and drum attacks well above the flux of noise. */
const ONSET_CONTRAST_FOR_MUSIC = 0.5;

export interface ContentWindow {
  startS: number;
  voicedShare: number;
  glideShare: number;
  syllabic: number;
  persistence: number;
  beat: number;
  onsetContrast: number;
  speech: boolean;
  music: boolean;
}

export interface ContentEstimate {
  voiceRatio: number;
  musicRatio: number;
  /** Per frame: 1 when it lies in a window judged speech. */
  speechFrames: Uint8Array;
  tempoBpm: number | null;
  rhythmStrength: number;
  windows: ContentWindow[];
}

function onsetContrast(flux: Float32Array, from: number, to: number): number {
  const sorted = Float32Array.from(flux.subarray(from, to)).sort();
  return percentile(sorted, 0.95) - percentile(sorted, 0.5);
}

export function estimateContent(f: FrameFeatures, noise: NoiseEstimate): ContentEstimate {
  const per = Math.max(1, Math.round(DECISION_WINDOW_S / f.hopS));
  const rhythmSpan = Math.max(per, Math.round(RHYTHM_WINDOW_S / f.hopS));
  const count = Math.max(1, Math.ceil(f.count / per));
  const speechFrames = new Uint8Array(f.count);
  const windows: ContentWindow[] = [];
  let voiceWindows = 0;
  let musicWindows = 0;
  for (let w = 0; w < count; w++) {
    const from = w * per;
    const to = Math.min(f.count, from + per);
    let active = 0;
    let voiced = 0;
    let persistence = 0;
    let pairs = 0;
    let glides = 0;
    for (let t = from; t < to; t++) {
      if (!noise.sounding[t]) continue;
      active++;
      const f0 = f.f0[t] ?? 0;
      if (f0 > 0) {
        voiced++;
        const before = f.f0[t - 1] ?? 0;
        if (before > 0) {
          pairs++;
          const step = Math.abs(12 * Math.log2(f0 / before));
          if (step >= 0.03 && step <= 1.5) glides++;
        }
      }
      persistence += f.persistence[t] ?? 0;
    }
    // A window that is mostly pause is neither.
    if (active < 0.25 * (to - from)) continue;
    const centre = Math.floor((from + to) / 2);
    const rFrom = Math.max(0, Math.min(f.count - rhythmSpan, centre - Math.floor(rhythmSpan / 2)));
    const rTo = Math.min(f.count, rFrom + rhythmSpan);
    const win: ContentWindow = {
      startS: from * f.hopS,
      voicedShare: voiced / active,
      glideShare: pairs > 0 ? glides / pairs : 0,
      syllabic: syllabicModulation(f.levelDb, from, to, f.hopS, noise.noiseFloorDbfs),
      persistence: persistence / active,
      beat: rhythm(f.flux, rFrom, rTo, f.hopS, false).strength,
      onsetContrast: onsetContrast(f.flux, rFrom, rTo),
      speech: false,
      music: false,
    };
    win.music = win.onsetContrast >= ONSET_CONTRAST_FOR_MUSIC && (win.persistence >= PERSISTENCE_FOR_MUSIC || win.beat >= RHYTHM_FOR_MUSIC);
    win.speech =
      win.voicedShare >= VOICED_SHARE_FOR_SPEECH &&
      win.glideShare >= GLIDE_SHARE_FOR_SPEECH &&
      (win.syllabic >= SYLLABIC_SHARE_FOR_SPEECH || win.music);
    windows.push(win);
    if (win.music) musicWindows++;
    if (win.speech) {
      voiceWindows++;
      for (let t = from; t < to; t++) speechFrames[t] = 1;
    }
  }
  const musicRatio = musicWindows / count;
  const global = rhythm(f.flux, 0, f.count, f.hopS, true);
  const tempoBpm = global.lag > 0 && global.strength >= RHYTHM_FOR_MUSIC && musicRatio > 0 ? 60 / (global.lag * f.hopS) : null;
  return { voiceRatio: voiceWindows / count, musicRatio, speechFrames, tempoBpm, rhythmStrength: global.strength, windows };
}

// ---------------------------------------------------------------------------------------------------

/** Minimum voiced speech before a voice count is attempted. */
const MIN_VOICED_S_FOR_COUNT = 4;
/** Two speakers' median pitches differ by at least this many semitones to count as two (male vs female ≈ 12; same-sex pairs often less, which we then miss). */
const MIN_PITCH_SEPARATION_ST = 5;
/** Each cluster needs this share of voiced frames (a few octave errors are not a second speaker). */
const MIN_CLUSTER_SHARE = 0.2;
/** Separation over pooled spread: clearly two modes, not one wide one. */
const MIN_BIMODALITY = 2.5;
/** Speakers take turns: frames of one cluster come in runs; octave errors flip frame by frame. */
const MIN_MEDIAN_TURN_S = 0.4;

export interface VoiceCountEstimate {
  voiceCount: number;
  basis: string;
}

function semitones(hz: number): number {
  return 12 * Math.log2(hz / 55);
}
function hzOfSemitones(st: number): number {
  return 55 * 2 ** (st / 12);
}

/** Splits 1-D values in two by maximising between-class variance (Otsu), exactly and deterministically. */
function splitInTwo(sortedValues: number[]): { cut: number; low: number; high: number } {
  const n = sortedValues.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] ?? 0) + (sortedValues[i] ?? 0);
  const total = prefix[n] ?? 0;
  let best = -1;
  let cut = 1;
  for (let i = 1; i < n; i++) {
    const m1 = (prefix[i] ?? 0) / i;
    const m2 = (total - (prefix[i] ?? 0)) / (n - i);
    const between = i * (n - i) * (m1 - m2) ** 2;
    if (between > best) {
      best = between;
      cut = i;
    }
  }
  return { cut, low: (prefix[cut] ?? 0) / cut, high: (total - (prefix[cut] ?? 0)) / (n - cut) };
}

export function estimateVoiceCount(f: FrameFeatures, content: ContentEstimate): VoiceCountEstimate {
  const frames: number[] = [];
  for (let t = 0; t < f.count; t++) if (content.speechFrames[t] && (f.f0[t] ?? 0) > 0) frames.push(t);
  const voicedS = frames.length * f.hopS;
  if (voicedS < MIN_VOICED_S_FOR_COUNT) {
    return { voiceCount: content.voiceRatio > 0 ? 1 : 0, basis: content.voiceRatio > 0 ? `too little voiced speech (${voicedS.toFixed(1)} s) to tell voices apart; assumed one` : 'no speech found' };
  }
  const pitches = frames.map((t) => semitones(f.f0[t] ?? 55));
  const sorted = [...pitches].sort((a, b) => a - b);
  const { cut, low, high } = splitInTwo(sorted);
  const threshold = ((sorted[cut - 1] ?? low) + (sorted[cut] ?? high)) / 2;
  const lowVals = sorted.slice(0, cut);
  const highVals = sorted.slice(cut);
  const sd = (vals: number[], m: number): number => Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, vals.length));
  const pooled = Math.sqrt((sd(lowVals, low) ** 2 * lowVals.length + sd(highVals, high) ** 2 * highVals.length) / sorted.length) || 1e-6;
  const separation = high - low;
  const share = Math.min(lowVals.length, highVals.length) / sorted.length;
  const medianLowHz = hzOfSemitones(percentile(lowVals, 0.5));
  const medianHighHz = hzOfSemitones(percentile(highVals, 0.5));
  const singleHz = hzOfSemitones(percentile(sorted, 0.5));

  // Turns: consecutive voiced frames (gaps under 0.5 s bridged) that stay on one side of the split.
  const runs: number[] = [];
  let runStart = frames[0] ?? 0;
  let previous = frames[0] ?? 0;
  let side = (pitches[0] ?? 0) > threshold;
  for (let i = 1; i < frames.length; i++) {
    const t = frames[i] ?? 0;
    const s = (pitches[i] ?? 0) > threshold;
    if (s !== side || (t - previous) * f.hopS > 0.5) {
      runs.push((previous - runStart + 1) * f.hopS);
      runStart = t;
      side = s;
    }
    previous = t;
  }
  runs.push((previous - runStart + 1) * f.hopS);
  // Weighted by time: the median frame lies in a turn this long.
  const turn = weightedMedian(runs);

  // Spectral envelope shift between the two clusters (mean cepstral distance, in dB-like units).
  const meanCep = (pick: (p: number) => boolean): Float64Array => {
    const m = new Float64Array(f.mfcc[0]?.length ?? 0);
    let n = 0;
    frames.forEach((t, i) => {
      if (!pick(pitches[i] ?? 0)) return;
      const c = f.mfcc[t];
      if (!c) return;
      for (let j = 0; j < m.length; j++) m[j] = (m[j] ?? 0) + (c[j] ?? 0);
      n++;
    });
    return m.map((v) => v / Math.max(1, n));
  };
  const a = meanCep((p) => p <= threshold);
  const b = meanCep((p) => p > threshold);
  let envelopeShift = 0;
  for (let j = 0; j < a.length; j++) envelopeShift += ((a[j] ?? 0) - (b[j] ?? 0)) ** 2;
  envelopeShift = Math.sqrt(envelopeShift);

  const two =
    separation >= MIN_PITCH_SEPARATION_ST && share >= MIN_CLUSTER_SHARE && separation / pooled >= MIN_BIMODALITY && turn >= MIN_MEDIAN_TURN_S;
  if (two) {
    return {
      voiceCount: 2,
      basis: `two separated pitch clusters around ${Math.round(medianLowHz)} Hz and ${Math.round(medianHighHz)} Hz over ${Math.round(voicedS)} voiced seconds, taking turns of about ${turn.toFixed(1)} s, with spectral envelopes ${envelopeShift.toFixed(1)} dB apart`,
    };
  }
  return {
    voiceCount: 1,
    basis: `one pitch cluster around ${Math.round(singleHz)} Hz over ${Math.round(voicedS)} voiced seconds (no second speaker at a clearly different pitch)`,
  };
}

function weightedMedian(runs: number[]): number {
  const sorted = [...runs].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const r of sorted) {
    acc += r;
    if (acc >= total / 2) return r;
  }
  return sorted[sorted.length - 1] ?? 0;
}

// ---------------------------------------------------------------------------------------------------

/**
 * The recording's descriptor for set-level genre consistency: a fixed-length vector, each block documented.
 * [0–1] spectral centroid: mean and spread of log2(Hz) over active frames (brightness)
 * [2–3] spectral roll-off (85 %): mean and spread of log2(Hz) (bandwidth)
 * [4–5] spectral flatness: mean and spread (noisy/percussive vs tonal)
 * [6]   tempo in bpm / 100, 0 when none found (rhythm)
 * [7]   onset rate: flux peaks per second (busy vs calm)
 * [8]   voice ratio, [9] music ratio (content mix)
 * [10–21] MFCC c1..c12 means over active frames (timbre / spectral envelope)
 */
export const DESCRIPTOR_LENGTH = 22;

export function describe(f: FrameFeatures, noise: NoiseEstimate, content: ContentEstimate): number[] {
  const pick: number[] = [];
  for (let t = 0; t < f.count; t++) if (noise.sounding[t]) pick.push(t);
  const frames = pick.length > 0 ? pick : Array.from({ length: f.count }, (_, t) => t);
  const stats = (values: number[]): [number, number] => {
    const m = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const s = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, values.length));
    return [m, s];
  };
  const log2 = (hz: number): number => Math.log2(Math.max(20, hz));
  const centroid = stats(frames.map((t) => log2(f.centroidHz[t] ?? 0)));
  const rolloff = stats(frames.map((t) => log2(f.rolloffHz[t] ?? 0)));
  const flatness = stats(frames.map((t) => f.flatness[t] ?? 0));
  let onsets = 0;
  const fluxSorted = Float32Array.from(f.flux).sort();
  const onsetLevel = percentile(fluxSorted, 0.9);
  for (let t = 1; t < f.count - 1; t++) {
    const v = f.flux[t] ?? 0;
    if (v > onsetLevel && v >= (f.flux[t - 1] ?? 0) && v > (f.flux[t + 1] ?? 0)) onsets++;
  }
  const seconds = Math.max(f.hopS, f.count * f.hopS);
  const mfcc = new Array<number>(12).fill(0);
  for (const t of frames) {
    const c = f.mfcc[t];
    if (c) for (let j = 0; j < 12; j++) mfcc[j] = (mfcc[j] ?? 0) + (c[j] ?? 0) / frames.length;
  }
  const vector = [
    centroid[0],
    centroid[1],
    rolloff[0],
    rolloff[1],
    flatness[0],
    flatness[1],
    (content.tempoBpm ?? 0) / 100,
    onsets / seconds,
    content.voiceRatio,
    content.musicRatio,
    ...mfcc,
  ];
  return vector.map((v) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : 0));
}
