// Pricing schemes, their validation, quantities, dollars and the one quote function Studio and Market share.
import { AtelierError } from '../errors';
import { pricingUnitOf, resolveSubcategory, type Licence, type PricingUnit, type Subcategory, type SubcategoryId } from './catalog';

/** An amount of work at a price: "30 s for $25.00". */
export interface PriceStep {
  quantity: number;
  priceCents: number;
}

/** Optional licence add-ons; absent means not offered. Personal use is the default and free. */
export interface LicencePrices {
  commercialCents?: number;
  broadcastCents?: number;
}

interface PricingCommon {
  licences: LicencePrices;
  /** PRODUCT.md creator item 8: every price includes exactly one edit. */
  editsIncluded: 1;
}

/** Per unit: every unit (design, second, word) at the same price. */
export type PerUnitPricing = PricingCommon & { scheme: 'per-unit'; unitPriceCents: number };
/** Base + increments: the base covers `base.quantity`; each started increment beyond it costs extra. */
export type BaseIncrementPricing = PricingCommon & { scheme: 'base-increment'; base: PriceStep; increment: PriceStep };
export type PricingScheme = PerUnitPricing | BaseIncrementPricing;

/** Limits per unit kind, each with its reason. */
interface UnitLimits {
  /** Highest price of one unit. */
  maxUnitPriceCents: number;
  /** Largest base or increment quantity. */
  maxStepQuantity: number;
  /** Largest quantity one quote may ask for. */
  maxQuantity: number;
}

const UNIT_LIMITS: Readonly<Record<PricingUnit['id'], UnitLimits>> = {
  // $10,000 per design is above the top of custom tattoo/illustration commissions; one order up to 100 designs
  // (a whole picture book is ~32 spreads); a base bundle up to 20 designs.
  design: { maxUnitPriceCents: 1_000_000, maxStepQuantity: 20, maxQuantity: 100 },
  // $100 per second is $6,000 a minute, beyond broadcast voice-over rates; steps up to 10 min; orders up to 1 h.
  second: { maxUnitPriceCents: 10_000, maxStepQuantity: 600, maxQuantity: 3_600 },
  // $10 per word is above premium copywriting rates; steps up to 10,000 words; orders up to 100,000 words (a book).
  word: { maxUnitPriceCents: 1_000, maxStepQuantity: 10_000, maxQuantity: 100_000 },
};

/** Highest price of a base, an increment or a licence add-on: $10,000, a sanity cap against typos. */
export const MAX_STEP_PRICE_CENTS = 1_000_000;
export const MAX_LICENCE_PRICE_CENTS = 1_000_000;

export interface PricingProblem {
  /** The field at fault, as a path: "unitPriceCents", "base.quantity", "licences.broadcastCents". */
  field: string;
  message: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkCents(value: unknown, field: string, what: string, max: number, problems: PricingProblem[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.push({ field, message: `The ${what} is missing or not a number.` });
    return 0;
  }
  if (!Number.isInteger(value)) {
    problems.push({ field, message: `The ${what} must be whole cents (got ${value}).` });
  } else if (value <= 0) {
    problems.push({ field, message: `The ${what} must be more than $0.00.` });
  } else if (value > max) {
    problems.push({ field, message: `The ${what} (${formatUsd(value)}) is above the ${formatUsd(max)} limit; check for a typo.` });
  }
  return value;
}

function checkQuantity(value: unknown, field: string, what: string, unit: PricingUnit, max: number, problems: PricingProblem[]): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    problems.push({ field, message: `The ${what} must be a whole number of ${unit.plural}, at least 1.` });
    return 0;
  }
  if (value > max) problems.push({ field, message: `The ${what} can be at most ${unit.format(max)}.` });
  return value;
}

