// The audible preview tag: a short three-note chime at seeded times (every 8–15 s) and pitch, laid over a draft's preview.
import { AtelierError } from '../../errors';
import { xorshift32 } from '../../random';

/** First tag between 1 and 4 s in, so even a short preview carries one. */
const FIRST_MIN_S = 1;
const FIRST_SPAN_S = 3;
/** The "every ~8–15 s". */
export const TAG_GAP_MIN_S = 8;
export const TAG_GAP_SPAN_S = 7;
/** Three notes of 140 ms: long enough to hear as a motif, short enough not to mask a phrase. */
const NOTE_S = 0.14;
const NOTES = 3;
/** Base pitch 700–1400 Hz (seeded), where hearing is most sensitive, and a rising major-triad motif. */
const BASE_MIN_HZ = 700;
const BASE_SPAN_HZ = 700;
const MOTIF_RATIOS = [1, 1.25, 1.5] as const;
/** Tag peak: twice the clip RMS, within −26..−10 dBFS, so it is clearly heard but never drowns the preview. */
const TAG_RMS_FACTOR = 2;
const TAG_MIN_PEAK = 0.05;
const TAG_MAX_PEAK = 0.316;

export interface PreviewTagOptions {
  seed: number;
}

/** Start times (s) of the tags for a clip of `seconds`; exported so the studio can show where they fall. */
export function previewTagTimes(seconds: number, seed: number): number[] {
  const rnd = xorshift32(seed >>> 0, 0x74616731);
  const times: number[] = [];
  for (let t = FIRST_MIN_S + rnd() * FIRST_SPAN_S; t + NOTE_S * NOTES <= seconds; t += TAG_GAP_MIN_S + rnd() * TAG_GAP_SPAN_S) times.push(t);
  return times;
}

export function applyAudioPreviewTag(samples: Float32Array[], sampleRate: number, opts: PreviewTagOptions): Float32Array[] {
  if (!Array.isArray(samples) || samples.some((c) => !(c instanceof Float32Array))) {
    throw new AtelierError('VALIDATION', 'Tagging a preview: the audio has no channels. Pass one Float32Array per channel.');
  }
  if (!Number.isFinite(sampleRate) || sampleRate < 8000 || sampleRate > 384000) {
    throw new AtelierError('VALIDATION', `Tagging a preview: a sample rate of ${sampleRate} Hz is not supported (8–384 kHz).`);
  }
  if (!Number.isInteger(opts.seed)) throw new AtelierError('VALIDATION', 'Tagging a preview needs a whole-number seed.');
  const length = samples[0]?.length ?? 0;
  let energy = 0;
  let counted = 0;
  for (const ch of samples) {
    for (const v of ch) {
      if (Number.isFinite(v)) {
        energy += v * v;
        counted++;
      }
    }
  }
  const rms = counted > 0 ? Math.sqrt(energy / counted) : 0;
  const peak = Math.min(TAG_MAX_PEAK, Math.max(TAG_MIN_PEAK, TAG_RMS_FACTOR * rms));
  const tag = new Float32Array(length);
  const pitchRnd = xorshift32(opts.seed >>> 0, 0x70697463);
  const noteLen = Math.round(NOTE_S * sampleRate);
  for (const t of previewTagTimes(length / sampleRate, opts.seed)) {
    const base = BASE_MIN_HZ + pitchRnd() * BASE_SPAN_HZ;
    const start = Math.round(t * sampleRate);
    MOTIF_RATIOS.forEach((ratio, n) => {
      const f = base * ratio;
      for (let i = 0; i < noteLen; i++) {
        const at = start + n * noteLen + i;
        if (at >= length) break;
        const time = i / sampleRate;
        // 5 ms attack, exponential decay: a bell-like note without clicks.
        const env = Math.min(1, time / 0.005) * Math.exp(-time / 0.06) * Math.min(1, (noteLen - i) / (0.005 * sampleRate));
        tag[at] = (tag[at] ?? 0) + peak * env * (Math.sin(2 * Math.PI * f * time) + 0.3 * Math.sin(4 * Math.PI * f * time)) / 1.3;
      }
    });
  }
  return samples.map((ch) => ch.map((v, i) => v + (tag[i] ?? 0)));
}
