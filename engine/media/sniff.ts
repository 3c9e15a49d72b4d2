// Recognises an image's real format from its first bytes (magic numbers), whatever its file name says.

/** The image formats this version imports (issue 2); SVG comes with issue 3. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff' | 'gif';

export type SniffedFormat =
  | { kind: 'image'; format: ImageFormat }
  /** SVG is an image, but a vector one that this version does not import yet. */
  | { kind: 'svg' }
  /** Recognised but not importable (a PDF, a HEIC photo…), for the log; or null when unrecognised. */
  | { kind: 'other'; label: string | null };

/** How many leading bytes sniffing looks at; enough for an ISO-BMFF `ftyp` box and an SVG's prologue. */
export const SNIFF_BYTES = 4096;

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[at + i] !== signature[i]) return false;
  return true;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

// Signatures from each format's specification: JPEG (ITU T.81 SOI + marker), PNG (RFC 2083 §3.1),
// GIF (GIF89a spec §17), WebP (RIFF container, Google WebP container spec), TIFF (TIFF 6.0 §2 + BigTIFF).
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const BIGTIFF_LE = [0x49, 0x49, 0x2b, 0x00];
const BIGTIFF_BE = [0x4d, 0x4d, 0x00, 0x2b];

/** AVIF brands (AV1 Image File Format §9.1.1): still image and image sequence. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** HEIF/HEVC brands (ISO/IEC 23008-12): phone photos (HEIC) we cannot import yet. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);

/** Reads the brands of an ISO-BMFF `ftyp` box (ISO/IEC 14496-12 §4.3): major brand, then compatible brands. */
function ftypBrands(bytes: Uint8Array): string[] | null {
  if (ascii(bytes, 4, 8) !== 'ftyp' || bytes.length < 16) return null;
  const boxSize = (((bytes[0] ?? 0) << 24) >>> 0) + ((bytes[1] ?? 0) << 16) + ((bytes[2] ?? 0) << 8) + (bytes[3] ?? 0);
  const end = Math.min(boxSize >= 16 ? boxSize : 16, bytes.length);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands;
}

/** True when the text opening looks like an SVG document (optionally after a BOM, XML prologue, comments, doctype). */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SNIFF_BYTES)).replace(/^\uFEFF/, '');
  if (!/^\s*</.test(head)) return false;
  return /<svg[\s>]/i.test(head);
}

export function sniffImageFormat(bytes: Uint8Array): SniffedFormat {
  if (startsWith(bytes, JPEG)) return { kind: 'image', format: 'jpeg' };
  if (startsWith(bytes, PNG)) return { kind: 'image', format: 'png' };
  const six = ascii(bytes, 0, 6);
  if (six === 'GIF87a' || six === 'GIF89a') return { kind: 'image', format: 'gif' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' };
  if (startsWith(bytes, TIFF_LE) || startsWith(bytes, TIFF_BE) || startsWith(bytes, BIGTIFF_LE) || startsWith(bytes, BIGTIFF_BE)) {
    return { kind: 'image', format: 'tiff' };
  }
  const brands = ftypBrands(bytes);
  if (brands) {
    if (brands.some((b) => AVIF_BRANDS.has(b))) return { kind: 'image', format: 'avif' };
    if (brands.some((b) => HEIC_BRANDS.has(b))) return { kind: 'other', label: 'heic' };
    return { kind: 'other', label: `iso-bmff:${brands[0] ?? ''}` };
  }
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'other', label: 'pdf' };
  if (ascii(bytes, 0, 2) === 'BM') return { kind: 'other', label: 'bmp' };
  if (ascii(bytes, 0, 4) === '8BPS') return { kind: 'other', label: 'psd' };
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return { kind: 'other', label: 'jxl' };
  if (looksLikeSvg(bytes)) return { kind: 'svg' };
  return { kind: 'other', label: null };
}

// ---------------------------------------------------------------------------------------------------
// Audio and text (issue 3): every importable kind, found from the bytes; the name only breaks ties for text.

