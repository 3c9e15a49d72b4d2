// The pricing form as typed (dollar text) ↔ the pricing the studio stores (cents), and problems per field.
import { formatUsd, parseUsd, type PricingScheme } from '../../../preload/contract';

export interface PricingDraft {
  scheme: 'per-unit' | 'base-increment';
  unitPrice: string;
  baseQuantity: string;
  basePrice: string;
  incrementQuantity: string;
  incrementPrice: string;
  commercial: boolean;
  commercialPrice: string;
  broadcast: boolean;
  broadcastPrice: string;
}

/** Field paths as engine/rules names them ("unitPriceCents", "base.quantity", "licences.broadcastCents"). */
export type FieldErrors = Record<string, string>;

export const EMPTY_DRAFT: PricingDraft = {
  scheme: 'per-unit',
  unitPrice: '',
  baseQuantity: '',
  basePrice: '',
  incrementQuantity: '',
  incrementPrice: '',
  commercial: false,
  commercialPrice: '',
  broadcast: false,
  broadcastPrice: '',
};

function dollars(cents: number | undefined): string {
  return cents === undefined ? '' : formatUsd(cents).replace(/^\$/, '').replace(/,/g, '');
}

/** The form filled from a stored pricing (null: an empty per-unit form). */
export function draftOf(p: PricingScheme | null): PricingDraft {
  if (!p) return { ...EMPTY_DRAFT };
  const licences = {
    commercial: p.licences.commercialCents !== undefined,
    commercialPrice: dollars(p.licences.commercialCents),
    broadcast: p.licences.broadcastCents !== undefined,
    broadcastPrice: dollars(p.licences.broadcastCents),
  };
  if (p.scheme === 'per-unit') return { ...EMPTY_DRAFT, ...licences, scheme: 'per-unit', unitPrice: dollars(p.unitPriceCents) };
  return {
    ...EMPTY_DRAFT,
    ...licences,
    scheme: 'base-increment',
    baseQuantity: String(p.base.quantity),
    basePrice: dollars(p.base.priceCents),
    incrementQuantity: String(p.increment.quantity),
    incrementPrice: dollars(p.increment.priceCents),
  };
}

function cents(text: string, field: string, errors: FieldErrors): number {
  try {
    return parseUsd(text);
  } catch (e) {
    errors[field] = text.trim() === '' ? 'Enter an amount in dollars, like 12.50.' : e instanceof Error ? e.message : String(e);
    return 0;
  }
}

function whole(text: string, field: string, what: string, errors: FieldErrors): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1) {
    errors[field] = `The ${what} is a whole number, at least 1.`;
    return 0;
  }
  return Number(t);
}

/**
 * The pricing the form describes, with the problems that stop it from being read at all (text that is not an
 * amount). The studio's rules (engine/rules validatePricing, through pricing:quote / pricing:set) judge the rest.
 */
export function pricingOf(d: PricingDraft): { pricing: PricingScheme | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const licences: PricingScheme['licences'] = {};
  if (d.commercial) licences.commercialCents = cents(d.commercialPrice, 'licences.commercialCents', errors);
  if (d.broadcast) licences.broadcastCents = cents(d.broadcastPrice, 'licences.broadcastCents', errors);
  let pricing: PricingScheme;
  if (d.scheme === 'per-unit') {
    pricing = { scheme: 'per-unit', unitPriceCents: cents(d.unitPrice, 'unitPriceCents', errors), licences, editsIncluded: 1 };
  } else {
    pricing = {
      scheme: 'base-increment',
      base: { quantity: whole(d.baseQuantity, 'base.quantity', 'base amount', errors), priceCents: cents(d.basePrice, 'base.priceCents', errors) },
      increment: {
        quantity: whole(d.incrementQuantity, 'increment.quantity', 'increment', errors),
        priceCents: cents(d.incrementPrice, 'increment.priceCents', errors),
      },
      licences,
      editsIncluded: 1,
    };
  }
  return { pricing: Object.keys(errors).length === 0 ? pricing : null, errors };
}

/** VALIDATION details.problems from the studio ({ field, message }[]) as errors per field. */
export function fieldErrorsOf(details: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (typeof details !== 'object' || details === null || !('problems' in details)) return out;
  const problems = (details as { problems: unknown }).problems;
  if (!Array.isArray(problems)) return out;
  for (const p of problems) {
    if (typeof p !== 'object' || p === null) continue;
    const { field, message } = p as { field?: unknown; message?: unknown };
    if (typeof field === 'string' && typeof message === 'string' && !(field in out)) out[field] = message;
  }
  return out;
}
