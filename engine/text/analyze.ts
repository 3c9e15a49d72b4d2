// Imports one text file (TXT or Markdown): strict UTF-8, size cap, counts, and the length check.
import { AtelierError } from '../errors';
import type { JobContext } from '../media/image';
import { readWholeFile } from '../media/read';
import { extensionOf, sniffMedia, type TextFormat } from '../media/sniff';
import type { Finding, QualityReport, TextMetrics } from '../report';

/** 5 MB of UTF-8 is about 800 000 words — several novels; a writing sample is far smaller, and it keeps the preview responsive. */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;
/** Under 100 words there is too little of a writer's voice to learn from (brief I3-AUD; a short paragraph). */
export const MIN_TEXT_WORDS = 100;

export type { TextMetrics } from '../report';

export type TextFinding = Finding & { check: 'length' };

export type TextQualityReport = QualityReport & { kind: 'text'; findings: TextFinding[]; text: TextMetrics };

export interface TextIngest {
  sha256: string;
  byteSize: number;
  format: TextFormat;
  mime: string;
  ext: string;
  report: TextQualityReport;
}

const FACTS: Record<TextFormat, { mime: string; ext: string; label: string }> = {
  txt: { mime: 'text/plain; charset=utf-8', ext: 'txt', label: 'plain text' },
  markdown: { mime: 'text/markdown; charset=utf-8', ext: 'md', label: 'Markdown' },
};

function notText(name: string, why: string): AtelierError {
  return new AtelierError('UNSUPPORTED_FILE', `“${name}” ${why} Atelier imports text as UTF-8 .txt or .md files; save it in that form and import it again.`, {
    file: name,
  });
}

/** Decodes strictly: any invalid byte sequence or NUL refuses the file rather than showing replacement characters. */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.includes(0)) throw notText(name, 'contains binary data (NUL bytes), so it is not a text file.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notText(name, 'is not valid UTF-8 text (it may be in an older encoding such as Windows-1252, or not text at all).');
  }
  return text;
}

const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });

export function measureText(text: string, format: TextFormat): TextMetrics {
  let words = 0;
  // Unicode word segmentation: counts Chinese or Japanese words too, which have no spaces between them.
  for (const segment of WORDS.segment(text)) if (segment.isWordLike) words++;
  const lines = text.length === 0 ? 0 : text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
  return { format, characters: [...text].length, words, lines };
}

export function textFindings(m: TextMetrics): TextFinding[] {
  if (m.words >= MIN_TEXT_WORDS) return [];
  return [
    {
      check: 'length',
      severity: 'warning',
      metric: m.words,
      unit: 'words',
      threshold: `≥ ${MIN_TEXT_WORDS} words`,
      reason: `This text has ${m.words} word${m.words === 1 ? '' : 's'}; with fewer than ${MIN_TEXT_WORDS} there is too little of your writing for a model to learn its style. Add a longer sample.`,
    },
  ];
}

/** Imports the text at `input.path`; every error names `input.name`. Runs in a worker thread (via 'media.ingest'). */
export async function ingestText(input: { path: string; name: string }, ctx: JobContext): Promise<TextIngest> {
  const { path, name } = input;
  if (ctx.signal.aborted) throw new AtelierError('CANCELLED', `Importing “${name}” was cancelled.`);
  ctx.progress(0, 'Reading');
  const { bytes, sha256 } = await readWholeFile(path, name, { maxBytes: MAX_TEXT_BYTES, what: 'text files', signal: ctx.signal });
  const sniffed = sniffMedia(bytes, extensionOf(name) ? name : path);
  if (sniffed.kind !== 'text') {
    if (sniffed.kind === 'other' && sniffed.label === 'utf-16-text') throw notText(name, 'is saved as UTF-16.');
    // The strict decode names the precise problem (NUL bytes, invalid UTF-8); what survives it is binary-looking.
    if (sniffed.kind === 'other') decodeText(bytes, name);
    throw notText(name, 'is not a plain text file.');
  }
  const text = decodeText(bytes, name);
  const metrics = measureText(text, sniffed.format);
  ctx.progress(1, 'Done');
  const facts = FACTS[sniffed.format];
  return {
    sha256,
    byteSize: bytes.length,
    format: sniffed.format,
    mime: facts.mime,
    ext: facts.ext,
    report: { kind: 'text', findings: textFindings(metrics), text: metrics, suggestedTags: [] },
  };
}
