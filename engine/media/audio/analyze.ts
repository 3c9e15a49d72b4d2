// Imports one recording: decode, measure (loudness, peaks, noise, voice/music, voices, silence), findings, waveform, spectrogram.
import { AtelierError } from '../../errors';
import type { JobContext } from '../image';
import { extensionOf, sniffMedia, type AudioFormat } from '../sniff';
import {
  CLIP_LEVEL,
  CLIP_MIN_RUN,
  CLIP_WARN_RATIO,
  LOUDNESS_TOLERANCE_LU,
  MAX_AUDIO_BYTES,
  MIN_DURATION_S,
  MUSIC_TARGET_LUFS,
  ABSOLUTE_GATE_LUFS,
  SAMPLE_RATE_ERROR_HZ,
  SAMPLE_RATE_WARN_HZ,
  SILENCE_THRESHOLD_DBFS,
  SILENCE_TRIM_MS,
  SNR_WARN_DB,
  SPEECH_TARGET_LUFS,
  TAG_CONFIDENT_RATIO,
  TRUE_PEAK_MAX_DBTP,
  VOICE_OVER_MIN_S,
  VOICE_PRESENT_RATIO,
} from './constants';
import { decodeAudio, type DecodedAudio } from './decode';
import { ANALYSIS_RATE, analyzeFrames, describe, estimateContent, estimateNoise, estimateVoiceCount } from './features';
import { mixToMono, resampleForAnalysis } from './fft';
import { integratedLoudness, truePeak } from './loudness';
import { readWholeFile } from '../read';
import { renderSpectrogram } from './spectrogram';
import type { AudioFinding, AudioMetrics, AudioQualityReport, SuggestedTag, Waveform } from './types';
import { computeWaveform } from './waveform';

export interface AudioIngest {
  sha256: string;
  byteSize: number;
  /** The real format found in the bytes. */
  format: AudioFormat;
  mime: string;
  /** Extension the original is stored under, from the real format. */
  ext: string;
  durationMs: number;
  sampleRate: number;
  channels: number;
  report: AudioQualityReport;
  waveform: Waveform;
  /** PNG, SPECTROGRAM_WIDTH × SPECTROGRAM_HEIGHT, low frequencies at the bottom. A buffer of its own (transferable). */
  spectrogram: Uint8Array;
  /** Fixed-length descriptor for genre consistency across a set (blocks documented in features.ts). */
  descriptor: number[];
}

const FORMAT_FACTS: Record<AudioFormat, { mime: string; ext: string }> = {
  wav: { mime: 'audio/wav', ext: 'wav' },
  mp3: { mime: 'audio/mpeg', ext: 'mp3' },
  flac: { mime: 'audio/flac', ext: 'flac' },
  'ogg-vorbis': { mime: 'audio/ogg', ext: 'ogg' },
  opus: { mime: 'audio/ogg', ext: 'opus' },
};

export function describeAudioFormat(format: AudioFormat): { mime: string; ext: string } {
  return FORMAT_FACTS[format];
}

/** Silence is measured in 10 ms steps. */
const SILENCE_STEP_S = 0.01;

function throwIfCancelled(signal: AbortSignal, name: string): void {
  if (signal.aborted) throw new AtelierError('CANCELLED', `Importing “${name}” was cancelled.`);
}

/** Share of samples inside runs of ≥ CLIP_MIN_RUN consecutive samples at or above CLIP_LEVEL. */
export function clippingRatio(channels: readonly Float32Array[]): number {
  let clipped = 0;
  let total = 0;
  for (const ch of channels) {
    total += ch.length;
    let run = 0;
    for (let i = 0; i <= ch.length; i++) {
      if (i < ch.length && Math.abs(ch[i] ?? 0) >= CLIP_LEVEL) {
        run++;
        continue;
      }
      if (run >= CLIP_MIN_RUN) clipped += run;
      run = 0;
    }
  }
  return total > 0 ? clipped / total : 0;
}