/** Audio formats this version decodes (without ffmpeg). */
export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg-vorbis' | 'opus';
export type TextFormat = 'txt' | 'markdown';
export type MediaFamily = 'image' | 'audio' | 'text';

export type MediaFormat =
  | { kind: 'image'; format: ImageFormat }
  | { kind: 'svg' }
  | { kind: 'audio'; format: AudioFormat }
  | { kind: 'text'; format: TextFormat }
  /** Not importable. `looksLike` picks the message (which formats work instead); label names what we saw, for the log. */
  | { kind: 'other'; label: string | null; looksLike: MediaFamily | null };

/** Extensions creators use for audio we cannot import, and those we can (used only to word a refusal). */
const AUDIO_EXTENSIONS = new Set(['wav', 'wave', 'mp3', 'flac', 'ogg', 'oga', 'opus', 'm4a', 'aac', 'aif', 'aiff', 'aifc', 'wma', 'amr', 'caf', 'mid', 'midi', 'wv', 'ape', 'mp2', 'weba']);
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'avif', 'tif', 'tiff', 'gif', 'svg', 'heic', 'heif', 'bmp', 'psd', 'jxl']);
const TEXT_EXTENSIONS: Record<string, TextFormat> = { txt: 'txt', md: 'markdown', markdown: 'markdown' };

/** ISO-BMFF brands of audio-only MP4 files (Apple/ISO registrations): AAC/ALAC we cannot decode yet. */
const M4A_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function familyOfExtension(ext: string): MediaFamily | null {
  if (AUDIO_EXTENSIONS.has(ext)) return 'audio';
  if (IMAGE_EXTENSIONS.has(ext)) return 'image';
  if (ext in TEXT_EXTENSIONS) return 'text';
  return null;
}

