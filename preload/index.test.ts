// window.atelier as the page sees it: typed calls, payload-only events, unsubscribe, and no raw IPC.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channels, type JobSummary } from './contract';

// Electron cannot run here; the preload's three Electron objects are replaced by recorders.
const exposed = vi.hoisted(() => ({ worlds: new Map<string, unknown>() }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.worlds.set(key, api) },
  ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
  webUtils: { getPathForFile: () => '/home/mara/portfolio/sketch.png' },
}));

type Forward = (event: unknown, ...args: unknown[]) => void;

/** Records what the bridge asks of ipcRenderer and lets the test play the main process. */
class FakeRendererIpc {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  readonly listeners = new Map<string, Set<Forward>>();
  answer: (channel: string, input: unknown) => Promise<unknown> = async () => ({ ok: true, value: null });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.answer(channel, args[0]);
  }
  on(channel: string, listener: Forward): void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
  }
  removeListener(channel: string, listener: Forward): void {
    this.listeners.get(channel)?.delete(listener);
  }
  emit(channel: string, payload: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipc-internals', ports: [] }, payload);
  }
}

let createBridge: typeof import('./index').createBridge;
let NO_ANSWER_MESSAGE: string;

beforeAll(async () => {
  ({ createBridge, NO_ANSWER_MESSAGE } = await import('./index'));
});

const job: JobSummary = {
  id: 'j1',
  kind: 'assets.import',
  title: 'Import 2 images',
  state: 'running',
  progress: 0.5,
  stage: 'Thumbnail 1 of 2: a.png',
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:01.000Z',
  finishedAt: null,
  error: null,
  result: null,
};

describe('preload', () => {
  it('exposes window.atelier with one function per contract channel plus on and pathForFile', () => {
    const bridge = exposed.worlds.get('atelier') as Record<string, unknown>;
    expect(bridge).toBeDefined();
    const domains = new Set(Object.keys(channels).map((c) => c.split(':')[0]));
    expect(Object.keys(bridge).sort()).toEqual([...domains, 'on', 'pathForFile'].sort());
    for (const channel of Object.keys(channels)) {
      const [domain, verb] = channel.split(':') as [string, string];
      expect(typeof (bridge[domain] as Record<string, unknown>)[verb], channel).toBe('function');
    }
  });

  it('never hands the page ipcRenderer or a generic send/invoke', () => {
    const bridge = exposed.worlds.get('atelier') as Record<string, unknown>;
    const seen = new Set<unknown>();
    const walk = (value: unknown, where: string) => {
      if (value === null || typeof value !== 'object' || seen.has(value)) return;
      seen.add(value);
      for (const [key, inner] of Object.entries(value)) {
        expect(['invoke', 'send', 'sendSync', 'ipcRenderer', 'postMessage', 'removeAllListeners'], `${where}.${key}`).not.toContain(key);
        walk(inner, `${where}.${key}`);
      }
    };
    walk(bridge, 'atelier');
  });

  it('sends a call as (channel, input) and returns the Result as given', async () => {
    const ipc = new FakeRendererIpc();
    ipc.answer = async () => ({ ok: true, value: [{ id: 'p1', name: 'Mara' }] });
    const api = createBridge(ipc, () => '');
    expect(await api.profiles.list()).toEqual({ ok: true, value: [{ id: 'p1', name: 'Mara' }] });
    await api.profiles.create({ name: 'Mara', password: 'pw' });
    expect(ipc.invoked).toEqual([
      { channel: 'profiles:list', args: [{}] },
      { channel: 'profiles:create', args: [{ name: 'Mara', password: 'pw' }] },
    ]);
  });

  it('turns a main process that cannot answer into an INTERNAL Result, not a rejection', async () => {
    const ipc = new FakeRendererIpc();
    ipc.answer = async () => {
      throw new Error("Error invoking remote method 'jobs:list': Error: No handler registered");
    };
    const api = createBridge(ipc, () => '');
    expect(await api.jobs.list()).toEqual({ ok: false, error: { code: 'INTERNAL', message: NO_ANSWER_MESSAGE } });
  });

  it('gives listeners the payload only, and unsubscribing stops them', () => {
    const ipc = new FakeRendererIpc();
    const api = createBridge(ipc, () => '');
    const received: unknown[][] = [];
    const off = api.on('jobs:updated', (...args: unknown[]) => received.push(args));
    ipc.emit('jobs:updated', job);
    off();
    off(); // a second call is harmless
    ipc.emit('jobs:updated', { ...job, progress: 1 });
    expect(received).toEqual([[job]]);
    expect(ipc.listeners.get('jobs:updated')?.size).toBe(0);
  });

  it('keeps two subscriptions to the same event independent', () => {
    const ipc = new FakeRendererIpc();
    const api = createBridge(ipc, () => '');
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = api.on('session:changed', (p) => a.push(p));
    api.on('session:changed', (p) => b.push(p));
    offA();
    ipc.emit('session:changed', { profile: null });
    expect(a).toEqual([]);
    expect(b).toEqual([{ profile: null }]);
  });

  it('accepts only contract event names and function listeners', () => {
    const api = createBridge(new FakeRendererIpc(), () => '');
    const on = api.on as (event: string, listener: unknown) => () => void;
    expect(() => on('ELECTRON_BROWSER_WINDOW_ALERT', () => undefined)).toThrow(/Unknown Atelier event/);
    expect(() => on('jobs:list', () => undefined)).toThrow(/Unknown Atelier event/);
    expect(() => on('jobs:updated', 'not a function')).toThrow(/must be functions/);
  });

  it('reports the path of a dropped file, and an empty path for one that has none', () => {
    const api = createBridge(new FakeRendererIpc(), (file) => {
      if (file.name === 'memory.png') throw new TypeError('not a disk file');
      return `/home/mara/${file.name}`;
    });
    expect(api.pathForFile(new File([new Uint8Array([1])], 'sketch.png'))).toBe('/home/mara/sketch.png');
    expect(api.pathForFile(new File([new Uint8Array([1])], 'memory.png'))).toBe('');
  });
});
