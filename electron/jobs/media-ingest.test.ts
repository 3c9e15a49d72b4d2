// 'media.ingest' on the real WorkerPool with the production task table: wasm decoders and sharp inside worker threads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioMetrics, QualityReport, Waveform } from '../../preload/contract';
import { encodeWith, music, voice, writeFixture, writeWav } from '../../tests/fixtures/audio';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';
import { makePng } from '../../tests/fixtures/images';
import { UTF8, prose } from '../../tests/fixtures/text';
import type { AudioIngest } from '../../engine/media/audio/analyze';
import type { TextIngest } from '../../engine/text/analyze';
import { WorkerPool } from './pool';

// The engine's results are the contract's shapes (engine/report.ts); these fail to compile if that ever changes.
const reportFits = (r: AudioIngest['report'] | TextIngest['report']): QualityReport => r;
const metricsFit = (m: AudioIngest['report']['audio']): AudioMetrics => m;
const waveformFits = (w: AudioIngest['waveform']): Waveform => w;
void [reportFits, metricsFit, waveformFits];

let dir: string;
let pool: WorkerPool;
const RATE = 44_100;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-media-worker-'));
  writeFixture(dir, 'voice.wav', writeWav([voice({ seconds: 12, rate: RATE, f0: 120 })], RATE, { format: 'int24' }));
  writeFixture(dir, 'jingle.wav', writeWav([music(12, RATE, 120), music(12, RATE, 120, 32)], RATE));
  encodeWith(path.join(dir, 'jingle.wav'), 'mp3');
  encodeWith(path.join(dir, 'jingle.wav'), 'flac');
  encodeWith(path.join(dir, 'jingle.wav'), 'ogg');
  encodeWith(path.join(dir, 'voice.wav'), 'opus');
  await makePng(path.join(dir, 'drawing.png'), 320, 240, 3);
  writeFixture(dir, 'notes.md', UTF8(prose(120)));
  writeFixture(dir, 'nan.wav', (() => {
    const s = voice({ seconds: 11, rate: 16_000, f0: 120 });
    s[100] = Number.NaN;
    return writeWav([s], 16_000, { format: 'float32' });
  })());
  pool = new WorkerPool({ size: 2 });
});

afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("'media.ingest' in worker threads", () => {
  const audio: Array<[string, string, number, number]> = [
    ['voice.wav', 'wav', RATE, 1],
    ['jingle.mp3', 'mp3', RATE, 2],
    ['jingle.flac', 'flac', RATE, 2],
    ['jingle.ogg', 'ogg-vorbis', RATE, 2],
    ['voice.opus', 'opus', 48_000, 1],
  ];
  it('decodes every audio format in a worker, with reports, peaks and a spectrogram', async () => {
    const results = await Promise.all(audio.map(([name]) => pool.run('media.ingest', { path: path.join(dir, name), name })));
    for (const [i, [name, format, rate, channels]] of audio.entries()) {
      const r = results[i];
      if (r?.kind !== 'audio') throw new Error(`${name} did not come back as audio`);
      expect(r.format).toBe(format);
      expect(r.sampleRate).toBe(rate);
      expect(r.channels).toBe(channels);
      expect(Math.abs(r.durationMs - 12_000)).toBeLessThan(60);
      expect(r.waveform.peaks).toHaveLength(channels);
      expect(r.spectrogram).toBeInstanceOf(Uint8Array);
      expect(r.spectrogram.length).toBeGreaterThan(1000);
      expect(r.descriptor.length).toBeGreaterThan(10);
    }
    const mp3 = results[1];
    if (mp3?.kind === 'audio') expect(mp3.report.suggestedTags).toEqual(expect.arrayContaining([{ kind: 'content', value: 'music' }]));
  });

  it('routes images and text too, and keeps error codes across the thread boundary', async () => {
    expect(await pool.run('media.ingest', { path: path.join(dir, 'drawing.png'), name: 'drawing.png' })).toMatchObject({ kind: 'image', width: 320 });
    expect(await pool.run('media.ingest', { path: path.join(dir, 'notes.md'), name: 'notes.md' })).toMatchObject({ kind: 'text', format: 'markdown' });
    const error = await rejectedAtelierError(pool.run('media.ingest', { path: path.join(dir, 'nan.wav'), name: 'nan.wav' }));
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.message).toContain('“nan.wav”');
  });

  it('decodes many files in a row on the same workers (decoders are freed, nothing leaks into the next run)', async () => {
    for (let round = 0; round < 3; round++) {
      const r = await pool.run('media.ingest', { path: path.join(dir, 'jingle.flac'), name: 'jingle.flac' });
      expect(r).toMatchObject({ kind: 'audio', format: 'flac' });
    }
  });
});
