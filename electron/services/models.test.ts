// Issue 5 through the studio's handlers with real SQLite, real files, a real worker and the real image engine (small images).
import { mkdtempSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobPreview, JobSummary, ModelSummary } from '../../preload/contract';
import { makeDrawing } from '../../tests/fixtures/images';
import { createStudio, type Studio } from '../studio';
import { staleReasons } from './models';
import { CHEAP_KDF, studioClient } from '../../tests/fixtures/studio-client';

/** Small exemplars keep training to a second or two; 512 px is the product's smallest output. */
const EXEMPLAR = 128;
const SIZE = 512;

let dataDir: string;
let studio: Studio;
const { value, failure, waitForJob } = studioClient(() => studio);
const timings: Record<string, number> = {};

async function importWork(names: string[], seed0: number): Promise<string[]> {
  const dir = path.join(dataDir, 'fixtures');
  const files = await Promise.all(names.map((n, i) => makeDrawing(path.join(dir, n), 160, 160, seed0 + i)));
  const job = await value('assets:import', { sources: files.map((f) => ({ kind: 'path' as const, path: f })), source: 'work-sample' });
  const done = await waitForJob(job.id);
  expect(done.state).toBe('succeeded');
  const page = await value('assets:list', { limit: 1000 });
  return names.map((n) => page.items.find((a) => a.originalName === n)!.id);
}

async function train(modelId: string): Promise<JobSummary> {
  const t0 = Date.now();
  const { job } = await value('training:start', { modelId });
  const done = await waitForJob(job.id);
  timings.train = Date.now() - t0;
  return done;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-models-'));
  studio = createStudio({ dataDir, appVersion: '0.0.0-test', transport: 'host', kdf: CHEAP_KDF, poolSize: 1, trainingExemplarSize: EXEMPLAR });
  const profile = await value('profiles:create', { name: 'Mara', password: 'pw' });
  await value('profiles:unlock', { profileId: profile.id, password: 'pw' });
});

afterAll(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
  console.log('[models.test] ms', timings);
});

