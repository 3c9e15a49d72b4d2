// Every decoder on real encoded files (sox, opusenc at test time), the size guard, and damaged compressed files.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWith, hostileAudio, music, sine, writeFixture, writeWav, type EncodedFormat } from '../../../tests/fixtures/audio';
import { rejectedAtelierError } from '../../../tests/fixtures/atelier-errors';
import type { AudioFormat } from '../sniff';
import { sniffMedia } from '../sniff';
import { decodeAudio } from './decode';

let dir: string;
const SECONDS = 3;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-decode-'));
  writeFixture(dir, 'stereo-44k.wav', writeWav([music(SECONDS, 44_100), sine(440, SECONDS, 44_100, -6)], 44_100));
  writeFixture(dir, 'mono-48k.wav', writeWav([sine(440, SECONDS, 48_000, -6)], 48_000, { format: 'int24' }));
  for (const f of ['mp3', 'flac', 'ogg'] as const) encodeWith(path.join(dir, 'stereo-44k.wav'), f);
  encodeWith(path.join(dir, 'mono-48k.wav'), 'flac');
  encodeWith(path.join(dir, 'stereo-44k.wav'), 'opus');
  encodeWith(path.join(dir, 'mono-48k.wav'), 'opus');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(name: string): { bytes: Uint8Array; format: AudioFormat } {
  const bytes = fs.readFileSync(path.join(dir, name));
  const sniffed = sniffMedia(bytes, name);
  if (sniffed.kind !== 'audio') throw new Error(`${name} sniffed as ${sniffed.kind}`);
  return { bytes, format: sniffed.format };
}

describe('decodeAudio', () => {
  const cases: Array<[string, AudioFormat, string, number, number, number | null]> = [
    ['stereo-44k.wav', 'wav', 'pcm', 44_100, 2, 16],
    ['stereo-44k.mp3', 'mp3', 'mp3', 44_100, 2, null],
    ['stereo-44k.flac', 'flac', 'flac', 44_100, 2, 16],
    ['mono-48k.flac', 'flac', 'flac', 48_000, 1, 24],
    ['stereo-44k.ogg', 'ogg-vorbis', 'vorbis', 44_100, 2, null],
    // Opus always decodes at 48 kHz (RFC 7845 §5.1); opusenc resamples 44.1 kHz input.
    ['stereo-44k.opus', 'opus', 'opus', 48_000, 2, null],
    ['mono-48k.opus', 'opus', 'opus', 48_000, 1, null],
  ];
  for (const [name, format, codec, rate, channels, bits] of cases) {
    it(`decodes ${name}: ${rate} Hz, ${channels} channel(s), ${SECONDS} s`, async () => {
      const file = load(name);
      expect(file.format).toBe(format);
      const audio = await decodeAudio(file.bytes, name, file.format);
      expect(audio.codec).toBe(codec);
      expect(audio.sampleRate).toBe(rate);
      expect(audio.channels).toHaveLength(channels);
      expect(audio.bitDepth).toBe(bits);
      const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      // MP3 adds encoder delay/padding (about one frame) that gapless info would remove.
      expect(Math.abs(seconds - SECONDS)).toBeLessThan(0.06);
      let peak = 0;
      for (const v of audio.channels[channels - 1] ?? []) peak = Math.max(peak, Math.abs(v));
      expect(20 * Math.log10(peak)).toBeGreaterThan(-8);
      expect(20 * Math.log10(peak)).toBeLessThan(-4);
    });
  }

  for (const name of ['stereo-44k.mp3', 'stereo-44k.flac', 'stereo-44k.ogg', 'stereo-44k.opus', 'stereo-44k.wav']) {
    it(`refuses ${name} when it is longer than the duration cap, naming it`, async () => {
      const file = load(name);
      const error = await rejectedAtelierError(decodeAudio(file.bytes, name, file.format, { maxDurationS: 1 }));
      expect(error.code).toBe('TOO_LARGE');
      expect(error.message).toContain(`“${name}”`);
    });
  }

  it('refuses MP3-looking garbage as CORRUPT_FILE, naming the file and formats that work', async () => {
    const hostile = hostileAudio();
    for (const name of ['id3-garbage.mp3', 'frames-garbage.mp3']) {
      const error = await rejectedAtelierError(decodeAudio(hostile[name] as Uint8Array, name, 'mp3'));
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toContain(`“${name}”`);
      expect(error.message).toMatch(/WAV, MP3, FLAC, OGG Vorbis or Opus/);
    }
  });

  for (const [name, format] of [
    ['stereo-44k.flac', 'flac'],
    ['stereo-44k.ogg', 'ogg-vorbis'],
    ['stereo-44k.opus', 'opus'],
  ] as const) {
    it(`refuses a ${format} file whose audio is replaced by noise after its headers`, async () => {
      const bytes = Uint8Array.from(load(name).bytes);
      for (let i = 200; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
      const error = await rejectedAtelierError(decodeAudio(bytes, `broken-${name}`, format));
      expect(error.code).toBe('CORRUPT_FILE');
      expect(error.message).toContain(`“broken-${name}”`);
    });
  }

  it('decodes what is there of a FLAC cut short (frames are independent)', async () => {
    const file = load('stereo-44k.flac');
    const audio = await decodeAudio(file.bytes.subarray(0, Math.floor(file.bytes.length / 2)), 'half.flac', 'flac');
    expect((audio.channels[0]?.length ?? 0) / audio.sampleRate).toBeGreaterThan(0.5);
    expect((audio.channels[0]?.length ?? 0) / audio.sampleRate).toBeLessThan(SECONDS);
  });

  it('has the encoders the fixtures need', () => {
    const formats: EncodedFormat[] = ['mp3', 'flac', 'ogg', 'opus'];
    expect(formats.every((f) => fs.existsSync(path.join(dir, `stereo-44k.${f}`)))).toBe(true);
    expect(execFileSync('sox', ['--version']).toString()).toMatch(/SoX/);
  });
});
