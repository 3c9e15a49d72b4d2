// Reads RIFF/WAVE files ourselves: PCM 8/16/24/32-bit, float 32/64, WAVE_FORMAT_EXTENSIBLE; checks every header field.
import { AtelierError } from '../../errors';
import { MAX_CHANNELS, MAX_DURATION_S, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './constants';

export interface WavAudio {
  sampleRate: number;
  channels: Float32Array[];
  /** Valid bits per sample (the extensible header's wValidBitsPerSample when given). */
  bitDepth: number;
  codec: 'pcm' | 'float';
  /**
   * Set when the data chunk claims more bytes than the file holds but what is there ends on a whole sample
   * frame: we keep those samples (a recorder that crashed or a streaming writer leaves exactly this) and say so.
   */
  declaredFrames: number | null;
}

// Format tags (Microsoft mmreg.h / RFC 2361).
const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 bytes after the 2-byte format tag. */
const EXTENSIBLE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const COMPRESSED_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0055: 'MP3',
};

function corrupt(name: string, what: string, details: Record<string, unknown> = {}): AtelierError {
  return new AtelierError(
    'CORRUPT_FILE',
    `“${name}” is a WAV file with a damaged header (${what}), so Atelier cannot read it. Export it again as a WAV and import the new copy.`,
    { file: name, ...details },
  );
}

function ascii(view: DataView, at: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += String.fromCharCode(view.getUint8(at + i));
  return s;
}

interface FmtChunk {
  formatTag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  containerBits: number;
  validBits: number;
}

function readFmt(view: DataView, at: number, size: number, name: string): FmtChunk {
  if (size < 16) throw corrupt(name, 'the format block is too short');
  let formatTag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const containerBits = view.getUint16(at + 14, true);
  let validBits = containerBits;
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40 || view.getUint16(at + 16, true) < 22) throw corrupt(name, 'the extensible format block is too short');
    validBits = view.getUint16(at + 18, true) || containerBits;
    formatTag = view.getUint16(at + 24, true);
    for (let i = 0; i < EXTENSIBLE_GUID_TAIL.length; i++) {
      if (view.getUint8(at + 26 + i) !== EXTENSIBLE_GUID_TAIL[i]) {
        throw new AtelierError('UNSUPPORTED_FILE', `“${name}” is a WAV file in a format Atelier does not know. Use WAV, MP3, FLAC, OGG Vorbis or Opus; a plain PCM WAV always works.`, {
          file: name,
        });
      }
    }
  }
  return { formatTag, channels, sampleRate, blockAlign, containerBits, validBits };
}

function checkFmt(fmt: FmtChunk, name: string): 'pcm' | 'float' {
  const compressed = COMPRESSED_NAMES[fmt.formatTag];
  if (compressed) {
    throw new AtelierError(
      'UNSUPPORTED_FILE',
      `“${name}” is a WAV file compressed as ${compressed}, which Atelier does not decode. Export it as PCM WAV, or use MP3, FLAC, OGG Vorbis or Opus.`,
      { file: name, formatTag: fmt.formatTag },
    );
  }
  let codec: 'pcm' | 'float';
  if (fmt.formatTag === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(fmt.containerBits)) codec = 'pcm';
  else if (fmt.formatTag === WAVE_FORMAT_IEEE_FLOAT && (fmt.containerBits === 32 || fmt.containerBits === 64)) codec = 'float';
  else {
    throw new AtelierError(
      'UNSUPPORTED_FILE',
      `“${name}” is a WAV file with ${fmt.containerBits}-bit samples of type ${fmt.formatTag}, which Atelier does not read. Export it as 16- or 24-bit PCM WAV (or use MP3, FLAC, OGG Vorbis or Opus).`,
      { file: name, formatTag: fmt.formatTag, bits: fmt.containerBits },
    );
  }
  if (fmt.channels < 1 || fmt.channels > MAX_CHANNELS) {
    throw corrupt(name, `it claims ${fmt.channels} channels`, { channels: fmt.channels });
  }
  if (fmt.sampleRate < MIN_SAMPLE_RATE || fmt.sampleRate > MAX_SAMPLE_RATE) {
    throw corrupt(name, `it claims a sample rate of ${fmt.sampleRate} Hz`, { sampleRate: fmt.sampleRate });
  }
  if (fmt.blockAlign !== fmt.channels * (fmt.containerBits / 8)) {
    throw corrupt(name, 'its block size does not match its channels and bit depth', { blockAlign: fmt.blockAlign });
  }
  if (fmt.validBits > fmt.containerBits || fmt.validBits === 0) throw corrupt(name, 'its bit depth is inconsistent');
  return codec;
}