describe('models, training, playground', () => {
  let modelId = '';
  let assetIds: string[] = [];

  it('creates a model on "All", trains v1 (named on first training), and refuses what it must', async () => {
    const catalog = await value('catalog:subcategories', {});
    expect(catalog.find((s) => s.id === 'tattoo')).toMatchObject({ trainable: true, modality: 'image', status: 'available' });
    expect(catalog.find((s) => s.id === 'voice_over')).toMatchObject({ trainable: false, licences: ['commercial', 'broadcast'] });
    expect((await failure('models:create', { subcategory: 'graphics_design' })).code).toBe('VALIDATION');

    const model = await value('models:create', { subcategory: 'tattoo' });
    modelId = model.id;
    expect(model).toMatchObject({ name: null, displayName: 'New tattoo model', assetCount: 0, stale: false, activeVersion: null });
    expect((await failure('training:start', { modelId })).code).toBe('VALIDATION'); // empty set

    assetIds = await importWork(['rose.png', 'skull.png', 'anchor.png'], 11);
    for (const [i, tag] of ['rose', 'skull', 'anchor'].entries()) await value('assets:tag', { assetIds: [assetIds[i]!], add: [{ kind: 'content', value: tag }] });
    expect((await value('models:get', { modelId })).assetCount).toBe(3);

    const voice = await value('models:create', { subcategory: 'voice_over' });
    expect((await failure('training:start', { modelId: voice.id })).message).toMatch(/audio engine/);

    const { run, job } = await value('training:start', { modelId });
    expect(job.title).toBe('Train Tattoo model 1');
    expect(run.state).toBe('running');
    expect((await failure('training:start', { modelId })).code).toBe('CONFLICT');
    expect((await failure('models:delete', { modelId })).code).toBe('CONFLICT');
    const t0 = Date.now();
    const done = await waitForJob(job.id);
    timings.trainFirst = Date.now() - t0;
    expect(done.state).toBe('succeeded');
    expect(done.result).toMatchObject({ modelId, version: 1 });

    const detail = await value('models:get', { modelId });
    expect(detail).toMatchObject({ name: 'Tattoo model 1', activeVersion: 1, versionCount: 1, stale: false, training: null });
    expect(detail.versions[0]).toMatchObject({ number: 1, active: true });
    expect(detail.versions[0]!.assets.map((a) => a.name).sort()).toEqual(['anchor.png', 'rose.png', 'skull.png']);
    expect(detail.versions[0]!.bundleBytes).toBeGreaterThan(0);
    expect(detail.runs[0]).toMatchObject({ state: 'succeeded', version: 1 });
    expect(detail.runs[0]!.log.length).toBeGreaterThan(1);
    expect(detail.quota).toMatchObject({ basis: 'free', used: 1, left: 1 });
    await fs.access(path.join(dataDir, 'profiles')); // bundles live under the profile
  });

  it('reports staleness in the creator’s words and clears it only by retraining', async () => {
    await value('assets:crop', { assetId: assetIds[0]!, crop: { x: 10, y: 10, size: 100 } });
    await value('assets:tag', { assetIds: [assetIds[1]!, assetIds[2]!], add: [{ kind: 'style', value: 'flash' }] });
    const stale = await value('models:get', { modelId });
    expect(stale.stale).toBe(true);
    expect(stale.staleReasons).toEqual(['crop of rose.png changed', 'tags of 2 assets changed']);
    const more = await importWork(['dagger.png'], 40);
    expect((await value('models:get', { modelId })).staleReasons[0]).toBe('1 asset added');
    assetIds.push(...more);
  });

  it('generates in each mode, stores outputs with provenance, and the gallery filters them', async () => {
    const previews: JobPreview[] = [];
    const off = studio.events.on('jobs:preview', (p) => previews.push(p));
    const t0 = Date.now();
    const job = await value('playground:generate', { modelId, prompt: 'a rose with thorns', count: 2, seed: 7, size: SIZE });
    expect(job.title).toBe('Generate 2 images with Tattoo model 1');
    const done = await waitForJob(job.id);
    timings.generatePromptTwo = Date.now() - t0;
    off();
    expect(done.error).toBeNull();
    expect(done.state).toBe('succeeded');
    expect(previews.length).toBeGreaterThan(0);
    expect(previews[0]!.image.mime).toBe('image/png');
    const page = await value('playground:list', { modelId });
    expect(page.total).toBe(2);
    expect(page.items.map((g) => g.seed).sort()).toEqual([7, 8]);
    const first = page.items[0]!;
    expect(first).toMatchObject({ mode: 'prompt', version: 1, width: SIZE, favourite: false, rating: null, tags: ['rose'] });
    expect(first.provenance.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 2);
    expect(first.provenance.every((p) => p.assetId !== null && /^#[0-9a-f]{6}$/.test(p.colour))).toBe(true);

    const out = await value('playground:output', { generationId: first.id });
    expect((await sharp(out.bytes).metadata()).width).toBe(SIZE);
    await fs.writeFile(path.join(os.tmpdir(), 'atelier-models-output.png'), out.bytes);
    const thumb = await value('playground:thumbnail', { generationId: first.id });
    expect(Math.max((await sharp(thumb.bytes).metadata()).width ?? 0, 0)).toBeLessThanOrEqual(256);
    const overlay = await value('playground:provenance', { generationId: first.id });
    expect(overlay.gridWidth * overlay.gridHeight).toBe(overlay.grid.length);
    expect(Math.max(...overlay.grid)).toBeLessThan(overlay.assets.length);
    expect((await sharp(overlay.overlay.bytes).metadata()).channels).toBe(4);
    await fs.writeFile(path.join(os.tmpdir(), 'atelier-models-overlay.png'), overlay.overlay.bytes);

    // Reference mode from dropped bytes, variation mode from an asset of the set.
    const refBytes = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#884422' } }).png().toBuffer();
    const t1 = Date.now();
    const ref = await waitForJob((await value('playground:generate', { modelId, reference: { kind: 'bytes', name: 'client.png', bytes: new Uint8Array(refBytes) }, seed: 3, size: SIZE })).id);
    timings.generateReference = Date.now() - t1;
    expect(ref.state).toBe('succeeded');
    const refGen = (await value('playground:list', { modelId, search: 'client' })).items[0]!;
    expect(refGen).toMatchObject({ mode: 'reference', referenceName: 'client.png' });
    const before = await value('playground:reference', { generationId: refGen.id });
    expect((await sharp(before.bytes).metadata()).width).toBe(refGen.width);

    const t2 = Date.now();
    const vary = await waitForJob((await value('playground:generate', { modelId, variationAssetId: assetIds[1]!, seed: 5, size: SIZE })).id);
    timings.generateVariation = Date.now() - t2;
    expect(vary.state).toBe('succeeded');
    expect((await value('playground:list', { modelId })).items[0]).toMatchObject({ mode: 'variation', variationAssetId: assetIds[1] });
    // An asset the version never saw cannot be varied.
    expect((await failure('playground:generate', { modelId, variationAssetId: assetIds[3]!, size: SIZE })).code).toBe('VALIDATION');

    await value('playground:update', { generationId: first.id, favourite: true, rating: 4 });
    expect((await value('playground:list', { modelId, favourite: true })).items.map((g) => g.id)).toEqual([first.id]);
    expect((await value('playground:list', { modelId, search: 'thorns' })).total).toBe(2);
    expect((await value('models:get', { modelId })).playgroundGenerations).toBe(4);
  });

  it('refuses hostile playground input with the reason named', async () => {
    const markup = await failure('playground:generate', { modelId, prompt: '<b>rose</b>', size: SIZE });
    expect(markup.code).toBe('VALIDATION');
    expect(markup.message).toContain('<b>');
    const bad = await failure('playground:generate', { modelId, reference: { kind: 'bytes', name: 'notes.png', bytes: new TextEncoder().encode('not a picture') }, size: SIZE });
    expect(bad.code).toBe('UNSUPPORTED_FILE');
    expect(bad.message).toContain('notes.png');
    expect((await failure('playground:get', { generationId: 'nope' })).code).toBe('NOT_FOUND');
    expect((await failure('models:get', { modelId: 'nope' })).code).toBe('NOT_FOUND');
    expect((await failure('versions:delete', { modelId, version: 1 })).code).toBe('CONFLICT');
  });

  it('trains v2 from the changed set, rolls back, deletes the old version; the free quota then runs out', async () => {
    expect((await train(modelId)).state).toBe('succeeded');
    let model: ModelSummary = await value('models:get', { modelId });
    expect(model).toMatchObject({ activeVersion: 2, stale: false, playgroundGenerations: 0 });
    expect(model.quota).toMatchObject({ used: 2, left: 0 });
    const refused = await failure('training:start', { modelId });
    expect(refused.code).toBe('QUOTA_EXCEEDED');

    model = await value('versions:activate', { modelId, version: 1 });
    expect(model.activeVersion).toBe(1);
    expect(model.stale).toBe(true);
    await value('versions:activate', { modelId, version: 2 });
    model = await value('versions:delete', { modelId, version: 1 });
    expect(model.versionCount).toBe(1);
    expect((await value('versions:list', { modelId })).map((v) => v.number)).toEqual([2]);
  });

  it('cancelling a training leaves the previous version active and does not count', async () => {
    await value('subscription:set', { state: { status: 'active', since: new Date().toISOString(), source: 'cli' } });
    const { job, run } = await value('training:start', { modelId });
    await value('jobs:cancel', { jobId: job.id });
    const done = await waitForJob(job.id);
    expect(['cancelled', 'succeeded']).toContain(done.state);
    const model = await value('models:get', { modelId });
    if (done.state === 'cancelled') {
      expect(model.activeVersion).toBe(2);
      expect(model.runs.find((r) => r.id === run.id)!.state).toBe('cancelled');
      expect(model.quota.used).toBe(0);
    }
    expect(model.training).toBeNull();
  });

  it('checks the quota again when a cancelled training is retried', async () => {
    // Pool of one: while this model trains, a second model's training waits in the queue and is cancelled there.
    const other = await value('models:create', { subcategory: 'tattoo' });
    await value('models:assets', { modelId: other.id, selection: { mode: 'explicit', assetIds } });
    const busy = await value('training:start', { modelId });
    const queued = await value('training:start', { modelId: other.id });
    expect((await value('jobs:cancel', { jobId: queued.job.id })).state).toBe('cancelled');
    await waitForJob(busy.job.id);
    // Two successful trainings use this month's quota of the second model…
    expect((await train(other.id)).state).toBe('succeeded');
    expect((await train(other.id)).state).toBe('succeeded');
    // …so retrying the cancelled one fails on the quota instead of training a third time.
    await value('jobs:retry', { jobId: queued.job.id });
    const retried = await waitForJob(queued.job.id);
    expect(retried.state).toBe('failed');
    expect(retried.error?.code).toBe('QUOTA_EXCEEDED');
    const detail = await value('models:get', { modelId: other.id });
    expect(detail.versionCount).toBe(2);
    expect(detail.runs.find((r) => r.id === queued.run.id)!.state).toBe('cancelled');
    await value('models:delete', { modelId: other.id });
  });

  it('prices, quotes drafts, checks publishing and enforces the active limit', async () => {
    expect((await failure('pricing:set', { modelId, pricing: { scheme: 'per-unit', unitPriceCents: -5 } })).code).toBe('VALIDATION');
    const draft = { scheme: 'per-unit' as const, unitPriceCents: 2500 };
    const q = await value('pricing:quote', { modelId, pricing: draft, quantity: '2' });
    expect(q.totalCents).toBeGreaterThan(0);
    let check = await value('publishing:check', { modelId });
    expect(check.blockers.map((b) => b.condition)).toEqual(['playground', 'pricing']);
    await value('pricing:set', { modelId, pricing: draft });
    expect(await value('pricing:get', { modelId })).toMatchObject({ scheme: 'per-unit', unitPriceCents: 2500 });
    const job = await value('playground:generate', { modelId, prompt: 'rose', size: SIZE, seed: 1 });
    expect((await waitForJob(job.id)).state).toBe('succeeded');
    check = await value('publishing:check', { modelId });
    expect(check).toMatchObject({ ready: true, blockers: [] });

    // Three other models already published (set directly: each would otherwise need its own training).
    const others = await Promise.all([0, 1, 2].map(() => value('models:create', { subcategory: 'illustration' })));
    const db = (await import('better-sqlite3')).default;
    const profile = (await value('profiles:current', {}))!;
    const file = path.join(dataDir, 'profiles', profile.id, 'studio.db');
    const direct = new db(file);
    for (const [i, o] of others.entries()) direct.prepare('UPDATE models SET active = 1, name = ? WHERE id = ?').run(`Illustration model ${i + 1}`, o.id);
    direct.close();
    const limit = await failure('models:activate', { modelId, active: true });
    expect(limit.code).toBe('ACTIVE_LIMIT');
    expect(limit.message).toContain('Illustration model 3');
    await value('models:activate', { modelId: others[0]!.id, active: false });
    expect((await value('models:activate', { modelId, active: true })).active).toBe(true);
    expect((await failure('models:delete', { modelId })).code).toBe('CONFLICT');
    await value('models:activate', { modelId, active: false });
    await value('models:delete', { modelId });
    expect((await failure('models:get', { modelId })).code).toBe('NOT_FOUND');
    await expect(fs.readdir(path.join(dataDir, 'profiles', profile.id, 'models'))).resolves.not.toContain(modelId);
  });
});

describe('staleReasons', () => {
  const a = { assetId: 'a', sha256: 'a', name: 'rose.png', crop: null, trim: null, tags: [] };
  it('counts additions and removals and names a single changed asset', () => {
    expect(staleReasons([a], [a])).toEqual([]);
    expect(staleReasons([a], [])).toEqual(['1 asset removed']);
    expect(staleReasons([a], [{ ...a, trim: { startMs: 0, endMs: 10 } }])).toEqual(['trim of rose.png changed']);
  });
});
