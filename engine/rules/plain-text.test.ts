// The plain-text rule: ordinary prose passes untouched, markup/code/emoji/controls are named and explained.
import { describe, expect, it } from 'vitest';
import { checkPlainText, MAX_REPORTED_PROBLEMS, normalisePlainText, type PlainTextProblemKind } from './plain-text';

describe('ordinary prose is accepted (no false positives)', () => {
  const prose = [
    'wolf & moon',
    '3-5 roses on the forearm',
    "rock'n'roll pin-up, 1950s",
    'a jingle in C# minor, 15 s',
    'F#m and Bb chords',
    ':) happy and :-( sad',
    '^_^ and o_O',
    '#1 fan of roses',
    'I <3 you',
    '2 < 3 and 5 > 4',
    '50% off, $5 - $10 range',
    'snake_case and file_name_long',
    'red | blue | green',
    '- a bullet\n- another bullet',
    '* starred item\n* another',
    '1. first\n2. second',
    'see https://example.com/a_b_c?x=1&y=2',
    'mail me at a_b@c.com',
    '© 2026 Jane Doe™ ®',
    'I ♥ NY, arrows ↔ and →, ✔ done, ☀ sunny',
    'select a rose from the garden',
    'its function (decorative) matters',
    '5 * 3 * 2, rated 5* and 4*',
    'tulips, roses; lilies',
    'width: 100px; height: 50px',
    'price: $(5)',
    '[a] first, [b] second',
    'a {draft} idea',
    'x = y + 1 is the mood',
    'Jeanne d’Arc — «rose», naïve café',
    '日本語のテキスト',
    'مرحبا بالعالم',
    'हिन्दी पाठ',
    'family photo: mother, father and child',
    'R&B vibe, AT&T style ad',
    '1/2 sleeve, 50/50 black & grey',
    'he said "hi" and left...',
  ];
  it.each(prose)('%j', (text) => {
    const r = checkPlainText(text);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });
});

