// Splits a text asset into blocks for the preview: Markdown headings get light styling, everything else
// stays the creator's text exactly as written (shown as text, never interpreted as HTML).
export type TextBlock = { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; text: string } | { kind: 'text'; text: string };

/** A preview this long is already more than anyone reads in a side panel; the rest is summarised. */
export const TEXT_PREVIEW_MAX_CHARS = 200_000;

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;

export function textBlocks(text: string, format: 'txt' | 'markdown'): TextBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (format === 'txt') return [{ kind: 'text', text: lines.join('\n') }];
  const blocks: TextBlock[] = [];
  let run: string[] = [];
  let inFence = false;
  const flush = () => {
    if (run.length > 0) blocks.push({ kind: 'text', text: run.join('\n') });
    run = [];
  };
  for (const line of lines) {
    // A '#' inside a code block is code, not a heading.
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (match) {
      flush();
      blocks.push({ kind: 'heading', level: (match[1] ?? '#').length as 1 | 2 | 3 | 4 | 5 | 6, text: match[2] ?? '' });
    } else {
      run.push(line);
    }
  }
  flush();
  // Blank lines around headings would show as gaps twice (the heading has its own margin).
  return blocks
    .map((b) => (b.kind === 'text' ? { ...b, text: b.text.replace(/^\n+|\n+$/g, '') } : b))
    .filter((b) => b.kind === 'heading' || b.text.length > 0);
}

/** The text cut to the preview's limit, with how much was left out. */
export function clipText(text: string, max = TEXT_PREVIEW_MAX_CHARS): { text: string; omitted: number } {
  if (text.length <= max) return { text, omitted: 0 };
  return { text: text.slice(0, max), omitted: text.length - max };
}
