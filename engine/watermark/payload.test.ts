// Payload codec and channel code: round trips, range checks, error correction and checksum rejection.
import { describe, expect, it } from 'vitest';
import { xorshift32 } from '../random';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import { CODEWORD_BITS, decodeCodeword, decodePayload, encodeCodeword, encodePayload, payloadFromHex, payloadToHex } from './payload';

const SAMPLE = { draftId: 0xdeadbeef, clientId: 0xabcde, modelId: 0x123 };

function softOf(bits: Uint8Array, noise: number, seed: number): Float32Array {
  const rnd = xorshift32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  return Float32Array.from(bits, (b) => (b ? 1 : -1) + noise * gauss());
}

describe('draft payload', () => {
  it('round-trips the three ids through bytes and hex', () => {
    const bytes = encodePayload(SAMPLE);
    expect(payloadToHex(bytes)).toBe('deadbeefabcde123');
    expect(decodePayload(payloadFromHex('deadbeefabcde123'))).toEqual(SAMPLE);
    expect(decodePayload(encodePayload({ draftId: 0, clientId: 0, modelId: 0 }))).toEqual({ draftId: 0, clientId: 0, modelId: 0 });
  });

  it('refuses ids outside their bit ranges and malformed hex', () => {
    expect(thrownAtelierError(() => encodePayload({ ...SAMPLE, clientId: 1 << 20 })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => encodePayload({ ...SAMPLE, modelId: -1 })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => encodePayload({ ...SAMPLE, draftId: 1.5 })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => encodePayload({ ...SAMPLE, draftId: Number.NaN })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => payloadFromHex('deadbeef')).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => payloadFromHex('zzzzzzzzzzzzzzzz')).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => decodePayload(new Uint8Array(3))).code).toBe('VALIDATION');
  });
});

describe('codeword', () => {
  it('decodes a clean codeword with nothing corrected', () => {
    const bytes = encodePayload(SAMPLE);
    const word = encodeCodeword(bytes);
    expect(word.length).toBe(CODEWORD_BITS);
    const out = decodeCodeword(Float32Array.from(word, (b) => (b ? 1 : -1)));
    expect(out && payloadToHex(out.payload)).toBe(payloadToHex(bytes));
    expect(out?.corrected).toBe(0);
  });

  it('corrects noisy soft values (Eb/N0 ≈ 3 dB) on most trials', () => {
    const bytes = encodePayload(SAMPLE);
    const word = encodeCodeword(bytes);
    let exact = 0;
    let corrected = 0;
    for (let t = 0; t < 50; t++) {
      const out = decodeCodeword(softOf(word, 0.7, t + 1));
      if (out && payloadToHex(out.payload) === payloadToHex(bytes)) {
        exact++;
        corrected += out.corrected;
      }
    }
    expect(exact).toBeGreaterThanOrEqual(48);
    expect(corrected).toBeGreaterThan(0);
  });

  it('returns null for noise, wrong lengths and NaN', () => {
    let accepted = 0;
    for (let t = 0; t < 200; t++) if (decodeCodeword(softOf(new Uint8Array(CODEWORD_BITS), 0, t).map((v, i) => v * 0 + Math.sin(i * 7.1 + t * 13.7))) !== null) accepted++;
    expect(accepted).toBe(0);
    expect(decodeCodeword(new Float32Array(10))).toBeNull();
    expect(decodeCodeword(new Float32Array(CODEWORD_BITS).fill(Number.NaN))).toBeNull();
  });
});
