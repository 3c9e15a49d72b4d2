// Typed errors thrown inside Atelier and the Result shape they become at every boundary (IPC, host, CLI).

/** Every error code a caller can see. Messages are written for the creator; details are for the log. */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'UNSUPPORTED_FILE',
  'CORRUPT_FILE',
  'TOO_LARGE',
  'QUOTA_EXCEEDED',
  'SUBSCRIPTION_REQUIRED',
  'ACTIVE_LIMIT',
  'CONFLICT',
  'CANCELLED',
  // Added to ARCHITECTURE.md's list: a wrong password, or a call that needs an unlocked profile.
  'AUTH',
  // Added: too many wrong passwords in a row; details.retryAfterMs says how long to wait.
  'RATE_LIMITED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export class AtelierError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AtelierError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: unknown): Result<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

export function isAtelierError(e: unknown): e is AtelierError {
  return e instanceof AtelierError;
}

/**
 * Turns anything thrown into ErrorInfo. Unknown errors become INTERNAL with a generic message:
 * their text may name internals, so it goes to details (the log), not to the creator.
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isAtelierError(e)) return e.toInfo();
  if (e instanceof Error && e.name === 'AbortError') {
    return { code: 'CANCELLED', message: 'The operation was cancelled.' };
  }
  const detail = e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : { value: String(e) };
  return { code: 'INTERNAL', message: 'Something went wrong inside Atelier. The details are in the log.', details: detail };
}

/** Unwraps a Result, rethrowing its error as an AtelierError. */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new AtelierError(r.error.code, r.error.message, r.error.details);
}
