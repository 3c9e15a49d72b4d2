// Watermarks through the studio's handlers: the mark key, marking pictures and recordings, "Check a file", and hostile files.
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../engine/media/audio/wav';
import { encodePayload, payloadToHex } from '../../engine/watermark/payload';
import { music, writeWav } from '../../tests/fixtures/audio';
import { corpusImage, jpegRoundTrip } from '../../tests/fixtures/watermark';
import { pngOf } from '../../tests/fixtures/styles';
import { createStudio, type Studio } from '../studio';
import { encodeWav16, formatConfidence } from './watermark';
import { CHEAP_KDF, studioClient } from '../../tests/fixtures/studio-client';

/** Small enough to stay quick, large enough for the image mark's period search (≥ 96 px) to lock on. */
const SIDE = 384;
/** Audio marks need ≥ 3.1 s (66 tiles of 46 ms, engine/watermark/audio/mark MIN_TILES); 5 s keeps the test short. */
const CLIP_S = 5;
const RATE = 22050;

let dataDir: string;
let studio: Studio;
const { value, failure } = studioClient(() => studio);
let profileA: string;
let profileB: string;

// A copy: the contract's schema wants a Uint8Array over a plain ArrayBuffer, as the wire produces.
const bytes = (name: string, b: Uint8Array) => ({ kind: 'bytes' as const, name, bytes: new Uint8Array(b) });
const hex = (draftId: number, clientId: number, modelId: number): string => payloadToHex(encodePayload({ draftId, clientId, modelId }));

function storedKey(profileId: string): string | undefined {
  const db = new Database(path.join(dataDir, 'profiles', profileId, 'studio.db'), { readonly: true });
  try {
    return db.prepare<[string], { value: string }>('SELECT value FROM studio_settings WHERE name = ?').get('watermark.key')?.value;
  } finally {
    db.close();
  }
}

let picture: Uint8Array;
let markedPicture: Uint8Array;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-watermark-'));
  studio = createStudio({ dataDir, appVersion: '0.0.0-test', transport: 'host', kdf: CHEAP_KDF, poolSize: 1 });
  profileA = (await value('profiles:create', { name: 'Ana', password: 'pw-a' })).id;
  profileB = (await value('profiles:create', { name: 'Ben', password: 'pw-b' })).id;
  await value('profiles:unlock', { profileId: profileA, password: 'pw-a' });
  picture = await pngOf(corpusImage(1, SIDE).image);
});

afterAll(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the creator mark key', () => {
  it('is made on first use, 32 random bytes, kept in the profile and different per profile', async () => {
    const paths = await fs.readdir(path.join(dataDir, 'profiles'));
    expect(paths).toContain(profileA);
    // First use: a check (on an unmarked picture) needs the key.
    await value('watermark:check', { source: bytes('plain.png', picture) });
    const keyA = storedKey(profileA);
    expect(keyA).toMatch(/^[0-9a-f]{64}$/);
    await value('watermark:check', { source: bytes('plain.png', picture) });
    expect(storedKey(profileA)).toBe(keyA);
    await value('profiles:unlock', { profileId: profileB, password: 'pw-b' });
    await value('watermark:check', { source: bytes('plain.png', picture) });
    expect(storedKey(profileB)).toMatch(/^[0-9a-f]{64}$/);
    expect(storedKey(profileB)).not.toBe(keyA);
    await value('profiles:unlock', { profileId: profileA, password: 'pw-a' });
    expect(storedKey(profileA)).toBe(keyA);
  });
});

