// The plain-text rule for prompts and client chat (PRODUCT.md client item 2): no markup, code, emoji or controls.

export type PlainTextProblemKind = 'markup' | 'code' | 'emoji' | 'control' | 'empty' | 'too-long';

export interface PlainTextProblem {
  kind: PlainTextProblemKind;
  /** The offending piece of text (shortened), so the message can point at it. */
  excerpt: string;
  message: string;
}

export type PlainTextResult = { ok: true; text: string } | { ok: false; problems: PlainTextProblem[] };

export interface PlainTextOptions {
  /** Maximum length in characters (code points) after normalisation. */
  maxLength?: number;
}

/** Default prompt length: ample for a detailed brief, small enough to stay a prompt, not a document. */
export const PLAIN_TEXT_MAX_LENGTH = 2_000;
/** Problems reported at most; hostile input could otherwise produce thousands. */
export const MAX_REPORTED_PROBLEMS = 10;
const EXCERPT_LENGTH = 40;

interface Pattern {
  kind: 'markup' | 'code';
  re: RegExp;
  message: string;
}

/*
 * Decisions on ordinary prose, so it is never refused:
 * - "wolf & moon", "3-5 roses", "rock'n'roll", "C# minor", "#1 fan", "I <3 you", "2 < 3", "50% off",
 *   "snake_case", "a | b", "[a] first, [b] second", "$(5)", "- bullet" and "1. numbered" lines, URLs, e-mail addresses: allowed.
 * - Emoticons such as ":)" and ":-(" are typed text, not emoji: allowed.
 * - Text-style symbols that Unicode also lists as pictographic (© ® ™ ↔ ♥ ✔ ☀ …) are allowed when
 *   written as plain symbols; the same symbol forced to emoji style (followed by U+FE0F), every
 *   default-emoji character (😀 🎉 ⭐), flags, keycaps, skin tones and ZWJ sequences are emoji.
 * - "*word*" and "_word_" (Markdown emphasis) are refused: they change how the text renders.
 * - SQL is recognised by statement shape (SELECT … FROM in capitals, INSERT INTO, DROP TABLE…), so
 *   "select a rose from the garden" is prose.
 */
