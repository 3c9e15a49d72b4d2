// Audio watermark bench (issue 6 "Bench", audio rows): exact-decode share per attack on 30 s clips, false positives on unmarked clips, 60 s stereo timings.
import { pathToFileURL } from 'node:url';
import { AUDIO_FALSE_POSITIVE_BOUND, AUDIO_SYNC_THRESHOLD, audioPayloadForDraft, detectAudioMark, draftIdFromAudioPayload, embedAudioMark } from '../../engine/watermark/audio/mark';
import { AUDIO_ATTACKS, CLIP_KINDS, attackClip, markSnrDb, testClip, type AudioAttack } from '../fixtures/watermark-audio';

/** Issue 6 "Bench": share of marked clips decoding exactly, per attack. */
export const AUDIO_DECODE_TARGET = 0.95;
/** Issue 6 "Audio": mark-to-signal ratio. */
export const AUDIO_SNR_TARGET_DB = 35;
const RATE = 44100;

export interface AttackRow {
  attack: AudioAttack;
  clips: number;
  exact: number;
  share: number;
  /** Lowest sync score among the clips (threshold AUDIO_SYNC_THRESHOLD): the margin left. */
  minSyncScore: number;
}

export interface WatermarkAudioBenchResult {
  attacks: AttackRow[];
  minSnrDb: number;
  unmarkedTrials: number;
  falsePositives: number;
  /** Highest sync score seen on unmarked audio, against the threshold. */
  maxUnmarkedSyncScore: number;
  syncThreshold: number;
  falsePositiveBound: number;
  embed60sStereoMs: number;
  detect60sStereoMs: number;
}

export interface WatermarkAudioBenchOptions {
  log?: (line: string) => void;
  /** Marked clips (default 21: 7 of each kind). */
  clips?: number;
  /** Clip length (default 30 s). */
  seconds?: number;
  /** Unmarked clips checked (default 1,000); each is checked with `keysPerClip` keys (default 1), each an independent trial. */
  unmarkedClips?: number;
  /** Length of each unmarked clip (default 10 s). */
  unmarkedSeconds?: number;
  keysPerClip?: number;
}

export async function runWatermarkAudioBench(opts: WatermarkAudioBenchOptions = {}): Promise<WatermarkAudioBenchResult> {
  const log = opts.log ?? (() => undefined);
  const clips = opts.clips ?? 21;
  const seconds = opts.seconds ?? 30;
  // Issue 6: false positives counted on 1,000 unmarked inputs — distinct 10 s clips (3+ sync blocks each), one key each.
  const unmarkedClips = opts.unmarkedClips ?? 1000;
  const keysPerClip = opts.keysPerClip ?? 1;
  const unmarkedSeconds = opts.unmarkedSeconds ?? 10;
  const key = 'bench-creator-key';
  const rows = AUDIO_ATTACKS.map((attack) => ({ attack, clips: 0, exact: 0, share: 0, minSyncScore: Infinity }));
  let minSnrDb = Infinity;
  for (let c = 0; c < clips; c++) {
    const kind = CLIP_KINDS[c % CLIP_KINDS.length] ?? 'music';
    const original = testClip(kind, seconds, RATE, 1000 + c);
    const draftId = (0x9e3779b1 * (c + 1)) >>> 0;
    const marked = embedAudioMark([original], RATE, audioPayloadForDraft(draftId), key);
    const snr = markSnrDb([original], marked);
    minSnrDb = Math.min(minSnrDb, snr);
    const line: string[] = [`${kind.padEnd(6)} #${String(c).padStart(2)} SNR ${snr.toFixed(1)} dB`];
    for (const row of rows) {
      const attacked = await attackClip({ channels: marked, sampleRate: RATE }, row.attack);
      const found = detectAudioMark(attacked.channels, attacked.sampleRate, key);
      const exact = found.found && found.payload !== undefined && draftIdFromAudioPayload(found.payload) === draftId;
      row.clips++;
      if (exact) row.exact++;
      row.minSyncScore = Math.min(row.minSyncScore, found.syncScore);
      line.push(`${row.attack} ${exact ? 'ok' : 'MISS'} (${found.syncScore.toFixed(1)})`);
    }
    log(line.join(' | '));
  }
  for (const row of rows) row.share = row.exact / row.clips;

  let falsePositives = 0;
  let maxUnmarkedSyncScore = -Infinity;
  for (let c = 0; c < unmarkedClips; c++) {
    const kind = CLIP_KINDS[c % CLIP_KINDS.length] ?? 'music';
    const clip = testClip(kind, unmarkedSeconds, RATE, 5000 + c);
    for (let k = 0; k < keysPerClip; k++) {
      const found = detectAudioMark([clip], RATE, `unmarked-key-${c}-${k}`);
      if (found.found) falsePositives++;
      maxUnmarkedSyncScore = Math.max(maxUnmarkedSyncScore, found.syncScore);
    }
  }
  const unmarkedTrials = unmarkedClips * keysPerClip;
  log(`unmarked: ${falsePositives} false positives in ${unmarkedTrials} trials (${unmarkedClips} clips × ${keysPerClip} keys); highest sync ${maxUnmarkedSyncScore.toFixed(2)} vs threshold ${AUDIO_SYNC_THRESHOLD}; bound ${AUDIO_FALSE_POSITIVE_BOUND.toExponential(2)} per trial`);

  const left = testClip('music', 60, RATE, 77);
  const right = testClip('speech', 60, RATE, 78);
  let t = performance.now();
  const stereo = embedAudioMark([left, right], RATE, audioPayloadForDraft(123456), key);
  const embed60sStereoMs = Math.round(performance.now() - t);
  t = performance.now();
  detectAudioMark(stereo, RATE, key);
  const detect60sStereoMs = Math.round(performance.now() - t);
  log(`60 s stereo 44.1 kHz: embed ${embed60sStereoMs} ms, detect ${detect60sStereoMs} ms`);

  log(`attack            exact / clips   share   min sync (threshold ${AUDIO_SYNC_THRESHOLD})   target ≥ ${AUDIO_DECODE_TARGET * 100}%`);
  for (const row of rows) log(`${row.attack.padEnd(17)} ${String(row.exact).padStart(5)} / ${String(row.clips).padEnd(5)} ${(row.share * 100).toFixed(1).padStart(6)}%   ${row.minSyncScore.toFixed(1)}`);
  log(`lowest mark SNR ${minSnrDb.toFixed(1)} dB (target ≥ ${AUDIO_SNR_TARGET_DB})`);
  return {
    attacks: rows,
    minSnrDb,
    unmarkedTrials,
    falsePositives,
    maxUnmarkedSyncScore,
    syncThreshold: AUDIO_SYNC_THRESHOLD,
    falsePositiveBound: AUDIO_FALSE_POSITIVE_BOUND,
    embed60sStereoMs,
    detect60sStereoMs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWatermarkAudioBench({ log: (line) => console.log(line) }).then(
    (r) => {
      const misses = r.attacks.filter((a) => a.share < AUDIO_DECODE_TARGET);
      console.log(`${misses.length} of ${r.attacks.length} attacks below the ${AUDIO_DECODE_TARGET * 100}% target; ${r.falsePositives} false positives`);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
