import { describe, expect, it } from 'vitest';
import { assetQuerySchema } from '../../../preload/contract';
import { NO_FILTERS, checksForKind, countLabel, hasFilters, sameQuery, toQuery } from './filters';

describe('filters → assets:list query', () => {
  it('sends only the paging and the archive switch when nothing is filtered', () => {
    expect(toQuery(NO_FILTERS, 0, 120)).toEqual({ offset: 0, limit: 120, archived: false });
  });

  it('maps every filter to its query field, trimming and lower-casing what the creator typed', () => {
    const q = toQuery(
      { kind: 'audio', source: 'work-sample', tag: '  Line Art ', problem: 'clipping', search: '  rose  ', archived: true },
      240,
      120,
    );
    expect(q).toEqual({ offset: 240, limit: 120, kind: 'audio', source: 'work-sample', tag: 'line art', problem: 'clipping', search: 'rose', archived: true });
    // What it builds is what the studio accepts.
    expect(assetQuerySchema.safeParse(q).success).toBe(true);
  });

  it('passes "any problem" through and leaves a blank search out', () => {
    const q = toQuery({ ...NO_FILTERS, problem: 'any', search: '   ' }, 0, 1);
    expect(q.problem).toBe('any');
    expect('search' in q).toBe(false);
  });

  it('cuts a pasted novel down to the 200 characters a search may have', () => {
    const q = toQuery({ ...NO_FILTERS, search: 'x'.repeat(5000) }, 0, 1);
    expect(q.search).toHaveLength(200);
    expect(assetQuerySchema.safeParse(q).success).toBe(true);
  });

  it('knows when anything narrows the list, and when two states ask the same thing', () => {
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, search: '  ' })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, archived: true })).toBe(true);
    expect(hasFilters({ ...NO_FILTERS, tag: 'ink' })).toBe(true);
    expect(sameQuery(NO_FILTERS, { ...NO_FILTERS, search: ' ' })).toBe(true);
    expect(sameQuery(NO_FILTERS, { ...NO_FILTERS, kind: 'text' })).toBe(false);
  });

  it('offers the per-asset checks of a kind in the problem menu, never set-level ones', () => {
    expect(checksForKind('text')).toEqual(['length']);
    expect(checksForKind('image')).toContain('non-square');
    expect(checksForKind('all')).not.toContain('set-size');
    expect(checksForKind('all')).toContain('clipping');
  });

  it('writes counts with grouping and the right plural', () => {
    expect(countLabel(2431, 'asset', 'assets')).toBe('2,431 assets');
    expect(countLabel(1, 'asset', 'assets')).toBe('1 asset');
    expect(countLabel(0, 'asset', 'assets')).toBe('0 assets');
  });
});
