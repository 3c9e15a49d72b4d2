// Reads one image a creator imports: hashes its bytes, finds its real format, checks limits, makes its thumbnail.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import sharp, { type Metadata, type ResizeOptions, type SharpOptions, type WebpOptions } from 'sharp';
import { AtelierError } from '../errors';
import { folderNotFile, notARegularFile, readFailure } from './file-access';
import { sniffImageFormat, type ImageFormat } from './sniff';

export type { ImageFormat } from './sniff';

/** What a long-running engine step gets from its job (ARCHITECTURE.md "Engines"); structural, so engine/ never imports electron/. */
export interface JobContext {
  signal: AbortSignal;
  progress(fraction: number, stage?: string): void;
}

/** Formats this issue imports. GIF and multi-page TIFF contribute their first frame/page. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'tiff', 'gif'] as const satisfies readonly ImageFormat[];

/**
 * Decompression-bomb guard: a tiny file may declare billions of pixels. 160 MP sits above the largest current
 * camera sensors (Phase One IQ4 150MP: 14204 × 10652 = 151 MP; Fujifilm GFX100: 102 MP), so no real photo is
 * refused, while still far below libvips' own default of 268 MP (0x3FFF²) and the 900 MP a 30000² bomb declares.
 */
export const MAX_IMAGE_PIXELS = 160_000_000;

/**
 * Largest file read for import. The whole file is held in memory once (hash, sniff and decode see the same bytes),
 * so this bounds a worker's memory; 512 MiB holds an uncompressed 8-bit RGB TIFF at the pixel limit (480 MB).
 */
export const MAX_IMAGE_BYTES = 512 * 1024 * 1024;

/** Thumbnail long side in px: the grid shows tiles up to 128 CSS px, so 256 stays sharp on 2× screens. */
export const THUMBNAIL_SIZE = 256;

export const THUMBNAIL_MIME = 'image/webp';

/** WebP quality 80 is sharp's default and visually clean at thumbnail size; named so bench and import match. */
export const THUMBNAIL_WEBP: WebpOptions = { quality: 80 };

/** Long side ≤ THUMBNAIL_SIZE, aspect kept, small images never enlarged. Resizing down lets libjpeg/libwebp shrink on load. */
export const THUMBNAIL_RESIZE: ResizeOptions = {
  width: THUMBNAIL_SIZE,
  height: THUMBNAIL_SIZE,
  fit: 'inside',
  withoutEnlargement: true,
};

/**
 * Decoder settings for untrusted files. failOn 'error' (which implies 'truncated') rejects cut-off and broken
 * files, but not libjpeg/libpng *warnings* (e.g. "extraneous bytes before marker", a known-incorrect sRGB
 * profile) that many cameras and editors produce in files that display fine everywhere else.
 */
export const DECODE_OPTIONS: SharpOptions = {
  failOn: 'error',
  limitInputPixels: MAX_IMAGE_PIXELS,
  autoOrient: true,
  pages: 1,
  page: 0,
};

/** Bytes read per step; between steps a cancel is noticed. */
const READ_CHUNK_BYTES = 8 * 1024 * 1024;

interface FormatFacts {
  label: string;
  mime: string;
  ext: string;
  /** sharp's metadata().format for this format (AVIF is decoded by the HEIF loader). */
  sharpFormat: string;
}

const FORMAT_FACTS: Record<ImageFormat, FormatFacts> = {
  jpeg: { label: 'JPEG', mime: 'image/jpeg', ext: 'jpg', sharpFormat: 'jpeg' },
  png: { label: 'PNG', mime: 'image/png', ext: 'png', sharpFormat: 'png' },
  webp: { label: 'WebP', mime: 'image/webp', ext: 'webp', sharpFormat: 'webp' },
  avif: { label: 'AVIF', mime: 'image/avif', ext: 'avif', sharpFormat: 'heif' },
  tiff: { label: 'TIFF', mime: 'image/tiff', ext: 'tif', sharpFormat: 'tiff' },
  gif: { label: 'GIF', mime: 'image/gif', ext: 'gif', sharpFormat: 'gif' },
};

