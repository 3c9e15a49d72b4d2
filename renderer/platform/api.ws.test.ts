// The loopback client against a real `ws` server: calls, bytes, events, lost connections and reconnects.
import { afterEach, describe, expect, it } from 'vitest';
// Renderer tests run under Node (eslint.config.js allows it for *.test.ts); this one needs a real server.
import { WebSocket, WebSocketServer } from 'ws';
import { buildApi, type Result } from '../../preload/contract';
import { decodeFrame, encodeFrame, type ClientFrame } from '../../preload/wire';
import {
  CLOSED_MESSAGE,
  LOST_MESSAGE,
  UNREACHABLE_MESSAGE,
  createWsTransport,
  hostSocketUrl,
  reconnectDelay,
  tokenFromHash,
  type ConnectionStatus,
  type OpenSocket,
  type WsTransport,
} from './api.ws';

const openNodeSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.on('open', () => handlers.open());
  socket.on('message', (data, isBinary) => handlers.message(isBinary ? data : data.toString()));
  socket.on('close', () => handlers.close());
  socket.on('error', () => undefined);
  return socket;
};

interface TestHost {
  server: WebSocketServer;
  port: number;
  /** Calls the server saw, in order. */
  calls: ClientFrame[];
  /** When set, calls to this channel get no answer (so they stay pending). */
  silent: Set<string>;
  broadcast(text: string): void;
  close(): Promise<void>;
}

async function startHost(port = 0): Promise<TestHost> {
  const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const host: TestHost = {
    server,
    port: (server.address() as { port: number }).port,
    calls: [],
    silent: new Set(),
    broadcast(text) {
      for (const client of server.clients) client.send(text);
    },
    close() {
      for (const client of server.clients) client.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket, request) => {
    const token = new URL(request.url ?? '/', 'http://x').searchParams.get('token');
    if (token !== 'secret') return socket.close(4001, 'bad token');
    socket.on('message', (data) => {
      const frame = decodeFrame(data.toString()) as ClientFrame;
      host.calls.push(frame);
      if (host.silent.has(frame.channel)) return;
      let result: Result<unknown>;
      if (frame.channel === 'app:info') {
        result = { ok: true, value: { name: 'Atelier', version: '0.1.0', platform: 'linux', transport: 'host', dataDir: '/d' } };
      } else if (frame.channel === 'assets:import') {
        // Echo the bytes back so the test sees them survive the trip both ways.
        const input = frame.input as { sources: { bytes: Uint8Array }[] };
        result = { ok: true, value: { mime: 'image/webp', bytes: input.sources[0]!.bytes } };
      } else {
        result = { ok: false, error: { code: 'NOT_FOUND', message: `No “${frame.channel}” here.` } };
      }
      socket.send(encodeFrame({ type: 'result', id: frame.id, result }));
    });
  });
  return host;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Gave up waiting for: ${what}`);
}

const hosts: TestHost[] = [];
const transports: WsTransport[] = [];

async function setUp(): Promise<{ host: TestHost; transport: WsTransport; statuses: ConnectionStatus[] }> {
  const host = await startHost();
  hosts.push(host);
  const transport = createWsTransport({
    url: `ws://127.0.0.1:${host.port}/ws?token=secret`,
    openSocket: openNodeSocket,
    reconnectDelay: () => 20,
  });
  transports.push(transport);
  const statuses: ConnectionStatus[] = [transport.status()];
  transport.onStatus((s) => statuses.push(s));
  return { host, transport, statuses };
}

afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  for (const h of hosts.splice(0)) await h.close();
});

