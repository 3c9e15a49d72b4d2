// The audio mark's channel code corrects noisy soft bits and refuses what its CRC does not vouch for.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../tests/fixtures/audio';
import { codedLength, decodeAudioCodeword, encodeAudioCodeword } from './code';

describe('audio channel code', () => {
  const payload = new Uint8Array([0x12, 0x34, 0xab, 0xcd]);
  const coded = encodeAudioCodeword(payload);

  it('round-trips through soft Viterbi with 10% of the coded bits flipped', () => {
    expect(coded).toHaveLength(codedLength(32));
    const rnd = seededRandom(5);
    const soft = Float32Array.from(coded, (b) => (b ? 1 : -1) * (rnd() < 0.1 ? -1 : 1) * (0.5 + rnd()));
    expect(decodeAudioCodeword(soft, 32)).toEqual(payload);
  });

  it('returns null for noise and for the wrong length', () => {
    const rnd = seededRandom(9);
    let passed = 0;
    for (let trial = 0; trial < 50; trial++) if (decodeAudioCodeword(Float32Array.from(coded, () => rnd() - 0.5), 32)) passed++;
    expect(passed).toBe(0);
    expect(decodeAudioCodeword(new Float32Array(10), 32)).toBeNull();
  });
});
