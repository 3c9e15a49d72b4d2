// ingestText on real files: counts, the length check, strict UTF-8 and the size cap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectedAtelierError } from '../../tests/fixtures/atelier-errors';
import { JAPANESE, UTF8, binary, latin1, markdown, prose, utf16, withNul } from '../../tests/fixtures/text';
import { MAX_TEXT_BYTES, ingestText, measureText } from './analyze';

let dir: string;
const ctx = { signal: new AbortController().signal, progress: () => undefined };

function file(name: string, bytes: Uint8Array): { path: string; name: string } {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return { path: p, name };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-text-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ingestText', () => {
  it('imports plain text with its counts and no findings when long enough', async () => {
    const text = prose(250);
    const result = await ingestText(file('story.txt', UTF8(text)), ctx);
    expect(result).toMatchObject({ format: 'txt', mime: 'text/plain; charset=utf-8', ext: 'txt', byteSize: UTF8(text).length });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.report).toMatchObject({ kind: 'text', findings: [], suggestedTags: [] });
    expect(result.report.text.words).toBe(250);
    expect(result.report.text.lines).toBe(text.split('\n').length - 1);
  });

  it('imports Markdown (.md and .markdown) as markdown', async () => {
    for (const name of ['notes.md', 'notes.markdown']) {
      const result = await ingestText(file(name, UTF8(markdown(150))), ctx);
      expect(result).toMatchObject({ format: 'markdown', mime: 'text/markdown; charset=utf-8', ext: 'md' });
    }
  });

  it('warns under 100 words, with the count and why', async () => {
    const result = await ingestText(file('short.txt', UTF8(prose(40))), ctx);
    expect(result.report.findings).toEqual([expect.objectContaining({ check: 'length', severity: 'warning', metric: 40, unit: 'words' })]);
    expect(result.report.findings[0]?.reason).toMatch(/40 words.*fewer than 100/);
  });

  it('counts words in scripts without spaces and characters as code points', () => {
    const m = measureText(JAPANESE, 'txt');
    expect(m.words).toBeGreaterThan(8);
    expect(m.characters).toBe([...JAPANESE].length);
    expect(measureText('😀 ok', 'txt').characters).toBe(4);
  });

  const refused: Array<[string, () => Uint8Array, RegExp]> = [
    ['latin1.txt', latin1, /not valid UTF-8/],
    ['utf16.txt', utf16, /UTF-16/],
    ['program.txt', binary, /not a plain text file|binary/],
    ['nul.txt', withNul, /not a plain text file|NUL/],
  ];
  for (const [name, bytes, message] of refused) {
    it(`refuses ${name} as UNSUPPORTED_FILE, naming it and saying to save as UTF-8`, async () => {
      const error = await rejectedAtelierError(ingestText(file(name, bytes()), ctx));
      expect(error.code).toBe('UNSUPPORTED_FILE');
      expect(error.message).toContain(`“${name}”`);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/UTF-8 \.txt or \.md/);
    });
  }

  it('refuses text over 5 MB as TOO_LARGE and an empty file as CORRUPT_FILE', async () => {
    const big = file('huge.txt', new Uint8Array(MAX_TEXT_BYTES + 1).fill(0x61));
    expect((await rejectedAtelierError(ingestText(big, ctx))).code).toBe('TOO_LARGE');
    expect((await rejectedAtelierError(ingestText(file('empty.txt', new Uint8Array(0)), ctx))).code).toBe('CORRUPT_FILE');
  });

  it('refuses invalid UTF-8 that only appears after the first 4 KB', async () => {
    const bytes = new Uint8Array([...UTF8(prose(1500)), 0xc3, 0x28]);
    expect(bytes.length).toBeGreaterThan(4096);
    const error = await rejectedAtelierError(ingestText(file('late.txt', bytes), ctx));
    expect(error.code).toBe('UNSUPPORTED_FILE');
  });
});
