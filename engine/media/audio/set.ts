// Set-level audio checks for a model's selection: voice-over lengths and voices, jingles' voice+music mix, genre consistency.
import {
  GENRE_MIN_DISTANCE,
  GENRE_MIN_SET,
  GENRE_OUTLIER_Z,
  MUSIC_PRESENT_RATIO,
  VOICE_OVER_IDEAL_S,
  VOICE_OVER_MIN_S,
  VOICE_PRESENT_RATIO,
} from './constants';
import type { AudioFinding, AudioMetrics } from './types';

export interface AudioSetItem {
  id: string;
  metrics: AudioMetrics;
  descriptor: number[];
}

export interface AudioSetResult {
  findings: AudioFinding[];
  perAsset: Record<string, AudioFinding[]>;
}

/** 1.4826 × MAD estimates σ for normally distributed data (Rousseeuw & Croux 1993). */
const MAD_TO_SIGMA = 1.4826;

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Robust scale: 1.4826·MAD, falling back to the mean absolute deviation (then to 1) when over half the values tie. */
function robustScale(values: readonly number[], centre: number): number {
  const deviations = values.map((v) => Math.abs(v - centre));
  const mad = median(deviations) * MAD_TO_SIGMA;
  if (mad > 1e-9) return mad;
  const mean = deviations.reduce((a, b) => a + b, 0) / Math.max(1, deviations.length);
  return mean > 1e-9 ? mean * 1.2533 : 0; // 1.2533 = √(π/2): mean absolute deviation → σ
}

/**
 * Robust z of each item's distance from the set's centre: every descriptor dimension is standardised by its
 * median and MAD (so no block dominates by its units), distances are taken to the all-median point, and
 * those distances are z-scored by their own median/MAD.
 */
export function genreOutlierScores(items: readonly AudioSetItem[]): Map<string, { z: number; distance: number }> {
  const scores = new Map<string, { z: number; distance: number }>();
  const dims = Math.min(...items.map((i) => i.descriptor.length));
  if (!Number.isFinite(dims) || dims === 0) return scores;
  const distances = items.map(() => 0);
  for (let d = 0; d < dims; d++) {
    const column = items.map((i) => i.descriptor[d] ?? 0);
    const centre = median(column);
    const scale = robustScale(column, centre);
    if (scale === 0) continue;
    column.forEach((v, k) => (distances[k] = (distances[k] ?? 0) + ((v - centre) / scale) ** 2));
  }
  const rooted = distances.map((v) => Math.sqrt(v / dims));
  const centre = median(rooted);
  const scale = robustScale(rooted, centre);
  items.forEach((item, k) => {
    const distance = rooted[k] ?? 0;
    scores.set(item.id, { z: scale === 0 ? 0 : (distance - centre) / scale, distance });
  });
  return scores;
}

function push(perAsset: Record<string, AudioFinding[]>, id: string, finding: AudioFinding): void {
  (perAsset[id] ??= []).push(finding);
}

