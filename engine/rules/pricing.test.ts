// Pricing: validation with field-named messages, quantity and dollar parsing, and the shared quote.
import { describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import { formatUsd, parseQuantity, parseUsd, pricingProblems, quote, validatePricing, type PricingScheme } from './pricing';

const voiceOver: PricingScheme = {
  scheme: 'base-increment',
  base: { quantity: 30, priceCents: 2500 },
  increment: { quantity: 10, priceCents: 500 },
  licences: { commercialCents: 200, broadcastCents: 1000 },
  editsIncluded: 1,
};
const tattoo: PricingScheme = { scheme: 'per-unit', unitPriceCents: 15000, licences: { commercialCents: 5000 }, editsIncluded: 1 };
const words: PricingScheme = {
  scheme: 'base-increment',
  base: { quantity: 100, priceCents: 1000 },
  increment: { quantity: 100, priceCents: 800 },
  licences: {},
  editsIncluded: 1,
};

describe('quote', () => {
  it('gives the brief\'s example: 45 s with a 30 s base and 10 s increments = base + 2 increments', () => {
    const q = quote('voice_over', voiceOver, { quantity: '45s', licence: 'commercial' });
    expect(q.totalCents).toBe(2500 + 2 * 500 + 200);
    expect(q.summary).toBe('45 s, commercial licence → $37.00');
    expect(q.lines).toEqual([
      { label: 'Base: 30 s', cents: 2500 },
      { label: '2 × extra 10 s at $5.00', cents: 1000 },
      { label: '1 edit included', cents: 0 },
      { label: 'Commercial licence', cents: 200 },
    ]);
  });

  it.each([
    // [quantity, licence, total]
    [1, 'personal', 2500], // under the base: the base price
    [30, 'personal', 2500], // exactly the base
    [31, 'personal', 3000], // one second over: one whole increment
    [40, 'personal', 3000],
    [41, 'personal', 3500],
    [45, 'broadcast', 3500 + 200 + 1000], // broadcast = commercial use + broadcast rights
    ['1m30s', 'personal', 2500 + 6 * 500],
  ] as const)('voice over %s, %s → %i cents', (quantity, licence, total) => {
    expect(quote('voice_over', voiceOver, { quantity, licence }).totalCents).toBe(total);
  });

  it('per unit: designs times the unit price', () => {
    const q = quote('tattoo', tattoo, { quantity: 2, licence: 'personal' });
    expect(q.totalCents).toBe(30000);
    expect(q.summary).toBe('2 designs, personal licence → $300.00');
    expect(quote('tattoo', tattoo, { quantity: '1 design', licence: 'commercial' }).summary).toBe('1 design, commercial licence → $200.00');
  });

  it('words round up to whole increments of 100', () => {
    expect(quote('writing_translation', words, { quantity: '250 words', licence: 'personal' }).totalCents).toBe(1000 + 2 * 800);
  });

  it('refuses a licence the model does not sell', () => {
    expect(thrownAtelierError(() => quote('writing_translation', words, { quantity: 100, licence: 'commercial' })).message).toBe(
      'This Writing & translation model does not offer a commercial licence.',
    );
    expect(thrownAtelierError(() => quote('tattoo', tattoo, { quantity: 1, licence: 'broadcast' })).message).toMatch(/only with voice-over/);
    const noBroadcast = { ...voiceOver, licences: { commercialCents: 200 } };
    expect(thrownAtelierError(() => quote('voice_over', noBroadcast, { quantity: 30, licence: 'broadcast' })).message).toBe(
      'This Voice over model does not offer broadcast rights.',
    );
  });

  it('refuses bad quantities and a stored pricing that has gone bad', () => {
    expect(thrownAtelierError(() => quote('tattoo', tattoo, { quantity: 1.5, licence: 'personal' })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => quote('tattoo', tattoo, { quantity: 0, licence: 'personal' })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => quote('tattoo', tattoo, { quantity: Number.NaN, licence: 'personal' })).code).toBe('VALIDATION');
    const bad = { ...tattoo, unitPriceCents: -5 };
    expect(thrownAtelierError(() => quote('tattoo', bad, { quantity: 1, licence: 'personal' })).message).toBe('The price per design must be more than $0.00.');
  });
});

describe('validatePricing', () => {
  it('accepts valid pricings and normalises them (editsIncluded 1, unknown fields dropped)', () => {
    expect(validatePricing('voice_over', voiceOver)).toEqual(voiceOver);
    expect(validatePricing('tattoo', { scheme: 'per-unit', unitPriceCents: 100, extra: 'x' })).toEqual({
      scheme: 'per-unit',
      unitPriceCents: 100,
      licences: {},
      editsIncluded: 1,
    });
  });

  const invalid: Array<[label: string, sub: 'tattoo' | 'voice_over' | 'jingles' | 'writing_translation', pricing: unknown, field: string, message: RegExp]> = [
    ['nothing', 'tattoo', null, 'scheme', /pricing is missing/],
    ['a string', 'tattoo', 'cheap', 'scheme', /pricing is missing/],
    ['unknown scheme', 'tattoo', { scheme: 'auction' }, 'scheme', /per-unit or base-increment/],
    ['zero price', 'tattoo', { scheme: 'per-unit', unitPriceCents: 0 }, 'unitPriceCents', /price per design must be more than \$0\.00/],
    ['fractional cents', 'tattoo', { scheme: 'per-unit', unitPriceCents: 12.5 }, 'unitPriceCents', /whole cents/],
    ['price as text', 'tattoo', { scheme: 'per-unit', unitPriceCents: '1000' }, 'unitPriceCents', /missing or not a number/],
    ['over $10,000 a design', 'tattoo', { scheme: 'per-unit', unitPriceCents: 1_000_001 }, 'unitPriceCents', /\$10,000\.01\) is above the \$10,000\.00 limit/],
    ['over $100 a second', 'jingles', { scheme: 'per-unit', unitPriceCents: 10_001 }, 'unitPriceCents', /price per second .* above the \$100\.00 limit/],
    ['base-increment for designs', 'tattoo', { ...voiceOver, licences: {} }, 'scheme', /Tattoo models are priced per design/],
    ['base of 0 s', 'voice_over', { ...voiceOver, base: { quantity: 0, priceCents: 100 } }, 'base.quantity', /base amount must be a whole number of seconds/],
    ['base of 2 hours', 'voice_over', { ...voiceOver, base: { quantity: 7200, priceCents: 100 } }, 'base.quantity', /at most 600 s/],
    ['increment missing', 'voice_over', { ...voiceOver, increment: undefined }, 'increment.quantity', /increment must be a whole number/],
    ['increment too dear per second', 'voice_over', { ...voiceOver, increment: { quantity: 1, priceCents: 20_000 } }, 'increment.priceCents', /above \$100\.00 per second/],
    ['words base too large', 'writing_translation', { ...words, base: { quantity: 20_000, priceCents: 100 } }, 'base.quantity', /at most 10000 words/],
    ['broadcast for jingles', 'jingles', { scheme: 'per-unit', unitPriceCents: 10, licences: { broadcastCents: 100 } }, 'licences.broadcastCents', /only with voice-over models, not Jingles/],
    ['broadcast without commercial', 'voice_over', { ...voiceOver, licences: { broadcastCents: 100 } }, 'licences.commercialCents', /set a commercial licence price too/],
    ['negative licence', 'tattoo', { ...tattoo, licences: { commercialCents: -1 } }, 'licences.commercialCents', /commercial licence price must be more than/],
    ['licences not an object', 'tattoo', { ...tattoo, licences: 'yes' }, 'licences', /not readable/],
    ['two edits', 'tattoo', { ...tattoo, editsIncluded: 2 }, 'editsIncluded', /exactly one edit/],
  ];
  it.each(invalid)('%s → %s', (_label, sub, pricing, field, message) => {
    const problems = pricingProblems(sub, pricing);
    const p = problems.find((x) => x.field === field);
    expect(p, JSON.stringify(problems)).toBeDefined();
    expect(p?.message).toMatch(message);
    const e = thrownAtelierError(() => validatePricing(sub, pricing));
    expect(e.code).toBe('VALIDATION');
    expect((e.details as { problems: unknown[] }).problems).toEqual(problems);
  });

  it('lists every problem at once', () => {
    const e = thrownAtelierError(() => validatePricing('voice_over', { scheme: 'base-increment', base: {}, increment: {} }));
    expect(e.message).toMatch(/^The pricing has 4 problems: /);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['voice_over', '45s', 45],
    ['voice_over', '45 s', 45],
    ['voice_over', '45 sec', 45],
    ['voice_over', '45 seconds', 45],
    ['voice_over', '1m30s', 90],
    ['voice_over', '1 m 30 s', 90],
    ['voice_over', '1 min 30 s', 90],
    ['jingles', '2m', 120],
    ['jingles', '2 minutes', 120],
    ['jingles', '1:30', 90],
    ['jingles', '90', 90],
    ['jingles', ' 30S ', 30],
    ['writing_translation', '300w', 300],
    ['writing_translation', '300 words', 300],
    ['writing_translation', '1 word', 1],
    ['writing_translation', '1,000 words', 1000],
    ['tattoo', '2', 2],
    ['tattoo', '2 designs', 2],
    ['tattoo', '1 design', 1],
  ] as const)('%s %j → %i', (sub, text, expected) => {
    expect(parseQuantity(sub, text)).toBe(expected);
  });

  it.each([
    ['voice_over', '45.5s', /not a quantity of seconds; write it like 45s, 1m30s or 90/],
    ['voice_over', '-5s', /not a quantity/],
    ['voice_over', '0s', /at least 1 s/],
    ['voice_over', '2h', /not a quantity/],
    ['voice_over', '1:75', /not a quantity/],
    ['voice_over', '', /not a quantity/],
    ['voice_over', '3601', /more than one order can hold \(at most 3600 s\)/],
    ['tattoo', '45s', /not a quantity of designs; write it like 2 or 2 designs/],
    ['tattoo', '101', /at most 100 designs/],
    ['writing_translation', '300 pages', /not a quantity of words/],
    ['writing_translation', '1,00', /not a quantity/],
    ['writing_translation', '99999999999999999999', /not a quantity/],
  ] as const)('%s %j is refused', (sub, text, message) => {
    const e = thrownAtelierError(() => parseQuantity(sub, text));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(message);
  });
});

