// The subcategory catalogue: PRODUCT.md's table, units, licences and automatic model names.
import { describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import { defaultModelName, isSubcategoryId, licencesFor, pricingUnitOf, SUBCATEGORIES, subcategoryOf } from './catalog';

describe('catalogue', () => {
  it('holds PRODUCT.md\'s table: five available, three later', () => {
    const available = SUBCATEGORIES.filter((s) => s.status === 'available').map((s) => [s.id, s.modality]);
    expect(available).toEqual([
      ['tattoo', 'image'],
      ['illustration', 'image'],
      ['childrens_book', 'image'],
      ['voice_over', 'audio'],
      ['jingles', 'audio'],
    ]);
    expect(SUBCATEGORIES.filter((s) => s.status === 'later').map((s) => [s.id, s.modality])).toEqual([
      ['graphics_design', 'image'],
      ['music_audio', 'audio'],
      ['writing_translation', 'text'],
    ]);
  });

  it.each([
    ['tattoo', 'design', '2 designs', ['commercial']],
    ['childrens_book', 'design', '1 design', ['commercial']],
    ['voice_over', 'second', '45 s', ['commercial', 'broadcast']],
    ['jingles', 'second', '45 s', ['commercial']],
    ['writing_translation', 'word', '300 words', ['commercial']],
  ] as const)('%s is priced in %s and sells %j', (id, unit, formatted, licences) => {
    expect(pricingUnitOf(id).id).toBe(unit);
    const q = unit === 'design' ? (formatted === '1 design' ? 1 : 2) : unit === 'second' ? 45 : 300;
    expect(pricingUnitOf(id).format(q)).toBe(formatted);
    expect(licencesFor(id)).toEqual(licences);
  });

  it('looks ids up and refuses unknown ones, naming the valid ones', () => {
    expect(subcategoryOf('voice_over').label).toBe('Voice over');
    expect(isSubcategoryId('jingles')).toBe(true);
    expect(isSubcategoryId('Jingles')).toBe(false);
    expect(isSubcategoryId(42)).toBe(false);
    const e = thrownAtelierError(() => subcategoryOf('poetry'));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('“poetry” is not a subcategory. Choose one of: tattoo, illustration, childrens_book, voice_over, jingles.');
  });
});

describe('defaultModelName', () => {
  it.each([
    ['tattoo', [], 'Tattoo model 1'],
    ['tattoo', ['Tattoo model 1'], 'Tattoo model 2'],
    ['tattoo', ['Tattoo model 1', 'Tattoo model 3'], 'Tattoo model 2'],
    ['tattoo', ['tattoo MODEL 1 ', 'Tattoo  model 2'], 'Tattoo model 3'],
    ['tattoo', ['Illustration model 1', 'My roses'], 'Tattoo model 1'],
    ['childrens_book', ["Children's book model 1"], 'Children’s book model 2'],
    ['voice_over', ['Voice over model 1', 'Voice over model 2'], 'Voice over model 3'],
  ] as const)('%s with %j → %s', (sub, existing, expected) => {
    expect(defaultModelName(sub, existing)).toBe(expected);
  });
  it('accepts a catalogue entry too', () => {
    expect(defaultModelName(subcategoryOf('jingles'), [])).toBe('Jingles model 1');
  });
});
