// Text draft previews: a deterministic, seeded share of words (whole sentences in short texts) hidden, blurred in the UI, blocked out on export.
import { AtelierError } from '../errors';
import { xorshift32 } from '../random';

/** Share of words hidden: enough that the preview is not the deliverable, little enough to judge voice and content. */
export const PREVIEW_HIDDEN_SHARE = 0.35;
/** Hidden words come in runs of 2–4: single blanked words are easy to guess back from context (a cloze test). */
const RUN_MIN = 2;
const RUN_SPAN = 3;
/** Below this many words a text with at least SHORT_TEXT_SENTENCES sentences hides whole sentences instead. */
const SHORT_TEXT_WORDS = 40;
const SHORT_TEXT_SENTENCES = 3;
/**
 * Exported blocks are the hidden word's grapheme count rounded up to a multiple of 3: exact lengths would let a
 * reader fit candidate words like a crossword, while the rough shape of the line is kept.
 */
const BLOCK_QUANTUM = 3;
const BLOCK_CHAR = '█';

export interface TextPreviewOptions {
  seed: number;
  /** 0..1, default PREVIEW_HIDDEN_SHARE. */
  hiddenShare?: number;
}

export interface TextPreviewSegment {
  text: string;
  hidden: boolean;
}

export interface TextPreview {
  /** The whole text in order, hidden parts flagged (the studio blurs them). */
  segments: TextPreviewSegment[];
  /** The text with every hidden word replaced by a block run; punctuation and whitespace kept. */
  exported: string;
}

interface Piece {
  text: string;
  word: boolean;
  sentence: number;
}

function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n++;
  return n;
}

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let sentence = 0;
  for (const s of new Intl.Segmenter(undefined, { granularity: 'sentence' }).segment(text)) {
    for (const w of new Intl.Segmenter(undefined, { granularity: 'word' }).segment(s.segment)) out.push({ text: w.segment, word: w.isWordLike === true, sentence });
    sentence++;
  }
  return out;
}

/** Which word indexes to hide: runs of RUN_MIN..RUN_MIN+RUN_SPAN−1 words, exactly round(share × words) in all. */
function hiddenWords(words: number, share: number, rnd: () => number): Uint8Array {
  const hidden = new Uint8Array(words);
  const target = Math.round(share * words);
  if (target === 0) return hidden;
  const meanRun = RUN_MIN + (RUN_SPAN - 1) / 2;
  const meanGap = (meanRun * (1 - share)) / share;
  let count = 0;
  let at = Math.floor(rnd() * (meanGap + 1));
  while (at < words && count < target) {
    const run = RUN_MIN + Math.floor(rnd() * RUN_SPAN);
    for (let i = at; i < Math.min(words, at + run) && count < target; i++) {
      hidden[i] = 1;
      count++;
    }
    at += run + Math.max(1, Math.round(meanGap * (0.5 + rnd())));
  }
  // Top up to the exact share: extend hidden runs forward, wrapping, so the count never depends on luck.
  for (let i = 0; count < target; i = (i + 1) % words) {
    if (!hidden[i] && (i === 0 || hidden[i - 1])) {
      hidden[i] = 1;
      count++;
    } else if (!hidden[i] && rnd() < share) {
      hidden[i] = 1;
      count++;
    }
  }
  return hidden;
}

export function previewText(text: string, opts: TextPreviewOptions): TextPreview {
  if (typeof text !== 'string') throw new AtelierError('VALIDATION', 'A text preview needs the draft’s text; this draft has none.');
  const share = opts.hiddenShare ?? PREVIEW_HIDDEN_SHARE;
  if (!Number.isFinite(share) || share < 0 || share > 1) {
    throw new AtelierError('VALIDATION', `The hidden share of a text preview must be between 0 and 1; got ${share}.`);
  }
  if (!Number.isInteger(opts.seed)) throw new AtelierError('VALIDATION', 'A text preview needs a whole-number seed.');
  const rnd = xorshift32(opts.seed >>> 0, 0x74657874);
  const all = pieces(text);
  const wordPieces = all.filter((p) => p.word);
  const sentences = all.length > 0 ? (all[all.length - 1]?.sentence ?? 0) + 1 : 0;
  const hide = new Uint8Array(all.length);
  if (wordPieces.length < SHORT_TEXT_WORDS && sentences >= SHORT_TEXT_SENTENCES) {
    // Short texts: whole sentences, so a three-line draft cannot be rebuilt from the words around each blank.
    const hiddenSentences = hiddenWords(sentences, share, rnd);
    all.forEach((p, i) => {
      hide[i] = p.word && hiddenSentences[p.sentence] ? 1 : 0;
    });
  } else {
    const hiddenIdx = hiddenWords(wordPieces.length, share, rnd);
    let w = 0;
    all.forEach((p, i) => {
      if (p.word) hide[i] = hiddenIdx[w++] ?? 0;
    });
  }
  // A non-word piece between two hidden words belongs to the hidden run (so a blurred run is one block in the UI),
  // but it is exported as is: punctuation and whitespace are kept.
  const nextWordHidden = new Uint8Array(all.length);
  for (let i = all.length - 2, next = 0; i >= 0; i--) {
    if (all[i + 1]?.word) next = hide[i + 1] ?? 0;
    nextWordHidden[i] = next;
  }
  const segments: TextPreviewSegment[] = [];
  let exported = '';
  let previousWordHidden = 0;
  all.forEach((p, i) => {
    const hidden = hide[i] === 1 || (!p.word && previousWordHidden === 1 && nextWordHidden[i] === 1);
    if (p.word) previousWordHidden = hide[i] ?? 0;
    const last = segments[segments.length - 1];
    if (last && last.hidden === hidden) last.text += p.text;
    else segments.push({ text: p.text, hidden });
    exported += hide[i] === 1 ? BLOCK_CHAR.repeat(Math.ceil(graphemeCount(p.text) / BLOCK_QUANTUM) * BLOCK_QUANTUM) : p.text;
  });
  return { segments, exported };
}
