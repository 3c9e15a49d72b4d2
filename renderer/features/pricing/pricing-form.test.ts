// The pricing form: dollars typed ↔ cents stored, unreadable amounts named per field, studio problems per field.
import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, draftOf, fieldErrorsOf, pricingOf } from './pricing-form';

describe('pricingOf', () => {
  it('reads a per-unit price with a commercial licence in cents', () => {
    const { pricing, errors } = pricingOf({ ...EMPTY_DRAFT, unitPrice: '$1,250.50', commercial: true, commercialPrice: '12' });
    expect(errors).toEqual({});
    expect(pricing).toEqual({ scheme: 'per-unit', unitPriceCents: 125050, licences: { commercialCents: 1200 }, editsIncluded: 1 });
  });
  it('reads base + increments and round-trips through draftOf', () => {
    const draft = { ...EMPTY_DRAFT, scheme: 'base-increment' as const, baseQuantity: '30', basePrice: '25', incrementQuantity: '10', incrementPrice: '5.5' };
    const { pricing } = pricingOf(draft);
    expect(pricing).toMatchObject({ base: { quantity: 30, priceCents: 2500 }, increment: { quantity: 10, priceCents: 550 } });
    expect(pricingOf(draftOf(pricing)).pricing).toEqual(pricing);
  });
  it('names every field it cannot read: empty, negative, three decimals, a fractional quantity', () => {
    const { pricing, errors } = pricingOf({
      ...EMPTY_DRAFT, scheme: 'base-increment', baseQuantity: '2.5', basePrice: '-3', incrementQuantity: '', incrementPrice: '1.005',
      broadcast: true, broadcastPrice: 'lots',
    });
    expect(pricing).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['base.priceCents', 'base.quantity', 'increment.priceCents', 'increment.quantity', 'licences.broadcastCents']);
    expect(errors['base.priceCents']).toMatch(/negative/);
    expect(errors['increment.priceCents']).toMatch(/2 decimals/);
    expect(pricingOf({ ...EMPTY_DRAFT }).errors.unitPriceCents).toMatch(/Enter an amount/);
  });
});

describe('fieldErrorsOf', () => {
  it('keeps the first message per field and ignores junk', () => {
    expect(fieldErrorsOf({ problems: [{ field: 'unitPriceCents', message: 'a' }, { field: 'unitPriceCents', message: 'b' }, 7, { field: 3 }] })).toEqual({ unitPriceCents: 'a' });
    expect(fieldErrorsOf(null)).toEqual({});
    expect(fieldErrorsOf({ problems: 'x' })).toEqual({});
  });
});
