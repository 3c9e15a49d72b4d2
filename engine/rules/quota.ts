// Training quota per model (PRODUCT.md creator item 6): free lifetime trainings, then per billing month.
import { AtelierError } from '../errors';
import { resolveSubcategory, type Subcategory, type SubcategoryId } from './catalog';
import { billingPeriodAt, subscriptionAt, SUBSCRIPTION_PRICE_USD_PER_MONTH, type SubscriptionState } from './subscription';
import { formatDayForCreator, toEpochMs, utcDay, type Instant } from './time';

/** Successful trainings per model before subscribing, for the model's whole life (PRODUCT.md item 6). */
export const FREE_TRAININGS_PER_MODEL = 2;
/** Successful trainings per model per billing month while subscribed (PRODUCT.md item 6). */
export const MONTHLY_TRAININGS_PER_MODEL = 2;
/** Voice-over models get one more per month (PRODUCT.md item 6: "voice over: 3"). */
export const MONTHLY_TRAININGS_VOICE_OVER = 3;

export type TrainingOutcome = 'succeeded' | 'failed' | 'cancelled';

/** One finished training run of the model. Only `succeeded` counts (PRODUCT.md item 6). */
export interface TrainingRunRecord {
  finishedAt: Instant;
  outcome: TrainingOutcome;
}

export interface TrainingQuotaInput {
  subscription: SubscriptionState;
  subcategory: SubcategoryId | Subcategory;
  runs: readonly TrainingRunRecord[];
  now: Instant;
  /** Named in messages when given. */
  modelName?: string;
}

export interface TrainingQuota {
  allowed: boolean;
  /** Successful trainings counted against `limit` (this billing month, or lifetime before subscribing). */
  used: number;
  limit: number;
  left: number;
  /** YYYY-MM-DD (UTC) when the monthly counter resets; null before subscribing, after the end, or when the
   *  subscription is cancelled and ends before the next reset. */
  resetsOn: string | null;
  /** YYYY-MM-DD (UTC) when a cancelled subscription stops; null otherwise. */
  endsOn: string | null;
  /** Which allowance applies. */
  basis: 'free' | 'monthly' | 'ended';
  /** Why training is not allowed and what to do; present exactly when `allowed` is false. */
  reason?: string;
}

/** The monthly allowance of a subcategory. */
export function monthlyTrainingLimit(sub: SubcategoryId | Subcategory): number {
  return resolveSubcategory(sub).id === 'voice_over' ? MONTHLY_TRAININGS_VOICE_OVER : MONTHLY_TRAININGS_PER_MODEL;
}

function successfulRunTimes(runs: readonly TrainingRunRecord[]): number[] {
  if (!Array.isArray(runs)) throw new AtelierError('VALIDATION', 'The training history is not a list.', {});
  return runs.filter((r) => r.outcome === 'succeeded').map((r) => toEpochMs(r.finishedAt, 'training finish time'));
}

function subject(modelName?: string): string {
  return modelName ? `“${modelName}”` : 'this model';
}

/**
 * The quota for one model at `now`. Reading of the rule (PRODUCT.md item 6), stated once here:
 * - Not subscribed: 2 successful trainings for the model's lifetime. Runs finished before a later
 *   subscription began are "free" runs.
 * - Subscribed (active, or cancelled and not yet past `until`): 2 per billing month (voice over 3),
 *   counting successful runs finished in the current billing month AND at or after `since`. So free
 *   trainings never eat into the first paid month: subscribing grants the full monthly allowance at
 *   once, even on the day the free ones were used. The billing month is anchored on `since`'s day
 *   (see billingPeriodAt).
 * - Ended: no training at all; reading stays possible.
 * Failed and cancelled runs never count.
 */
