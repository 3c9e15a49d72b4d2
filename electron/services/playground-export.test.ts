// Clean export and content credentials through the studio's handlers: a real trained model, a real output, signed C2PA read back.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials } from '../../engine/watermark/c2pa';
import { makeDrawing } from '../../tests/fixtures/images';
import { createStudio, type Studio } from '../studio';
import { CHEAP_KDF, studioClient } from '../../tests/fixtures/studio-client';

/** Small exemplars keep training to a second or two; 512 px is the product's smallest output. */
const EXEMPLAR = 128;
const SIZE = 512;

let dataDir: string;
let studio: Studio;
const { value, failure, waitForJob } = studioClient(() => studio);
let profileId: string;
let modelId: string;
let generationId: string;
let assetShas: string[];

/** The PNG with a tEXt chunk (RFC 2083 §4.2.3) inserted before IEND, CRC and all. */
function withTextChunk(png: Uint8Array, keyword: string, text: string): Uint8Array<ArrayBuffer> {
  const data = Buffer.from(`${keyword}\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  const iend = png.length - 12;
  return new Uint8Array(Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]));
}

async function rgbOf(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes).removeAlpha().raw().toBuffer();
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-export-'));
  studio = createStudio({ dataDir, appVersion: '0.0.0-test', transport: 'host', kdf: CHEAP_KDF, poolSize: 1, trainingExemplarSize: EXEMPLAR });
  profileId = (await value('profiles:create', { name: 'Ilse', password: 'pw' })).id;
  await value('profiles:unlock', { profileId, password: 'pw' });
  await value('subscription:set', { state: { status: 'active', since: new Date(Date.now() - 86_400_000).toISOString(), source: 'cli' } });
  const dir = path.join(dataDir, 'fixtures');
  const files = await Promise.all(['rose.png', 'skull.png', 'anchor.png'].map((n, i) => makeDrawing(path.join(dir, n), 160, 160, 21 + i)));
  const imported = await waitForJob((await value('assets:import', { sources: files.map((f) => ({ kind: 'path' as const, path: f })), source: 'work-sample' })).id);
  expect(imported.state).toBe('succeeded');
  const page = await value('assets:list', { limit: 100 });
  assetShas = page.items.map((a) => a.sha256);
  for (const a of page.items) await value('assets:tag', { assetIds: [a.id], add: [{ kind: 'content', value: a.originalName.replace('.png', '') }] });
  modelId = (await value('models:create', { subcategory: 'tattoo' })).id;
  await value('models:assets', { modelId, selection: { mode: 'explicit', assetIds: page.items.map((a) => a.id) } });
  const { job } = await value('training:start', { modelId });
  expect((await waitForJob(job.id)).state).toBe('succeeded');
  await value('models:rename', { modelId, name: 'Ilse flash' });
  const gen = await waitForJob((await value('playground:generate', { modelId, prompt: 'a rose', seed: 7, size: SIZE })).id);
  expect(gen.state, JSON.stringify(gen.error)).toBe('succeeded');
  generationId = (gen.result as { generationIds: string[] }).generationIds[0]!;
}, 120_000);

afterAll(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('playground:export', () => {
  it('exports the output unmarked with credentials naming the model, version, creator and training set', async () => {
    const out = await value('playground:export', { generationId });
    expect(out).toMatchObject({ name: 'ilse-flash-v1-seed7.png', mime: 'image/png' });
    // The pixels are the playground output's, untouched: no visible or invisible mark.
    const original = await value('playground:output', { generationId });
    expect((await rgbOf(out.bytes)).equals(await rgbOf(original.bytes))).toBe(true);
    // Nothing of this profile's mark reads from it either.
    const check = await value('watermark:check', { source: { kind: 'bytes', name: out.name, bytes: new Uint8Array(out.bytes) } });
    expect(check.found).toBe(false);

    const summary = await readCredentials(out.bytes);
    expect(summary).not.toBeNull();
    expect(summary!.description).toBe('AI-generated with Ilse flash by Ilse');
    expect(summary!.verdict).toBe('untrusted');
    const expectedHash = createHash('sha256').update([...assetShas].sort().join('\n')).digest('hex');
    expect(summary!.atelier).toMatchObject({ creatorName: 'Ilse', modelName: 'Ilse flash', modelVersion: 'v1', trainingSetHash: expectedHash });
    expect(summary!.signer.commonName).toBe('Ilse');

    // "Check a file" reports the credentials as this studio's.
    expect(check.credentials).toMatchObject({
      verdict: 'untrusted',
      signedByThisStudio: true,
      modelName: 'Ilse flash',
      modelVersion: 'v1',
      creatorName: 'Ilse',
      trainingSetHash: expectedHash,
      line: 'AI-generated with Ilse flash v1 by Ilse — signed by this studio (not on a public trust list)',
    });
  });

  it('exports JPEG on request, and a second export is signed by the same stored identity', async () => {
    const out = await value('playground:export', { generationId, format: 'jpeg' });
    expect(out).toMatchObject({ name: 'ilse-flash-v1-seed7.jpg', mime: 'image/jpeg' });
    expect([out.bytes[0], out.bytes[1]]).toEqual([0xff, 0xd8]);
    const meta = await sharp(out.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', SIZE, SIZE]);
    expect((await readCredentials(out.bytes))?.verdict).toBe('untrusted');

    const db = new Database(path.join(dataDir, 'profiles', profileId, 'studio.db'), { readonly: true });
    try {
      const rows = db.prepare("SELECT value FROM studio_settings WHERE name = 'c2pa.credentials'").all() as { value: string }[];
      expect(rows).toHaveLength(1);
      const stored = JSON.parse(rows[0]!.value) as { certificateChainPem: string; privateKeyPkcs8Pem: string; alg: string };
      expect(stored.alg).toBe('es256');
      expect(stored.privateKeyPkcs8Pem).toContain('BEGIN PRIVATE KEY');
    } finally {
      db.close();
    }
  });

  it('reads an edited export as invalid, and says so in "Check a file"', async () => {
    const out = await value('playground:export', { generationId });
    // An edit that keeps a decodable PNG and the manifest intact: a text chunk added before IEND.
    const tampered = withTextChunk(out.bytes, 'Comment', 'edited after export');
    expect((await sharp(tampered).metadata()).width).toBe(SIZE);
    const summary = await readCredentials(tampered);
    expect(summary?.verdict).toBe('invalid');
    expect(summary?.problems).toContain('assertion.dataHash.mismatch');
    const check = await value('watermark:check', { source: { kind: 'bytes', name: 'edited.png', bytes: tampered } });
    expect(check.credentials).toMatchObject({ verdict: 'invalid', signedByThisStudio: false });
    expect(check.credentials?.line).toMatch(/^AI-generated with Ilse flash v1 by Ilse — INVALID: .*assertion\.dataHash\.mismatch/);
  });

  it('stays allowed after the subscription ends (generated assets stay readable), and refuses unknown outputs', async () => {
    await value('subscription:set', { state: { status: 'ended', since: '2026-01-01T00:00:00Z', endedAt: '2026-02-01T00:00:00Z', source: 'cli' } });
    expect((await value('playground:export', { generationId })).mime).toBe('image/png');
    expect((await failure('playground:generate', { modelId, prompt: 'a rose', size: SIZE })).code).toBe('SUBSCRIPTION_REQUIRED');
    expect((await failure('playground:export', { generationId: 'no-such-output' })).code).toBe('NOT_FOUND');
    expect((await failure('playground:export', { generationId, format: 'webp' as 'png' })).code).toBe('VALIDATION');
  });

  it('keeps the signing identity in the 0o700 profile folder, and refuses a damaged one instead of replacing it', async () => {
    const profileDir = path.join(dataDir, 'profiles', profileId);
    if (process.platform !== 'win32') expect((await fs.stat(profileDir)).mode & 0o777).toBe(0o700);
    await value('profiles:lock', {});
    const db = new Database(path.join(profileDir, 'studio.db'));
    try {
      db.prepare("UPDATE studio_settings SET value = '{\"alg\":\"es256\"}' WHERE name = 'c2pa.credentials'").run();
    } finally {
      db.close();
    }
    await value('profiles:unlock', { profileId, password: 'pw' });
    const refused = await failure('playground:export', { generationId });
    expect(refused.code).toBe('INTERNAL');
    expect(refused.message).toMatch(/signing identity .* is damaged/);
  });

  it('a file with no credentials reports none', async () => {
    const plain = await value('playground:output', { generationId });
    const check = await value('watermark:check', { source: { kind: 'bytes', name: 'plain.png', bytes: new Uint8Array(plain.bytes) } });
    expect(check.credentials).toBeUndefined();
  });
});
