// The preview tag is heard every 8–15 s at seeded times and pitch, and leaves the rest of the preview untouched.
import { describe, expect, it } from 'vitest';
import { testClip } from '../../../tests/fixtures/watermark-audio';
import { applyAudioPreviewTag, previewTagTimes } from './preview-tag';

const RATE = 22050;

describe('audio preview tag', () => {
  it('places tags 8–15 s apart, the first within 4 s, differently per seed', () => {
    const times = previewTagTimes(60, 3);
    expect(times[0]).toBeLessThan(4);
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(8);
      expect(gap).toBeLessThanOrEqual(15);
    }
    expect(previewTagTimes(60, 4)).not.toEqual(times);
    expect(previewTagTimes(60, 3)).toEqual(times);
  });

  it('is clearly audible where it plays and changes nothing elsewhere', () => {
    const x = testClip('music', 20, RATE, 2);
    const [y] = applyAudioPreviewTag([x], RATE, { seed: 11 });
    const start = Math.round(previewTagTimes(20, 11)[0]! * RATE);
    const span = Math.round(0.42 * RATE);
    let diff = 0;
    let signal = 0;
    for (let i = start; i < start + span; i++) {
      diff += (y![i]! - x[i]!) ** 2;
      signal += x[i]! ** 2;
    }
    // Louder than −12 dB relative to the music underneath: a listener cannot miss it.
    expect(10 * Math.log10(diff / signal)).toBeGreaterThan(-12);
    expect(y![start - 10]).toBe(x[start - 10]);
  });

  it('tags silence, keeps channel count and length, and survives an empty clip', () => {
    const tagged = applyAudioPreviewTag([new Float32Array(10 * RATE), new Float32Array(10 * RATE)], RATE, { seed: 1 });
    expect(tagged).toHaveLength(2);
    expect(tagged[0]!.some((v) => v !== 0)).toBe(true);
    expect(applyAudioPreviewTag([new Float32Array(0)], RATE, { seed: 1 })[0]).toHaveLength(0);
  });
});