/** The duration we refuse above, checked from the header before a single sample is converted. */
function tooLong(name: string, seconds: number): AtelierError {
  const minutes = (seconds / 60).toFixed(1);
  return new AtelierError(
    'TOO_LARGE',
    `“${name}” is ${minutes} minutes long; Atelier imports recordings up to ${MAX_DURATION_S / 60} minutes (longer ones need more memory than analysis can safely use). Cut it into shorter parts and import those.`,
    { file: name, durationS: seconds, limitS: MAX_DURATION_S },
  );
}

export function decodeWav(bytes: Uint8Array, name: string): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || ascii(view, 0) !== 'RIFF' || ascii(view, 8) !== 'WAVE') throw corrupt(name, 'no RIFF/WAVE header');
  let fmt: FmtChunk | null = null;
  let codec: 'pcm' | 'float' = 'pcm';
  let at = 12;
  // The RIFF size is ignored on purpose: chunks are walked to the end of the bytes we actually have.
  while (at + 8 <= bytes.length) {
    const id = ascii(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) throw corrupt(name, 'the file ends inside the format block');
      fmt = readFmt(view, body, size, name);
      codec = checkFmt(fmt, name);
    } else if (id === 'data') {
      if (!fmt) throw corrupt(name, 'the audio comes before its format block');
      const frameBytes = fmt.blockAlign;
      const available = bytes.length - body;
      let dataBytes = size;
      let declaredFrames: number | null = null;
      if (size > available) {
        // The header promises more than the file holds. Whole frames are kept (and reported); a cut inside a frame is damage.
        if (available % frameBytes !== 0) {
          throw new AtelierError(
            'CORRUPT_FILE',
            `“${name}” is incomplete: the WAV ends part-way through a sample. It may not have finished copying or recording; get the file again and import it.`,
            { file: name, declaredBytes: size, availableBytes: available },
          );
        }
        dataBytes = available;
        declaredFrames = Math.floor(size / frameBytes);
      } else if (size % frameBytes !== 0) {
        dataBytes = size - (size % frameBytes);
      }
      const frames = dataBytes / frameBytes;
      if (frames === 0) {
        throw new AtelierError('CORRUPT_FILE', `“${name}” has no audio: its WAV data block holds 0 samples. Export the recording again and import it.`, {
          file: name,
        });
      }
      if (frames / fmt.sampleRate > MAX_DURATION_S) throw tooLong(name, frames / fmt.sampleRate);
      const channels = readSamples(view, body, frames, fmt, codec, name);
      return { sampleRate: fmt.sampleRate, channels, bitDepth: fmt.validBits, codec, declaredFrames };
    } else if (body + size > bytes.length) {
      throw corrupt(name, `the “${id.replace(/[^\x20-\x7e]/g, '?')}” block runs past the end of the file`);
    }
    // RIFF chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    at = body + size + (size % 2);
  }
  if (!fmt) throw corrupt(name, 'no format block');
  throw new AtelierError('CORRUPT_FILE', `“${name}” has no audio: the WAV file has no data block. Export the recording again and import it.`, { file: name });
}

function readSamples(view: DataView, start: number, frames: number, fmt: FmtChunk, codec: 'pcm' | 'float', name: string): Float32Array[] {
  const channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
  const bytesPer = fmt.containerBits / 8;
  const read = sampleReader(view, codec, fmt.containerBits);
  let at = start;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < fmt.channels; c++) {
      const v = read(at);
      if (!Number.isFinite(v)) {
        throw new AtelierError(
          'CORRUPT_FILE',
          `“${name}” contains invalid samples (not-a-number or infinite values at ${(f / fmt.sampleRate).toFixed(2)} s), so it cannot be played or analysed. Export it again, ideally as 24-bit PCM WAV.`,
          { file: name, frame: f, channel: c },
        );
      }
      (channels[c] as Float32Array)[f] = v;
      at += bytesPer;
    }
  }
  return channels;
}

function sampleReader(view: DataView, codec: 'pcm' | 'float', bits: number): (at: number) => number {
  if (codec === 'float') return bits === 64 ? (at) => view.getFloat64(at, true) : (at) => view.getFloat32(at, true);
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned, centred on 128
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) / 2147483648;
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}
