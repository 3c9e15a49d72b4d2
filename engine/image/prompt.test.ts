// Prompt reading: tags by exact word and lemma, colours, layout and tone words, and the refusal listing known tags.
import { describe, expect, it } from 'vitest';
import { AtelierError } from '../errors';
import { lemma, parsePrompt } from './prompt';

const KNOWN = ['content:rose', 'content:swallow', 'style:ink', 'content:red panda'];

describe('prompt reading', () => {
  it('maps plural and plain words to known tags, colour words to Lab, layout and mood words to hints', () => {
    const p = parsePrompt('Two red roses, centred, dark and dramatic', KNOWN);
    expect(p.tags).toEqual(['content:rose']);
    expect(p.colours.map((c) => c.word)).toEqual(['red']);
    expect(p.colours[0]!.lab[1]).toBeGreaterThan(50);
    expect(p.layout.sort()).toEqual(['centred', 'pair']);
    expect(p.tone.sort()).toEqual(['dark', 'high-contrast']);
    expect(parsePrompt('a Red Panda on the left', KNOWN).tags).toEqual(['content:red panda']);
    expect(lemma('berries')).toBe('berry');
    expect(lemma('grass')).toBe('grass');
  });

  it('refuses a prompt naming nothing the model knows, listing what it knows', () => {
    let error: unknown;
    try {
      parsePrompt('a spaceship over the sea', KNOWN);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).code).toBe('VALIDATION');
    for (const v of ['rose', 'swallow', 'ink', 'red panda']) expect((error as AtelierError).message).toContain(v);
    expect(() => parsePrompt('   ', KNOWN)).toThrow(AtelierError);
    expect(() => parsePrompt('rose '.repeat(200), KNOWN)).toThrow(/characters/);
    expect(() => parsePrompt('rose', [])).toThrow(/no tags/);
  });
});
