// Toasts: errors stay until dismissed, notices leave on their own, repeats collapse, the stack is bounded.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERROR_HEADINGS, headingFor } from './error-headings';
import { TOASTS_VISIBLE_MAX, TOAST_DISMISS_MS, reportFailure, useToasts } from './store';

beforeEach(() => {
  vi.useFakeTimers();
  useToasts.getState().clear();
});
afterEach(() => {
  useToasts.getState().clear();
  vi.useRealTimers();
});

describe('toasts', () => {
  it('shows a failed call with a friendly heading and the message as given', () => {
    const ok = reportFailure({ ok: false, error: { code: 'CORRUPT_FILE', message: '“a.jpg” is truncated.' } });
    expect(ok).toBe(false);
    expect(useToasts.getState().toasts).toMatchObject([
      { kind: 'error', heading: ERROR_HEADINGS.CORRUPT_FILE, message: '“a.jpg” is truncated.' },
    ]);
    expect(reportFailure({ ok: true })).toBe(true);
    expect(useToasts.getState().toasts).toHaveLength(1);
  });

  it('keeps errors until dismissed but lets success notices go', () => {
    const { show, dismiss } = useToasts.getState();
    const error = show({ kind: 'error', heading: 'E', message: 'stays' });
    show({ kind: 'success', heading: 'S', message: 'goes' });
    vi.advanceTimersByTime(TOAST_DISMISS_MS + 1);
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['stays']);
    dismiss(error);
    expect(useToasts.getState().toasts).toEqual([]);
  });

  it('shows the same notice once even when many calls fail the same way', () => {
    for (let i = 0; i < 10; i++) {
      reportFailure({ ok: false, error: { code: 'INTERNAL', message: 'Atelier Studio is not reachable right now.' } });
    }
    expect(useToasts.getState().toasts).toHaveLength(1);
  });

  it('keeps only the newest few on screen', () => {
    for (let i = 0; i < TOASTS_VISIBLE_MAX + 3; i++) {
      useToasts.getState().show({ kind: 'error', heading: 'E', message: `problem ${i}` });
    }
    const messages = useToasts.getState().toasts.map((t) => t.message);
    expect(messages).toHaveLength(TOASTS_VISIBLE_MAX);
    expect(messages.at(-1)).toBe(`problem ${TOASTS_VISIBLE_MAX + 2}`);
  });

  it('has a heading for every error code (the Record type enforces it), and a safe one for an unknown code', () => {
    for (const heading of Object.values(ERROR_HEADINGS)) expect(heading.length).toBeGreaterThan(3);
    expect(headingFor('SOMETHING_NEW')).toBe(ERROR_HEADINGS.INTERNAL);
    expect(headingFor('toString')).toBe(ERROR_HEADINGS.INTERNAL);
  });
});
