// The desktop transport: the contract over `window.atelier`, which the preload script exposes.
import {
  type AtelierBridge,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type Invoke,
  type Result,
  type Subscribe,
} from '../../preload/contract';

type BridgeMethod = (input?: unknown) => Promise<Result<unknown>>;

/**
 * Calls go through the bridge's per-domain methods. A call that throws instead of returning a Result
 * (no handler registered, the bridge torn down) becomes an INTERNAL Result, so nothing raw reaches the UI.
 */
export function electronTransport(bridge: AtelierBridge): { invoke: Invoke; subscribe: Subscribe } {
  const invoke = (async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> => {
    const [domain, verb] = channel.split(':') as [string, string];
    const group = (bridge as unknown as Record<string, Record<string, BridgeMethod> | undefined>)[domain];
    const method = group?.[verb];
    if (typeof method !== 'function') {
      return { ok: false, error: { code: 'INTERNAL', message: `Atelier Studio does not offer “${channel}” in this version.` } };
    }
    try {
      return (await method(input)) as Result<ChannelOutput<C>>;
    } catch (e) {
      console.error('[atelier] bridge call failed', channel, e);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Something went wrong inside Atelier. The details are in the log.' },
      };
    }
  }) as Invoke;
  const subscribe: Subscribe = (event, listener) => bridge.on(event, listener);
  return { invoke, subscribe };
}

/** The bridge when running inside the desktop app, or null in a normal browser. */
export function findBridge(): AtelierBridge | null {
  const candidate = (globalThis as { atelier?: unknown }).atelier;
  return candidate && typeof candidate === 'object' ? (candidate as AtelierBridge) : null;
}