function checkPricing(subInput: SubcategoryId | Subcategory, raw: unknown): { pricing: PricingScheme | null; problems: PricingProblem[] } {
  const sub = resolveSubcategory(subInput);
  const unit = pricingUnitOf(sub);
  const limits = UNIT_LIMITS[unit.id];
  const problems: PricingProblem[] = [];
  if (!isRecord(raw)) return { pricing: null, problems: [{ field: 'scheme', message: 'The pricing is missing.' }] };

  const licencesRaw = raw.licences === undefined ? {} : raw.licences;
  const licences: LicencePrices = {};
  if (!isRecord(licencesRaw)) {
    problems.push({ field: 'licences', message: 'The licence prices are not readable.' });
  } else {
    if (licencesRaw.commercialCents !== undefined) {
      licences.commercialCents = checkCents(licencesRaw.commercialCents, 'licences.commercialCents', 'commercial licence price', MAX_LICENCE_PRICE_CENTS, problems);
    }
    if (licencesRaw.broadcastCents !== undefined) {
      if (!sub.licences.includes('broadcast')) {
        problems.push({ field: 'licences.broadcastCents', message: `Broadcast rights are sold only with voice-over models, not ${sub.label}.` });
      } else {
        licences.broadcastCents = checkCents(licencesRaw.broadcastCents, 'licences.broadcastCents', 'broadcast rights price', MAX_LICENCE_PRICE_CENTS, problems);
        if (licences.commercialCents === undefined) {
          problems.push({ field: 'licences.commercialCents', message: 'Broadcast rights build on the commercial licence; set a commercial licence price too.' });
        }
      }
    }
  }
  if (raw.editsIncluded !== undefined && raw.editsIncluded !== 1) {
    problems.push({ field: 'editsIncluded', message: 'Every price includes exactly one edit.' });
  }

  let pricing: PricingScheme | null = null;
  if (raw.scheme === 'per-unit') {
    const unitPriceCents = checkCents(raw.unitPriceCents, 'unitPriceCents', `price per ${unit.singular}`, limits.maxUnitPriceCents, problems);
    pricing = { scheme: 'per-unit', unitPriceCents, licences, editsIncluded: 1 };
  } else if (raw.scheme === 'base-increment') {
    if (sub.modality === 'image') {
      problems.push({ field: 'scheme', message: `${sub.label} models are priced per design; use the per-unit scheme.` });
    }
    const base = isRecord(raw.base) ? raw.base : {};
    const inc = isRecord(raw.increment) ? raw.increment : {};
    const bq = checkQuantity(base.quantity, 'base.quantity', 'base amount', unit, limits.maxStepQuantity, problems);
    const bp = checkCents(base.priceCents, 'base.priceCents', 'base price', MAX_STEP_PRICE_CENTS, problems);
    const iq = checkQuantity(inc.quantity, 'increment.quantity', 'increment', unit, limits.maxStepQuantity, problems);
    const ip = checkCents(inc.priceCents, 'increment.priceCents', 'price per increment', MAX_STEP_PRICE_CENTS, problems);
    if (bq > 0 && bp > 0 && bp / bq > limits.maxUnitPriceCents) {
      problems.push({ field: 'base.priceCents', message: `The base price works out above ${formatUsd(limits.maxUnitPriceCents)} per ${unit.singular}; check for a typo.` });
    }
    if (iq > 0 && ip > 0 && ip / iq > limits.maxUnitPriceCents) {
      problems.push({ field: 'increment.priceCents', message: `The increment price works out above ${formatUsd(limits.maxUnitPriceCents)} per ${unit.singular}; check for a typo.` });
    }
    pricing = { scheme: 'base-increment', base: { quantity: bq, priceCents: bp }, increment: { quantity: iq, priceCents: ip }, licences, editsIncluded: 1 };
  } else {
    problems.push({ field: 'scheme', message: 'Choose a pricing scheme: per-unit or base-increment.' });
  }
  return { pricing, problems };
}

/** Every problem with a pricing for a subcategory (empty when valid). Accepts anything, e.g. a stored row. */
export function pricingProblems(sub: SubcategoryId | Subcategory, pricing: unknown): PricingProblem[] {
  return checkPricing(sub, pricing).problems;
}

/**
 * Validates a pricing for a subcategory and returns it normalised (unknown fields dropped,
 * editsIncluded: 1). Throws VALIDATION whose message lists every problem by field; details.problems
 * holds them as PricingProblem[].
 */
