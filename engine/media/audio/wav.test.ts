// Our WAV reader on every sample format it accepts, odd chunk layouts, and the hostile WAVs of issue 3.
import { describe, expect, it } from 'vitest';
import { hostileAudio, seededRandom, sine, writeWav, type WavSampleFormat } from '../../../tests/fixtures/audio';
import { thrownAtelierError } from '../../../tests/fixtures/atelier-errors';
import { decodeWav } from './wav';

const RATE = 16_000;

/** Largest quantisation error per format, in full-scale units. */
const TOLERANCE: Record<WavSampleFormat, number> = { uint8: 1 / 128, int16: 1 / 32768, int24: 1 / 8388608, int32: 1e-7, float32: 1e-7, float64: 1e-12 };

describe('decodeWav', () => {
  const left = sine(440, 0.5, RATE, -6);
  const right = sine(660, 0.5, RATE, -12);
  for (const format of Object.keys(TOLERANCE) as WavSampleFormat[]) {
    for (const extensible of [false, true]) {
      it(`reads ${format}${extensible ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''} stereo back to the samples written`, () => {
        const wav = decodeWav(writeWav([left, right], RATE, { format, extensible }), 'take.wav');
        expect(wav.sampleRate).toBe(RATE);
        expect(wav.channels).toHaveLength(2);
        expect(wav.channels[0]).toHaveLength(left.length);
        expect(wav.bitDepth).toBe({ uint8: 8, int16: 16, int24: 24, int32: 32, float32: 32, float64: 64 }[format]);
        expect(wav.codec).toBe(format.startsWith('float') ? 'float' : 'pcm');
        let worst = 0;
        for (let i = 0; i < left.length; i++) {
          worst = Math.max(worst, Math.abs((wav.channels[0]?.[i] ?? 0) - (left[i] ?? 0)), Math.abs((wav.channels[1]?.[i] ?? 0) - (right[i] ?? 0)));
        }
        expect(worst).toBeLessThanOrEqual(TOLERANCE[format] * 1.01);
        expect(wav.declaredFrames).toBeNull();
      });
    }
  }

  it('skips LIST and junk chunks, including odd-sized ones with their pad byte, before and after the data', () => {
    const rnd = seededRandom(3);
    const odd = Uint8Array.from({ length: 17 }, () => Math.floor(rnd() * 256));
    const bytes = writeWav([left], RATE, {
      chunksBefore: [
        { id: 'LIST', bytes: new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000Atel\u0000') },
        { id: 'junk', bytes: odd },
      ],
      chunksAfter: [{ id: 'id3 ', bytes: odd }],
    });
    const wav = decodeWav(bytes, 'tagged.wav');
    expect(wav.channels[0]).toHaveLength(left.length);
    expect(wav.channels[0]?.[100]).toBeCloseTo(left[100] ?? 0, 4);
  });

  it('keeps the whole frames of a WAV whose header promises more than the file holds, and says what was promised', () => {
    const wav = decodeWav(hostileAudio()['lying-header.wav'] as Uint8Array, 'lying-header.wav');
    expect(wav.channels[0]).toHaveLength(12 * RATE);
    expect(wav.declaredFrames).toBe(12 * RATE * 10);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['truncated.wav', 'CORRUPT_FILE', /incomplete.*part-way through a sample/],
    ['header-only.wav', 'CORRUPT_FILE', /damaged header/],
    ['nan.wav', 'CORRUPT_FILE', /invalid samples \(not-a-number or infinite values at 0\.50 s\)/],
    ['inf.wav', 'CORRUPT_FILE', /invalid samples/],
    ['zero-samples.wav', 'CORRUPT_FILE', /has no audio/],
    ['absurd-channels.wav', 'CORRUPT_FILE', /claims 5000 channels/],
    ['absurd-rate.wav', 'CORRUPT_FILE', /sample rate of 7 Hz/],
  ];
  for (const [name, code, message] of refusals) {
    it(`refuses ${name} with ${code}, naming the file`, () => {
      const error = thrownAtelierError(() => decodeWav(hostileAudio()[name] as Uint8Array, name));
      expect(error.code).toBe(code);
      expect(error.message).toContain(`“${name}”`);
      expect(error.message).toMatch(message);
    });
  }

  it('refuses compressed WAV payloads (µ-law, ADPCM) as unsupported, naming formats that work', () => {
    const bytes = writeWav([left], RATE);
    new DataView(bytes.buffer).setUint16(20, 0x0007, true);
    const error = thrownAtelierError(() => decodeWav(bytes, 'phone.wav'));
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toMatch(/µ-law.*PCM WAV/);
  });

  it('refuses a recording over the 30-minute cap from its header alone', () => {
    const bytes = writeWav([new Float32Array(10)], RATE, { dataSizeOverride: 0 });
    // Header says 31 minutes of 16-bit mono; the file holds them (sparse is fine: only the header is read first).
    const frames = 31 * 60 * RATE;
    const big = new Uint8Array(44 + frames * 2);
    big.set(bytes.subarray(0, 44));
    new DataView(big.buffer).setUint32(40, frames * 2, true);
    const error = thrownAtelierError(() => decodeWav(big, 'long.wav'));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/31\.0 minutes.*up to 30 minutes/);
  });
});
