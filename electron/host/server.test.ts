// The loopback host against a real studio: calls and events over the token socket, refusals, hostile frames, static files.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { importReportOf, type JobSummary, type Result } from '../../preload/contract';
import { decodeFrame, encodeFrame, type ServerFrame } from '../../preload/wire';
import { makePng } from '../../tests/fixtures/images';
import { createStudio, type Studio } from '../studio';
import { readCall, refuseUpgrade, startHost, tokenMatches, type RunningHost } from './server';

/** scrypt at test cost: the real cost is for people, not for a test suite. */
const TEST_KDF = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };

let dir: string;
let staticDir: string;
let studio: Studio;
let host: RunningHost;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-host-'));
  staticDir = path.join(dir, 'web');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Atelier</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("studio");');
  // A file beside the served folder that traversal must never reach.
  await fs.writeFile(path.join(dir, 'secret.txt'), 'not for the browser');
  studio = createStudio({ dataDir: path.join(dir, 'data'), appVersion: '0.0.0-test', transport: 'host', kdf: TEST_KDF, poolSize: 1 });
  host = await startHost({ studio, staticDir });
});

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

afterAll(async () => {
  await host.close();
  await studio.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** A client the way the renderer connects: token in the query, the page's own Origin. */
function connect(opts: { token?: string | null; origin?: string | null } = {}): WebSocket {
  const token = opts.token === undefined ? host.token : opts.token;
  const origin = opts.origin === undefined ? host.origin : opts.origin;
  const url = `ws://127.0.0.1:${host.port}/ws${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const ws = new WebSocket(url, origin === null ? {} : { origin });
  sockets.push(ws);
  return ws;
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

/** The HTTP status of a refused upgrade. */
function refusedWith(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the socket was accepted')));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

/** Collects every frame the server sends. */
function inbox(ws: WebSocket): ServerFrame[] {
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(decodeFrame(data.toString()) as ServerFrame));
  return frames;
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

let nextId = 1;
async function call(ws: WebSocket, frames: ServerFrame[], channel: string, input: unknown): Promise<Result<unknown>> {
  const id = nextId++;
  ws.send(encodeFrame({ type: 'call', id, channel: channel as never, input }));
  const reply = await until(() => frames.find((f) => f.type === 'result' && f.id === id), `the answer to ${channel}`);
  return (reply as Extract<ServerFrame, { type: 'result' }>).result;
}

function get(pathname: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathname, method: opts.method ?? 'GET', headers: opts.host ? { host: opts.host } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the contract socket', () => {
  it('listens on 127.0.0.1 only and keeps the token in the URL fragment', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    // 32 random bytes in base64url.
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((host.httpServer.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('round-trips calls and forwards the studio events with the right token and origin', async () => {
    const ws = connect();
    const frames = inbox(ws);
    await opened(ws);

    const info = await call(ws, frames, 'app:info', {});
    expect(info).toMatchObject({ ok: true, value: { transport: 'host', version: '0.0.0-test' } });

    const created = await call(ws, frames, 'profiles:create', { name: 'Mira', password: 'correct horse' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Mira' } });
    const profileId = (created as { value: { id: string } }).value.id;

    const unlocked = await call(ws, frames, 'profiles:unlock', { profileId, password: 'correct horse' });
    expect(unlocked.ok).toBe(true);
    const event = await until(
      () => frames.find((f) => f.type === 'event' && f.event === 'session:changed'),
      'the session:changed event',
    );
    expect(event).toMatchObject({ payload: { profile: { id: profileId, name: 'Mira' } } });

    // Uploaded bytes travel as {"$bytes": base64} and come back as bytes (a thumbnail).
    const png = await fs.readFile(await makePng(path.join(dir, 'upload.png'), 64, 48, 3));
    const queued = await call(ws, frames, 'assets:import', { sources: [{ kind: 'bytes', name: 'upload.png', bytes: new Uint8Array(png) }] });
    expect(queued.ok).toBe(true);
    const jobId = (queued as { value: JobSummary }).value.id;
    const done = await until(
      () =>
        frames.find(
          (f) => f.type === 'event' && f.event === 'jobs:updated' && (f.payload as JobSummary).id === jobId && (f.payload as JobSummary).state === 'succeeded',
        ),
      'the import job to finish',
    );
    const report = importReportOf((done as { payload: JobSummary }).payload);
    expect(report?.imported).toBe(1);
    const first = report?.results[0];
    expect(first?.ok).toBe(true);
    const assetId = first?.ok ? first.asset.id : '';
    const thumb = await call(ws, frames, 'assets:thumbnail', { assetId });
    expect(thumb.ok).toBe(true);
    expect((thumb as { value: { bytes: unknown } }).value.bytes).toBeInstanceOf(Uint8Array);
    expect(((thumb as { value: { bytes: Uint8Array } }).value.bytes).length).toBeGreaterThan(0);

    // A second page sees the events too.
    const other = connect();
    const otherFrames = inbox(other);
    await opened(other);
    await call(ws, frames, 'profiles:lock', {});
    await until(
      () => otherFrames.find((f) => f.type === 'event' && f.event === 'session:changed' && (f.payload as { profile: unknown }).profile === null),
      'the lock event on the second socket',
    );
  });

  it('refuses a wrong token, a missing token, a foreign Origin and a missing Origin', async () => {
    expect(await refusedWith(connect({ token: 'x'.repeat(43) }))).toBe(401);
    expect(await refusedWith(connect({ token: `${host.token}x` }))).toBe(401);
    expect(await refusedWith(connect({ token: null }))).toBe(401);
    expect(await refusedWith(connect({ origin: 'http://evil.example' }))).toBe(403);
    // DNS rebinding: the right port under another name is still another origin.
    expect(await refusedWith(connect({ origin: `http://attacker.example:${host.port}` }))).toBe(403);
    expect(await refusedWith(connect({ origin: null }))).toBe(403);
  });

  it('refuses sockets on any other path', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/other?token=${host.token}`, { origin: host.origin });
    sockets.push(ws);
    expect(await refusedWith(ws)).toBe(404);
  });

  it('survives upgrade requests with a target that is not a URL', async () => {
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(host.port, '127.0.0.1', () => {
        socket.write(
          `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: ${host.origin}\r\nConnection: Upgrade\r\n` +
            'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (text += c));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 (400|404)/);
    expect((await get('/')).status).toBe(200);
  });

  it('answers malformed frames with VALIDATION when they carry an id, drops the rest, and keeps serving', async () => {
    const ws = connect();
    const frames = inbox(ws);
    await opened(ws);
    ws.send('this is not json');
    ws.send('{"type":"call","channel":"app:info"'); // truncated
    ws.send('[1,2,3]');
    ws.send('null');
    ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    ws.send(JSON.stringify({ id: 901 }));
    ws.send(JSON.stringify({ type: 'call', id: 902, channel: 'nope:never', input: {} }));
    ws.send(JSON.stringify({ type: 'call', id: 903, channel: 'profiles:create', input: { name: '', password: 1 } }));
    ws.send(JSON.stringify({ type: 'call', id: 904, channel: 'app:info', input: { x: { $bytes: '!!!' } } }));
    ws.send(JSON.stringify({ type: 'call', id: 905, channel: 'app:info', input: 'a string' }));
    ws.send(JSON.stringify({ type: 'call', id: 906, channel: { toString: 1 }, input: {} }));
    ws.send(JSON.stringify({ type: 'call', id: 907, channel: 'constructor', input: {} }));
    ws.send(JSON.stringify({ type: 'call', id: 908, channel: '__proto__', input: {} }));
    for (const id of [901, 902, 903, 904, 905, 906, 907, 908]) {
      const reply = await until(() => frames.find((f) => f.type === 'result' && f.id === id), `the answer to ${id}`);
      expect((reply as { result: Result<unknown> }).result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    // The connection and the host are still fine.
    expect(await call(ws, frames, 'app:info', {})).toMatchObject({ ok: true });
    expect(frames.filter((f) => f.type === 'result')).toHaveLength(9);
  });

  it('answers calls that need a profile with AUTH when none is unlocked', async () => {
    const ws = connect();
    const frames = inbox(ws);
    await opened(ws);
    expect(await call(ws, frames, 'assets:list', {})).toMatchObject({ ok: false, error: { code: 'AUTH' } });
  });
});

describe('static files', () => {
  it('serves the app with CSP, nosniff, no-store and the right type', async () => {
    const root = await get('/');
    expect(root.status).toBe(200);
    expect(root.body).toContain('<title>Atelier</title>');
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = root.headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    // No inline script and no eval outside dev mode.
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(root.headers['x-content-type-options']).toBe('nosniff');
    expect(root.headers['cache-control']).toBe('no-store');

    const js = await get('/assets/app.js?v=1');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(csp);
  });

  it('never leaves the served folder', async () => {
    for (const attempt of [
      '/..%2f..%2fetc/passwd',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/../secret.txt',
    ]) {
      const res = await get(attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.body).not.toContain('not for the browser');
    }
  });

  it('answers unknown files and folders with 404, other methods with 405, other host names with 421', async () => {
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/settings')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { method: 'HEAD' })).status).toBe(200);
    // A DNS-rebound name reaching our port is not served the page.
    expect((await get('/', { host: `attacker.example:${host.port}` })).status).toBe(421);
    expect((await get('/', { host: `localhost:${host.port}` })).body).toContain(host.origin);
  });
});

describe('the pure guards', () => {
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });

  it('decides upgrades by token first, then origin', () => {
    const expected = { origin: 'http://127.0.0.1:5000', token: 'tok' };
    expect(refuseUpgrade({ url: '/ws?token=tok', headers: { origin: expected.origin } }, expected)).toBeNull();
    expect(refuseUpgrade({ url: '/ws?token=bad', headers: { origin: expected.origin } }, expected)?.status).toBe(401);
    expect(refuseUpgrade({ url: '/ws?token=tok', headers: { origin: 'http://localhost:5000' } }, expected)?.status).toBe(403);
    expect(refuseUpgrade({ url: '/ws?token=tok', headers: {} }, expected)?.status).toBe(403);
  });

  it('reads frames without trusting them', () => {
    expect(readCall('{"type":"call","id":1,"channel":"app:info","input":{}}')).toEqual({ id: 1, channel: 'app:info', input: {} });
    expect(readCall('{"type":"call","id":"1","channel":"app:info"}')).toBeNull();
    expect(readCall('{"type":"call","id":1.5,"channel":"app:info"}')).toBeNull();
    expect(readCall('{"type":"event","id":2}')).toMatchObject({ id: 2, error: { code: 'VALIDATION' } });
    expect(readCall('')).toBeNull();
    expect(readCall('{"__proto__":{"id":3}}')).toBeNull();
  });
});
