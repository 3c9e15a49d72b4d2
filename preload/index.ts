// The sandboxed preload (bundled to one CommonJS file): exposes window.atelier built from the contract, never raw ipcRenderer.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { fail } from '../engine/errors';
import { buildApi, isChannel, isEventName, type AtelierBridge, type Invoke, type Subscribe } from './contract';

/** The part of ipcRenderer the bridge uses (Electron's ipcRenderer fits; tests pass a stand-in). */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Shown when the main process could not answer at all (it crashed, or is shutting down). */
export const NO_ANSWER_MESSAGE = 'Atelier’s main process did not answer. Save nothing more and restart Atelier.';

/** Builds window.atelier over an ipcRenderer-like transport. */
export function createBridge(ipc: RendererIpc, pathOfFile: (file: File) => string): AtelierBridge {
  const invoke: Invoke = async (channel, input) => {
    // Checked here too so a typo in the renderer fails fast with the same code the main process would give.
    if (!isChannel(channel)) return fail('VALIDATION', `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.`);
    try {
      return (await ipc.invoke(channel, input)) as Awaited<ReturnType<Invoke>>;
    } catch {
      return fail('INTERNAL', NO_ANSWER_MESSAGE);
    }
  };

  const subscribe: Subscribe = (event, listener) => {
    if (!isEventName(event)) throw new Error(`Unknown Atelier event ${JSON.stringify(String(event)).slice(0, 80)}.`);
    if (typeof listener !== 'function') throw new Error('Atelier event listeners must be functions.');
    // The IPC event object carries the sender and ports; the page gets the payload only.
    const forward = (_event: unknown, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
    ipc.on(event, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(event, forward);
    };
  };

  const pathForFile = (file: File): string => {
    try {
      return pathOfFile(file);
    } catch {
      // Not a File, or one made in memory: it has no path; the renderer sends bytes instead.
      return '';
    }
  };

  return Object.assign(buildApi(invoke, subscribe), { pathForFile });
}

contextBridge.exposeInMainWorld(
  'atelier',
  createBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
