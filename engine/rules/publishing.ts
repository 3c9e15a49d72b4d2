// The publishing gate (PRODUCT.md creator items 1, 6–9): every unmet condition, and the 3-active-models limit.
import { AtelierError } from '../errors';
import type { Subcategory, SubcategoryId } from './catalog';
import { pricingProblems, type PricingScheme } from './pricing';
import { permissionAt, type SubscriptionState } from './subscription';
import type { Instant } from './time';

/** At most 3 models active (published) at once (PRODUCT.md creator item 1). */
export const ACTIVE_MODEL_LIMIT = 3;
/** Playground generations of the active version needed before publishing (PRODUCT.md creator item 7). */
export const MIN_PLAYGROUND_GENERATIONS = 1;

export type PublishCondition = 'subscription' | 'trained' | 'stale' | 'playground' | 'pricing' | 'active-limit';

export interface PublishBlocker {
  condition: PublishCondition;
  message: string;
}

export interface ActiveModelRef {
  id: string;
  name: string;
}

export interface PublishCandidate {
  /** Lets the active-limit check skip the model itself; optional for previews of a model not yet saved. */
  id?: string;
  trained: boolean;
  /** Assets changed since the active version was trained. */
  stale: boolean;
  /** Playground generations made with the active version. */
  playgroundGenerations: number;
  pricing: PricingScheme | null;
  /** Already published. */
  active: boolean;
  /** When given, the pricing is also validated for it (a stored pricing may predate a rule change). */
  subcategory?: SubcategoryId | Subcategory;
}

export interface PublishCheckInput {
  subscription: SubscriptionState;
  now: Instant;
  model: PublishCandidate;
  activeModels: readonly ActiveModelRef[];
}

function quoteNames(models: readonly ActiveModelRef[]): string {
  const names = models.map((m) => `“${m.name}”`);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function activeLimitMessage(others: readonly ActiveModelRef[]): string {
  return `You already have ${others.length} active models (${quoteNames(others)}); at most ${ACTIVE_MODEL_LIMIT} can be active at once. Unpublish one of them first.`;
}

/**
 * Every unmet publishing condition, in a fixed order (subscription, trained, stale, playground,
 * pricing, active-limit); empty when the model may be published. "stale" is only reported for a
 * trained model (an untrained one is reported as "trained").
 */
export function publishBlockers(input: PublishCheckInput): PublishBlocker[] {
  const { model } = input;
  const blockers: PublishBlocker[] = [];
  const permission = permissionAt(input.subscription, input.now, 'publish');
  if (!permission.allowed) blockers.push({ condition: 'subscription', message: permission.reason ?? 'Publishing needs a subscription.' });
  if (!model.trained) {
    blockers.push({ condition: 'trained', message: 'Train the model first: it has no trained version yet.' });
  } else if (model.stale) {
    blockers.push({ condition: 'stale', message: 'The model’s assets changed since its last training; train it again so clients get what you chose.' });
  }
  if (!(model.playgroundGenerations >= MIN_PLAYGROUND_GENERATIONS)) {
    blockers.push({ condition: 'playground', message: 'Generate at least one piece in the playground with the active version, so you have seen what clients will get.' });
  }
  if (model.pricing === null || model.pricing === undefined) {
    blockers.push({ condition: 'pricing', message: 'Set a price for the model.' });
  } else if (model.subcategory !== undefined) {
    const problems = pricingProblems(model.subcategory, model.pricing);
    if (problems.length > 0) {
      blockers.push({ condition: 'pricing', message: `Fix the pricing: ${problems.map((p) => p.message).join(' ')}` });
    }
  }
  if (!model.active) {
    const others = input.activeModels.filter((m) => m.id !== model.id);
    if (others.length >= ACTIVE_MODEL_LIMIT) blockers.push({ condition: 'active-limit', message: activeLimitMessage(others) });
  }
  return blockers;
}

/**
 * Throws ACTIVE_LIMIT, naming the active models, when activating `modelId` would exceed
 * ACTIVE_MODEL_LIMIT. A model already active may be re-activated (e.g. republished).
 */
export function assertCanActivate(modelId: string, activeModels: readonly ActiveModelRef[]): void {
  if (activeModels.some((m) => m.id === modelId)) return;
  if (activeModels.length >= ACTIVE_MODEL_LIMIT) {
    throw new AtelierError('ACTIVE_LIMIT', activeLimitMessage(activeModels), { active: activeModels.map((m) => ({ id: m.id, name: m.name })) });
  }
}