export function validatePricing(sub: SubcategoryId | Subcategory, pricing: unknown): PricingScheme {
  const { pricing: clean, problems } = checkPricing(sub, pricing);
  const first = problems[0];
  if (!clean || first) {
    const message = problems.length === 1 && first ? first.message : `The pricing has ${problems.length} problems: ${problems.map((p) => p.message).join(' ')}`;
    throw new AtelierError('VALIDATION', message, { problems });
  }
  return clean;
}

/** Parses an integer with optional thousands commas ("1,000"); null when it is not one. */
function parseCount(text: string): number | null {
  if (!/^(\d{1,3}(,\d{3})+|\d+)$/.test(text)) return null;
  const n = Number(text.replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

const DURATION_PATTERN = /^(?:(\d+)\s*(?:m|min|mins|minutes?)\s*)?(?:(\d+)\s*(?:s|sec|secs|seconds?))?$/i;

function parseSeconds(text: string): number | null {
  const plain = parseCount(text);
  if (plain !== null) return plain;
  const clock = /^(\d+):([0-5]\d)$/.exec(text);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const m = DURATION_PATTERN.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/**
 * A quantity in the subcategory's unit from what a creator or client types: audio "45s", "45 s",
 * "1m30s", "1:30", "2 min", "90"; text "300w", "300 words", "1,000"; images "2", "2 designs". Whole
 * units only; VALIDATION naming the text and giving examples otherwise, or when above the order limit.
 */
export function parseQuantity(sub: SubcategoryId | Subcategory, text: string): number {
  const unit = pricingUnitOf(sub);
  const limits = UNIT_LIMITS[unit.id];
  const t = typeof text === 'string' ? text.trim().replace(/\s+/g, ' ') : '';
  let q: number | null;
  if (unit.id === 'second') {
    q = parseSeconds(t);
  } else {
    const m = unit.id === 'word' ? /^([\d,]+)\s*(?:w|words?)?$/i.exec(t) : /^([\d,]+)\s*(?:designs?)?$/i.exec(t);
    q = m?.[1] ? parseCount(m[1]) : null;
  }
  const examples = { second: '45s, 1m30s or 90', word: '300w or 300 words', design: '2 or 2 designs' }[unit.id];
  if (q === null) {
    throw new AtelierError('VALIDATION', `“${String(text).slice(0, 40)}” is not a quantity of ${unit.plural}; write it like ${examples}.`, { text: String(text).slice(0, 200) });
  }
  if (q < 1) throw new AtelierError('VALIDATION', `The quantity must be at least ${unit.format(1)}.`, { quantity: q });
  if (q > limits.maxQuantity) {
    throw new AtelierError('VALIDATION', `${unit.format(q)} is more than one order can hold (at most ${unit.format(limits.maxQuantity)}).`, { quantity: q });
  }
  return q;
}

export interface QuoteRequest {
  /** In the subcategory's unit, or text for parseQuantity ("45s"). */
  quantity: number | string;
  licence: Licence;
}

export interface QuoteLine {
  label: string;
  cents: number;
}

export interface Quote {
  quantity: number;
  licence: Licence;
  totalCents: number;
  /** Price lines in order; the included edit appears as a 0-cent line. */
  lines: QuoteLine[];
  /** "45 s, commercial licence → $37.00" */
  summary: string;
}

/**
 * The price of `quantity` under `pricing` with a licence. Base + increments: a quantity within the
 * base costs the base price; beyond it every started increment is charged (rounded UP: 45 s with a
 * 30 s base and 10 s increments = base + 2 increments). A broadcast licence is commercial use plus
 * broadcast rights, so it charges both add-ons. The pricing is validated first, so a stored pricing
 * that has gone bad is refused rather than quoted. VALIDATION for a licence the model does not sell.
 */
export function quote(sub: SubcategoryId | Subcategory, pricing: PricingScheme, request: QuoteRequest): Quote {
  const subcategory = resolveSubcategory(sub);
  const clean = validatePricing(subcategory, pricing);
  const unit = pricingUnitOf(subcategory);
  const quantity = typeof request.quantity === 'string' ? parseQuantity(subcategory, request.quantity) : parseQuantity(subcategory, String(request.quantity));
  const lines: QuoteLine[] = [];
  if (clean.scheme === 'per-unit') {
    lines.push({ label: `${unit.format(quantity)} × ${formatUsd(clean.unitPriceCents)}`, cents: quantity * clean.unitPriceCents });
  } else {
    lines.push({ label: `Base: ${unit.format(clean.base.quantity)}`, cents: clean.base.priceCents });
    const extra = Math.max(0, quantity - clean.base.quantity);
    const increments = Math.ceil(extra / clean.increment.quantity);
    if (increments > 0) {
      lines.push({
        label: `${increments} × extra ${unit.format(clean.increment.quantity)} at ${formatUsd(clean.increment.priceCents)}`,
        cents: increments * clean.increment.priceCents,
      });
    }
  }
  lines.push({ label: '1 edit included', cents: 0 });

  const licence = request.licence;
  if (licence !== 'personal' && licence !== 'commercial' && licence !== 'broadcast') {
    throw new AtelierError('VALIDATION', 'Choose a licence: personal, commercial or broadcast.', { licence: String(licence).slice(0, 40) });
  }
  if (licence === 'commercial' || licence === 'broadcast') {
    if (clean.licences.commercialCents === undefined) {
      throw new AtelierError('VALIDATION', `This ${subcategory.label} model does not offer a commercial licence.`, { licence });
    }
    lines.push({ label: 'Commercial licence', cents: clean.licences.commercialCents });
  }
  if (licence === 'broadcast') {
    if (!subcategory.licences.includes('broadcast')) {
      throw new AtelierError('VALIDATION', `Broadcast rights are sold only with voice-over models, not ${subcategory.label}.`, { licence });
    }
    if (clean.licences.broadcastCents === undefined) {
      throw new AtelierError('VALIDATION', `This ${subcategory.label} model does not offer broadcast rights.`, { licence });
    }
    lines.push({ label: 'Broadcast rights', cents: clean.licences.broadcastCents });
  }
  const totalCents = lines.reduce((sum, l) => sum + l.cents, 0);
  return { quantity, licence, totalCents, lines, summary: `${unit.format(quantity)}, ${licence} licence → ${formatUsd(totalCents)}` };
}

/** "$1,234.50" from 123450 cents; negatives as "-$5.00". VALIDATION for non-integer cents. */
export function formatUsd(cents: number): string {
  if (!Number.isSafeInteger(cents)) {
    throw new AtelierError('VALIDATION', 'An amount must be whole cents.', { cents: String(cents) });
  }
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

/** Largest amount parseUsd accepts: $1,000,000,000 — far above any cap, well within safe integers. */
const MAX_PARSED_CENTS = 100_000_000_000;

/**
 * Cents from a dollar amount as typed: "12.50", "12.5", "12", "$12.50", "1,250.00", ".5". Refuses
 * negatives, more than 2 decimals, exponents and anything else with a VALIDATION naming the text.
 */
export function parseUsd(text: string): number {
  const raw = typeof text === 'string' ? text.trim() : '';
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d{1,2}))?$/.exec(raw);
  const shown = String(text).slice(0, 40);
  if (raw.startsWith('-') || raw.startsWith('$-')) {
    throw new AtelierError('VALIDATION', `“${shown}” is negative; amounts must be zero or more.`, { text: shown });
  }
  if (!m || (m[1] === '' && m[2] === undefined)) {
    const why = /^\$?\s*[\d,]*\.\d{3,}$/.test(raw) ? ' (at most 2 decimals)' : '';
    throw new AtelierError('VALIDATION', `“${shown}” is not a dollar amount${why}; write it like 12.50.`, { text: shown });
  }
  const dollars = m[1] ? Number(m[1].replace(/,/g, '')) : 0;
  const cents = dollars * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_PARSED_CENTS) {
    throw new AtelierError('VALIDATION', `“${shown}” is too large an amount.`, { text: shown });
  }
  return cents;
}
