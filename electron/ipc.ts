// Binds every contract channel to the studio through ONE wrapper: sender check → dispatch (parse → call → Result).
import { channels, type Channel, type Handlers } from '../preload/contract';
import { fail, type Result } from '../engine/errors';
import { dispatch, type DispatchLog } from './dispatch';

/** The part of an ipcMain.handle event that the sender check needs (Electron's IpcMainInvokeEvent fits). */
export interface IpcInvokeEventLike {
  /** Null when the frame has navigated away or been destroyed before the call arrived. */
  readonly senderFrame: { readonly url: string } | null | undefined;
}

/** The part of Electron's ipcMain this module uses, so it can be driven without Electron in tests. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Decides from the sending frame's URL whether a call may run (electron/security.ts isTrustedSender). */
export type SenderCheck = (frameUrl: string | null) => boolean;

export interface RefusedCall {
  channel: Channel;
  frameUrl: string | null;
}

export interface RegisterIpcOptions {
  /** Where refused calls are reported; the default writes one line to stderr. */
  onRefused?: (call: RefusedCall) => void;
  log?: DispatchLog;
}

/**
 * The answer to a caller whose frame is not ours. AUTH rather than VALIDATION: the input may be perfectly
 * valid — it is the caller that is not allowed — and a distinct code keeps these apart in the log.
 */
export const UNTRUSTED_SENDER_MESSAGE = 'This window is not allowed to use Atelier. Reload the studio window.';

const defaultRefusedLog = (call: RefusedCall) => {
  console.warn(`[atelier] refused ${call.channel} from an untrusted frame: ${String(call.frameUrl).slice(0, 200)}`);
};

/**
 * Registers a handler for every channel of the contract. Each call: check the sender, then dispatch()
 * (unknown input → VALIDATION, handler errors → their code). Never rejects: the renderer always gets a
 * Result. Returns a function that removes the handlers again.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  isTrusted: SenderCheck,
  options: RegisterIpcOptions = {},
): () => void {
  const onRefused = options.onRefused ?? defaultRefusedLog;
  const names = Object.keys(channels) as Channel[];
  for (const channel of names) {
    ipcMain.handle(channel, async (event, ...args): Promise<Result<unknown>> => {
      let frameUrl: string | null;
      try {
        frameUrl = event?.senderFrame?.url ?? null;
      } catch {
        // Reading a destroyed frame's URL throws in some Electron versions; treat it as no frame.
        frameUrl = null;
      }
      if (!isTrusted(frameUrl)) {
        onRefused({ channel, frameUrl });
        return fail('AUTH', UNTRUSTED_SENDER_MESSAGE);
      }
      // One argument per call; extra ones are ignored so a caller cannot smuggle anything past the schema.
      return dispatch(handlers, channel, args[0], options.log);
    });
  }
  return () => {
    for (const channel of names) ipcMain.removeHandler(channel);
  };
}
