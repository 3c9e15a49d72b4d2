// Billing months anchored on the subscription day (month ends, leap years) and what each state permits.
import { describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import {
  assertCan,
  billingPeriodAt,
  can,
  nextReset,
  permissionAt,
  subscriptionAt,
  type SubscriptionAction,
  type SubscriptionState,
} from './subscription';
import { formatDayForCreator, toEpochMs, utcDay } from './time';

describe('billingPeriodAt', () => {
  const cases: Array<[since: string, now: string, start: string, end: string]> = [
    // Anchor on the 31st through a non-leap year (2027) and a leap year (2028).
    ['2027-01-31', '2027-01-31T00:00:00Z', '2027-01-31', '2027-02-28'],
    ['2027-01-31', '2027-02-15T12:00:00Z', '2027-01-31', '2027-02-28'],
    ['2027-01-31', '2027-02-27T23:59:59Z', '2027-01-31', '2027-02-28'],
    ['2027-01-31', '2027-02-28T00:00:00Z', '2027-02-28', '2027-03-31'],
    ['2027-01-31', '2027-03-30T23:59:59Z', '2027-02-28', '2027-03-31'],
    ['2027-01-31', '2027-03-31T00:00:00Z', '2027-03-31', '2027-04-30'],
    ['2027-01-31', '2027-04-30T10:00:00Z', '2027-04-30', '2027-05-31'],
    ['2027-01-31', '2027-12-31T10:00:00Z', '2027-12-31', '2028-01-31'],
    ['2027-01-31', '2028-02-10T10:00:00Z', '2028-01-31', '2028-02-29'],
    ['2027-01-31', '2028-02-29T00:00:00Z', '2028-02-29', '2028-03-31'],
    ['2027-01-31', '2028-03-31T00:00:00Z', '2028-03-31', '2028-04-30'],
    // Anchor on the 29th: February clamps to 28 in a common year, not in a leap year.
    ['2027-01-29', '2027-02-27T12:00:00Z', '2027-01-29', '2027-02-28'],
    ['2027-01-29', '2027-02-28T12:00:00Z', '2027-02-28', '2027-03-29'],
    ['2027-01-29', '2028-02-28T12:00:00Z', '2028-01-29', '2028-02-29'],
    ['2027-01-29', '2028-02-29T12:00:00Z', '2028-02-29', '2028-03-29'],
    // Anchor on the 30th.
    ['2026-11-30', '2027-01-30T00:00:00Z', '2027-01-30', '2027-02-28'],
    ['2026-11-30', '2027-02-28T00:00:00Z', '2027-02-28', '2027-03-30'],
    ['2026-11-30', '2027-03-30T00:00:00Z', '2027-03-30', '2027-04-30'],
    // A subscription started mid-day: the first month begins at 00:00 UTC that day.
    ['2026-03-15T18:00:00Z', '2026-03-15T01:00:00Z', '2026-03-15', '2026-04-15'],
    // An offset is converted to UTC first: 23:30 at -02:00 on Jan 31 is Feb 1 in UTC.
    ['2026-01-31T23:30:00-02:00', '2026-03-01T00:00:00Z', '2026-03-01', '2026-04-01'],
    // A date-time without zone is read as UTC, never as local time.
    ['2026-05-10T00:30', '2026-05-10T00:30:00Z', '2026-05-10', '2026-06-10'],
  ];
  it.each(cases)('since %s, at %s → %s … %s', (since, now, start, end) => {
    expect(billingPeriodAt(since, now)).toEqual({ start, end });
    expect(nextReset(since, now)).toBe(end);
  });

  it('takes epoch milliseconds as well as ISO strings', () => {
    expect(billingPeriodAt(Date.UTC(2027, 0, 31, 9), Date.UTC(2027, 1, 28, 9))).toEqual({ start: '2027-02-28', end: '2027-03-31' });
  });

  it('consecutive months tile the calendar with no gap or overlap for 4 years of a 31st anchor', () => {
    let now = '2027-01-31';
    for (let i = 0; i < 48; i++) {
      const p = billingPeriodAt('2027-01-31', now);
      expect(p.start).toBe(now);
      now = p.end;
    }
    expect(now).toBe('2031-01-31');
  });

  it('refuses a moment before the subscription began, and impossible or garbage dates', () => {
    expect(thrownAtelierError(() => billingPeriodAt('2026-03-15', '2026-03-14T23:59:59Z')).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => billingPeriodAt('2026-02-30', '2026-03-14')).message).toMatch(/2026-02-30 is not a real calendar date/);
    expect(thrownAtelierError(() => billingPeriodAt('yesterday', '2026-03-14')).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => billingPeriodAt(Number.NaN, '2026-03-14')).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => billingPeriodAt('2026-03-01T25:00Z', '2026-03-14')).code).toBe('VALIDATION');
  });
});

