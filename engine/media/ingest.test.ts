// The media router: content decides the engine (not the name), refusals name the file and formats that work, hostile audio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWith, hostileAudio, sine, voice, writeFixture, writeWav } from '../../tests/fixtures/audio';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';
import { makePng } from '../../tests/fixtures/images';
import { UTF8, binary, prose } from '../../tests/fixtures/text';
import { ingestMedia } from './ingest';

let dir: string;
const ctx = { signal: new AbortController().signal, progress: () => undefined };
const RATE = 22_050;

function at(name: string): { path: string; name: string } {
  return { path: path.join(dir, name), name };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-ingest-'));
  writeFixture(dir, 'take.wav', writeWav([voice({ seconds: 12, rate: RATE, f0: 120 })], RATE));
  encodeWith(path.join(dir, 'take.wav'), 'mp3');
  fs.copyFileSync(path.join(dir, 'take.wav'), path.join(dir, 'holiday.png'));
  fs.copyFileSync(path.join(dir, 'take.mp3'), path.join(dir, 'take-mp3-named.wav'));
  await makePng(path.join(dir, 'drawing.png'), 300, 200, 1);
  fs.copyFileSync(path.join(dir, 'drawing.png'), path.join(dir, 'song.mp3'));
  writeFixture(dir, 'story.txt', UTF8(prose(150)));
  writeFixture(dir, 'program.txt', binary());
  writeFixture(dir, 'noise.mp3', binary().subarray(8));
  writeFixture(dir, 'noise', binary().subarray(8));
  writeFixture(dir, 'empty.wav', new Uint8Array(0));
  const aiff = new Uint8Array(64);
  aiff.set(UTF8('FORM\u0000\u0000\u0000\u0038AIFFCOMM'));
  writeFixture(dir, 'take.aiff', aiff);
  const m4a = new Uint8Array(64);
  m4a.set([0, 0, 0, 0x20, ...UTF8('ftypM4A ')]);
  writeFixture(dir, 'take.m4a', m4a);
  const heic = new Uint8Array(64);
  heic.set([0, 0, 0, 0x18, ...UTF8('ftypheic')]);
  writeFixture(dir, 'photo.heic', heic);
  for (const [name, bytes] of Object.entries(hostileAudio())) writeFixture(dir, name, bytes);
  fs.mkdirSync(path.join(dir, 'folder.wav'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ingestMedia routes by content', () => {
  it('a WAV is audio even when named .png', async () => {
    const result = await ingestMedia(at('holiday.png'), ctx);
    expect(result.kind).toBe('audio');
    if (result.kind !== 'audio') return;
    expect(result).toMatchObject({ format: 'wav', mime: 'audio/wav', ext: 'wav', sampleRate: RATE, channels: 1, durationMs: 12_000 });
    expect(result.report.kind).toBe('audio');
    expect(result.spectrogram).toBeInstanceOf(Uint8Array);
  });

  it('an MP3 named .wav is decoded as MP3', async () => {
    const result = await ingestMedia(at('take-mp3-named.wav'), ctx);
    expect(result).toMatchObject({ kind: 'audio', format: 'mp3', ext: 'mp3', mime: 'audio/mpeg' });
  });

  it('a PNG named .mp3 goes to the image engine', async () => {
    const result = await ingestMedia(at('song.mp3'), ctx);
    expect(result).toMatchObject({ kind: 'image', format: 'png', width: 300, height: 200 });
  });

  it('UTF-8 named .txt is text; the same binary bytes named .txt are refused', async () => {
    expect(await ingestMedia(at('story.txt'), ctx)).toMatchObject({ kind: 'text', format: 'txt' });
    const error = await rejectedAtelierError(ingestMedia(at('program.txt'), ctx));
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toMatch(/“program\.txt” is named as text but holds binary data.*UTF-8 plain text \(\.txt\) or Markdown \(\.md\)/);
  });

  const refusals: Array<[string, RegExp]> = [
    ['noise.mp3', /“noise\.mp3” is not audio Atelier can read\. Use WAV, MP3, FLAC, OGG Vorbis or Opus\./],
    ['take.aiff', /“take\.aiff” is not audio Atelier can read \(it is AIFF audio\)\. Use WAV, MP3, FLAC, OGG Vorbis or Opus\./],
    ['take.m4a', /\(it is AAC\/ALAC audio in an M4A file\)\. Use WAV, MP3, FLAC, OGG Vorbis or Opus/],
    ['photo.heic', /“photo\.heic” is not an image Atelier can read \(it is a HEIC photo\)\. Use JPEG, PNG, WebP, AVIF, TIFF, GIF or SVG\./],
    ['noise', /“noise” is not a file Atelier can import\. It imports images .* audio .* and text/],
    ['folder.wav', /is a folder/],
  ];
  for (const [name, message] of refusals) {
    it(`refuses ${name} as UNSUPPORTED_FILE with formats that work`, async () => {
      const error = await rejectedAtelierError(ingestMedia(at(name), ctx));
      expect(error.code).toBe('UNSUPPORTED_FILE');
      expect(error.message).toMatch(message);
    });
  }

  it('refuses an empty file as CORRUPT_FILE and a missing one as NOT_FOUND, naming them', async () => {
    const empty = await rejectedAtelierError(ingestMedia(at('empty.wav'), ctx));
    expect(empty.code).toBe('CORRUPT_FILE');
    expect(empty.message).toContain('“empty.wav” is empty');
    expect((await rejectedAtelierError(ingestMedia(at('gone.wav'), ctx))).code).toBe('NOT_FOUND');
  });
});

describe('ingestMedia: the hostile audio set', () => {
  const expected: Record<string, string> = {
    'truncated.wav': 'CORRUPT_FILE',
    'header-only.wav': 'CORRUPT_FILE',
    'nan.wav': 'CORRUPT_FILE',
    'inf.wav': 'CORRUPT_FILE',
    'zero-samples.wav': 'CORRUPT_FILE',
    'absurd-channels.wav': 'CORRUPT_FILE',
    'absurd-rate.wav': 'CORRUPT_FILE',
    'id3-garbage.mp3': 'CORRUPT_FILE',
    'frames-garbage.mp3': 'CORRUPT_FILE',
  };
  for (const [name, code] of Object.entries(expected)) {
    it(`${name} → ${code}, naming the file`, async () => {
      const error = await rejectedAtelierError(ingestMedia(at(name), ctx));
      expect(error.code).toBe(code);
      expect(error.message).toContain(`“${name}”`);
    });
  }

  it('a WAV whose header lies about its length imports what is there, with a warning saying so', async () => {
    const result = await ingestMedia(at('lying-header.wav'), ctx);
    if (result.kind !== 'audio') throw new Error('expected audio');
    expect(result.durationMs).toBe(12_000);
    const finding = result.report.findings.find((f) => f.check === 'duration' && f.severity === 'warning');
    expect(finding?.reason).toMatch(/header says it is 120 s long, but only 12\.0 s/);
  });

  it('a cancel before the start is honoured', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejectedAtelierError(ingestMedia(at('take.wav'), { signal: controller.signal, progress: () => undefined }));
    expect(error.code).toBe('CANCELLED');
  });

  it('sines and silence-free tones route as audio too (no voice needed)', async () => {
    writeFixture(dir, 'tone.wav', writeWav([sine(440, 11, 16_000, -12)], 16_000, { format: 'float32' }));
    expect(await ingestMedia(at('tone.wav'), ctx)).toMatchObject({ kind: 'audio', format: 'wav' });
  });
});