// MPEG audio frame header tables (ISO/IEC 11172-3 §2.4.2.3, ISO/IEC 13818-3): kbit/s by [version group][layer].
const BITRATES_V1 = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], // layer I
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384], // layer II
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320], // layer III
];
const BITRATES_V2 = [
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** The byte length of the MPEG audio frame starting at `at`, or null when no valid frame header is there. */
function mpegFrameLength(bytes: Uint8Array, at: number): number | null {
  const b1 = bytes[at + 1];
  const b2 = bytes[at + 2];
  if (bytes[at] !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 reserved
  const layerBits = (b1 >> 1) & 3; // 3 = I, 2 = II, 1 = III, 0 reserved (ADTS AAC)
  const bitrateIndex = (b2 >> 4) & 15;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const layer = 4 - layerBits; // 1, 2 or 3
  const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[layer - 1]?.[bitrateIndex] ?? 0;
  const rate = SAMPLE_RATES[version]?.[rateIndex] ?? 0;
  if (kbps === 0 || rate === 0) return null;
  const padding = (b2 >> 1) & 1;
  if (layer === 1) return (Math.floor((12 * kbps * 1000) / rate) + padding) * 4;
  const perFrame = layer === 3 && version !== 3 ? 72 : 144;
  return Math.floor((perFrame * kbps * 1000) / rate) + padding;
}

/** MPEG audio without an ID3 tag: a valid frame header whose successor (when within the sniffed bytes) is valid too. */
function looksLikeMpegAudio(bytes: Uint8Array): boolean {
  const length = mpegFrameLength(bytes, 0);
  if (length === null) return false;
  if (length + 4 > bytes.length) return true;
  return mpegFrameLength(bytes, length) !== null;
}

/** What an Ogg stream carries, from its first packet (RFC 3533 page header: 27 bytes + segment table). */
function oggCodec(bytes: Uint8Array): string {
  const segments = bytes[26] ?? 0;
  const packet = 27 + segments;
  const head = ascii(bytes, packet, packet + 8);
  if (head.startsWith('\x01vorbis')) return 'vorbis';
  if (head === 'OpusHead') return 'opus';
  if (head.startsWith('\x7fFLAC')) return 'flac';
  if (head.startsWith('Speex')) return 'speex';
  if (head.startsWith('\x80theora')) return 'theora';
  return 'unknown';
}

function sniffAudio(bytes: Uint8Array): MediaFormat | null {
  const four = ascii(bytes, 0, 4);
  if (four === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') return { kind: 'audio', format: 'wav' };
  if ((four === 'RF64' || four === 'BW64') && ascii(bytes, 8, 12) === 'WAVE') return { kind: 'other', label: 'rf64', looksLike: 'audio' };
  if (four === 'fLaC') return { kind: 'audio', format: 'flac' };
  if (four === 'OggS') {
    const codec = oggCodec(bytes);
    if (codec === 'vorbis') return { kind: 'audio', format: 'ogg-vorbis' };
    if (codec === 'opus') return { kind: 'audio', format: 'opus' };
    return { kind: 'other', label: `ogg-${codec}`, looksLike: 'audio' };
  }
  if (ascii(bytes, 0, 3) === 'ID3') return { kind: 'audio', format: 'mp3' };
  if (looksLikeMpegAudio(bytes)) return { kind: 'audio', format: 'mp3' };
  if (four === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(bytes, 8, 12))) return { kind: 'other', label: 'aiff', looksLike: 'audio' };
  if (ascii(bytes, 0, 5) === '#!AMR') return { kind: 'other', label: 'amr', looksLike: 'audio' };
  if (four === 'caff') return { kind: 'other', label: 'caf', looksLike: 'audio' };
  if (four === 'MThd') return { kind: 'other', label: 'midi', looksLike: 'audio' };
  if (four === 'wvpk') return { kind: 'other', label: 'wavpack', looksLike: 'audio' };
  if (four === 'MAC ') return { kind: 'other', label: 'ape', looksLike: 'audio' };
  // ADTS AAC: the MPEG sync word with layer bits 00 (ISO/IEC 13818-7).
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xf6) === 0xf0) return { kind: 'other', label: 'aac', looksLike: 'audio' };
  if (ascii(bytes, 4, 8) === 'ftyp' && M4A_BRANDS.has(ascii(bytes, 8, 12))) return { kind: 'other', label: 'm4a', looksLike: 'audio' };
  return null;
}

/** Share of control characters (other than tab, newline, carriage return, form feed) above which a "text" is binary. */
const MAX_CONTROL_SHARE = 0.01;

/** True when the opening bytes are UTF-8 text: no NULs, strictly valid (an incomplete last character is allowed), few controls. */
function looksLikeUtf8Text(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return false;
  let text: string;
  try {
    // stream: true lets the sniff window end in the middle of a multi-byte character (the importer decodes the whole file strictly).
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  return controls <= MAX_CONTROL_SHARE * Math.max(1, text.length);
}

/**
 * What a file really is, from its first bytes (at least SNIFF_BYTES of it, or all of a shorter file).
 * Images, SVG and audio are recognised by content alone. Text has no signature, so a file is text only when its
 * name says .txt/.md/.markdown AND its bytes are UTF-8 without NULs — a binary renamed to .txt stays refused.
 */
export function sniffMedia(bytes: Uint8Array, fileName: string): MediaFormat {
  const ext = extensionOf(fileName);
  const audio = sniffAudio(bytes);
  if (audio) return audio;
  const image = sniffImageFormat(bytes);
  if (image.kind === 'image' || image.kind === 'svg') return image;
  const textFormat = TEXT_EXTENSIONS[ext];
  if (textFormat) {
    if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      return { kind: 'other', label: 'utf-16-text', looksLike: 'text' };
    }
    if (image.label === null && looksLikeUtf8Text(bytes)) return { kind: 'text', format: textFormat };
  }
  if (image.label !== null) return { kind: 'other', label: image.label, looksLike: 'image' };
  return { kind: 'other', label: null, looksLike: familyOfExtension(ext) };
}