const PATTERNS: readonly Pattern[] = [
  // Markup: HTML/XML.
  { kind: 'markup', re: /<\/?[A-Za-z][\w:-]*(?:\s+[^<>]*)?\/?>/g, message: 'is an HTML/XML tag' },
  { kind: 'markup', re: /<!--|<!\[CDATA\[|<![A-Za-z]+|<\?[A-Za-z]+/g, message: 'is HTML/XML markup' },
  { kind: 'markup', re: /&(?:[A-Za-z]{2,10}|#\d{1,7}|#x[\dA-Fa-f]{1,6});/g, message: 'is an HTML entity' },
  { kind: 'markup', re: /<(?:https?|mailto):[^\s<>]+>/g, message: 'is a Markdown link' },
  // Markup: Markdown.
  { kind: 'markup', re: /^ {0,3}#{1,6}[ \t]+\S.*$/gm, message: 'is a Markdown heading' },
  { kind: 'markup', re: /!?\[[^\]\n]+\]\([^)\n]*\)/g, message: 'is a Markdown link' },
  { kind: 'markup', re: /^ {0,3}\[[^\]\n]+\]:\s*\S+/gm, message: 'is a Markdown link reference' },
  { kind: 'markup', re: /(?<![\w*])(\*\*|__)(?=\S)[^\n]*?\S\1(?![\w*])/g, message: 'is Markdown bold' },
  { kind: 'markup', re: /(?<![\w*])\*(?=[^\s*])[^*\n]*?[^\s*]\*(?![\w*])/g, message: 'is Markdown emphasis' },
  { kind: 'markup', re: /(?<![\w_])_(?=[^\s_])[^_\n]*?[^\s_]_(?![\w_])/g, message: 'is Markdown emphasis' },
  { kind: 'markup', re: /~~(?=\S)[^\n]*?\S~~/g, message: 'is Markdown strikethrough' },
  { kind: 'markup', re: /^ {0,3}(`{3,}|~{3,}).*$/gm, message: 'is a Markdown code fence' },
  { kind: 'markup', re: /`[^`\n]+`/g, message: 'is Markdown code (backticks)' },
  { kind: 'markup', re: /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/gm, message: 'is a Markdown table' },
  { kind: 'markup', re: /^\s*\|[^\n]*\|[^\n]*\|\s*$/gm, message: 'is a Markdown table row' },
  // BBCode: one-letter tags only as a pair ("[b]…[/b]"), since "[a] first, [b] second" is prose.
  { kind: 'markup', re: /\[([bisu])\][^\n]*?\[\/\1\]/gi, message: 'is BBCode markup' },
  { kind: 'markup', re: /(?<!!)\[\/?(?:url|img|code|quote|list)(?:=[^\]\n]*)?\](?!\()|\[(?:size|color)=[^\]\n]+\]/gi, message: 'is BBCode markup' },
  // Code.
  { kind: 'code', re: /\bfunction\b\s*[\w$]*\s*\([^)\n]*\)\s*\{|\bfunction\s+[\w$]+\(/g, message: 'looks like code (a function)' },
  { kind: 'code', re: /(?:\([^()\n]*\)|\b[\w$]+)\s*=>/g, message: 'looks like code (an arrow function)' },
  { kind: 'code', re: /\b(?:const|let|var)\s+[\w$]+\s*=/g, message: 'looks like code (a variable)' },
  { kind: 'code', re: /\{[^{}\n]*;[^{}\n]*\}/g, message: 'looks like code (braces and semicolons)' },
  { kind: 'code', re: /\b[\w$.]+\([^()\n]*\)\s*;/g, message: 'looks like code (a call)' },
  { kind: 'code', re: /^\s*(?:def|class)\s+\w+\s*[(:][^\n]*:?\s*$/gm, message: 'looks like code (a definition)' },
  { kind: 'code', re: /^\s*(?:import\s+[\w{}*,\s]+\s+from\s+['"]|#include\s*[<"]|#!\/)/gm, message: 'looks like code (an import)' },
  { kind: 'code', re: /\b(?:if|while|for)\s*\([^)\n]*\)\s*\{/g, message: 'looks like code (a block)' },
  { kind: 'code', re: /\bSELECT\b[^\n]*?\bFROM\b/g, message: 'looks like SQL' },
  { kind: 'code', re: /\b(?:insert\s+into\s+\w+|delete\s+from\s+\w+\s+where|drop\s+(?:table|database)|union\s+(?:all\s+)?select|update\s+\w+\s+set\s+\w+\s*=)/gi, message: 'looks like SQL' },
  { kind: 'code', re: /'\s*or\s*'?1'?\s*=\s*'?1/gi, message: 'looks like SQL injection' },
  { kind: 'code', re: /\|\s*(?:grep|sed|awk|xargs|sh|bash|zsh|sort|uniq|head|tail|wc|cut|tee|jq)\b/g, message: 'looks like a shell pipe' },
  { kind: 'code', re: /\$\([^)\n]*[A-Za-z][^)\n]*\)|\$\{[\w#!?:-]+\}|\b\d?>&\d\b|>\s*\/dev\/null|\brm\s+-[rf]+\b|\bsudo\s+\w/g, message: 'looks like a shell command' },
];

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

// A grapheme is emoji when it holds a default-emoji character, an emoji-style selector after a
// pictograph, a skin tone, a regional indicator, a keycap, a tag sequence or a ZWJ join of pictographs.
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const PICTOGRAPH_WITH_VS16 = /\p{Extended_Pictographic}\uFE0F/u;
const EMOJI_PARTS = /\u20E3|[\u{1F3FB}-\u{1F3FF}]|[\u{1F1E6}-\u{1F1FF}]|[\u{E0020}-\u{E007F}]/u;
const ZWJ_PICTOGRAPHS = /\p{Extended_Pictographic}\uFE0F?\u200D/u;
const MAYBE_EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Presentation}|\u20E3|[\u{1F3FB}-\u{1F3FF}]|[\u{E0020}-\u{E007F}]/u;

function isEmojiCluster(cluster: string): boolean {
  return EMOJI_PRESENTATION.test(cluster) || PICTOGRAPH_WITH_VS16.test(cluster) || EMOJI_PARTS.test(cluster) || ZWJ_PICTOGRAPHS.test(cluster);
}

function excerptOf(s: string): string {
  const cps = [...s];
  return cps.length > EXCERPT_LENGTH ? `${cps.slice(0, EXCERPT_LENGTH - 1).join('')}…` : s;
}

function describeControl(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The text as it will be stored: Unicode NFC, a leading byte-order mark dropped, line breaks as \n,
 * tabs as spaces, trailing spaces cut from each line, at most one blank line in a row, trimmed.
 */
export function normalisePlainText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[ \u00A0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Checks a prompt or chat message against the plain-text rule and returns it normalised, or every
 * problem found (up to MAX_REPORTED_PROBLEMS), each naming what was rejected and why.
 */
export function checkPlainText(text: string, options: PlainTextOptions = {}): PlainTextResult {
  const maxLength = options.maxLength ?? PLAIN_TEXT_MAX_LENGTH;
  if (typeof text !== 'string') {
    return { ok: false, problems: [{ kind: 'empty', excerpt: '', message: 'Write some text.' }] };
  }
  const normalised = normalisePlainText(text);
  const problems: PlainTextProblem[] = [];
  const seen = new Set<string>();
  const add = (kind: PlainTextProblemKind, excerpt: string, message: string): void => {
    const key = `${kind}\u0000${excerpt}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ kind, excerpt, message });
  };

  if (normalised.length === 0) {
    return { ok: false, problems: [{ kind: 'empty', excerpt: '', message: 'Write some text: it is empty.' }] };
  }
  const length = [...normalised].length;
  if (length > maxLength) {
    add('too-long', excerptOf(normalised.slice(0, EXCERPT_LENGTH * 2)), `The text is ${length} characters long; keep it to ${maxLength}.`);
  }

  // Past the limit only the allowed length is scanned: hostile megabyte inputs stay cheap to refuse.
  const scanned = length > maxLength ? [...normalised].slice(0, maxLength).join('') : normalised;
  for (const m of scanned.matchAll(CONTROL)) {
    add('control', describeControl(m[0]), `The text holds an invisible control character (${describeControl(m[0])}); retype it or paste it as plain text.`);
  }

  // Only segment when something pictographic is present: long plain prompts skip the segmenter.
  if (MAYBE_EMOJI.test(scanned)) {
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    for (const { segment } of segmenter.segment(scanned)) {
      if (isEmojiCluster(segment)) add('emoji', segment, `“${segment}” is an emoji; describe it in words instead.`);
    }
  }

  for (const p of PATTERNS) {
    for (const m of scanned.matchAll(p.re)) {
      const excerpt = excerptOf(m[0].trim());
      const noun = p.kind === 'markup' ? 'formatting' : 'code';
      add(p.kind, excerpt, `“${excerpt}” ${p.message}; only plain text is accepted — write it without ${noun}.`);
    }
  }

  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_REPORTED_PROBLEMS) };
  return { ok: true, text: normalised };
}
