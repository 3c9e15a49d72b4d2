// Subscription state, what it permits at a given moment (PRODUCT.md creator items 6 and 9) and billing months.
import { AtelierError } from '../errors';
import { daysInMonth, formatDayForCreator, toEpochMs, utcDay, utcMidnight, type Instant } from './time';

/** Who set the state: the CLI until the Market exists, then the Market (the source of truth). */
export type SubscriptionSource = 'cli' | 'market';

/**
 * The stored state. `since` is when the (current) subscription began and anchors the billing month;
 * `until` is when a cancelled subscription stops (the end of its billing cycle); `endedAt` when it stopped.
 */
export type SubscriptionState =
  | { status: 'none' }
  | { status: 'active'; since: string; source: SubscriptionSource }
  | { status: 'cancelled'; since: string; until: string; source: SubscriptionSource }
  | { status: 'ended'; since: string; endedAt: string; source: SubscriptionSource };

export type SubscriptionStatus = SubscriptionState['status'];

/** The monthly price, for messages (PRODUCT.md creator item 9). */
export const SUBSCRIPTION_PRICE_USD_PER_MONTH = 25;

/**
 * The state in force at `now`:
 * - cancelled and `now` ≥ `until` → ended (endedAt = until);
 * - active/cancelled with `since` still in the future → none (not subscribed yet).
 * Everything else is returned as stored. Throws VALIDATION when a stored date is not a date.
 */
export function subscriptionAt(state: SubscriptionState, now: Instant): SubscriptionState {
  const nowMs = toEpochMs(now, 'current time');
  if (state.status === 'none') return state;
  const sinceMs = toEpochMs(state.since, 'subscription start date');
  if (state.status === 'ended') return state;
  if (nowMs < sinceMs) return { status: 'none' };
  if (state.status === 'cancelled' && nowMs >= toEpochMs(state.until, 'cancellation end date')) {
    return { status: 'ended', since: state.since, endedAt: state.until, source: state.source };
  }
  return state;
}

/** Things a subscription gates. `read` covers past orders and generated assets. */
export type SubscriptionAction = 'train' | 'generate' | 'publish' | 'assistant' | 'read';

/** Whether `action` is allowed and, when not, a creator-facing reason that says what to do. */
export interface Permission {
  allowed: boolean;
  reason?: string;
}

/**
 * What the subscription permits at `now`. Before ever subscribing (none): training (within the free
 * quota, checked by quota.ts) and playground generation are allowed; publishing and assistant replies
 * (which serve published models' clients) are not. Active, or cancelled before `until`: everything.
 * Ended: reading only (PRODUCT.md item 9).
 */
export function permissionAt(state: SubscriptionState, now: Instant, action: SubscriptionAction): Permission {
  const effective = subscriptionAt(state, now);
  if (action === 'read') return { allowed: true };
  if (effective.status === 'active' || effective.status === 'cancelled') return { allowed: true };
  if (effective.status === 'none') {
    if (action === 'train' || action === 'generate') return { allowed: true };
    return {
      allowed: false,
      reason:
        action === 'publish'
          ? `Publishing needs a subscription ($${SUBSCRIPTION_PRICE_USD_PER_MONTH}/month). Subscribe, then publish again.`
          : `Assistant replies to clients need a subscription ($${SUBSCRIPTION_PRICE_USD_PER_MONTH}/month).`,
    };
  }
  const ended = formatDayForCreator(effective.endedAt, now);
  const verb = { train: 'train models', generate: 'generate', publish: 'publish', assistant: 'send assistant replies' }[action];
  return {
    allowed: false,
    reason: `Your subscription ended on ${ended}. Past orders and generated assets stay readable; subscribe again to ${verb}.`,
  };
}

/** Shorthand for permissionAt(...).allowed. */
export function can(state: SubscriptionState, now: Instant, action: SubscriptionAction): boolean {
  return permissionAt(state, now, action).allowed;
}

/** Throws SUBSCRIPTION_REQUIRED with the reason when `action` is not allowed at `now`. */
export function assertCan(state: SubscriptionState, now: Instant, action: SubscriptionAction): void {
  const p = permissionAt(state, now, action);
  if (!p.allowed) {
    throw new AtelierError('SUBSCRIPTION_REQUIRED', p.reason ?? 'This needs a subscription.', {
      action,
      status: subscriptionAt(state, now).status,
    });
  }
}

/**
 * One billing month as UTC days, YYYY-MM-DD: it holds every instant from 00:00 UTC on `start` up to,
 * not including, 00:00 UTC on `end` (the reset day).
 */
export interface BillingPeriod {
  start: string;
  end: string;
}

/** 00:00 UTC of the anchor day in the month `offset` months after the anchor month, clamped to month end. */
function anchoredStart(anchorYear: number, anchorMonth: number, anchorDay: number, offset: number): number {
  const total = anchorMonth + offset;
  const year = anchorYear + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  return utcMidnight(year, month, Math.min(anchorDay, daysInMonth(year, month)));
}

/**
 * The billing month containing `now`, anchored on the UTC day of month of `since`: an anchor on the
 * 31st gives Jan 31 → Feb 28 (29 in a leap year) → Mar 31 → Apr 30…; each month is computed from the
 * anchor, never from the previous month, so a short month does not drag the anchor down. The first
 * month starts at 00:00 UTC of the day `since` falls on. VALIDATION if `now` is before that day.
 */
export function billingPeriodAt(since: Instant, now: Instant): BillingPeriod {
  const sinceDate = new Date(toEpochMs(since, 'subscription start date'));
  const nowMs = toEpochMs(now, 'current time');
  const y = sinceDate.getUTCFullYear();
  const m = sinceDate.getUTCMonth();
  const d = sinceDate.getUTCDate();
  if (nowMs < utcMidnight(y, m, d)) {
    throw new AtelierError('VALIDATION', 'There is no billing month before the subscription began.', {
      since: utcDay(since),
      now: new Date(nowMs).toISOString(),
    });
  }
  const nowDate = new Date(nowMs);
  let offset = (nowDate.getUTCFullYear() - y) * 12 + (nowDate.getUTCMonth() - m);
  if (anchoredStart(y, m, d, offset) > nowMs) offset -= 1;
  return {
    start: utcDay(anchoredStart(y, m, d, offset)),
    end: utcDay(anchoredStart(y, m, d, offset + 1)),
  };
}

/** The day the counters next reset (the current billing month's `end`), YYYY-MM-DD. */
export function nextReset(since: Instant, now: Instant): string {
  return billingPeriodAt(since, now).end;
}