describe('refused, with the reason', () => {
  const table: Array<[text: string, kind: PlainTextProblemKind, excerpt: string]> = [
    ['<b>bold</b> rose', 'markup', '<b>'],
    ['<script>alert(1)</script>', 'markup', '<script>'],
    ['<img src=x onerror=alert(1)>', 'markup', '<img src=x onerror=alert(1)>'],
    ['<!-- hidden --> rose', 'markup', '<!--'],
    ['a &amp; b', 'markup', '&amp;'],
    ['a &#39; b', 'markup', '&#39;'],
    ['# Heading', 'markup', '# Heading'],
    ['intro\n### Sub heading', 'markup', '### Sub heading'],
    ['see [my site](http://x.com)', 'markup', '[my site](http://x.com)'],
    ['![img](a.png)', 'markup', '![img](a.png)'],
    ['<https://x.com>', 'markup', '<https://x.com>'],
    ['[ref]: http://x.com', 'markup', '[ref]: http://x.com'],
    ['a **bold** rose', 'markup', '**bold**'],
    ['a __bold__ rose', 'markup', '__bold__'],
    ['a *soft* rose', 'markup', '*soft*'],
    ['a _soft_ rose', 'markup', '_soft_'],
    ['~~old~~ new', 'markup', '~~old~~'],
    ['```js\nx\n```', 'markup', '```js'],
    ['use `code` here', 'markup', '`code`'],
    ['| a | b |\n|---|---|\n| 1 | 2 |', 'markup', '|---|---|'],
    ['[b]hi[/b]', 'markup', '[b]hi[/b]'],
    ['[url=http://x]x[/url]', 'markup', '[url=http://x]'],
    ['function foo() { return 1; }', 'code', 'function foo() {'],
    ['const x = 5', 'code', 'const x ='],
    ['(a) => a + 1', 'code', '(a) =>'],
    ['if (a) { b(); }', 'code', 'if (a) {'],
    ['a { color: red; }', 'code', '{ color: red; }'],
    ["print('hi');", 'code', "print('hi');"],
    ['def paint(x):', 'code', 'def paint(x):'],
    ["import React from 'react'", 'code', "import React from '"],
    ['#include <stdio.h>', 'code', '#include <'],
    ['SELECT * FROM users', 'code', 'SELECT * FROM'],
    ['drop table users', 'code', 'drop table'],
    ["x' OR '1'='1", 'code', "' OR '1'='1"],
    ['cat notes | grep rose', 'code', '| grep'],
    ['rm -rf /', 'code', 'rm -rf'],
    ['echo $(whoami)', 'code', '$(whoami)'],
    ['hi 😀', 'emoji', '😀'],
    ['❤️ love', 'emoji', '❤️'],
    ['flag 🇫🇷', 'emoji', '🇫🇷'],
    ['1️⃣ first', 'emoji', '1️⃣'],
    ['👨‍👩‍👧 family', 'emoji', '👨‍👩‍👧'],
    ['👍🏽 ok', 'emoji', '👍🏽'],
    ['⭐ star', 'emoji', '⭐'],
    ['🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland', 'emoji', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['bell\u0007', 'control', 'U+0007'],
    ['c1\u0085control', 'control', 'U+0085'],
    ['rtl\u202Eevil', 'control', 'U+202E'],
    ['broken \uD800 half', 'control', 'U+D800'],
  ];
  it.each(table)('%j → %s %j', (text, kind, excerpt) => {
    const r = checkPlainText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.kind === kind && x.excerpt === excerpt);
    expect(p, JSON.stringify(r.problems)).toBeDefined();
    expect(p?.message.length).toBeGreaterThan(20);
  });

  it('messages say what was rejected and what to do', () => {
    const r = checkPlainText('a **bold** rose 😀');
    expect(r).toEqual({
      ok: false,
      problems: [
        { kind: 'emoji', excerpt: '😀', message: '“😀” is an emoji; describe it in words instead.' },
        { kind: 'markup', excerpt: '**bold**', message: '“**bold**” is Markdown bold; only plain text is accepted — write it without formatting.' },
      ],
    });
  });

  it('empty and blank text', () => {
    for (const text of ['', '   ', '\n\t\r\n', '\uFEFF']) {
      const r = checkPlainText(text);
      expect(r.ok ? null : r.problems.map((p) => p.kind)).toEqual(['empty']);
    }
  });

  it('too long, counted in characters not UTF-16 units', () => {
    expect(checkPlainText('é'.repeat(10), { maxLength: 10 }).ok).toBe(true);
    expect(checkPlainText('𝄞'.repeat(10), { maxLength: 10 }).ok).toBe(true);
    const r = checkPlainText('a'.repeat(11), { maxLength: 10 });
    expect(r.ok ? null : r.problems[0]).toMatchObject({ kind: 'too-long', message: 'The text is 11 characters long; keep it to 10.' });
    const def = checkPlainText('word '.repeat(401));
    expect(def.ok ? null : def.problems.map((p) => p.kind)).toEqual(['too-long']);
  });

  it('hostile input: a megabyte of markup is refused quickly with a bounded list', () => {
    const r = checkPlainText('<b>x</b> 😀 **y** '.repeat(60_000), { maxLength: 2000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.length).toBeLessThanOrEqual(MAX_REPORTED_PROBLEMS);
      expect(r.problems[0]?.kind).toBe('too-long');
    }
    // Non-strings (a wrong type from a caller) are refused, not thrown on.
    expect(checkPlainText(42 as unknown as string).ok).toBe(false);
  });
});

describe('normalisation', () => {
  it.each([
    ['  a rose  ', 'a rose'],
    ['line one\r\nline two\rthree', 'line one\nline two\nthree'],
    ['a\tb', 'a b'],
    ['a   \nb', 'a\nb'],
    ['a\n\n\n\n\nb', 'a\n\nb'],
    ['\uFEFFrose', 'rose'],
    ['cafe\u0301', 'café'],
  ])('%j → %j', (input, output) => {
    expect(normalisePlainText(input)).toBe(output);
    const r = checkPlainText(input);
    expect(r).toEqual({ ok: true, text: output });
  });
});