/** Leading and trailing stretches (ms) whose 10 ms level stays under SILENCE_THRESHOLD_DBFS in every channel. */
export function silenceAtEnds(channels: readonly Float32Array[], sampleRate: number): { leadingMs: number; trailingMs: number } {
  const length = channels[0]?.length ?? 0;
  const step = Math.max(1, Math.round(SILENCE_STEP_S * sampleRate));
  const steps = Math.ceil(length / step);
  const threshold = 10 ** (SILENCE_THRESHOLD_DBFS / 10); // mean square
  const loud = (s: number): boolean => {
    const from = s * step;
    const to = Math.min(length, from + step);
    for (const ch of channels) {
      let sum = 0;
      for (let i = from; i < to; i++) sum += (ch[i] ?? 0) ** 2;
      if (sum / Math.max(1, to - from) > threshold) return true;
    }
    return false;
  };
  let first = 0;
  while (first < steps && !loud(first)) first++;
  const durationMs = (length / sampleRate) * 1000;
  if (first === steps) return { leadingMs: Math.round(durationMs), trailingMs: 0 };
  let last = steps - 1;
  while (last > first && !loud(last)) last--;
  return {
    leadingMs: Math.round(Math.min(durationMs, first * step * (1000 / sampleRate))),
    trailingMs: Math.round(Math.max(0, durationMs - (last + 1) * step * (1000 / sampleRate))),
  };
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 100 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Measures a decoded recording. Pure apart from the PNG encode; exported for tests and the bench. */
export async function analyzeDecoded(audio: DecodedAudio, name: string, ctx: JobContext): Promise<{
  report: AudioQualityReport;
  waveform: Waveform;
  spectrogram: Uint8Array;
  descriptor: number[];
}> {
  const { sampleRate, channels } = audio;
  const length = channels[0]?.length ?? 0;
  const durationMs = Math.round((length / sampleRate) * 1000);

  ctx.progress(0.3, 'Measuring loudness');
  const clipping = clippingRatio(channels);
  const lufs = integratedLoudness(channels, sampleRate);
  throwIfCancelled(ctx.signal, name);
  const peakDbtp = truePeak(channels);
  const silence = silenceAtEnds(channels, sampleRate);
  throwIfCancelled(ctx.signal, name);

  ctx.progress(0.5, 'Listening for voices and music');
  const mono = mixToMono(channels);
  const analysisSamples = resampleForAnalysis(mono, sampleRate, ANALYSIS_RATE);
  throwIfCancelled(ctx.signal, name);
  const frames = analyzeFrames(analysisSamples, ANALYSIS_RATE);
  throwIfCancelled(ctx.signal, name);
  const noise = estimateNoise(frames);
  const content = estimateContent(frames, noise);
  const voices = estimateVoiceCount(frames, content);
  const descriptor = describe(frames, noise, content);

  const metrics: AudioMetrics = {
    durationMs,
    sampleRate,
    channels: channels.length,
    bitDepth: audio.bitDepth,
    codec: audio.codec,
    clippingRatio: round(clipping, 6),
    integratedLufs: round(lufs, 2),
    truePeakDbtp: round(peakDbtp, 2),
    noiseFloorDbfs: round(noise.noiseFloorDbfs, 1),
    snrDb: round(noise.snrDb, 1),
    voiceRatio: round(content.voiceRatio, 3),
    musicRatio: round(content.musicRatio, 3),
    voiceCount: voices.voiceCount,
    voiceCountBasis: voices.basis,
    leadingSilenceMs: silence.leadingMs,
    trailingSilenceMs: silence.trailingMs,
    tempoBpm: content.tempoBpm === null ? null : Math.round(content.tempoBpm),
  };

  ctx.progress(0.75, 'Drawing waveform and spectrogram');
  const waveform = computeWaveform(channels, sampleRate);
  throwIfCancelled(ctx.signal, name);
  const spectrogram = await renderSpectrogram(mono, sampleRate);

  const findings = audioFindings(metrics, audio);
  return { report: { kind: 'audio', findings, audio: metrics, suggestedTags: suggestTags(metrics) }, waveform, spectrogram, descriptor };
}

/** The per-asset findings, each with its number, rule and reason. */
export function audioFindings(m: AudioMetrics, source: Pick<DecodedAudio, 'declaredFrames'> = { declaredFrames: null }): AudioFinding[] {
  const findings: AudioFinding[] = [];
  const durationS = m.durationMs / 1000;

  if (source.declaredFrames !== null) {
    const declaredMs = (source.declaredFrames / m.sampleRate) * 1000;
    findings.push({
      check: 'duration',
      severity: 'warning',
      metric: round(durationS, 2),
      unit: 's',
      threshold: `the WAV header promises ${seconds(declaredMs)}`,
      reason: `The file's header says it is ${seconds(declaredMs)} long, but only ${seconds(m.durationMs)} of audio is there — it may have been cut off while copying or recording. Atelier uses the ${seconds(m.durationMs)} that are there; listen to the end to check nothing is missing.`,
    });
  }
  if (durationS < MIN_DURATION_S) {
    findings.push({
      check: 'duration',
      severity: 'error',
      metric: round(durationS, 2),
      unit: 's',
      threshold: `≥ ${MIN_DURATION_S} s required`,
      reason: `This recording is ${seconds(m.durationMs)} long; audio samples need at least ${MIN_DURATION_S} s so a model hears enough of the voice or style. Use a longer take.`,
    });
  } else if (durationS < VOICE_OVER_MIN_S) {
    findings.push({
      check: 'duration',
      severity: 'info',
      metric: round(durationS, 2),
      unit: 's',
      threshold: `≥ ${VOICE_OVER_MIN_S} s for voice-over`,
      reason: `This recording is ${seconds(m.durationMs)} long: fine for jingles, but voice-over samples need at least ${VOICE_OVER_MIN_S} s (60 s is ideal).`,
    });
  }

  if (m.sampleRate < SAMPLE_RATE_ERROR_HZ) {
    findings.push({
      check: 'sample-rate',
      severity: 'error',
      metric: m.sampleRate,
      unit: 'Hz',
      threshold: `≥ ${SAMPLE_RATE_ERROR_HZ} Hz required, ≥ ${SAMPLE_RATE_WARN_HZ} Hz recommended`,
      reason: `Recorded at ${(m.sampleRate / 1000).toFixed(m.sampleRate % 1000 ? 2 : 0)} kHz, which cuts off everything above ${(m.sampleRate / 2000).toFixed(1)} kHz — even speech loses clarity (telephone quality). Use a recording made at 44.1 or 48 kHz.`,
    });
  } else if (m.sampleRate < SAMPLE_RATE_WARN_HZ) {
    findings.push({
      check: 'sample-rate',
      severity: 'warning',
      metric: m.sampleRate,
      unit: 'Hz',
      threshold: `≥ ${SAMPLE_RATE_WARN_HZ} Hz recommended`,
      reason: `Recorded at ${(m.sampleRate / 1000).toFixed(m.sampleRate % 1000 ? 2 : 0)} kHz: sounds above ${(m.sampleRate / 2000).toFixed(1)} kHz (the "s" and "t" sounds, cymbals) are missing, so a model trained on it sounds muffled. Use 44.1 or 48 kHz if you have it.`,
    });
  }

  if (m.channels > 1) {
    findings.push({
      check: 'channels',
      severity: 'info',
      metric: m.channels,
      unit: 'count',
      threshold: 'mono or stereo',
      reason: `${m.channels === 2 ? 'Stereo' : `${m.channels} channels`}: the checks and training listen to a mono mix of the channels.`,
    });
  }
  if (m.bitDepth !== null && m.bitDepth < 16) {
    findings.push({
      check: 'noise',
      severity: 'warning',
      metric: m.bitDepth,
      unit: 'bits',
      threshold: '≥ 16 bits recommended',
      reason: `${m.bitDepth}-bit audio carries audible hiss (its quantisation noise sits near −${m.bitDepth * 6} dBFS). Export it at 16 or 24 bits.`,
    });
  }

  if (m.clippingRatio > CLIP_WARN_RATIO) {
    findings.push({
      check: 'clipping',
      severity: 'warning',
      metric: round(m.clippingRatio * 100, 3),
      unit: '%',
      threshold: `≤ ${CLIP_WARN_RATIO * 100} % of samples at full scale`,
      reason: `${round(m.clippingRatio * 100, 2)} % of the samples hit the ceiling in runs, so the peaks are flattened and sound distorted; a model would learn the distortion. Record again with lower input gain.`,
    });
  }

  const speechLike = m.voiceRatio >= m.musicRatio;
  const target = speechLike ? SPEECH_TARGET_LUFS : MUSIC_TARGET_LUFS;
  if (m.integratedLufs <= ABSOLUTE_GATE_LUFS) {
    findings.push({
      check: 'loudness',
      severity: 'error',
      metric: m.integratedLufs,
      unit: 'LUFS',
      threshold: `above ${ABSOLUTE_GATE_LUFS} LUFS`,
      reason: 'This recording is silent or nearly so; there is nothing for a model to learn from. Check that the right file was exported.',
    });
  } else if (Math.abs(m.integratedLufs - target) > LOUDNESS_TOLERANCE_LU) {
    const quiet = m.integratedLufs < target;
    findings.push({
      check: 'loudness',
      severity: 'warning',
      metric: m.integratedLufs,
      unit: 'LUFS',
      threshold: `${target} LUFS ± ${LOUDNESS_TOLERANCE_LU} LU for ${speechLike ? 'speech' : 'music'}`,
      reason: speechLike
        ? `Measured ${m.integratedLufs.toFixed(1)} LUFS, ${quiet ? 'well below' : 'well above'} the ${target} LUFS that spoken word is usually delivered at (between EBU R128's −23 and podcasts' −16). ${quiet ? 'Raising it later also raises its noise; record or normalise it louder.' : 'It is likely compressed or close to distorting; normalise it down.'}`
        : `Measured ${m.integratedLufs.toFixed(1)} LUFS, ${quiet ? 'well below' : 'well above'} the ${target} LUFS that streaming services play music at. ${quiet ? 'It will be turned up a lot, noise included; master it louder.' : 'It is heavily limited; a less squashed master keeps its dynamics.'}`,
    });
  }
  if (m.truePeakDbtp > TRUE_PEAK_MAX_DBTP) {
    findings.push({
      check: 'true-peak',
      severity: 'warning',
      metric: m.truePeakDbtp,
      unit: 'dBTP',
      threshold: `≤ ${TRUE_PEAK_MAX_DBTP} dBTP (EBU R128)`,
      reason: `Peaks reach ${m.truePeakDbtp.toFixed(1)} dBTP between samples; above ${TRUE_PEAK_MAX_DBTP} dBTP, converting to MP3 or playing on some devices distorts them. Lower the level or use a true-peak limiter.`,
    });
  }

  if (m.voiceRatio >= VOICE_PRESENT_RATIO && m.snrDb < SNR_WARN_DB) {
    findings.push({
      check: 'noise',
      severity: 'warning',
      metric: m.snrDb,
      unit: 'dB',
      threshold: `SNR ≥ ${SNR_WARN_DB} dB`,
      reason: `The voice is only ${m.snrDb.toFixed(0)} dB above the background noise (${m.noiseFloorDbfs.toFixed(0)} dBFS in the pauses); the hiss or hum is clearly audible and a model would learn it with the voice. Record in a quieter room or closer to the microphone.`,
    });
  }

  findings.push({
    check: 'voice-presence',
    severity: 'info',
    metric: round(m.voiceRatio * 100, 0),
    unit: '%',
    threshold: `a voice or music counts as present from ${VOICE_PRESENT_RATIO * 100} % of the recording`,
    reason: `Speech in about ${Math.round(m.voiceRatio * 100)} % of the recording, music in about ${Math.round(m.musicRatio * 100)} %${m.tempoBpm !== null ? ` (around ${m.tempoBpm} bpm)` : ''}. Estimated from pitch, syllable rhythm, sustained notes and beats.`,
  });

  if (m.voiceCount > 1) {
    findings.push({
      check: 'multiple-voices',
      severity: 'warning',
      metric: m.voiceCount,
      unit: 'count',
      threshold: 'one voice per recording',
      reason: `This seems to have ${m.voiceCount} different voices (${m.voiceCountBasis}). A voice model learns one voice; use recordings of yours alone, or trim to the part where only you speak.`,
    });
  }

  const longest = Math.max(m.leadingSilenceMs, m.trailingSilenceMs);
  if (m.leadingSilenceMs >= m.durationMs && m.durationMs > 0) {
    // Whole-file silence is reported by loudness; no trim would leave anything.
  } else if (longest > SILENCE_TRIM_MS) {
    const parts = [
      m.leadingSilenceMs > SILENCE_TRIM_MS ? `${seconds(m.leadingSilenceMs)} at the start` : null,
      m.trailingSilenceMs > SILENCE_TRIM_MS ? `${seconds(m.trailingSilenceMs)} at the end` : null,
    ].filter((p): p is string => p !== null);
    findings.push({
      check: 'silence',
      severity: 'warning',
      metric: round((m.leadingSilenceMs + m.trailingSilenceMs) / 1000, 2),
      unit: 's',
      threshold: `≤ ${SILENCE_TRIM_MS} ms of silence (below ${SILENCE_THRESHOLD_DBFS} dBFS) at either end`,
      reason: `There is silence ${parts.join(' and ')}. It adds nothing to training; trim it (one click).`,
      fix: 'trim-silence',
    });
  }
  return findings;
}

export function suggestTags(m: AudioMetrics): SuggestedTag[] {
  const tags: SuggestedTag[] = [];
  if (m.voiceRatio >= TAG_CONFIDENT_RATIO) tags.push({ kind: 'content', value: 'speech' });
  if (m.musicRatio >= TAG_CONFIDENT_RATIO) tags.push({ kind: 'content', value: 'music' });
  if (m.musicRatio >= TAG_CONFIDENT_RATIO && m.tempoBpm !== null) tags.push({ kind: 'style', value: `${m.tempoBpm} bpm` });
  if (m.voiceCount > 1) tags.push({ kind: 'detail', value: `${m.voiceCount} voices` });
  return tags;
}

function notAudio(name: string): AtelierError {
  return new AtelierError('UNSUPPORTED_FILE', `“${name}” is not audio Atelier can read. Use WAV, MP3, FLAC, OGG Vorbis or Opus.`, { file: name });
}

/**
 * Imports the recording at `input.path`: its identity (sha256), real format, quality report, waveform peaks,
 * spectrogram PNG and set descriptor. Every error names `input.name`. Runs in a worker thread (via 'media.ingest').
 */
export async function ingestAudio(input: { path: string; name: string }, ctx: JobContext): Promise<AudioIngest> {
  const { path, name } = input;
  throwIfCancelled(ctx.signal, name);
  ctx.progress(0, 'Reading');
  const { bytes, sha256 } = await readWholeFile(path, name, { maxBytes: MAX_AUDIO_BYTES, what: 'recordings', signal: ctx.signal });
  const sniffed = sniffMedia(bytes, extensionOf(name) ? name : path);
  if (sniffed.kind !== 'audio') throw notAudio(name);
  throwIfCancelled(ctx.signal, name);
  ctx.progress(0.1, 'Decoding');
  const audio = await decodeAudio(bytes, name, sniffed.format, { signal: ctx.signal });
  throwIfCancelled(ctx.signal, name);
  const analysed = await analyzeDecoded(audio, name, ctx);
  ctx.progress(1, 'Done');
  const facts = FORMAT_FACTS[sniffed.format];
  return {
    sha256,
    byteSize: bytes.length,
    format: sniffed.format,
    mime: facts.mime,
    ext: facts.ext,
    durationMs: analysed.report.audio.durationMs,
    sampleRate: audio.sampleRate,
    channels: audio.channels.length,
    ...analysed,
  };
}

