// The whole studio through dispatch(), as every transport drives it: profiles, a session, imports, and curation (issue 3).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importReportOf, type AssetSummary, type Channel, type ChannelInput, type EditState, type ImportReport, type JobSummary } from '../preload/contract';
import { padSilence, sine, writeWav } from '../tests/fixtures/audio';
import { makeDrawing, makeJpeg, makeTruncated } from '../tests/fixtures/images';
import { seedLibrary } from '../tests/fixtures/library';
import { studioMigrations } from './db/migrations/index';
import { openDatabase } from './db/open';
import { dispatch } from './dispatch';
import { createStudio, type Studio } from './studio';
import { CHEAP_KDF, studioClient } from '../tests/fixtures/studio-client';

let dataDir: string;
let studio: Studio;
const { call, value, waitForJob } = studioClient(() => studio);

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'atelier-studio-'));
  studio = createStudio({ dataDir, appVersion: '0.0.0-test', transport: 'host', kdf: CHEAP_KDF, poolSize: 1 });
});

afterEach(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('studio session', () => {
  it('refuses asset calls until a profile is unlocked, then imports into that profile only', async () => {
    const locked = await call('assets:list', {});
    expect(locked).toMatchObject({ ok: false, error: { code: 'AUTH' } });

    const ana = await value('profiles:create', { name: 'Ana', password: 'pw-ana' });
    const ben = await value('profiles:create', { name: 'Ben', password: 'pw-ben' });
    expect((await value('profiles:list', {})).map((p) => p.name)).toEqual(['Ana', 'Ben']);

    await value('profiles:unlock', { profileId: ana.id, password: 'pw-ana' });
    expect(await value('profiles:current', {})).toMatchObject({ name: 'Ana' });

    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } }).png().toBuffer();
    const jpgPath = path.join(dataDir, 'on-disk.jpg');
    writeFileSync(jpgPath, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#36c' } }).jpeg().toBuffer());
    const job = await value('assets:import', {
      sources: [
        { kind: 'bytes', name: 'uploaded.png', bytes: new Uint8Array(png) },
        { kind: 'path', path: jpgPath },
        { kind: 'bytes', name: 'broken.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x01]) },
      ],
    });
    const done = await waitForJob(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toMatchObject({ imported: 2, failed: 1 });
    const broken = importReportOf(done)?.results.find((r) => r.name === 'broken.jpg');
    expect(broken).toMatchObject({ ok: false, error: { code: 'CORRUPT_FILE' } });

    const page = await value('assets:list', {});
    expect(page.total).toBe(2);
    expect(page.items.map((a) => [a.originalName, a.width, a.height]).sort()).toEqual([
      ['on-disk.jpg', 64, 48],
      ['uploaded.png', 40, 30],
    ]);
    const thumb = await value('assets:thumbnail', { assetId: page.items[0]!.id });
    const meta = await sharp(Buffer.from(thumb.bytes)).metadata();
    expect(meta.width).toBeGreaterThan(0);

    // Ben sees none of Ana's assets; a wrong password keeps Ana's session open.
    const wrong = await call('profiles:unlock', { profileId: ben.id, password: 'nope' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    expect(await value('profiles:current', {})).toMatchObject({ name: 'Ana' });
    await value('profiles:unlock', { profileId: ben.id, password: 'pw-ben' });
    expect((await value('assets:list', {})).total).toBe(0);

    await value('profiles:lock', {});
    expect(await value('profiles:current', {})).toBeNull();
    expect(readFileSync(path.join(dataDir, 'workstation.db')).length).toBeGreaterThan(0);
  });

  it('answers malformed calls with VALIDATION and never throws', async () => {
    expect(await dispatch(studio.handlers, 'nope:nothing', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch(studio.handlers, 'profiles:create', { name: '', password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await dispatch(studio.handlers, 'profiles:create', { name: 'x', password: 'y', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await dispatch(studio.handlers, 'assets:import', 'not an object')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch(studio.handlers, 'profiles:list', null)).toMatchObject({ ok: true });
  });
});

describe('one process per profile', () => {
  it('refuses a second studio on a profile that is open, and allows it once the first locks', async () => {
    const profile = await value('profiles:create', { name: 'Cleo', password: 'pw' });
    await value('profiles:unlock', { profileId: profile.id, password: 'pw' });

    const other = createStudio({ dataDir, appVersion: '0.0.0-test', transport: 'host', kdf: CHEAP_KDF, poolSize: 1 });
    try {
      const refused = await dispatch(other.handlers, 'profiles:unlock', { profileId: profile.id, password: 'pw' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(refused.ok ? '' : refused.error.message).toContain('Cleo');

      await value('profiles:lock', {});
      expect(await dispatch(other.handlers, 'profiles:unlock', { profileId: profile.id, password: 'pw' })).toMatchObject({ ok: true });
    } finally {
      await other.close();
    }
  });

  it('takes over a lock left behind by a process that no longer runs', async () => {
    const profile = await value('profiles:create', { name: 'Dora', password: 'pw' });
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    writeFileSync(
      path.join(dataDir, 'profiles', profile.id, 'session.lock'),
      JSON.stringify({ pid: deadPid, hostname: os.hostname(), since: '2026-01-01T00:00:00Z' }),
    );
    expect(await call('profiles:unlock', { profileId: profile.id, password: 'pw' })).toMatchObject({ ok: true });
  });
});

// ---------------------------------------------------------------------------------------------------
// Curation (issue 3): import of every kind, reports, filters, edits with undo, selections, set health and fixes.

async function importAndWait(input: ChannelInput<'assets:import'>): Promise<JobSummary & { result: ImportReport }> {
  const job = await value('assets:import', input);
  const done = await waitForJob(job.id);
  if (!done.result) throw new Error(`import ${done.state} without a report: ${done.error?.message ?? ''}`);
  return done as JobSummary & { result: ImportReport };
}

function okAsset(report: ImportReport, name: string): AssetSummary {
  const r = report.results.find((x) => x.name === name);
  if (!r?.ok) throw new Error(`${name} did not import: ${r && !r.ok ? r.error.message : 'missing'}`);
  return r.asset;
}

async function unlockNew(name: string): Promise<void> {
  const profile = await value('profiles:create', { name, password: 'pw' });
  await value('profiles:unlock', { profileId: profile.id, password: 'pw' });
}

async function errorOf<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<{ code: string; message: string }> {
  const r = await call(channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}

/** 15 s of tone with 1.5 s of silence at each end (mono, 16 kHz, 16-bit). */
function silencePaddedWav(): Uint8Array {
  const rate = 16_000;
  return writeWav([padSilence(sine(220, 12, rate, -12), rate, 1.5, 1.5)], rate);
}

describe('curation: import of every kind', () => {
  it('walks a folder (nested, skipping dot-files), stores each kind with its report, and names the broken file', async () => {
    await unlockNew('Eve');
    const root = path.join(dataDir, 'src', 'batch');
    mkdirSync(path.join(root, 'nested'), { recursive: true });
    mkdirSync(path.join(root, '.git'), { recursive: true });
    await makeDrawing(path.join(root, 'rose.png'), 600, 600, 1);
    await makeDrawing(path.join(root, '.hidden.png'), 300, 300, 2);
    await makeDrawing(path.join(root, '.git', 'object.png'), 300, 300, 3);
    await makeJpeg(path.join(root, 'nested', 'photo.jpg'), 1200, 800, 4);
    writeFileSync(path.join(root, 'nested', 'take.wav'), silencePaddedWav());
    writeFileSync(path.join(root, 'nested', 'notes.txt'), 'A short brief for the flash sheet.\nRoses and daggers.\n');
    await makeTruncated(path.join(root, 'nested', 'broken.jpg'), 'jpeg');

    const job = await value('assets:import', {
      sources: [{ kind: 'path', path: root }],
      source: 'work-sample',
      deliveredAt: '2025-03-14T12:00:00+02:00',
    });
    expect(job.title).toBe('Import 5 files');
    const done = await waitForJob(job.id);
    const report = importReportOf(done)!;
    expect(report.results.map((r) => r.name)).toEqual([
      'batch/nested/broken.jpg',
      'batch/nested/notes.txt',
      'batch/nested/photo.jpg',
      'batch/nested/take.wav',
      'batch/rose.png',
    ]);
    expect(report).toMatchObject({ imported: 4, failed: 1 });
    const broken = report.results[0]!;
    expect(broken.ok === false && broken.error.code).toBe('CORRUPT_FILE');
    expect(broken.ok === false && broken.error.message).toContain('broken.jpg');

    const page = await value('assets:list', { limit: 100 });
    expect(page.total).toBe(4);
    expect(Object.fromEntries(page.items.map((a) => [a.originalName, a.kind]))).toEqual({
      'batch/nested/notes.txt': 'text',
      'batch/nested/photo.jpg': 'image',
      'batch/nested/take.wav': 'audio',
      'batch/rose.png': 'image',
    });
    for (const a of page.items) {
      expect(a).toMatchObject({ source: 'work-sample', deliveredAt: '2025-03-14T10:00:00.000Z', archived: false, crop: null, trim: null });
      expect(['ok', 'warning', 'error']).toContain(a.health);
    }

    const photo = await value('assets:get', { assetId: okAsset(report, 'batch/nested/photo.jpg').id });
    expect(photo.report.kind).toBe('image');
    expect(photo.report.image).toMatchObject({ width: 1200, height: 800 });
    expect(photo.report.image?.suggestedCrop).toMatchObject({ size: 800 });
    expect(photo.report.findings.some((f) => f.check === 'non-square')).toBe(true);

    const take = await value('assets:get', { assetId: okAsset(report, 'batch/nested/take.wav').id });
    expect(take).toMatchObject({ kind: 'audio', width: null });
    expect(take.durationMs).toBeGreaterThan(14_500);
    expect(take.report.audio?.leadingSilenceMs).toBeGreaterThan(1000);
    const notes = await value('assets:get', { assetId: okAsset(report, 'batch/nested/notes.txt').id });
    expect(notes.report.text).toMatchObject({ format: 'txt' });
    // A problem on the list is a warning-or-error finding of the report, and the filter finds it.
    for (const a of [photo, take, notes]) {
      const severe = a.report.findings.filter((f) => f.severity !== 'info').map((f) => f.check);
      expect([...a.problems].sort()).toEqual([...new Set(severe)].sort());
    }
    const rose = await value('assets:get', { assetId: okAsset(report, 'batch/rose.png').id });
    expect(rose.problems).toContain('resolution');
    const lowRes = await value('assets:list', { problem: 'resolution' });
    expect(lowRes.items.map((a) => a.originalName)).toContain('batch/rose.png');
  });

  it('serves previews, media, waveforms, spectrograms and text, and refuses the wrong kind', async () => {
    await unlockNew('Fay');
    const dir = path.join(dataDir, 'src');
    mkdirSync(dir, { recursive: true });
    const photo = await makeJpeg(path.join(dir, 'wide.jpg'), 1600, 900, 9);
    const wav = path.join(dir, 'take.wav');
    writeFileSync(wav, silencePaddedWav());
    const notes = path.join(dir, 'notes.md');
    writeFileSync(notes, '# Brief\n\nWarm, calm voice.\n');
    const report = importReportOf(await importAndWait({ sources: [photo, wav, notes].map((p) => ({ kind: 'path' as const, path: p })) }))!;
    const image = okAsset(report, 'wide.jpg');
    const audio = okAsset(report, 'take.wav');
    const text = okAsset(report, 'notes.md');

    const preview = await value('assets:preview', { assetId: image.id });
    const meta = await sharp(Buffer.from(preview.bytes)).metadata();
    expect([preview.mime, meta.format, Math.max(meta.width ?? 0, meta.height ?? 0)]).toEqual(['image/webp', 'webp', 1024]);
    expect((await value('assets:preview', { assetId: image.id })).bytes).toEqual(preview.bytes);

    const media = await value('assets:media', { assetId: audio.id });
    expect(media.mime).toMatch(/^audio\//);
    expect(media.bytes).toEqual(new Uint8Array(readFileSync(wav)));
    const waveform = await value('assets:waveform', { assetId: audio.id });
    expect(waveform.peaks.length).toBe(1);
    expect(waveform.peaks[0]!.length).toBeGreaterThan(100);
    // The spectrogram cache is rebuilt from the original when it goes missing.
    const spectrogram = await value('assets:spectrogram', { assetId: audio.id });
    expect((await sharp(Buffer.from(spectrogram.bytes)).metadata()).format).toBe('png');
    const profileRoot = path.join(dataDir, 'profiles', (await value('profiles:current', {}))!.id);
    rmSync(path.join(profileRoot, 'cache', 'spectrograms'), { recursive: true });
    rmSync(path.join(profileRoot, 'cache', 'waveforms'), { recursive: true });
    expect((await value('assets:spectrogram', { assetId: audio.id })).bytes).toEqual(spectrogram.bytes);
    expect(await value('assets:waveform', { assetId: audio.id })).toEqual(waveform);
    expect(await value('assets:text', { assetId: text.id })).toEqual({ format: 'markdown', text: '# Brief\n\nWarm, calm voice.\n' });

    expect(await errorOf('assets:media', { assetId: image.id })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('wide.jpg') });
    expect(await errorOf('assets:preview', { assetId: audio.id })).toMatchObject({ code: 'VALIDATION' });
    expect(await errorOf('assets:thumbnail', { assetId: text.id })).toMatchObject({ code: 'VALIDATION' });
    expect(await errorOf('assets:waveform', { assetId: image.id })).toMatchObject({ code: 'VALIDATION' });
    expect(await errorOf('assets:text', { assetId: audio.id })).toMatchObject({ code: 'VALIDATION' });
    for (const channel of ['assets:get', 'assets:preview', 'assets:media', 'assets:waveform', 'assets:spectrogram', 'assets:text'] as const) {
      expect(await errorOf(channel, { assetId: 'no-such-asset' })).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('curation: edits, filters and undo', () => {
  it('tags, crops, trims and archives with checks, filters on them, and undoes/redoes each as one step', async () => {
    await unlockNew('Gus');
    const dir = path.join(dataDir, 'src');
    mkdirSync(dir, { recursive: true });
    const files = [
      await makeDrawing(path.join(dir, 'rose.png'), 500, 400, 1),
      await makeDrawing(path.join(dir, 'koi.png'), 400, 400, 2),
      await makeJpeg(path.join(dir, 'street.jpg'), 640, 480, 3),
    ];
    const wav = path.join(dir, 'take.wav');
    writeFileSync(wav, silencePaddedWav());
    const report = importReportOf(await importAndWait({ sources: [...files, wav].map((p) => ({ kind: 'path' as const, path: p })), source: 'portfolio' }))!;
    const rose = okAsset(report, 'rose.png');
    const koi = okAsset(report, 'koi.png');
    const street = okAsset(report, 'street.jpg');
    const take = okAsset(report, 'take.wav');
    const changes: Array<{ added: number; updated: string[] }> = [];
    studio.events.on('assets:changed', (c) => changes.push(c));
    const edits: EditState[] = [];
    studio.events.on('edits:changed', (s) => edits.push(s));

    // Bulk tag: one step for three assets; tags are trimmed and lower-cased by the contract.
    expect(await value('assets:tag', { assetIds: [rose.id, koi.id, street.id], add: [{ kind: 'style', value: '  Line Art ' }] })).toEqual({ changed: 3 });
    expect(await value('assets:tag', { assetIds: [rose.id], add: [{ kind: 'content', value: 'flash' }] })).toEqual({ changed: 1 });
    expect(changes.at(-1)).toEqual({ added: 0, updated: [rose.id] });
    expect(await value('edits:state', {})).toMatchObject({ canUndo: true, undoLabel: 'Undo: tag rose.png ‘flash’' });
    expect(await value('assets:tags', {})).toEqual([
      { kind: 'style', value: 'line art', count: 3 },
      { kind: 'content', value: 'flash', count: 1 },
    ]);
    expect((await value('assets:list', { tag: 'line art' })).total).toBe(3);
    expect((await value('assets:list', { search: 'LINE' })).total).toBe(3);
    expect((await value('assets:list', { search: 'ros' })).items.map((a) => a.id)).toEqual([rose.id]);
    expect((await value('assets:list', { kind: 'audio' })).items.map((a) => a.id)).toEqual([take.id]);
    expect((await value('assets:list', { source: 'upload' })).total).toBe(0);

    // Crops: inside the image only, images only.
    expect(await errorOf('assets:crop', { assetId: rose.id, crop: { x: 200, y: 0, size: 400 } })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('500 × 400'),
    });
    expect(await errorOf('assets:crop', { assetId: take.id, crop: { x: 0, y: 0, size: 10 } })).toMatchObject({ code: 'VALIDATION' });
    expect((await value('assets:crop', { assetId: rose.id, crop: { x: 100, y: 0, size: 400 } })).crop).toEqual({ x: 100, y: 0, size: 400 });
    // Trims: within the recording, audio only.
    expect(await errorOf('assets:trim', { assetId: rose.id, trim: { startMs: 0, endMs: 1000 } })).toMatchObject({ code: 'VALIDATION' });
    expect(await errorOf('assets:trim', { assetId: take.id, trim: { startMs: 0, endMs: 60_000 } })).toMatchObject({ code: 'VALIDATION' });
    expect((await value('assets:trim', { assetId: take.id, trim: { startMs: 1500, endMs: 13_500 } })).trim).toEqual({ startMs: 1500, endMs: 13_500 });
    // Archive hides from the list; the archived view shows it.
    expect(await value('assets:archive', { assetIds: [street.id], archived: true })).toEqual({ changed: 1 });
    expect((await value('assets:list', {})).items.map((a) => a.id)).not.toContain(street.id);
    expect((await value('assets:list', { archived: true })).items.map((a) => a.id)).toEqual([street.id]);
    // Unknown ids anywhere in a batch: NOT_FOUND, and nothing changes.
    expect(await errorOf('assets:tag', { assetIds: [rose.id, 'nope'], add: [{ kind: 'free', value: 'x' }] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf('assets:archive', { assetIds: ['nope'], archived: true })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf('assets:crop', { assetId: 'nope', crop: null })).toMatchObject({ code: 'NOT_FOUND' });

    // Undo walks back archive → trim → crop → the flash tag; redo walks forward again.
    expect(await value('edits:undo', {})).toMatchObject({ undoLabel: 'Undo: trim take.wav', redoLabel: 'Redo: archive street.jpg' });
    expect((await value('assets:list', {})).items.map((a) => a.id)).toContain(street.id);
    await value('edits:undo', {});
    expect((await value('assets:get', { assetId: take.id })).trim).toBeNull();
    await value('edits:undo', {});
    expect((await value('assets:get', { assetId: rose.id })).crop).toBeNull();
    await value('edits:undo', {});
    expect((await value('assets:get', { assetId: rose.id })).tags).toEqual([{ kind: 'style', value: 'line art' }]);
    expect(await value('edits:redo', {})).toMatchObject({ undoLabel: 'Undo: tag rose.png ‘flash’', redoLabel: 'Redo: crop rose.png' });
    expect((await value('assets:get', { assetId: rose.id })).tags).toEqual([
      { kind: 'style', value: 'line art' },
      { kind: 'content', value: 'flash' },
    ]);
    // A new edit clears what could be redone.
    await value('assets:tag', { assetIds: [koi.id, street.id], remove: [{ kind: 'style', value: 'line art' }] });
    expect(await value('edits:state', {})).toEqual({ canUndo: true, canRedo: false, undoLabel: 'Undo: remove ‘line art’ from 2 assets', redoLabel: null });
    expect(edits.at(-1)).toEqual(await value('edits:state', {}));

    // History ends with the session.
    await value('profiles:lock', {});
    expect(edits.at(-1)).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
  });

  it('resolves "All" to exactly the last 100 work samples of a kind by delivery date', async () => {
    const { profileId, password } = await seedLibrary({ dataDir, count: 1000, kinds: ['image', 'audio'] });
    await value('profiles:unlock', { profileId, password });
    const samples = (await value('assets:list', { source: 'work-sample', kind: 'image', limit: 10_000 })).items;
    expect(samples.length).toBeGreaterThan(100);
    const byDelivery = [...samples].sort(
      (a, b) => (b.deliveredAt ?? '').localeCompare(a.deliveredAt ?? '') || b.importedAt.localeCompare(a.importedAt),
    );
    const all = await value('assets:selection', { selection: { mode: 'all-work-samples', kind: 'image' } });
    expect(all.assetIds).toEqual(byDelivery.slice(0, 100).map((a) => a.id));
    // An archived sample leaves the selection and the 101st takes its place.
    await value('assets:archive', { assetIds: [byDelivery[0]!.id], archived: true });
    const after = await value('assets:selection', { selection: { mode: 'all-work-samples', kind: 'image' } });
    expect(after.assetIds).toEqual(byDelivery.slice(1, 101).map((a) => a.id));
    const library = await value('assets:selection', { selection: { mode: 'library', kind: 'audio' } });
    expect(library.assetIds.length).toBe((await value('assets:list', { kind: 'audio', limit: 10_000 })).total);
    expect(await errorOf('assets:selection', { selection: { assetIds: [byDelivery[2]!.id, 'gone'] } })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('curation: near-duplicates, set health and one-click fixes', () => {
  it('finds a near-duplicate both ways, and a fix drops it (undoable)', async () => {
    await unlockNew('Hal');
    const dir = path.join(dataDir, 'src');
    mkdirSync(dir, { recursive: true });
    const original = await makeJpeg(path.join(dir, 'portrait.jpg'), 1200, 1200, 21);
    const copy = path.join(dir, 'portrait-small.jpg');
    writeFileSync(copy, await sharp(original).resize(700, 700).jpeg({ quality: 70 }).toBuffer());
    const first = okAsset(importReportOf(await importAndWait({ sources: [{ kind: 'path', path: original }] }))!, 'portrait.jpg');
    const second = okAsset((await importAndWait({ sources: [{ kind: 'path', path: copy }] })).result, 'portrait-small.jpg');

    const [a, b] = [await value('assets:get', { assetId: first.id }), await value('assets:get', { assetId: second.id })];
    expect(a.problems).toContain('near-duplicate');
    expect(b.problems).toContain('near-duplicate');
    expect(a.report.findings.find((f) => f.check === 'near-duplicate')?.relatedAssetIds).toEqual([second.id]);
    expect(b.report.findings.find((f) => f.check === 'near-duplicate')).toMatchObject({ unit: 'bits', fix: 'drop-duplicates', relatedAssetIds: [first.id] });
    expect((await value('assets:list', { problem: 'near-duplicate' })).total).toBe(2);

    const health = await value('assets:health', { selection: { mode: 'library', kind: 'image' } });
    const drop = health.fixes.find((f) => f.fix === 'drop-duplicates');
    expect(drop).toEqual({ fix: 'drop-duplicates', assetIds: [second.id], label: 'Drop 1 duplicate' });
    expect(await value('assets:fix', { fix: 'drop-duplicates', assetIds: drop!.assetIds })).toEqual({ changed: 1 });
    // The twin that stays no longer has a near copy in the library.
    expect((await value('assets:get', { assetId: first.id })).problems).not.toContain('near-duplicate');
    expect((await value('assets:health', { selection: { mode: 'library', kind: 'image' } })).fixes.map((f) => f.fix)).not.toContain('drop-duplicates');
    expect(await value('edits:undo', {})).toMatchObject({ redoLabel: 'Redo: drop 1 duplicate' });
    expect((await value('assets:get', { assetId: first.id })).problems).toContain('near-duplicate');
    expect((await value('assets:get', { assetId: second.id })).archived).toBe(false);
  });

  it('offers suggested crops and silence trims with counts, applies each as one undo step', async () => {
    await unlockNew('Ida');
    const dir = path.join(dataDir, 'src');
    mkdirSync(dir, { recursive: true });
    const images = [
      await makeJpeg(path.join(dir, 'wide-1.jpg'), 1500, 1000, 31),
      await makeDrawing(path.join(dir, 'tall-2.png'), 800, 1200, 32),
      await makeDrawing(path.join(dir, 'square.png'), 1100, 1100, 33),
    ];
    const wav = path.join(dir, 'take.wav');
    writeFileSync(wav, silencePaddedWav());
    const report = importReportOf(await importAndWait({ sources: [...images, wav].map((p) => ({ kind: 'path' as const, path: p })) }))!;
    const ids = ['wide-1.jpg', 'tall-2.png'].map((n) => okAsset(report, n).id);
    const take = okAsset(report, 'take.wav');

    const health = await value('assets:health', { selection: { mode: 'library', kind: 'image' }, subcategory: 'illustration' });
    expect(health).toMatchObject({ count: 3, kind: 'image' });
    expect(health.findings.find((f) => f.check === 'set-size')).toMatchObject({ metric: 3 });
    const crops = health.fixes.find((f) => f.fix === 'apply-suggested-crops');
    expect(crops).toMatchObject({ fix: 'apply-suggested-crops', label: 'Apply 2 suggested crops' });
    expect([...crops!.assetIds].sort()).toEqual([...ids].sort());
    expect(await value('assets:fix', { fix: 'apply-suggested-crops', assetIds: crops!.assetIds })).toEqual({ changed: 2 });
    for (const id of ids) {
      const detail = await value('assets:get', { assetId: id });
      expect(detail.crop).toEqual(detail.report.image?.suggestedCrop);
    }
    expect(await value('edits:state', {})).toMatchObject({ undoLabel: 'Undo: apply 2 suggested crops' });
    await value('edits:undo', {});
    for (const id of ids) expect((await value('assets:get', { assetId: id })).crop).toBeNull();
    await value('edits:redo', {});
    for (const id of ids) expect((await value('assets:get', { assetId: id })).crop).not.toBeNull();
    // Nothing left to apply: a clear refusal rather than an empty step.
    expect(await errorOf('assets:fix', { fix: 'apply-suggested-crops', assetIds: ids })).toMatchObject({ code: 'VALIDATION' });

    const audioHealth = await value('assets:health', { selection: { assetIds: [take.id] } });
    expect(audioHealth.kind).toBe('audio');
    const trims = audioHealth.fixes.find((f) => f.fix === 'trim-silence');
    expect(trims).toEqual({ fix: 'trim-silence', assetIds: [take.id], label: 'Trim silence on 1 recording' });
    await value('assets:fix', { fix: 'trim-silence', assetIds: [take.id] });
    const trimmed = await value('assets:get', { assetId: take.id });
    const metrics = trimmed.report.audio!;
    expect(trimmed.trim).toEqual({
      startMs: Math.round(metrics.leadingSilenceMs),
      endMs: Math.round(metrics.durationMs - metrics.trailingSilenceMs),
    });
    await value('edits:undo', {});
    expect((await value('assets:get', { assetId: take.id })).trim).toBeNull();
  });
});

describe('curation: schema v1 → v2', () => {
  it('keeps issue-2 rows, marks them for a re-check, and analyses one when it is opened', async () => {
    const profile = await value('profiles:create', { name: 'Jo', password: 'pw' });
    const root = path.join(dataDir, 'profiles', profile.id);
    // Rewind the new profile's studio.db to what issue 2 left: v1 schema, one imported image with its original.
    const dbFile = path.join(root, 'studio.db');
    rmSync(dbFile, { force: true });
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
    const v1 = openDatabase(dbFile, studioMigrations.slice(0, 1));
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c33' } }).png().toBuffer();
    const sha256 = createHash('sha256').update(png).digest('hex');
    mkdirSync(path.join(root, 'assets', sha256.slice(0, 2)), { recursive: true });
    writeFileSync(path.join(root, 'assets', sha256.slice(0, 2), `${sha256}.png`), png);
    v1.prepare(
      `INSERT INTO assets (id, sha256, kind, ext, mime, byte_size, width, height, original_name, source, delivered_at, imported_at)
       VALUES ('old-1', ?, 'image', 'png', 'image/png', ?, 300, 200, 'old.png', 'work-sample', NULL, '2025-01-02T03:04:05.000Z')`,
    ).run(sha256, png.length);
    v1.close();

    await value('profiles:unlock', { profileId: profile.id, password: 'pw' });
    const [listed] = (await value('assets:list', {})).items;
    expect(listed).toMatchObject({
      id: 'old-1',
      originalName: 'old.png',
      health: 'info',
      problems: [],
      // Work samples without a delivery date count as delivered when imported.
      deliveredAt: '2025-01-02T03:04:05.000Z',
      tags: [],
      crop: null,
      archived: false,
    });
    const detail = await value('assets:get', { assetId: 'old-1' });
    expect(detail.report.kind).toBe('image');
    expect(detail.report.image).toMatchObject({ width: 300, height: 200 });
    expect(detail.health).not.toBe('info');
    expect(detail.problems).toContain('resolution');
    expect((await value('assets:list', {})).items[0]?.health).toBe(detail.health);
  });
});
