// Inside a worker thread: runs the tasks the pool sends, reports their progress, honours cancel.
import { parentPort, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { AtelierError, toErrorInfo, type ErrorInfo } from '../../engine/errors';

/** What a task receives besides its input. Structural on purpose: engine/ declares an identical shape. */
export interface WorkerTaskContext {
  signal: AbortSignal;
  /** fraction in 0..1; stage says what the task is doing now, in the creator's words. */
  progress(fraction: number, stage?: string): void;
  /** Sends a side message to the caller while the task runs (a generation's preview picture); dropped after the end. */
  note?(payload: unknown): void;
}

/** Every task a worker can run, by name. Inputs and outputs must survive structured clone. */
export type TaskTable = Record<string, (input: never, ctx: WorkerTaskContext) => Promise<unknown>>;

/** Main thread → worker. */
export type PoolToWorkerMessage =
  | { type: 'run'; id: number; task: string; input: unknown }
  | { type: 'cancel'; id: number };

/** Worker → main thread. */
export type WorkerToPoolMessage =
  | { type: 'progress'; id: number; fraction: number; stage?: string }
  | { type: 'note'; id: number; payload: unknown }
  | { type: 'done'; id: number; output: unknown }
  | { type: 'error'; id: number; error: ErrorInfo };

/**
 * Serves `tasks` over this worker's parentPort until the pool terminates the thread.
 * Call it once at the top level of a worker entry module.
 */
export function serveTasks(tasks: TaskTable): void {
  const port = parentPort;
  if (!port) {
    throw new AtelierError('INTERNAL', 'The job worker was started outside a worker thread.');
  }
  const running = new Map<number, AbortController>();

  port.on('message', (raw: unknown) => {
    const message = readMessage(raw);
    if (!message) return; // Only the pool talks to us; anything else is ignored rather than trusted.
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    void runTask(port, tasks, message, controller).finally(() => running.delete(message.id));
  });
}

async function runTask(
  port: MessagePort,
  tasks: TaskTable,
  message: Extract<PoolToWorkerMessage, { type: 'run' }>,
  controller: AbortController,
): Promise<void> {
  const { id, task: name } = message;
  const task = Object.prototype.hasOwnProperty.call(tasks, name) ? tasks[name] : undefined;
  const signal = controller.signal;
  const ctx: WorkerTaskContext = {
    signal,
    progress(fraction, stage) {
      // Progress after the end, or nonsense numbers, would only confuse the tray.
      if (signal.aborted || typeof fraction !== 'number' || Number.isNaN(fraction)) return;
      const clamped = Math.min(1, Math.max(0, fraction));
      send(port, stage === undefined ? { type: 'progress', id, fraction: clamped } : { type: 'progress', id, fraction: clamped, stage: String(stage) });
    },
    note(payload) {
      if (signal.aborted) return;
      try {
        send(port, { type: 'note', id, payload });
      } catch {
        // A note that cannot be cloned is only a preview: the task goes on without it.
      }
    },
  };
  try {
    if (!task) throw new AtelierError('INTERNAL', `The job worker has no task named "${name}".`);
    const output = await task(message.input as never, ctx);
    sendOutput(port, id, output);
  } catch (e) {
    // Whatever a task throws once its cancel was asked for is the cancel showing through.
    const error: ErrorInfo = signal.aborted && !isCancelledError(e) ? { code: 'CANCELLED', message: 'The job was cancelled.' } : toErrorInfo(e);
    send(port, { type: 'error', id, error });
  }
}

function isCancelledError(e: unknown): boolean {
  return toErrorInfo(e).code === 'CANCELLED';
}

function send(port: MessagePort, message: WorkerToPoolMessage, transfer?: readonly TransferListItem[]): void {
  port.postMessage(message, transfer);
}

/** Sends a finished task's output, moving (not copying) whole byte buffers found at its top level. */
function sendOutput(port: MessagePort, id: number, output: unknown): void {
  const message: WorkerToPoolMessage = { type: 'done', id, output };
  try {
    send(port, message, transferableBuffers(output));
    return;
  } catch {
    // A buffer that cannot be moved (or moved twice) is copied instead.
  }
  try {
    send(port, message);
  } catch (e) {
    send(port, {
      type: 'error',
      id,
      error: {
        code: 'INTERNAL',
        message: 'A background task finished but its result could not be handed back. The details are in the log.',
        details: { reason: e instanceof Error ? e.message : String(e) },
      },
    });
  }
}

/** ArrayBuffers wholly owned by a Uint8Array at the top level of `output` (pooled or shared memory stays put). */
export function transferableBuffers(output: unknown): ArrayBuffer[] {
  const candidates: unknown[] =
    output instanceof Uint8Array ? [output] : output !== null && typeof output === 'object' ? Object.values(output) : [];
  const found = new Set<ArrayBuffer>();
  for (const value of candidates) {
    if (!(value instanceof Uint8Array)) continue;
    const buffer = value.buffer;
    if (!(buffer instanceof ArrayBuffer)) continue;
    if (value.byteOffset !== 0 || value.byteLength !== buffer.byteLength) continue;
    found.add(buffer);
  }
  return [...found];
}

function readMessage(raw: unknown): PoolToWorkerMessage | null {
  if (raw === null || typeof raw !== 'object') return null;
  const m = raw as Record<string, unknown>;
  if (typeof m.id !== 'number') return null;
  if (m.type === 'cancel') return { type: 'cancel', id: m.id };
  if (m.type === 'run' && typeof m.task === 'string') return { type: 'run', id: m.id, task: m.task, input: m.input };
  return null;
}