describe('loopback client', () => {
  it('answers a call made before the socket opened, once it opens', async () => {
    const { transport, statuses } = await setUp();
    const api = buildApi(transport.invoke, transport.subscribe);
    const info = await api.app.info();
    expect(info).toEqual({
      ok: true,
      value: { name: 'Atelier', version: '0.1.0', platform: 'linux', transport: 'host', dataDir: '/d' },
    });
    expect(statuses).toEqual(['connecting', 'open']);
  });

  it('carries bytes both ways intact', async () => {
    const { transport } = await setUp();
    const bytes = new Uint8Array(70_001).map((_, i) => (i * 31) % 256);
    const echoed = (await transport.invoke('assets:import', {
      sources: [{ kind: 'bytes', name: 'sketch.png', bytes }],
    })) as unknown as Result<{ bytes: Uint8Array }>;
    expect(echoed.ok).toBe(true);
    if (echoed.ok) {
      expect(echoed.value.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(echoed.value.bytes)).toEqual(Array.from(bytes));
    }
  });

  it('passes error Results through as they are', async () => {
    const { transport } = await setUp();
    expect(await transport.invoke('jobs:list', {})).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No “jobs:list” here.' },
    });
  });

  it('delivers events to subscribers until they unsubscribe, and ignores junk frames', async () => {
    const { host, transport } = await setUp();
    await transport.invoke('app:info', {});
    const seen: unknown[] = [];
    const unsubscribe = transport.subscribe('assets:changed', (payload) => seen.push(payload));
    host.broadcast('this is not json');
    host.broadcast(JSON.stringify({ type: 'event', event: 'not:an-event', payload: 1 }));
    host.broadcast(JSON.stringify({ type: 'result', id: 999_999, result: { ok: true, value: 1 } }));
    host.broadcast(encodeFrame({ type: 'event', event: 'assets:changed', payload: { added: 2 } }));
    await until(() => seen.length === 1, 'the event');
    unsubscribe();
    host.broadcast(encodeFrame({ type: 'event', event: 'assets:changed', payload: { added: 5 } }));
    // A call after the second event proves the frame was processed before we look.
    await transport.invoke('app:info', {});
    expect(seen).toEqual([{ added: 2 }]);
  });

  it('fails a call in flight with a clear message when the socket dies, then reconnects', async () => {
    const { host, transport, statuses } = await setUp();
    await transport.invoke('app:info', {});
    host.silent.add('jobs:get');
    const pending = transport.invoke('jobs:get', { jobId: 'j1' });
    await until(() => host.calls.some((c) => c.channel === 'jobs:get'), 'the call to reach the host');
    for (const client of host.server.clients) client.terminate();

    expect(await pending).toEqual({ ok: false, error: { code: 'INTERNAL', message: LOST_MESSAGE } });
    await until(() => transport.status() === 'open' && statuses.includes('reconnecting'), 'the reconnect');
    expect((await transport.invoke('app:info', {})).ok).toBe(true);
  });

  it('fails calls with "not reachable" while the host is down, and recovers when it is back', async () => {
    const { host, transport } = await setUp();
    await transport.invoke('app:info', {});
    const port = host.port;
    await host.close();
    hosts.splice(hosts.indexOf(host), 1);
    await until(() => transport.status() === 'reconnecting', 'the client to notice');

    expect(await transport.invoke('app:info', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: UNREACHABLE_MESSAGE },
    });

    hosts.push(await startHost(port));
    await until(() => transport.status() === 'open', 'the reconnect');
    expect((await transport.invoke('app:info', {})).ok).toBe(true);
  });

  it('after close(), pending and new calls fail and it stays closed', async () => {
    const { host, transport } = await setUp();
    await transport.invoke('app:info', {});
    host.silent.add('jobs:get');
    const pending = transport.invoke('jobs:get', { jobId: 'j1' });
    await until(() => host.calls.some((c) => c.channel === 'jobs:get'), 'the call to reach the host');
    transport.close();
    expect(await pending).toEqual({ ok: false, error: { code: 'INTERNAL', message: CLOSED_MESSAGE } });
    expect(await transport.invoke('app:info', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: CLOSED_MESSAGE } });
    expect(transport.status()).toBe('closed');
  });

  it('refuses input that cannot be sent instead of throwing', async () => {
    const { transport } = await setUp();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const result = await transport.invoke('app:info', circular as never);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('VALIDATION');
  });

  it('keeps retrying a host that refuses the socket, without crashing', async () => {
    const host = await startHost();
    hosts.push(host);
    const transport = createWsTransport({
      url: `ws://127.0.0.1:${host.port}/ws?token=wrong`,
      openSocket: openNodeSocket,
      reconnectDelay: () => 20,
    });
    transports.push(transport);
    const result = await transport.invoke('app:info', {});
    expect(result.ok).toBe(false);
    expect(['connecting', 'reconnecting']).toContain(transport.status());
  });
});

describe('addresses and backoff', () => {
  it('reads the token from the page fragment', () => {
    expect(tokenFromHash('#token=abc-_123')).toBe('abc-_123');
    expect(tokenFromHash('#foo=1&token=t0k')).toBe('t0k');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('#nothing')).toBeNull();
  });

  it('builds the socket address on the page host', () => {
    expect(hostSocketUrl({ protocol: 'http:', host: '127.0.0.1:4567' }, 'a+b/c')).toBe(
      'ws://127.0.0.1:4567/ws?token=a%2Bb%2Fc',
    );
    expect(hostSocketUrl({ protocol: 'https:', host: 'x:1' }, 't')).toBe('wss://x:1/ws?token=t');
  });

  it('backs off by doubling, up to a cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 50, 10_000].map(reconnectDelay);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays[1]).toBe(delays[0]! * 2);
    expect(Math.max(...delays)).toBe(reconnectDelay(10_000));
    expect(reconnectDelay(10_000)).toBeLessThanOrEqual(10_000);
  });
});