function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function analyzeAudioSet(items: readonly AudioSetItem[], subcategory?: string): AudioSetResult {
  const findings: AudioFinding[] = [];
  const perAsset: Record<string, AudioFinding[]> = {};

  if (subcategory === 'voice_over') {
    for (const item of items) {
      const s = item.metrics.durationMs / 1000;
      if (s < VOICE_OVER_MIN_S) {
        push(perAsset, item.id, {
          check: 'duration',
          severity: 'error',
          metric: Math.round(s * 10) / 10,
          unit: 's',
          threshold: `≥ ${VOICE_OVER_MIN_S} s for voice-over, ${VOICE_OVER_IDEAL_S} s ideal`,
          reason: `This recording is ${secondsText(item.metrics.durationMs)} long; voice-over samples need at least ${VOICE_OVER_MIN_S} s (PRODUCT rule) so the model hears enough of your voice. Use a longer take.`,
        });
      } else if (s < VOICE_OVER_IDEAL_S) {
        push(perAsset, item.id, {
          check: 'duration',
          severity: 'info',
          metric: Math.round(s * 10) / 10,
          unit: 's',
          threshold: `${VOICE_OVER_IDEAL_S} s ideal`,
          reason: `${secondsText(item.metrics.durationMs)} is enough; ${VOICE_OVER_IDEAL_S} s is ideal for a voice-over sample.`,
        });
      }
      if (item.metrics.voiceCount > 1) {
        push(perAsset, item.id, {
          check: 'multiple-voices',
          severity: 'warning',
          metric: item.metrics.voiceCount,
          unit: 'count',
          threshold: 'one voice in a voice-over set',
          reason: `This recording seems to hold ${item.metrics.voiceCount} voices (${item.metrics.voiceCountBasis}). A voice-over model learns one voice; remove it from the set or trim it to your part.`,
        });
      }
    }
  }

  if (subcategory === 'jingles') {
    const withVoice = items.filter((i) => i.metrics.voiceRatio >= VOICE_PRESENT_RATIO).length;
    const withMusic = items.filter((i) => i.metrics.musicRatio >= MUSIC_PRESENT_RATIO).length;
    const missing = [withVoice === 0 ? 'a recording with voice' : null, withMusic === 0 ? 'a recording with music' : null].filter(
      (m): m is string => m !== null,
    );
    if (missing.length > 0) {
      findings.push({
        check: 'jingle-mix',
        severity: 'error',
        metric: missing.length === 2 ? 0 : withVoice === 0 ? withMusic : withVoice,
        unit: 'count',
        threshold: '≥ 1 recording with voice and ≥ 1 with music',
        reason: `A jingle model needs at least one recording with voice and one with music; this set lacks ${missing.join(' and ')} (${withVoice} with voice, ${withMusic} with music).`,
      });
    } else {
      findings.push({
        check: 'jingle-mix',
        severity: 'info',
        metric: Math.min(withVoice, withMusic),
        unit: 'count',
        threshold: '≥ 1 recording with voice and ≥ 1 with music',
        reason: `${withVoice} recording${withVoice === 1 ? '' : 's'} with voice and ${withMusic} with music: enough for a jingle model.`,
      });
    }
  }

  if (items.length >= GENRE_MIN_SET) {
    const scores = genreOutlierScores(items);
    const outliers: string[] = [];
    for (const item of items) {
      const { z, distance } = scores.get(item.id) ?? { z: 0, distance: 0 };
      // In a tight set the distances are all alike, so their MAD is tiny and z alone would flag noise.
      if (z >= GENRE_OUTLIER_Z && distance >= GENRE_MIN_DISTANCE) {
        outliers.push(item.id);
        push(perAsset, item.id, {
          check: 'genre-consistency',
          severity: 'warning',
          metric: Math.round(z * 10) / 10,
          unit: 'z',
          threshold: `robust z < ${GENRE_OUTLIER_Z}`,
          reason: `This recording sounds unlike the rest of the set (brightness, rhythm, timbre and voice/music mix differ; z = ${z.toFixed(1)}). A model learns one style best: remove it unless the set is meant to be this varied.`,
        });
      }
    }
    findings.push({
      check: 'genre-consistency',
      severity: outliers.length > 0 ? 'warning' : 'info',
      metric: outliers.length,
      unit: 'count',
      threshold: `recordings with robust z ≥ ${GENRE_OUTLIER_Z} against the set`,
      reason:
        outliers.length > 0
          ? `${outliers.length} of ${items.length} recordings sound unlike the rest of the set; they are marked so you can review them.`
          : `All ${items.length} recordings sound consistent with each other.`,
      ...(outliers.length > 0 ? { relatedAssetIds: outliers } : {}),
    });
  } else if (items.length > 0) {
    findings.push({
      check: 'genre-consistency',
      severity: 'info',
      metric: items.length,
      unit: 'count',
      threshold: `≥ ${GENRE_MIN_SET} recordings to compare`,
      reason: `Consistency across the set is checked from ${GENRE_MIN_SET} recordings on; this set has ${items.length}.`,
    });
  }
  return { findings, perAsset };
}
