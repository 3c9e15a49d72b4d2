// Training quota: free lifetime trainings, monthly allowance anchored on the subscription day, ended subscriptions.
import { describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import type { SubcategoryId } from './catalog';
import { assertTrainingAllowed, quotaLine, trainingQuota, type TrainingOutcome, type TrainingRunRecord } from './quota';
import type { SubscriptionState } from './subscription';

const none: SubscriptionState = { status: 'none' };
const active: SubscriptionState = { status: 'active', since: '2026-01-31T10:00:00Z', source: 'cli' };
const cancelled: SubscriptionState = { status: 'cancelled', since: '2026-01-31T10:00:00Z', until: '2026-04-30', source: 'market' };
const ended: SubscriptionState = { status: 'ended', since: '2026-01-31T10:00:00Z', endedAt: '2026-04-30', source: 'market' };

const run = (finishedAt: string, outcome: TrainingOutcome = 'succeeded'): TrainingRunRecord => ({ finishedAt, outcome });

interface Row {
  label: string;
  subscription: SubscriptionState;
  subcategory?: SubcategoryId;
  runs: TrainingRunRecord[];
  now: string;
  expected: { allowed: boolean; used: number; limit: number; left: number; resetsOn: string | null };
  line: string;
}

const table: Row[] = [
  {
    label: 'never subscribed, nothing trained',
    subscription: none,
    runs: [],
    now: '2026-01-10',
    expected: { allowed: true, used: 0, limit: 2, left: 2, resetsOn: null },
    line: '2 of 2 free trainings left',
  },
  {
    label: 'never subscribed: failed and cancelled runs do not count',
    subscription: none,
    runs: [run('2026-01-02', 'failed'), run('2026-01-03', 'cancelled'), run('2026-01-04')],
    now: '2026-01-10',
    expected: { allowed: true, used: 1, limit: 2, left: 1, resetsOn: null },
    line: '1 of 2 free trainings left',
  },
  {
    label: 'never subscribed: 2 successes are for the lifetime, months later still used up',
    subscription: none,
    runs: [run('2025-01-04'), run('2025-06-04')],
    now: '2026-11-10',
    expected: { allowed: false, used: 2, limit: 2, left: 0, resetsOn: null },
    line: '0 of 2 free trainings left',
  },
  {
    label: 'voice over gets 2 free trainings too (the 3 is monthly, for subscribers)',
    subscription: none,
    subcategory: 'voice_over',
    runs: [run('2026-01-04'), run('2026-01-05')],
    now: '2026-01-10',
    expected: { allowed: false, used: 2, limit: 2, left: 0, resetsOn: null },
    line: '0 of 2 free trainings left',
  },
  {
    label: 'subscribed the day the free ones ran out: a full first month (free runs never count)',
    subscription: active,
    runs: [run('2026-01-31T08:00:00Z'), run('2026-01-31T09:59:59Z')],
    now: '2026-01-31T12:00:00Z',
    expected: { allowed: true, used: 0, limit: 2, left: 2, resetsOn: '2026-02-28' },
    line: '2 of 2 trainings left, resets on 2026-02-28',
  },
  {
    label: 'subscribed: 2 in the month, resets on the anchored day (Feb 28 for a 31st anchor)',
    subscription: active,
    runs: [run('2026-02-01'), run('2026-02-20')],
    now: '2026-02-27T23:00:00Z',
    expected: { allowed: false, used: 2, limit: 2, left: 0, resetsOn: '2026-02-28' },
    line: '0 of 2 trainings left, resets on 2026-02-28',
  },
  {
    label: 'subscribed: after the reset the counter starts over',
    subscription: active,
    runs: [run('2026-02-01'), run('2026-02-20'), run('2026-02-28T00:00:01Z', 'failed')],
    now: '2026-02-28T09:00:00Z',
    expected: { allowed: true, used: 0, limit: 2, left: 2, resetsOn: '2026-03-31' },
    line: '2 of 2 trainings left, resets on 2026-03-31',
  },
  {
    label: 'voice over: 3 a month',
    subscription: active,
    subcategory: 'voice_over',
    runs: [run('2026-03-31'), run('2026-04-01'), run('2026-04-02', 'cancelled')],
    now: '2026-04-10',
    expected: { allowed: true, used: 2, limit: 3, left: 1, resetsOn: '2026-04-30' },
    line: '1 of 3 trainings left, resets on 2026-04-30',
  },
  {
    label: 'jingles: 2 a month',
    subscription: active,
    subcategory: 'jingles',
    runs: [run('2026-03-31'), run('2026-04-01')],
    now: '2026-04-10',
    expected: { allowed: false, used: 2, limit: 2, left: 0, resetsOn: '2026-04-30' },
    line: '0 of 2 trainings left, resets on 2026-04-30',
  },
  {
    label: 'leap year: anchored on the 31st, the February month runs to Feb 29 2028',
    subscription: { status: 'active', since: '2027-01-31', source: 'cli' },
    runs: [run('2028-02-01')],
    now: '2028-02-28T22:00:00Z',
    expected: { allowed: true, used: 1, limit: 2, left: 1, resetsOn: '2028-02-29' },
    line: '1 of 2 trainings left, resets on 2028-02-29',
  },
  {
    label: 'cancelled, still within the last month: training continues, no reset before the end',
    subscription: cancelled,
    runs: [run('2026-04-01')],
    now: '2026-04-10',
    expected: { allowed: true, used: 1, limit: 2, left: 1, resetsOn: null },
    line: '1 of 2 trainings left until the subscription ends on 2026-04-30',
  },
  {
    label: 'cancelled with a month still to go: the reset is shown',
    subscription: { status: 'cancelled', since: '2026-01-31', until: '2026-05-31', source: 'cli' },
    runs: [],
    now: '2026-04-10',
    expected: { allowed: true, used: 0, limit: 2, left: 2, resetsOn: '2026-04-30' },
    line: '2 of 2 trainings left, resets on 2026-04-30',
  },
  {
    label: 'cancelled, past until: no training',
    subscription: cancelled,
    runs: [],
    now: '2026-04-30T00:00:00Z',
    expected: { allowed: false, used: 0, limit: 0, left: 0, resetsOn: null },
    line: 'No trainings: the subscription has ended',
  },
  {
    label: 'ended: no training',
    subscription: ended,
    runs: [],
    now: '2026-06-01',
    expected: { allowed: false, used: 0, limit: 0, left: 0, resetsOn: null },
    line: 'No trainings: the subscription has ended',
  },
];

describe('quotaLine for the creator', () => {
  it('names the reset day as people say it, with the year only when it is not this year', () => {
    const q = trainingQuota({ subscription: { status: 'active', since: '2026-01-31T10:00:00Z', source: 'cli' }, subcategory: 'tattoo', runs: [], now: '2026-12-10' });
    expect(quotaLine(q, '2026-12-10')).toBe('2 of 2 trainings left, resets on 31 December');
    const late = trainingQuota({ subscription: { status: 'active', since: '2026-01-31T10:00:00Z', source: 'cli' }, subcategory: 'tattoo', runs: [], now: '2027-01-05' });
    expect(quotaLine(late, '2026-12-31')).toBe('2 of 2 trainings left, resets on 31 January 2027');
  });
});

describe('trainingQuota', () => {
  it.each(table)('$label', ({ subscription, subcategory, runs, now, expected, line }) => {
    const q = trainingQuota({ subscription, subcategory: subcategory ?? 'tattoo', runs, now });
    expect({ allowed: q.allowed, used: q.used, limit: q.limit, left: q.left, resetsOn: q.resetsOn }).toEqual(expected);
    expect(q.reason === undefined).toBe(q.allowed);
    expect(quotaLine(q)).toBe(line);
  });

  it('refuses a run with a garbage finish time instead of miscounting', () => {
    const e = thrownAtelierError(() => trainingQuota({ subscription: none, subcategory: 'tattoo', runs: [run('soon')], now: '2026-01-01' }));
    expect(e.code).toBe('VALIDATION');
  });
});

describe('assertTrainingAllowed', () => {
  it('returns the quota when allowed', () => {
    expect(assertTrainingAllowed({ subscription: none, subcategory: 'tattoo', runs: [], now: '2026-01-01' }).left).toBe(2);
  });

  it('monthly allowance used up → QUOTA_EXCEEDED with the reset day', () => {
    const e = thrownAtelierError(() =>
      assertTrainingAllowed({
        subscription: { status: 'active', since: '2026-01-03', source: 'cli' },
        subcategory: 'tattoo',
        runs: [run('2026-02-04'), run('2026-02-10')],
        now: '2026-02-20',
        modelName: 'Tattoo model 2',
      }),
    );
    expect(e.code).toBe('QUOTA_EXCEEDED');
    expect(e.message).toBe('2 of 2 trainings used this month for “Tattoo model 2”; resets on 3 March.');
    expect((e.details as { quota: { resetsOn: string } }).quota.resetsOn).toBe('2026-03-03');
  });

  it('reset in another year names the year', () => {
    const e = thrownAtelierError(() =>
      assertTrainingAllowed({
        subscription: { status: 'active', since: '2026-01-03', source: 'cli' },
        subcategory: 'voice_over',
        runs: [run('2026-12-04'), run('2026-12-10'), run('2026-12-11')],
        now: '2026-12-20',
      }),
    );
    expect(e.message).toBe('3 of 3 trainings used this month for this model; resets on 3 January 2027.');
  });

  it('free trainings used up → QUOTA_EXCEEDED saying to subscribe', () => {
    const e = thrownAtelierError(() =>
      assertTrainingAllowed({ subscription: none, subcategory: 'voice_over', runs: [run('2026-01-01'), run('2026-01-02')], now: '2026-01-03' }),
    );
    expect(e.code).toBe('QUOTA_EXCEEDED');
    expect(e.message).toBe('2 of 2 free trainings used for this model. Subscribe ($25/month) to train it 3 times every month.');
  });

  it('cancelled subscription with its last month used up says it ends before the reset', () => {
    const e = thrownAtelierError(() =>
      assertTrainingAllowed({ subscription: cancelled, subcategory: 'tattoo', runs: [run('2026-04-01'), run('2026-04-02')], now: '2026-04-03' }),
    );
    expect(e.code).toBe('QUOTA_EXCEEDED');
    expect(e.message).toMatch(/ends on 30 April before the next reset/);
  });

  it('ended subscription → SUBSCRIPTION_REQUIRED saying what stays readable', () => {
    const e = thrownAtelierError(() => assertTrainingAllowed({ subscription: ended, subcategory: 'tattoo', runs: [], now: '2026-06-01' }));
    expect(e.code).toBe('SUBSCRIPTION_REQUIRED');
    expect(e.message).toBe(
      'Your subscription ended on 30 April, so training has stopped. Past orders and generated assets stay readable; subscribe again to train this model.',
    );
  });
});