describe('dollars', () => {
  it.each([
    [0, '$0.00'],
    [5, '$0.05'],
    [1250, '$12.50'],
    [3700, '$37.00'],
    [123456789, '$1,234,567.89'],
    [-500, '-$5.00'],
  ])('formatUsd(%i) = %s', (cents, text) => {
    expect(formatUsd(cents)).toBe(text);
  });
  it('formatUsd refuses fractional cents', () => {
    expect(thrownAtelierError(() => formatUsd(1.5)).code).toBe('VALIDATION');
  });

  it.each([
    ['12.50', 1250],
    ['12.5', 1250],
    ['12', 1200],
    ['$12.50', 1250],
    [' 12.05 ', 1205],
    ['1,250.00', 125000],
    ['.5', 50],
    ['0', 0],
  ])('parseUsd(%j) = %i', (text, cents) => {
    expect(parseUsd(text)).toBe(cents);
  });

  it.each([
    ['-12.50', /negative/],
    ['$-1', /negative/],
    ['12.505', /at most 2 decimals/],
    ['12,50', /not a dollar amount/],
    ['1e3', /not a dollar amount/],
    ['Infinity', /not a dollar amount/],
    ['twelve', /not a dollar amount/],
    ['', /not a dollar amount/],
    ['.', /not a dollar amount/],
    ['12.', /not a dollar amount/],
    ['99999999999999', /too large/],
  ])('parseUsd(%j) is refused', (text, message) => {
    const e = thrownAtelierError(() => parseUsd(text));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(message);
  });
});
