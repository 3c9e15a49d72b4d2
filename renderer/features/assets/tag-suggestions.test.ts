import { describe, expect, it } from 'vitest';
import { normaliseTag, stage, tagSuggestions, tagsOnSelection, unstage } from './tag-suggestions';

describe('bulk tagging', () => {
  it('normalises what the creator typed and refuses what the studio would refuse', () => {
    expect(normaliseTag('style', '  Line Art ')).toEqual({ kind: 'style', value: 'line art' });
    expect(normaliseTag('free', '   ')).toBeNull();
    expect(normaliseTag('free', 'x'.repeat(49))).toBeNull();
    expect(normaliseTag('free', 'tab\there')).toBeNull();
  });

  it('counts the tags the selected assets carry, most common first', () => {
    const on = tagsOnSelection([
      { tags: [{ kind: 'style', value: 'ink' }, { kind: 'free', value: 'draft' }] },
      { tags: [{ kind: 'style', value: 'ink' }] },
      { tags: [] },
    ]);
    expect(on).toEqual([
      { kind: 'style', value: 'ink', count: 2 },
      { kind: 'free', value: 'draft', count: 1 },
    ]);
  });

  it('suggests the analysis first, then the library by use, skipping what every selected asset has', () => {
    const s = tagSuggestions(
      [
        { kind: 'style', value: 'monochrome' },
        { kind: 'style', value: 'line art' },
        { kind: 'style', value: 'line art' },
        { kind: 'style', value: 'ink' },
      ],
      [
        { kind: 'content', value: 'portrait', count: 3 },
        { kind: 'content', value: 'flash', count: 9 },
        { kind: 'style', value: 'monochrome', count: 4 },
      ],
      [{ kind: 'style', value: 'ink', count: 2 }],
      2,
    );
    expect(s.map((t) => t.value)).toEqual(['line art', 'monochrome', 'flash', 'portrait']);
  });

  it('staging an add takes back a staged removal of the same tag and vice versa', () => {
    const ink = { kind: 'style' as const, value: 'ink' };
    let staged = stage({ add: [], remove: [] }, ink, 'remove');
    expect(staged.remove).toEqual([ink]);
    staged = stage(staged, ink, 'add');
    expect(staged).toEqual({ add: [ink], remove: [] });
    expect(unstage(staged, ink)).toEqual({ add: [], remove: [] });
  });
});
