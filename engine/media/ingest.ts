// Routes one imported file to the image, audio or text engine by what its bytes are — never by its name alone.
import { AtelierError } from '../errors';
import { ingestText, type TextIngest } from '../text/analyze';
import { ingestAudio, type AudioIngest } from './audio/analyze';
import { readHead } from './read';
import { ingestImage, type ImageIngest, type JobContext } from './image';
import { SNIFF_BYTES, sniffMedia, type MediaFamily } from './sniff';

export type MediaIngest = ({ kind: 'image' } & ImageIngest) | ({ kind: 'audio' } & AudioIngest) | ({ kind: 'text' } & TextIngest);

/** What the creator may use instead, per kind of file (the formats each engine reads). */
export const WORKING_FORMATS: Record<MediaFamily, string> = {
  image: 'JPEG, PNG, WebP, AVIF, TIFF, GIF or SVG',
  audio: 'WAV, MP3, FLAC, OGG Vorbis or Opus',
  text: 'UTF-8 plain text (.txt) or Markdown (.md)',
};

/** Names for recognised-but-refused formats, for the message. */
const LABELS: Record<string, string> = {
  heic: 'a HEIC photo',
  pdf: 'a PDF document',
  bmp: 'a BMP image',
  psd: 'a Photoshop document',
  jxl: 'a JPEG XL image',
  rf64: 'an RF64 (very large) WAV',
  'ogg-flac': 'FLAC inside an OGG container',
  'ogg-speex': 'Speex audio',
  'ogg-theora': 'an OGG video',
  'ogg-unknown': 'an OGG file of an unknown kind',
  aiff: 'AIFF audio',
  amr: 'AMR (phone) audio',
  caf: 'Core Audio (CAF) audio',
  midi: 'a MIDI file (notes, not sound)',
  wavpack: 'WavPack audio',
  ape: "Monkey's Audio",
  aac: 'AAC audio',
  m4a: 'AAC/ALAC audio in an M4A file',
  'utf-16-text': 'text saved as UTF-16',
};

function refusal(name: string, family: MediaFamily | null, label: string | null): AtelierError {
  const seen = label !== null ? LABELS[label] ?? null : null;
  const details = { file: name, detected: label };
  if (family === 'audio') {
    return new AtelierError('UNSUPPORTED_FILE', `“${name}” is not audio Atelier can read${seen ? ` (it is ${seen})` : ''}. Use ${WORKING_FORMATS.audio}.`, details);
  }
  if (family === 'image') {
    return new AtelierError('UNSUPPORTED_FILE', `“${name}” is not an image Atelier can read${seen ? ` (it is ${seen})` : ''}. Use ${WORKING_FORMATS.image}.`, details);
  }
  if (family === 'text') {
    return new AtelierError(
      'UNSUPPORTED_FILE',
      `“${name}” is named as text but ${seen ? `is ${seen}` : 'holds binary data or is not valid UTF-8'}. Save it as ${WORKING_FORMATS.text} and import it again.`,
      details,
    );
  }
  return new AtelierError(
    'UNSUPPORTED_FILE',
    `“${name}” is not a file Atelier can import. It imports images (${WORKING_FORMATS.image}), audio (${WORKING_FORMATS.audio}) and text (${WORKING_FORMATS.text}).`,
    details,
  );
}

/**
 * Imports one file of any kind. The first bytes decide the engine: a WAV renamed .png is imported as audio, a PNG
 * renamed .mp3 as an image. Text has no signature, so only .txt/.md/.markdown names holding UTF-8 count as text.
 * Worker task 'media.ingest'; every error names `input.name`.
 */
export async function ingestMedia(input: { path: string; name: string }, ctx: JobContext): Promise<MediaIngest> {
  if (ctx.signal.aborted) throw new AtelierError('CANCELLED', `Importing “${input.name}” was cancelled.`);
  const head = await readHead(input.path, input.name, SNIFF_BYTES);
  if (head.length === 0) {
    throw new AtelierError(
      'CORRUPT_FILE',
      `“${input.name}” is empty (0 bytes). It may not have finished downloading or copying; get the file again and import it.`,
      { file: input.name },
    );
  }
  const sniffed = sniffMedia(head, input.name);
  switch (sniffed.kind) {
    case 'image':
    case 'svg':
      return { kind: 'image', ...(await ingestImage(input, ctx)) };
    case 'audio':
      return { kind: 'audio', ...(await ingestAudio(input, ctx)) };
    case 'text':
      return { kind: 'text', ...(await ingestText(input, ctx)) };
    case 'other':
      throw refusal(input.name, sniffed.looksLike, sniffed.label);
  }
}
