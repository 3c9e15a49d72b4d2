// The text preview's blocks: Markdown headings found, everything else kept as the creator wrote it.
import { describe, expect, it } from 'vitest';
import { clipText, textBlocks } from './text-blocks';

describe('text blocks', () => {
  it('keeps plain text as one block, exactly', () => {
    expect(textBlocks('# not a heading\r\nline two', 'txt')).toEqual([{ kind: 'text', text: '# not a heading\nline two' }]);
  });

  it('finds Markdown headings and keeps the text between them', () => {
    const md = '# Brief\n\nA jingle for a bakery.\n\n## Tone ##\nWarm, *bright*.\n';
    expect(textBlocks(md, 'markdown')).toEqual([
      { kind: 'heading', level: 1, text: 'Brief' },
      { kind: 'text', text: 'A jingle for a bakery.' },
      { kind: 'heading', level: 2, text: 'Tone' },
      { kind: 'text', text: 'Warm, *bright*.' },
    ]);
  });

  it('does not treat # inside a code fence, or #hashtags, as headings', () => {
    const md = '```\n# comment\n```\n#hashtag';
    expect(textBlocks(md, 'markdown')).toEqual([{ kind: 'text', text: '```\n# comment\n```\n#hashtag' }]);
  });

  it('keeps markup as text (the preview never renders HTML)', () => {
    const md = '# <img src=x onerror=alert(1)>\n<script>alert(1)</script>';
    expect(textBlocks(md, 'markdown')).toEqual([
      { kind: 'heading', level: 1, text: '<img src=x onerror=alert(1)>' },
      { kind: 'text', text: '<script>alert(1)</script>' },
    ]);
  });

  it('clips a huge text and says how much was left out', () => {
    expect(clipText('abcdef', 4)).toEqual({ text: 'abcd', omitted: 2 });
    expect(clipText('abc', 4)).toEqual({ text: 'abc', omitted: 0 });
  });
});