export function trainingQuota(input: TrainingQuotaInput): TrainingQuota {
  const { subscription, now, modelName } = input;
  const sub = resolveSubcategory(input.subcategory);
  const times = successfulRunTimes(input.runs);
  const effective = subscriptionAt(subscription, now);

  if (effective.status === 'ended') {
    return {
      allowed: false,
      used: 0,
      limit: 0,
      left: 0,
      resetsOn: null,
      endsOn: null,
      basis: 'ended',
      reason: `Your subscription ended on ${formatDayForCreator(effective.endedAt, now)}, so training has stopped. Past orders and generated assets stay readable; subscribe again to train ${subject(modelName)}.`,
    };
  }

  if (effective.status === 'none') {
    // A stored subscription whose start is still ahead: runs before it are free runs, as usual.
    const cutoff = subscription.status === 'none' ? Infinity : toEpochMs(subscription.since, 'subscription start date');
    const used = times.filter((t) => t < cutoff).length;
    const limit = FREE_TRAININGS_PER_MODEL;
    const left = Math.max(0, limit - used);
    const quota: TrainingQuota = { allowed: left > 0, used, limit, left, resetsOn: null, endsOn: null, basis: 'free' };
    if (left === 0) {
      quota.reason = `${used} of ${limit} free trainings used for ${subject(modelName)}. Subscribe ($${SUBSCRIPTION_PRICE_USD_PER_MONTH}/month) to train it ${monthlyTrainingLimit(sub)} times every month.`;
    }
    return quota;
  }

  const sinceMs = toEpochMs(effective.since, 'subscription start date');
  const period = billingPeriodAt(effective.since, now);
  const from = Math.max(toEpochMs(period.start), sinceMs);
  const to = toEpochMs(period.end);
  const used = times.filter((t) => t >= from && t < to).length;
  const limit = monthlyTrainingLimit(sub);
  const left = Math.max(0, limit - used);
  let resetsOn: string | null = period.end;
  let endsOn: string | null = null;
  if (effective.status === 'cancelled') {
    const untilMs = toEpochMs(effective.until, 'cancellation end date');
    endsOn = utcDay(untilMs);
    if (untilMs <= to) resetsOn = null;
  }
  const quota: TrainingQuota = { allowed: left > 0, used, limit, left, resetsOn, endsOn, basis: 'monthly' };
  if (left === 0) {
    const when = resetsOn
      ? `resets on ${formatDayForCreator(resetsOn, now)}`
      : `your cancelled subscription ends on ${formatDayForCreator(endsOn ?? period.end, now)} before the next reset; renew it to keep training`;
    quota.reason = `${used} of ${limit} trainings used this month for ${subject(modelName)}; ${when}.`;
  }
  return quota;
}

/**
 * Returns the quota when training is allowed; otherwise throws SUBSCRIPTION_REQUIRED (subscription
 * ended) or QUOTA_EXCEEDED (allowance used up — free or monthly) with the creator-facing reason and
 * the quota in `details`.
 */
export function assertTrainingAllowed(input: TrainingQuotaInput): TrainingQuota {
  const quota = trainingQuota(input);
  if (quota.allowed) return quota;
  const code = quota.basis === 'ended' ? 'SUBSCRIPTION_REQUIRED' : 'QUOTA_EXCEEDED';
  throw new AtelierError(code, quota.reason ?? 'No trainings left.', { quota });
}

/**
 * The line the UI always shows: "1 of 2 trainings left, resets on 2026-12-03"; before subscribing
 * "1 of 2 free trainings left"; cancelled "… until the subscription ends on DATE"; ended "No trainings:
 * the subscription has ended".
 */
export function quotaLine(q: TrainingQuota, now?: Instant): string {
  // With `now`, dates read as the creator says them ("3 December", the year only when it differs); without, ISO days.
  const day = (d: string) => (now === undefined ? d : formatDayForCreator(d, now));
  if (q.basis === 'ended') return 'No trainings: the subscription has ended';
  if (q.basis === 'free') return `${q.left} of ${q.limit} free trainings left`;
  const head = `${q.left} of ${q.limit} trainings left`;
  if (q.resetsOn) return `${head}, resets on ${day(q.resetsOn)}`;
  return q.endsOn ? `${head} until the subscription ends on ${day(q.endsOn)}` : head;
}
