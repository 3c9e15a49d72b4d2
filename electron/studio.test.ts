// The whole studio through dispatch(), as every transport drives it: profiles, a session, an import job.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../engine/errors';
import type { Channel, ChannelInput, ChannelOutput, JobSummary } from '../preload/contract';
import { dispatch } from './dispatch';
import { createStudio, type Studio } from './studio';

const CHEAP_KDF = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

let dataDir: string;
let studio: Studio;

function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  return dispatch(studio.handlers, channel, input) as Promise<Result<ChannelOutput<C>>>;
}

async function value<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await call(channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function waitForJob(jobId: string): Promise<JobSummary> {
  return new Promise((resolve) => {
    const check = (job: JobSummary) => {
      if (job.id === jobId && FINAL.has(job.state)) {
        off();
        resolve(job);
      }
    };
    const off = studio.events.on('jobs:updated', check);
    void value('jobs:get', { jobId }).then(check);
  });
}

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
    const broken = done.result?.results.find((r) => r.name === 'broken.jpg');
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