describe('pictures', () => {
  it('marks a picture (PNG, visible + invisible) and reads back the draft, client and this creator’s model', async () => {
    const model = await value('models:create', { subcategory: 'tattoo' });
    const file = path.join(dataDir, 'rose.png');
    await fs.writeFile(file, picture);
    // The first model of the profile is model number 1 in marks.
    const marked = await value('watermark:embed', { source: { kind: 'path', path: file }, payload: hex(1042, 77, 1) });
    expect(marked).toMatchObject({ kind: 'image', name: 'rose-marked.png', mime: 'image/png' });
    const meta = await sharp(marked.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', SIDE, SIDE]);
    // The visible mark changes the picture where a client sees it.
    const before = await sharp(picture).raw().toBuffer();
    const after = await sharp(marked.bytes).raw().toBuffer();
    let changed = 0;
    for (let i = 0; i < before.length; i++) if (Math.abs(before[i]! - after[i]!) > 24) changed++;
    expect(changed / before.length).toBeGreaterThan(0.01);
    markedPicture = marked.bytes;

    const check = await value('watermark:check', { source: bytes('rose-marked.png', marked.bytes) });
    expect(check).toMatchObject({
      name: 'rose-marked.png',
      kind: 'image',
      found: true,
      payload: { draftId: 1042, clientId: 77, modelId: 1 },
      payloadHex: hex(1042, 77, 1),
      model: model.displayName,
    });
    expect(check.confidence).toBeGreaterThan(0.999999);
    expect(check.message).toContain('draft 1042');
    expect(check.message).toContain('client 77');
    expect(check.message).toContain(model.displayName);
  });

  it('still finds the mark after the client saves the draft as a JPEG', async () => {
    const raw = await sharp(markedPicture).raw().toBuffer({ resolveWithObject: true });
    const jpeg = await jpegRoundTrip({ width: raw.info.width, height: raw.info.height, rgb: new Uint8Array(raw.data) }, 80);
    const file = await sharp(Buffer.from(jpeg.rgb), { raw: { width: jpeg.width, height: jpeg.height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
    const check = await value('watermark:check', { source: bytes('saved.jpg', file) });
    expect(check.found).toBe(true);
    expect(check.payload?.draftId).toBe(1042);
  });

  it('names a model number that is not one of this creator’s models as such', async () => {
    const marked = await value('watermark:embed', { source: bytes('other.png', picture), payload: hex(5, 6, 900) });
    const check = await value('watermark:check', { source: bytes('other-marked.png', marked.bytes) });
    expect(check.found).toBe(true);
    expect(check.model).toBeUndefined();
    expect(check.message).toContain('model number 900 (not one of your current models)');
  });

  it('says no mark was found on an unmarked picture, and on another creator’s marked picture', async () => {
    const plain = await value('watermark:check', { source: bytes('plain.png', picture) });
    expect(plain).toMatchObject({ found: false, kind: 'image', confidence: 0 });
    expect(plain.payload).toBeUndefined();
    expect(plain.message).toContain('No mark of yours was found');
    await value('profiles:unlock', { profileId: profileB, password: 'pw-b' });
    const foreign = await value('watermark:check', { source: bytes('rose-marked.png', markedPicture) });
    expect(foreign.found).toBe(false);
    await value('profiles:unlock', { profileId: profileA, password: 'pw-a' });
  });
});

describe('recordings', () => {
  it('marks a WAV (preview tag + inaudible mark) and reads back the draft with its client and model from the record', async () => {
    const clip = music(CLIP_S, RATE);
    const marked = await value('watermark:embed', { source: bytes('jingle.wav', writeWav([clip], RATE)), payload: hex(3001, 12, 1) });
    expect(marked).toMatchObject({ kind: 'audio', name: 'jingle-marked.wav', mime: 'audio/wav' });
    const wav = decodeWav(marked.bytes, 'jingle-marked.wav');
    expect(wav.sampleRate).toBe(RATE);
    expect(wav.channels[0]!.length).toBe(clip.length);
    const check = await value('watermark:check', { source: bytes('jingle-marked.wav', marked.bytes) });
    expect(check).toMatchObject({ kind: 'audio', found: true, payload: { draftId: 3001, clientId: 12, modelId: 1 }, payloadHex: hex(3001, 12, 1) });
    expect(check.model).toBeDefined();
    expect(check.confidence).toBeGreaterThan(0.99);
  });

  it('says no mark was found on an unmarked recording, and refuses to mark a picture as audio', async () => {
    const plain = await value('watermark:check', { source: bytes('take.wav', writeWav([music(CLIP_S, RATE, 100, 7)], RATE)) });
    expect(plain).toMatchObject({ kind: 'audio', found: false, confidence: 0 });
    const wrong = await failure('watermark:embed', { source: bytes('rose.png', picture), payload: hex(1, 1, 1), kind: 'audio' });
    expect(wrong.code).toBe('VALIDATION');
    expect(wrong.message).toContain('“rose.png” is a picture');
  });

  it('reads a draft id it has no record of without inventing a client', async () => {
    // Another studio database (a copy of the key elsewhere) is simulated by forgetting the record.
    const marked = await value('watermark:embed', { source: bytes('voice.wav', writeWav([music(CLIP_S, RATE, 90, 3)], RATE)), payload: hex(4444, 9, 2) });
    const db = new Database(path.join(dataDir, 'profiles', profileA, 'studio.db'));
    db.prepare('DELETE FROM watermark_drafts WHERE draft_id = 4444').run();
    db.close();
    const check = await value('watermark:check', { source: bytes('voice-marked.wav', marked.bytes) });
    expect(check.found).toBe(true);
    expect(check.payload).toEqual({ draftId: 4444 });
    expect(check.payloadHex).toBeUndefined();
    expect(check.message).toContain('no record of marking that draft');
  });
});

describe('files that cannot be marked or checked', () => {
  it('refuses text, SVG and unknown files as UNSUPPORTED_FILE naming them', async () => {
    const text = await failure('watermark:check', { source: bytes('notes.txt', new TextEncoder().encode('Call the printer.\n')) });
    expect(text.code).toBe('UNSUPPORTED_FILE');
    expect(text.message).toContain('“notes.txt” is a text file');
    const svg = await failure('watermark:check', { source: bytes('logo.svg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>')) });
    expect(svg.code).toBe('UNSUPPORTED_FILE');
    expect(svg.message).toContain('“logo.svg” is an SVG drawing');
    const pdf = await failure('watermark:embed', { source: bytes('brief.pdf', new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')), payload: hex(1, 1, 1) });
    expect(pdf.code).toBe('UNSUPPORTED_FILE');
    expect(pdf.message).toContain('“brief.pdf” cannot be marked');
    const junk = await failure('watermark:check', { source: bytes('mystery.bin', new Uint8Array(2048).fill(7)) });
    expect(junk.code).toBe('UNSUPPORTED_FILE');
  });

  it('reports truncated, empty, missing and folder sources, and bad payloads, with the file named', async () => {
    const truncated = await failure('watermark:check', { source: bytes('cut.png', picture.subarray(0, 200)) });
    expect(truncated.code).toBe('CORRUPT_FILE');
    expect(truncated.message).toContain('cut.png');
    const wav = writeWav([music(1, RATE)], RATE);
    const cutWav = await failure('watermark:check', { source: bytes('cut.wav', wav.subarray(0, 30)) });
    expect(['CORRUPT_FILE', 'UNSUPPORTED_FILE']).toContain(cutWav.code);
    expect((await failure('watermark:check', { source: bytes('empty.png', new Uint8Array(0)) })).code).toBe('CORRUPT_FILE');
    const missing = await failure('watermark:check', { source: { kind: 'path', path: path.join(dataDir, 'nowhere.png') } });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('nowhere.png');
    const folder = await failure('watermark:check', { source: { kind: 'path', path: dataDir } });
    expect(folder.code).toBe('UNSUPPORTED_FILE');
    expect(folder.message).toContain(path.basename(dataDir));
    const badHex = await failure('watermark:embed', { source: bytes('rose.png', picture), payload: 'xyz' });
    expect(badHex.code).toBe('VALIDATION');
    expect(badHex.message).toContain('16 hex digits');
  });

  it('needs an unlocked profile', async () => {
    await value('profiles:lock', {});
    expect((await failure('watermark:check', { source: bytes('rose.png', picture) })).code).toBe('AUTH');
    await value('profiles:unlock', { profileId: profileA, password: 'pw-a' });
  });
});

describe('helpers', () => {
  it('writes 16-bit WAVs the app’s decoder reads back, clamping out-of-range and NaN samples', () => {
    const left = new Float32Array([0, 0.5, -0.5, 1.5, -2, Number.NaN]);
    const right = new Float32Array([0.25, -0.25, 1, -1, 0, 0]);
    const wav = decodeWav(encodeWav16([left, right], 8000), 'x.wav');
    expect(wav.sampleRate).toBe(8000);
    expect(wav.channels.length).toBe(2);
    expect(Array.from(wav.channels[0]!, (v) => Math.round(v * 100) / 100)).toEqual([0, 0.5, -0.5, 1, -1, 0]);
    expect(Array.from(wav.channels[1]!, (v) => Math.round(v * 100) / 100)).toEqual([0.25, -0.25, 1, -1, 0, 0]);
  });

  it('words confidence without ever rounding up to certainty', () => {
    expect(formatConfidence(0.99999999)).toBe('> 99.9999%');
    expect(formatConfidence(0.999995)).toBe('99.9995%');
    expect(formatConfidence(0.995)).toBe('99.5%');
    expect(formatConfidence(0.5)).toBe('50%');
    expect(formatConfidence(1)).toBe('> 99.9999%');
    expect(formatConfidence(0)).toBe('0%');
  });
});
