// Reads "Try again in 8 s." from a RATE_LIMITED message (details do not cross the boundary) for a countdown.

const UNIT_MS: ReadonlyArray<[RegExp, number]> = [
  [/^(ms|msecs?|milliseconds?)$/i, 1],
  [/^(s|secs?|seconds?)$/i, 1_000],
  [/^(m|mins?|minutes?)$/i, 60_000],
  [/^(h|hrs?|hours?)$/i, 3_600_000],
];

const PART = String.raw`(\d+(?:[.,]\d+)?)\s*(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b`;
const JOINER = String.raw`(?:\s*,?\s*(?:and\s+)?)`;
const DURATION = `${PART}(?:${JOINER}${PART})*`;

function unitMs(unit: string): number | null {
  for (const [pattern, ms] of UNIT_MS) if (pattern.test(unit)) return ms;
  return null;
}

function sumDuration(text: string): number | null {
  let total = 0;
  let found = false;
  for (const match of text.matchAll(new RegExp(PART, 'gi'))) {
    const value = Number(match[1]!.replace(',', '.'));
    const ms = unitMs(match[2]!);
    if (!Number.isFinite(value) || ms === null) continue;
    total += value * ms;
    found = true;
  }
  return found ? Math.ceil(total) : null;
}

/** Where the message names the wait: its position (so a countdown can take its place) and its length in ms. */
export interface WaitInMessage {
  start: number;
  end: number;
  ms: number;
}

/**
 * Finds the wait a message names ("… Try again in 8 s."), or null when it names none. Quoted parts are
 * blanked first (keeping positions): a profile called “Studio 5 s” must not change the countdown.
 */
export function locateWait(message: string): WaitInMessage | null {
  const unquoted = message.replace(/“[^”]*”|"[^"]*"|‘[^’]*’/g, (quoted) => ' '.repeat(quoted.length));
  const afterIn = new RegExp(String.raw`\bin\s+(${DURATION})`, 'i').exec(unquoted);
  if (afterIn) {
    const end = afterIn.index + afterIn[0].length;
    const ms = sumDuration(afterIn[1]!);
    return ms === null ? null : { start: end - afterIn[1]!.length, end, ms };
  }
  const anywhere = new RegExp(DURATION, 'i').exec(unquoted);
  if (!anywhere) return null;
  const ms = sumDuration(anywhere[0]);
  return ms === null ? null : { start: anywhere.index, end: anywhere.index + anywhere[0].length, ms };
}

/** How long the message says to wait, in milliseconds, or null when it names no duration. */
export function retryAfterFromMessage(message: string): number | null {
  return locateWait(message)?.ms ?? null;
}

/** "8 s", "1 min 5 s", "2 h 3 min" — the time left, rounded up to whole seconds. */
export function formatWait(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1_000));
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}
