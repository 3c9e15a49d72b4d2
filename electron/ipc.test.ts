// The IPC wrapper driven through a tiny stand-in for ipcMain: who may call, what gets through, what comes back.
import { describe, expect, it } from 'vitest';
import { AtelierError } from '../engine/errors';
import { channels, type Channel, type Handlers, type ProfileSummary } from '../preload/contract';
import { registerIpc, UNTRUSTED_SENDER_MESSAGE, type IpcInvokeEventLike, type IpcMainLike, type RefusedCall } from './ipc';
import { isTrustedSender } from './security';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** Just enough of ipcMain: remembers handlers and lets the test invoke them like a renderer would. */
class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.listeners.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.listeners.delete(channel);
  }
  invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}

const APP_PAGE = 'app://studio/index.html';
const demo: ProfileSummary = { id: 'p1', name: 'Mara', createdAt: '2026-01-01T00:00:00.000Z', lastUnlockedAt: null };

/** Handlers that record what reached them; the wrapper, not the studio, is under test here. */
function recordingHandlers() {
  const calls: Array<{ channel: Channel; input: unknown }> = [];
  const record = (channel: Channel, input: unknown) => calls.push({ channel, input });
  // Only the channels these tests call; the wrapper registers every channel but never calls the others.
  const handlers = {
    'app:info': (input) => {
      record('app:info', input);
      return { name: 'Atelier Studio', version: '0.1.0', platform: 'linux', transport: 'electron', dataDir: '/tmp/x' };
    },
    'profiles:list': (input) => (record('profiles:list', input), [demo]),
    'profiles:create': (input) => (record('profiles:create', input), { ...demo, name: input.name }),
    'profiles:unlock': async (input) => {
      record('profiles:unlock', input);
      throw new AtelierError('AUTH', 'That password is not right for Mara.');
    },
    'profiles:lock': (input) => (record('profiles:lock', input), null),
    'profiles:current': (input) => (record('profiles:current', input), null),
    'assets:import': (input) => {
      record('assets:import', input);
      throw new Error('disk exploded at /secret/path');
    },
    'assets:list': (input) => (record('assets:list', input), { total: 0, items: [] }),
    'assets:thumbnail': (input) => (record('assets:thumbnail', input), { mime: 'image/webp', bytes: new Uint8Array([1, 2, 3]) }),
    'jobs:list': (input) => (record('jobs:list', input), []),
    'jobs:get': (input) => {
      record('jobs:get', input);
      throw new AtelierError('NOT_FOUND', 'There is no job j9.');
    },
    'jobs:cancel': (input) => {
      record('jobs:cancel', input);
      throw new AtelierError('NOT_FOUND', 'There is no job j9.');
    },
    'jobs:retry': (input) => {
      record('jobs:retry', input);
      throw new AtelierError('NOT_FOUND', 'There is no job j9.');
    },
  } satisfies Partial<Handlers> as unknown as Handlers;
  return { handlers, calls };
}

function setup() {
  const ipc = new FakeIpcMain();
  const { handlers, calls } = recordingHandlers();
  const refused: RefusedCall[] = [];
  const dispose = registerIpc(ipc, handlers, (url) => isTrustedSender(url), {
    onRefused: (call) => refused.push(call),
    log: () => undefined,
  });
  return { ipc, calls, refused, dispose };
}

