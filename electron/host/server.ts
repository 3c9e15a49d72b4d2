// The loopback host: serves the renderer over HTTP and the studio's contract over a token-guarded WebSocket,
// on 127.0.0.1 only, so the studio runs in a normal browser (npm run dev:web, the browser end-to-end tests).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { EventName, Result } from '../../preload/contract';
import { decodeFrame, encodeFrame, type ServerFrame } from '../../preload/wire';
import { dispatch } from '../dispatch';
import { contentSecurityPolicy, mimeFor, resolveInside } from '../security';
import type { Studio } from '../studio';

/** The loopback interface: nothing else on the network can reach the host. */
export const HOST_ADDRESS = '127.0.0.1';
/** The WebSocket endpoint of the contract. */
export const WS_PATH = '/ws';
/**
 * Largest WebSocket frame accepted. Browser uploads carry image bytes as base64 inside one JSON frame, and
 * V8 cannot hold a string much longer than 2^29 characters (~512 Mi), so a larger frame could not be decoded
 * anyway; the renderer splits big imports into several calls.
 */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;
/** 32 random bytes = 256 bits: not guessable by another local user or web page. */
const TOKEN_BYTES = 32;

export type DevMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface HostOptions {
  /** Only the handlers and the event bus are used; the caller owns the studio and closes it. */
  studio: Pick<Studio, 'handlers' | 'events'>;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (out/web). */
  staticDir?: string;
  /** Vite's dev server in middleware mode; takes precedence over staticDir. */
  devMiddleware?: DevMiddleware;
}

export interface RunningHost {
  /** Open this in a browser: the token rides in the fragment, which browsers never send to the server. */
  url: string;
  /** http://127.0.0.1:PORT — the only Origin allowed to open the WebSocket. */
  origin: string;
  port: number;
  token: string;
  /** The HTTP server, for a dev server that attaches its own hot-reload socket to it. */
  httpServer: http.Server;
  /** Stops listening and closes every socket (the studio itself stays open). */
  close(): Promise<void>;
}

/** Both sides hashed first so the comparison takes the same time whatever the length of the guess. */
export function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * Why an upgrade to the contract socket is refused, or null when it may proceed. The Origin check stops a
 * web page on another site (or a DNS-rebound name pointing at 127.0.0.1) from driving the studio even if it
 * learnt the port; the token stops other local programs and users.
 */
export function refuseUpgrade(
  req: { url?: string | undefined; headers: { origin?: string | undefined } },
  expected: { origin: string; token: string },
): { status: 401 | 403; reason: string } | null {
  const url = parseRequestUrl(req.url);
  if (!url || !tokenMatches(expected.token, url.searchParams.get('token'))) {
    return { status: 401, reason: 'A valid token is required.' };
  }
  if (req.headers.origin !== expected.origin) {
    return { status: 403, reason: 'This origin may not connect.' };
  }
  return null;
}

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  // Filled in once the server listens; every handler below runs after that.
  let origin = '';
  let csp = '';

  const server = http.createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.headers.host !== origin.slice('http://'.length)) {
      // A DNS-rebound name (or "localhost", whose pages could not open the socket) is not served.
      return plain(res, 421, `Atelier Studio answers only at ${origin}/ — open the address it printed.`);
    }
    if (opts.devMiddleware) {
      opts.devMiddleware(req, res, (err) => plain(res, err ? 500 : 404, err ? 'Internal error' : 'Not found.'));
      return;
    }
    if (!opts.staticDir) return plain(res, 404, 'Not found.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed.');
    }
    const pathname = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    const file = resolveInside(opts.staticDir, pathname);
    if (!file) return plain(res, 404, 'Not found.');
    let size: number;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) return plain(res, 404, 'Not found.');
      size = stat.size;
    } catch {
      return plain(res, 404, 'Not found.');
    }
    res.writeHead(200, { 'Content-Type': mimeFor(file), 'Content-Length': String(size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = parseRequestUrl(req.url)?.pathname ?? null;
    if (pathname !== WS_PATH) {
      // In dev mode Vite's hot-reload socket shares this server and answers its own path.
      if (!opts.devMiddleware) refuseSocket(socket, 404, 'Not found.');
      return;
    }
    const refusal = refuseUpgrade(req, { origin, token });
    if (refusal) return refuseSocket(socket, refusal.status, refusal.reason);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return; // the wire format is text frames only
      answer(ws, rawToString(data)).catch(() => ws.terminate());
    });
  });

  async function answer(ws: WebSocket, text: string): Promise<void> {
    const call = readCall(text);
    if (!call) return;
    const result: Result<unknown> =
      'error' in call ? { ok: false, error: call.error } : await dispatch(opts.studio.handlers, call.channel, call.input);
    send(ws, { type: 'result', id: call.id, result });
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    let text: string;
    try {
      text = encodeFrame(frame);
    } catch {
      if (frame.type !== 'result') return;
      text = encodeFrame({
        type: 'result',
        id: frame.id,
        result: { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Atelier. The details are in the log.' } },
      });
    }
    ws.send(text);
  }

  const stopEvents = opts.studio.events.onAny((event: EventName, payload: unknown) => {
    for (const ws of wss.clients) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOST_ADDRESS}:${port}`;
  csp = contentSecurityPolicy({ connect: [`ws://${HOST_ADDRESS}:${port}`], dev: Boolean(opts.devMiddleware) });

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    httpServer: server,
    close: () =>
      (closing ??= (async () => {
        stopEvents();
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}

type ReadCall = { id: number; channel: unknown; input: unknown } | { id: number; error: { code: 'VALIDATION'; message: string } };

/**
 * A text frame → a call to dispatch, a VALIDATION answer for a frame with an id that is not a proper call,
 * or null (dropped) when there is no id to answer to.
 */
export function readCall(text: string): ReadCall | null {
  let frame: unknown;
  try {
    frame = decodeFrame(text);
  } catch {
    // Valid JSON with a bad {"$bytes"} value still has an id worth answering.
    let loose: unknown;
    try {
      loose = JSON.parse(text);
    } catch {
      return null;
    }
    const id = idOf(loose);
    return id === null ? null : { id, error: { code: 'VALIDATION', message: 'The request carried bytes that could not be read.' } };
  }
  const id = idOf(frame);
  if (id === null) return null;
  const f = frame as { type?: unknown; channel?: unknown; input?: unknown };
  if (f.type !== 'call' || typeof f.channel !== 'string') {
    return { id, error: { code: 'VALIDATION', message: 'The request is not a call.' } };
  }
  return { id, channel: f.channel, input: f.input };
}

/** The request target as a URL, or null for one that does not parse (it must not throw in an event handler). */
function parseRequestUrl(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function idOf(frame: unknown): number | null {
  if (!frame || typeof frame !== 'object' || Array.isArray(frame)) return null;
  const id = (frame as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function refuseSocket(socket: Duplex, status: number, reason: string): void {
  const statusText = http.STATUS_CODES[status] ?? 'Refused';
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}