describe('time helpers', () => {
  it('parses strictly and formats days for creators', () => {
    expect(toEpochMs('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    expect(thrownAtelierError(() => toEpochMs('2027-02-29')).code).toBe('VALIDATION');
    expect(toEpochMs('2026-03-03T10:00:00.5+01:00')).toBe(Date.UTC(2026, 2, 3, 9, 0, 0, 500));
    expect(utcDay('2026-03-03T23:30:00-01:00')).toBe('2026-03-04');
    expect(formatDayForCreator('2026-03-03', '2026-02-10')).toBe('3 March');
    expect(formatDayForCreator('2027-01-03', '2026-12-10')).toBe('3 January 2027');
  });
});

const active: SubscriptionState = { status: 'active', since: '2026-01-31', source: 'cli' };
const cancelled: SubscriptionState = { status: 'cancelled', since: '2026-01-31', until: '2026-04-30', source: 'market' };
const ended: SubscriptionState = { status: 'ended', since: '2026-01-31', endedAt: '2026-04-30', source: 'market' };
const none: SubscriptionState = { status: 'none' };

describe('subscriptionAt', () => {
  it('keeps a cancelled subscription until `until`, then reports it ended', () => {
    expect(subscriptionAt(cancelled, '2026-04-29T23:59:59Z')).toEqual(cancelled);
    expect(subscriptionAt(cancelled, '2026-04-30T00:00:00Z')).toEqual({ status: 'ended', since: '2026-01-31', endedAt: '2026-04-30', source: 'market' });
  });
  it('treats a subscription whose start is still ahead as none', () => {
    expect(subscriptionAt(active, '2026-01-30T12:00:00Z')).toEqual({ status: 'none' });
    expect(subscriptionAt(active, '2026-01-31T00:00:00Z')).toEqual(active);
  });
  it('returns none and ended as stored', () => {
    expect(subscriptionAt(none, '2026-01-01')).toEqual(none);
    expect(subscriptionAt(ended, '2030-01-01')).toEqual(ended);
  });
});

describe('can', () => {
  const actions: SubscriptionAction[] = ['train', 'generate', 'publish', 'assistant', 'read'];
  const table: Array<[label: string, state: SubscriptionState, now: string, allowed: SubscriptionAction[]]> = [
    ['never subscribed', none, '2026-03-01', ['train', 'generate', 'read']],
    ['active', active, '2026-03-01', actions],
    ['active, before its start', active, '2026-01-01', ['train', 'generate', 'read']],
    ['cancelled, before until', cancelled, '2026-04-29T23:00:00Z', actions],
    ['cancelled, at until', cancelled, '2026-04-30T00:00:00Z', ['read']],
    ['cancelled, long after', cancelled, '2027-01-01', ['read']],
    ['ended', ended, '2026-05-01', ['read']],
  ];
  it.each(table)('%s', (_label, state, now, allowed) => {
    for (const action of actions) expect(can(state, now, action), action).toBe(allowed.includes(action));
  });

  it('explains a refusal and what to do', () => {
    expect(permissionAt(ended, '2026-05-01', 'generate').reason).toBe(
      'Your subscription ended on 30 April. Past orders and generated assets stay readable; subscribe again to generate.',
    );
    expect(permissionAt(none, '2026-05-01', 'publish').reason).toMatch(/Publishing needs a subscription \(\$25\/month\)/);
    const e = thrownAtelierError(() => assertCan(cancelled, '2026-05-01', 'train'));
    expect(e.code).toBe('SUBSCRIPTION_REQUIRED');
    expect(e.message).toMatch(/ended on 30 April.*subscribe again to train models/);
    expect(() => assertCan(cancelled, '2026-04-01', 'train')).not.toThrow();
  });
});
