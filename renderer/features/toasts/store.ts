// Toasts: short notices in a corner; every failed call ends up here unless its form shows the error.
import { create } from 'zustand';
import type { ErrorInfo } from '../../../preload/contract';
import { headingFor } from './error-headings';

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  kind: ToastKind;
  heading: string;
  message: string;
  /** Extra lines, e.g. one per file that failed to import. */
  lines: string[];
}

/** Success and info notices leave on their own; errors stay until the creator dismisses them. */
export const TOAST_DISMISS_MS = 6_000;
/** More than this on screen at once stops being readable; the oldest make room. */
export const TOASTS_VISIBLE_MAX = 5;

interface ToastsState {
  toasts: Toast[];
  show(toast: Omit<Toast, 'id' | 'lines'> & { lines?: string[] }): number;
  /** A failed call, with the code's friendly heading and the studio's message as given. */
  showError(error: Pick<ErrorInfo, 'code' | 'message'>, heading?: string): number;
  dismiss(id: number): void;
  clear(): void;
}

let nextToastId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useToasts = create<ToastsState>()((set, get) => ({
  toasts: [],
  show(toast) {
    // The same notice twice (e.g. every pending call after a lost connection) is shown once.
    const same = get().toasts.find(
      (t) => t.kind === toast.kind && t.heading === toast.heading && t.message === toast.message && t.lines.join('\n') === (toast.lines ?? []).join('\n'),
    );
    if (same) return same.id;
    const id = nextToastId++;
    const entry: Toast = { id, kind: toast.kind, heading: toast.heading, message: toast.message, lines: toast.lines ?? [] };
    const kept = [...get().toasts, entry];
    const dropped = kept.slice(0, Math.max(0, kept.length - TOASTS_VISIBLE_MAX));
    for (const old of dropped) forgetTimer(old.id);
    set({ toasts: kept.slice(-TOASTS_VISIBLE_MAX) });
    if (toast.kind !== 'error') timers.set(id, setTimeout(() => get().dismiss(id), TOAST_DISMISS_MS));
    return id;
  },
  showError(error, heading) {
    return get().show({ kind: 'error', heading: heading ?? headingFor(error.code), message: error.message });
  },
  dismiss(id) {
    forgetTimer(id);
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  clear() {
    for (const id of timers.keys()) forgetTimer(id);
    set({ toasts: [] });
  },
}));

function forgetTimer(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
}

/** For stores: shows the error of a failed Result and says whether the call succeeded. */
export function reportFailure(result: { ok: true } | { ok: false; error: ErrorInfo }, heading?: string): boolean {
  if (!result.ok) useToasts.getState().showError(result.error, heading);
  return result.ok;
}
