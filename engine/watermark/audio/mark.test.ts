// The audio mark survives each laundering attack of issue 6, stays ≥ 35 dB below the clip, and never names a draft it did not mark.
import { beforeAll, describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../../tests/fixtures/atelier-errors';
import { AUDIO_ATTACKS, CLIP_KINDS, attackClip, markSnrDb, testClip, type ClipKind } from '../../../tests/fixtures/watermark-audio';
import { AUDIO_FALSE_POSITIVE_BOUND, AUDIO_SYNC_THRESHOLD, audioPayloadForDraft, detectAudioMark, draftIdFromAudioPayload, embedAudioMark } from './mark';

const RATE = 44100;
const SECONDS = 16;
const KEY = 'creator-key-1';
const DRAFT = 3_141_592_653;

describe('audio mark', () => {
  const clips = new Map<ClipKind, { original: Float32Array; marked: Float32Array[] }>();
  beforeAll(() => {
    CLIP_KINDS.forEach((kind, i) => {
      const original = testClip(kind, SECONDS, RATE, 100 + i);
      clips.set(kind, { original, marked: embedAudioMark([original], RATE, audioPayloadForDraft(DRAFT), KEY) });
    });
  });

  it('states a false-positive bound below one in a million', () => {
    expect(AUDIO_FALSE_POSITIVE_BOUND).toBeLessThan(1e-6);
  });

  for (const kind of CLIP_KINDS) {
    it(`keeps the mark at least 35 dB below a ${kind} clip`, () => {
      const c = clips.get(kind)!;
      expect(markSnrDb([c.original], c.marked)).toBeGreaterThanOrEqual(35);
    });
    for (const attack of AUDIO_ATTACKS) {
      it(`names the draft in a ${kind} clip after ${attack}`, async () => {
        const c = clips.get(kind)!;
        const attacked = await attackClip({ channels: c.marked, sampleRate: RATE }, attack);
        const found = detectAudioMark(attacked.channels, attacked.sampleRate, KEY);
        expect(found.found).toBe(true);
        expect(draftIdFromAudioPayload(found.payload!)).toBe(DRAFT);
        expect(found.syncScore).toBeGreaterThan(AUDIO_SYNC_THRESHOLD);
        expect(found.confidence).toBeGreaterThan(0.999999);
      });
    }
    it(`finds nothing in a ${kind} clip with another key, or unmarked`, () => {
      const c = clips.get(kind)!;
      expect(detectAudioMark(c.marked, RATE, 'someone-else').found).toBe(false);
      const clean = detectAudioMark([c.original], RATE, KEY);
      expect(clean.found).toBe(false);
      expect(clean.confidence).toBe(0);
    });
  }

  it('marks 48 kHz stereo in both channels and finds it in the mix and in each channel', () => {
    const rate = 48000;
    const left = testClip('music', SECONDS, rate, 7);
    const right = testClip('speech', SECONDS, rate, 8);
    const marked = embedAudioMark([left, right], rate, audioPayloadForDraft(42), KEY);
    expect(marked).toHaveLength(2);
    expect(draftIdFromAudioPayload(detectAudioMark(marked, rate, KEY).payload!)).toBe(42);
    expect(draftIdFromAudioPayload(detectAudioMark([marked[1]!], rate, KEY).payload!)).toBe(42);
  });

  it('is deterministic for a key and payload', () => {
    const x = testClip('speech', 4, RATE, 3);
    const a = embedAudioMark([x], RATE, audioPayloadForDraft(7), KEY)[0]!;
    const b = embedAudioMark([x], RATE, audioPayloadForDraft(7), KEY)[0]!;
    expect(a).toEqual(b);
  });

  describe('hostile input', () => {
    it('handles an empty clip, a 0.2 s clip and a silent clip without a mark or a crash', () => {
      for (const x of [new Float32Array(0), testClip('music', 0.2, RATE, 1), new Float32Array(SECONDS * RATE)]) {
        const marked = embedAudioMark([x], RATE, audioPayloadForDraft(1), KEY);
        expect(marked[0]).toHaveLength(x.length);
        expect(detectAudioMark(marked, RATE, KEY)).toMatchObject({ found: false, confidence: 0 });
      }
      // Silence stays silence: the mark follows the content, so there is nothing to add.
      expect(embedAudioMark([new Float32Array(1000)], RATE, audioPayloadForDraft(1), KEY)[0]!.every((v) => v === 0)).toBe(true);
    });

    it('keeps NaN samples where they were, marks the rest, and still detects', () => {
      const x = testClip('speech', SECONDS, RATE, 5);
      for (let i = 0; i < x.length; i += 9973) x[i] = Number.NaN;
      const marked = embedAudioMark([x], RATE, audioPayloadForDraft(99), KEY)[0]!;
      expect(Number.isNaN(marked[9973])).toBe(true);
      expect(Number.isFinite(marked[9974])).toBe(true);
      expect(draftIdFromAudioPayload(detectAudioMark([marked], RATE, KEY).payload!)).toBe(99);
    });

    it('refuses bad arguments with a creator-readable error', () => {
      const x = new Float32Array(RATE);
      expect(thrownAtelierError(() => embedAudioMark([], RATE, audioPayloadForDraft(1), KEY)).code).toBe('VALIDATION');
      expect(thrownAtelierError(() => embedAudioMark([x], Number.NaN, audioPayloadForDraft(1), KEY)).code).toBe('VALIDATION');
      expect(thrownAtelierError(() => embedAudioMark([x], RATE, new Uint8Array(9), KEY)).code).toBe('VALIDATION');
      expect(thrownAtelierError(() => embedAudioMark([x, new Float32Array(5)], RATE, audioPayloadForDraft(1), KEY)).code).toBe('VALIDATION');
      expect(thrownAtelierError(() => detectAudioMark([x], RATE, '')).code).toBe('VALIDATION');
      expect(thrownAtelierError(() => audioPayloadForDraft(-1)).code).toBe('VALIDATION');
    });
  });
});
