// The publishing gate lists every unmet condition; the fourth active model is refused naming the three.
import { describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import type { PricingScheme } from './pricing';
import { ACTIVE_MODEL_LIMIT, assertCanActivate, publishBlockers, type PublishCandidate, type PublishCondition } from './publishing';
import type { SubscriptionState } from './subscription';

const active: SubscriptionState = { status: 'active', since: '2026-01-31', source: 'cli' };
const pricing: PricingScheme = { scheme: 'per-unit', unitPriceCents: 15000, licences: {}, editsIncluded: 1 };
const ready: PublishCandidate = { id: 'm4', trained: true, stale: false, playgroundGenerations: 1, pricing, active: false };
const three = [
  { id: 'm1', name: 'Tattoo model 1' },
  { id: 'm2', name: 'Roses' },
  { id: 'm3', name: 'Voice over model 1' },
];

describe('publishBlockers', () => {
  const table: Array<[label: string, subscription: SubscriptionState, now: string, model: PublishCandidate, activeModels: typeof three, expected: PublishCondition[]]> = [
    ['ready', active, '2026-03-01', ready, three.slice(0, 2), []],
    ['never subscribed, untrained, no price: every condition listed', { status: 'none' }, '2026-03-01', { trained: false, stale: false, playgroundGenerations: 0, pricing: null, active: false }, three, ['subscription', 'trained', 'playground', 'pricing', 'active-limit']],
    ['stale after an asset change', active, '2026-03-01', { ...ready, stale: true }, [], ['stale']],
    ['untrained is reported as untrained, not stale', active, '2026-03-01', { ...ready, trained: false, stale: true }, [], ['trained']],
    ['no playground generation of the active version', active, '2026-03-01', { ...ready, playgroundGenerations: 0 }, [], ['playground']],
    ['cancelled but still in its cycle may publish', { status: 'cancelled', since: '2026-01-31', until: '2026-03-31', source: 'market' }, '2026-03-01', ready, [], []],
    ['cancelled and past until may not', { status: 'cancelled', since: '2026-01-31', until: '2026-03-31', source: 'market' }, '2026-04-01', ready, [], ['subscription']],
    ['three others active', active, '2026-03-01', ready, three, ['active-limit']],
    ['already one of the three active: no limit', active, '2026-03-01', { ...ready, id: 'm2', active: true }, three, []],
    ['invalid stored pricing for its subcategory', active, '2026-03-01', { ...ready, subcategory: 'jingles', pricing: { ...pricing, licences: { broadcastCents: 100 } } }, [], ['pricing']],
  ];
  it.each(table)('%s', (_label, subscription, now, model, activeModels, expected) => {
    const blockers = publishBlockers({ subscription, now, model, activeModels });
    expect(blockers.map((b) => b.condition)).toEqual(expected);
    for (const b of blockers) expect(b.message.length).toBeGreaterThan(15);
  });

  it('explains each condition for the creator', () => {
    const blockers = publishBlockers({ subscription: { status: 'ended', since: '2026-01-31', endedAt: '2026-02-28', source: 'market' }, now: '2026-03-01', model: ready, activeModels: three });
    expect(blockers).toEqual([
      { condition: 'subscription', message: 'Your subscription ended on 28 February. Past orders and generated assets stay readable; subscribe again to publish.' },
      {
        condition: 'active-limit',
        message: 'You already have 3 active models (“Tattoo model 1”, “Roses” and “Voice over model 1”); at most 3 can be active at once. Unpublish one of them first.',
      },
    ]);
  });
});

describe('assertCanActivate', () => {
  it('allows up to the limit and re-activating an active model', () => {
    expect(ACTIVE_MODEL_LIMIT).toBe(3);
    expect(() => assertCanActivate('m4', three.slice(0, 2))).not.toThrow();
    expect(() => assertCanActivate('m1', three)).not.toThrow();
  });

  it('refuses the fourth with ACTIVE_LIMIT naming the three', () => {
    const e = thrownAtelierError(() => assertCanActivate('m4', three));
    expect(e.code).toBe('ACTIVE_LIMIT');
    expect(e.message).toMatch(/“Tattoo model 1”, “Roses” and “Voice over model 1”/);
    expect(e.details).toEqual({ active: three });
  });
});
