// The loopback host client: the contract over one WebSocket (preload/wire.ts frames), with reconnects.
import {
  isEventName,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type EventName,
  type EventPayload,
  type Invoke,
  type Result,
  type Subscribe,
} from '../../preload/contract';
import { decodeFrame, encodeFrame } from '../../preload/wire';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'no-token';

/** What the client needs from a socket; the browser's WebSocket and the `ws` package both fit behind it. */
export interface SocketLike {
  send(text: string): void;
  close(): void;
}
export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  close(): void;
}
export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketLike;

export interface WsTransportOptions {
  /** ws://127.0.0.1:PORT/ws?token=… */
  url: string;
  openSocket?: OpenSocket;
  /** Milliseconds to wait before reconnect attempt `attempt` (0-based). */
  reconnectDelay?: (attempt: number) => number;
}

export interface WsTransport {
  invoke: Invoke;
  subscribe: Subscribe;
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Closes for good: pending and later calls fail, no reconnects. */
  close(): void;
}

// The host is on the same machine, so a reconnect is cheap: start fast, but never hammer a host that is
// restarting (cap at a few seconds so the banner clears soon after it is back).
export const RECONNECT_FIRST_MS = 250;
export const RECONNECT_MAX_MS = 5_000;

export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
}

export const LOST_MESSAGE =
  'The connection to Atelier Studio was lost before it answered. The action may not have finished; check, then try again.';
export const UNREACHABLE_MESSAGE =
  'Atelier Studio is not reachable right now. It reconnects on its own; try again in a moment.';
export const CLOSED_MESSAGE = 'This window is no longer connected to Atelier Studio. Reload the page to reconnect.';

function lostResult(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

/** The browser's own WebSocket. */
export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.open();
  socket.onmessage = (event) => handlers.message(event.data);
  socket.onclose = () => handlers.close();
  // An error is always followed by close, which does the work.
  socket.onerror = () => undefined;
  return socket;
};

/** Reads the host's token from the page address (`http://127.0.0.1:PORT/#token=TOKEN`). */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.length > 0 ? token : null;
}

/** The host's WebSocket address for a page served at `location`. */
export function hostSocketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

type Settle = (result: Result<unknown>) => void;

function isResultShape(value: unknown): value is Result<unknown> {
  if (!value || typeof value !== 'object') return false;
  const r = value as { ok?: unknown; error?: unknown };
  if (r.ok === true) return 'value' in r;
  if (r.ok !== false || !r.error || typeof r.error !== 'object') return false;
  const e = r.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

export function createWsTransport(options: WsTransportOptions): WsTransport {
  const openSocket = options.openSocket ?? openBrowserSocket;
  const delayFor = options.reconnectDelay ?? reconnectDelay;

  let socket: SocketLike | null = null;
  let isOpen = false;
  let everOpened = false;
  let closedForGood = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  let current: ConnectionStatus = 'connecting';

  /** Calls sent on the open socket, waiting for their result. */
  const awaiting = new Map<number, Settle>();
  /** Calls made while the socket was not open; sent as soon as it opens. */
  let outbox: { id: number; text: string; settle: Settle }[] = [];
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();

  function setStatus(next: ConnectionStatus): void {
    if (next === current) return;
    current = next;
    for (const listener of [...statusListeners]) {
      try {
        listener(next);
      } catch (e) {
        console.error('[atelier] connection listener failed', e);
      }
    }
  }

  function failAwaiting(message: string): void {
    const settles = [...awaiting.values()];
    awaiting.clear();
    for (const settle of settles) settle(lostResult(message));
  }

  function failOutbox(message: string): void {
    const waiting = outbox;
    outbox = [];
    for (const call of waiting) call.settle(lostResult(message));
  }

  function sendNow(id: number, text: string, settle: Settle): void {
    try {
      socket!.send(text);
      awaiting.set(id, settle);
    } catch {
      settle(lostResult(LOST_MESSAGE));
    }
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = decodeFrame(data);
    } catch {
      console.warn('[atelier] ignored a frame that is not valid JSON');
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const f = frame as { type?: unknown; id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (f.type === 'result' && typeof f.id === 'number') {
      const settle = awaiting.get(f.id);
      if (!settle) return;
      awaiting.delete(f.id);
      settle(
        isResultShape(f.result)
          ? f.result
          : lostResult('Atelier Studio sent an answer this window cannot read. Reload the page.'),
      );
    } else if (f.type === 'event' && isEventName(f.event)) {
      for (const listener of [...(eventListeners.get(f.event) ?? [])]) {
        try {
          listener(f.payload);
        } catch (e) {
          console.error('[atelier] event listener failed', f.event, e);
        }
      }
    }
  }

  function handleClose(opened: boolean): void {
    socket = null;
    isOpen = false;
    failAwaiting(LOST_MESSAGE);
    if (closedForGood) {
      failOutbox(CLOSED_MESSAGE);
      return;
    }
    // A connection attempt that never opened: whoever is waiting gets an answer now, not after backoff.
    if (!opened) failOutbox(UNREACHABLE_MESSAGE);
    setStatus('reconnecting');
    timer = setTimeout(connect, delayFor(attempt++));
  }

  function connect(): void {
    timer = null;
    if (closedForGood) return;
    setStatus(everOpened ? 'reconnecting' : attempt === 0 ? 'connecting' : 'reconnecting');
    let opened = false;
    let finished = false;
    const handlers: SocketHandlers = {
      open() {
        if (finished || closedForGood) return;
        opened = true;
        isOpen = true;
        everOpened = true;
        attempt = 0;
        setStatus('open');
        const waiting = outbox;
        outbox = [];
        for (const call of waiting) sendNow(call.id, call.text, call.settle);
      },
      message(data) {
        if (!finished) handleMessage(data);
      },
      close() {
        if (finished) return;
        finished = true;
        handleClose(opened);
      },
    };
    try {
      socket = openSocket(options.url, handlers);
    } catch {
      finished = true;
      handleClose(false);
    }
  }

  const invoke = (<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> => {
    return new Promise<Result<unknown>>((settle) => {
      if (closedForGood) return settle(lostResult(CLOSED_MESSAGE));
      const id = nextId++;
      let text: string;
      try {
        text = encodeFrame({ type: 'call', id, channel, input });
      } catch {
        return settle({
          ok: false,
          error: { code: 'VALIDATION', message: `This request (${channel}) could not be sent: its data is not serialisable.` },
        });
      }
      if (isOpen && socket) sendNow(id, text, settle);
      else outbox.push({ id, text, settle });
    }) as Promise<Result<ChannelOutput<C>>>;
  }) as Invoke;

  const subscribe = (<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): (() => void) => {
    let set = eventListeners.get(event);
    if (!set) eventListeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }) as Subscribe;

  connect();

  return {
    invoke,
    subscribe,
    status: () => current,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    close() {
      if (closedForGood) return;
      closedForGood = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const s = socket;
      socket = null;
      isOpen = false;
      failAwaiting(CLOSED_MESSAGE);
      failOutbox(CLOSED_MESSAGE);
      setStatus('closed');
      try {
        s?.close();
      } catch {
        // Already closing; nothing to do.
      }
    },
  };
}
