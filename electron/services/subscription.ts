// The studio's subscription state (one row of studio.db) and its view for Settings, via engine/rules subscription.
import type Database from 'better-sqlite3';
import {
  can,
  formatDayForCreator,
  nextReset,
  subscriptionAt,
  SUBSCRIPTION_PRICE_USD_PER_MONTH,
  type SubscriptionState,
} from '../../engine/rules';
import type { SubscriptionView } from '../../preload/contract';
import type { StudioEvents } from '../events';

const NONE: SubscriptionState = { status: 'none' };

export class SubscriptionStore {
  private readonly select: Database.Statement<[], { state_json: string }>;
  private readonly upsert: Database.Statement<[string, string]>;

  constructor(
    db: Database.Database,
    private readonly events: StudioEvents,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.select = db.prepare<[], { state_json: string }>('SELECT state_json FROM subscription WHERE id = 1');
    this.upsert = db.prepare<[string, string]>(
      'INSERT INTO subscription (id, state_json, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at',
    );
  }

  /** As stored; a row edited by hand into nonsense reads as "no subscription" rather than breaking the studio. */
  state(): SubscriptionState {
    const row = this.select.get();
    if (!row) return NONE;
    try {
      const parsed = JSON.parse(row.state_json) as SubscriptionState;
      return typeof parsed === 'object' && parsed !== null && typeof parsed.status === 'string' ? parsed : NONE;
    } catch {
      return NONE;
    }
  }

  view(): SubscriptionView {
    return subscriptionView(this.state(), this.now());
  }

  set(state: SubscriptionState): SubscriptionView {
    this.upsert.run(JSON.stringify(state), this.now().toISOString());
    const view = this.view();
    this.events.emit('subscription:changed', view);
    return view;
  }
}

export function subscriptionView(state: SubscriptionState, at: Date): SubscriptionView {
  const now = at.toISOString();
  const effective = subscriptionAt(state, now);
  return {
    state,
    effective,
    line: subscriptionLine(state, effective, now),
    canTrain: can(state, now, 'train'),
    canGenerate: can(state, now, 'generate'),
    canPublish: can(state, now, 'publish'),
    nextReset: effective.status === 'active' || effective.status === 'cancelled' ? nextReset(effective.since, now) : null,
  };
}

function subscriptionLine(state: SubscriptionState, effective: SubscriptionState, now: string): string {
  const from = (source: 'cli' | 'market'): string => (source === 'cli' ? 'set from the command line' : 'from the Market');
  switch (effective.status) {
    case 'none':
      return state.status === 'none'
        ? `No subscription: 2 free trainings per model. Subscribe ($${SUBSCRIPTION_PRICE_USD_PER_MONTH}/month) to publish and train every month.`
        : `Starts on ${formatDayForCreator(state.status === 'active' || state.status === 'cancelled' || state.status === 'ended' ? state.since : now, now)}`;
    case 'active':
      return `Active since ${formatDayForCreator(effective.since, now)} (${from(effective.source)})`;
    case 'cancelled':
      return `Cancelled — active until ${formatDayForCreator(effective.until, now)} (${from(effective.source)})`;
    case 'ended':
      return `Ended on ${formatDayForCreator(effective.endedAt, now)}; past orders and outputs stay readable`;
  }
}
