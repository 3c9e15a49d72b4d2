// The one path every call takes into the studio, whatever the transport: parse → call → Result.
// electron/ipc.ts (after its sender check) and electron/host (after its token check) both use it.
import { channels, isChannel, type Handlers } from '../preload/contract';
import { fail, ok, toErrorInfo, type Result } from '../engine/errors';

export type DispatchLog = (entry: { channel: string; code: string; message: string; details?: unknown }) => void;

const defaultLog: DispatchLog = (entry) => {
  if (entry.code === 'INTERNAL') console.error('[atelier] internal error on', entry.channel, entry.details);
};

/** Refusals whose details the caller shows: VALIDATION problems per field, quota, the active models, retry-after. */
const CALLER_DETAIL_CODES: ReadonlySet<string> = new Set(['VALIDATION', 'QUOTA_EXCEEDED', 'SUBSCRIPTION_REQUIRED', 'ACTIVE_LIMIT', 'RATE_LIMITED', 'CONFLICT']);

/** A plain, JSON-safe copy of the details without `cause` (internal), or undefined. */
function callerDetails(details: unknown): Record<string, unknown> | undefined {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return undefined;
  try {
    const copy = JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
    delete copy.cause;
    return Object.keys(copy).length > 0 ? copy : undefined;
  } catch {
    return undefined;
  }
}

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  log: DispatchLog = defaultLog,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail('VALIDATION', `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.`);
  }
  const parsed = channels[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    return fail('VALIDATION', issues.join('; '), { channel, issues: parsed.error.issues });
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return ok(await handler(parsed.data));
  } catch (e) {
    const info = toErrorInfo(e);
    log({ channel, ...info });
    // Internal details stay in the log; the caller gets the code and a message written for people, plus the
    // structured part of a refusal it can act on (which fields, which blockers, when to retry) — never a cause.
    const details = CALLER_DETAIL_CODES.has(info.code) ? callerDetails(info.details) : undefined;
    return { ok: false, error: { code: info.code, message: info.message, ...(details ? { details } : {}) } };
  }
}