export interface ImageIngest {
  sha256: string;
  byteSize: number;
  /** The real format found in the bytes, one of IMAGE_FORMATS. */
  format: string;
  mime: string;
  /** Extension the original is stored under, from the real format (not from the name it came with). */
  ext: string;
  /** As displayed, i.e. after EXIF orientation. */
  width: number;
  height: number;
  /** WebP, long side ≤ THUMBNAIL_SIZE. A fresh buffer of its own, so a worker may transfer it. */
  thumbnail: Uint8Array;
}

export function describeFormat(format: ImageFormat): { mime: string; ext: string; label: string } {
  const facts = FORMAT_FACTS[format];
  return { mime: facts.mime, ext: facts.ext, label: facts.label };
}

function cancelled(name: string): AtelierError {
  return new AtelierError('CANCELLED', `Importing “${name}” was cancelled.`);
}

function throwIfCancelled(signal: AbortSignal, name: string): void {
  if (signal.aborted) throw cancelled(name);
}

const MIB = 1024 * 1024;

function formatMegabytes(bytes: number): string {
  const mb = bytes / MIB;
  return `${mb >= 100 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

function formatMegapixels(pixels: number): string {
  const mp = pixels / 1_000_000;
  return `${mp >= 100 ? Math.round(mp) : mp.toFixed(1)} megapixels`;
}

function notAnImage(name: string, detected: string | null): AtelierError {
  return new AtelierError(
    'UNSUPPORTED_FILE',
    `“${name}” is not an image Atelier can read. Use JPEG, PNG, WebP, AVIF, TIFF or GIF.`,
    { file: name, detected },
  );
}

function svgNotYet(name: string): AtelierError {
  return new AtelierError(
    'UNSUPPORTED_FILE',
    `“${name}” is an SVG drawing. This version of Atelier imports JPEG, PNG, WebP, AVIF, TIFF and GIF; SVG support is coming. Export it as PNG to import it now.`,
    { file: name, detected: 'svg' },
  );
}

function damaged(name: string, format: ImageFormat, cause: unknown): AtelierError {
  return new AtelierError(
    'CORRUPT_FILE',
    `“${name}” looks like a ${FORMAT_FACTS[format].label} image but is damaged or incomplete, so Atelier cannot read it. Export or download it again and import the new copy.`,
    { file: name, format, cause: cause instanceof Error ? cause.message : String(cause) },
  );
}

function tooManyPixels(name: string, width: number, height: number): AtelierError {
  return new AtelierError(
    'TOO_LARGE',
    `“${name}” is ${width} × ${height} pixels (${formatMegapixels(width * height)}); Atelier imports images up to ${formatMegapixels(MAX_IMAGE_PIXELS)}. Resize it and import it again.`,
    { file: name, width, height, limitPixels: MAX_IMAGE_PIXELS },
  );
}

/** Reads the whole file once, hashing as it goes; the checks before the read keep hostile files cheap. */
async function readImageFile(path: string, name: string, signal: AbortSignal): Promise<{ bytes: Buffer; sha256: string }> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (e) {
    throw readFailure(name, e);
  }
  // Opening a FIFO or a device would block or never end; only regular files are read.
  if (stat.isDirectory()) throw folderNotFile(name);
  if (!stat.isFile()) throw notARegularFile(name);
  if (stat.size === 0) {
    throw new AtelierError(
      'CORRUPT_FILE',
      `“${name}” is empty (0 bytes). It may not have finished downloading or copying; get the file again and import it.`,
      { file: name },
    );
  }
  if (stat.size > MAX_IMAGE_BYTES) {
    throw new AtelierError(
      'TOO_LARGE',
      `“${name}” is ${formatMegabytes(stat.size)}; Atelier imports images up to ${formatMegabytes(MAX_IMAGE_BYTES)}. Save a smaller or compressed version and import that.`,
      { file: name, byteSize: stat.size, limitBytes: MAX_IMAGE_BYTES },
    );
  }

  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    throw readFailure(name, e);
  }
  try {
    const bytes = Buffer.allocUnsafe(stat.size);
    const hash = createHash('sha256');
    let filled = 0;
    while (filled < bytes.length) {
      throwIfCancelled(signal, name);
      const want = Math.min(READ_CHUNK_BYTES, bytes.length - filled);
      const { bytesRead } = await handle.read(bytes, filled, want, filled);
      if (bytesRead === 0) break;
      hash.update(bytes.subarray(filled, filled + bytesRead));
      filled += bytesRead;
    }
    const probe = Buffer.alloc(1);
    const { bytesRead: beyondEnd } = await handle.read(probe, 0, 1, filled);
    if (filled !== stat.size || beyondEnd !== 0) {
      throw new AtelierError(
        'CONFLICT',
        `“${name}” changed while Atelier was reading it. Wait until it is completely saved and import it again.`,
        { file: name, expectedBytes: stat.size, readBytes: filled },
      );
    }
    return { bytes, sha256: hash.digest('hex') };
  } catch (e) {
    throw readFailure(name, e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function isPixelLimitError(e: unknown): boolean {
  return e instanceof Error && /pixel limit/i.test(e.message);
}

/**
 * Imports the image at `input.path` as far as the engine goes: returns its identity (sha256), real format,
 * displayed size and a WebP thumbnail. `input.name` is what the creator calls the file; every error names it.
 * Runs in a worker thread ('image.ingest'); a cancel is honoured before each heavy step.
 */
export async function ingestImage(input: { path: string; name: string }, ctx: JobContext): Promise<ImageIngest> {
  const { path, name } = input;
  throwIfCancelled(ctx.signal, name);
  ctx.progress(0, 'Reading');
  const { bytes, sha256 } = await readImageFile(path, name, ctx.signal);

  const sniffed = sniffImageFormat(bytes);
  if (sniffed.kind === 'svg') throw svgNotYet(name);
  if (sniffed.kind === 'other') throw notAnImage(name, sniffed.label);
  const format = sniffed.format;
  const facts = FORMAT_FACTS[format];

  throwIfCancelled(ctx.signal, name);
  ctx.progress(0.4, 'Checking');
  let metadata: Metadata;
  try {
    // Header only: the pixel check below happens before a single pixel is decoded.
    metadata = await sharp(bytes, { failOn: 'error', limitInputPixels: false, pages: 1 }).metadata();
  } catch (e) {
    throw damaged(name, format, e);
  }
  if (metadata.format !== facts.sharpFormat) throw damaged(name, format, `decoder saw ${String(metadata.format)}`);
  if (format === 'avif' && metadata.compression !== undefined && metadata.compression !== 'av1') {
    // An AVIF brand on HEVC data is a HEIC photo in disguise; this version cannot decode it.
    throw notAnImage(name, 'heic');
  }
  const storedWidth = metadata.width;
  const storedHeight = metadata.height;
  if (!(storedWidth > 0 && storedHeight > 0)) throw damaged(name, format, 'no dimensions');
  if (storedWidth * storedHeight > MAX_IMAGE_PIXELS) throw tooManyPixels(name, storedWidth, storedHeight);
  // Orientations 5–8 turn the picture a quarter: the creator sees it with width and height swapped.
  const width = metadata.autoOrient?.width ?? storedWidth;
  const height = metadata.autoOrient?.height ?? storedHeight;

  throwIfCancelled(ctx.signal, name);
  ctx.progress(0.5, 'Thumbnail');
  let thumbnail: Buffer;
  try {
    thumbnail = await sharp(bytes, DECODE_OPTIONS).resize(THUMBNAIL_RESIZE).webp(THUMBNAIL_WEBP).toBuffer();
  } catch (e) {
    if (isPixelLimitError(e)) throw tooManyPixels(name, storedWidth, storedHeight);
    throw damaged(name, format, e);
  }
  ctx.progress(1, 'Done');

  return {
    sha256,
    byteSize: bytes.length,
    format,
    mime: facts.mime,
    ext: facts.ext,
    width,
    height,
    // A copy that owns its ArrayBuffer: transferring it out of the worker cannot detach anything else.
    thumbnail: new Uint8Array(thumbnail),
  };
}