describe('registerIpc', () => {
  it('registers exactly the contract channels', () => {
    const { ipc } = setup();
    expect([...ipc.listeners.keys()].sort()).toEqual(Object.keys(channels).sort());
  });

  it('answers a valid call from our page with an ok Result, input parsed with defaults', async () => {
    const { ipc, calls } = setup();
    expect(await ipc.invoke('profiles:create', APP_PAGE, { name: '  Mara  ', password: 'pw' })).toEqual({
      ok: true,
      value: { ...demo, name: 'Mara' },
    });
    expect(await ipc.invoke('assets:list', APP_PAGE, {})).toEqual({ ok: true, value: { total: 0, items: [] } });
    expect(calls).toEqual([
      { channel: 'profiles:create', input: { name: 'Mara', password: 'pw' } },
      { channel: 'assets:list', input: { offset: 0, limit: 500, archived: false } },
    ]);
  });

  it('passes bytes through untouched', async () => {
    const { ipc } = setup();
    const result = (await ipc.invoke('assets:thumbnail', APP_PAGE, { assetId: 'a1' })) as { ok: true; value: { bytes: Uint8Array } };
    expect(result.ok).toBe(true);
    expect([...result.value.bytes]).toEqual([1, 2, 3]);
  });

  it('turns bad payloads into VALIDATION without calling the handler', async () => {
    const { ipc, calls } = setup();
    const bad: Array<[string, unknown]> = [
      ['profiles:create', { name: '', password: 'pw' }],
      ['profiles:create', { name: 'Mara' }],
      ['profiles:create', { name: 'Mara', password: 'pw', admin: true }],
      ['profiles:create', 'Mara'],
      ['profiles:create', 42],
      ['profiles:create', [1, 2]],
      ['profiles:unlock', { profileId: 'x'.repeat(10_000), password: 'pw' }],
      ['assets:list', { offset: -1 }],
      ['assets:list', { limit: 1e9 }],
      ['assets:import', { sources: [] }],
      ['assets:import', { sources: [{ kind: 'path', path: '' }] }],
      ['assets:import', { sources: [{ kind: 'bytes', name: 'a.png', bytes: 'not bytes' }] }],
      ['jobs:get', { jobId: { $gt: '' } }],
      ['app:info', { extra: 1 }],
    ];
    for (const [channel, input] of bad) {
      const result = (await ipc.invoke(channel, APP_PAGE, input)) as { ok: boolean; error?: { code: string } };
      expect(result.ok, `${channel} ${JSON.stringify(input)?.slice(0, 60)}`).toBe(false);
      expect(result.error?.code).toBe('VALIDATION');
    }
    expect(calls).toEqual([]);
  });

  it('keeps the code and message of a studio error, and hides the internals of an unexpected one', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('profiles:unlock', APP_PAGE, { profileId: 'p1', password: 'nope' })).toEqual({
      ok: false,
      error: { code: 'AUTH', message: 'That password is not right for Mara.' },
    });
    const crash = (await ipc.invoke('assets:import', APP_PAGE, { sources: [{ kind: 'path', path: '/a.png' }] })) as {
      ok: false;
      error: { code: string; message: string; details?: unknown };
    };
    expect(crash.ok).toBe(false);
    expect(crash.error.code).toBe('INTERNAL');
    expect(crash.error.message).not.toContain('/secret/path');
    expect(crash.error.details).toBeUndefined();
  });

  it('refuses callers whose frame is not ours, before anything runs', async () => {
    const { ipc, calls, refused } = setup();
    for (const frame of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', 'app://evil/', null]) {
      const result = await ipc.invoke('profiles:create', frame, { name: 'Mara', password: 'pw' });
      expect(result, String(frame)).toEqual({ ok: false, error: { code: 'AUTH', message: UNTRUSTED_SENDER_MESSAGE } });
    }
    expect(calls).toEqual([]);
    expect(refused.map((r) => r.frameUrl)).toEqual(['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', 'app://evil/', null]);
  });

  it('refuses a caller whose frame cannot be read any more', async () => {
    const { ipc, calls } = setup();
    const listener = ipc.listeners.get('profiles:list')!;
    const destroyed = {
      get senderFrame(): { url: string } {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(await listener(destroyed, {})).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    expect(calls).toEqual([]);
  });

  it('ignores extra arguments beyond the one input', async () => {
    const { ipc, calls } = setup();
    expect(await ipc.invoke('profiles:list', APP_PAGE, {}, { sneaky: true })).toMatchObject({ ok: true });
    expect(calls).toEqual([{ channel: 'profiles:list', input: {} }]);
  });

  it('removes its handlers when disposed', () => {
    const { ipc, dispose } = setup();
    dispose();
    expect(ipc.listeners.size).toBe(0);
  });
});
