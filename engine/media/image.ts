// Reads one image a creator imports: hashes its bytes, finds its real format, checks limits, decodes it once to
// make its thumbnail and quality report; also renders the larger preview the asset panel and crop editor show.
import sharp, { type Metadata, type OutputInfo, type ResizeOptions, type Sharp, type SharpOptions, type WebpOptions } from 'sharp';
import { measureImage, reportImage } from '../image/analyze';
import { attentionSquareOffset } from '../image/attention';
import { workingImageFromRaw } from '../image/pixels';
import { WORKING_SIZE } from '../image/thresholds';
import type { CropSquare, ImageQualityReport } from '../image/types';
import { AtelierError } from '../errors';
import { readWholeFile } from './read';
import { sniffImageFormat, type ImageFormat } from './sniff';
import { sanitizeSvg } from './svg';

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

/** The working image every check reads: shrunk on load to WORKING_SIZE, never enlarged. */
const WORKING_RESIZE: ResizeOptions = { width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true };

/**
 * SVG drawings are rasterised so their long side is ≈1024 px: the size training and the preview use. The
 * scale is capped at 64× (a 16-px icon becomes 1024 px, a 1-px one 64 px) so a tiny viewBox cannot ask for
 * a huge render.
 */
export const SVG_RASTER_LONG_SIDE = 1024;
const SVG_MAX_SCALE = 64;
/** librsvg's 1 user unit = 1 px at 72 dpi; sharp's density is in dpi. sharp accepts densities from 1. */
const SVG_BASE_DENSITY = 72;

/** The asset panel and crop editor preview: 1024 px long side (issue 3 "a 1024 px preview"). */
export const PREVIEW_SIZE = 1024;
/** WebP quality 82: a 1024-px preview that shows brush and pen texture cleanly at a few hundred KB. */
export const PREVIEW_WEBP: WebpOptions = { quality: 82 };

const SVG_FACTS = { label: 'SVG', mime: 'image/svg+xml', ext: 'svg' } as const;

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
  /** The real format found in the bytes, one of IMAGE_FORMATS, or 'svg'. */
  format: string;
  mime: string;
  /** Extension the original is stored under, from the real format (not from the name it came with). */
  ext: string;
  /** As displayed, i.e. after EXIF orientation; for SVG, as rasterised (long side ≈ SVG_RASTER_LONG_SIDE). */
  width: number;
  height: number;
  /** WebP, long side ≤ THUMBNAIL_SIZE. A fresh buffer of its own, so a worker may transfer it. */
  thumbnail: Uint8Array;
  /** Resolution, blur, overlay, colour and non-square findings, the metrics (incl. phash) and suggested tags. */
  report: ImageQualityReport;
  /** Style descriptor (engine/image/descriptor.ts: colour, edges/lines, texture), DESCRIPTOR_LENGTH numbers. */
  descriptor: number[];
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


function formatMegapixels(pixels: number): string {
  const mp = pixels / 1_000_000;
  return `${mp >= 100 ? Math.round(mp) : mp.toFixed(1)} megapixels`;
}

function notAnImage(name: string, detected: string | null): AtelierError {
  return new AtelierError(
    'UNSUPPORTED_FILE',
    `“${name}” is not an image Atelier can read. Use JPEG, PNG, WebP, AVIF, TIFF, GIF or SVG.`,
    { file: name, detected },
  );
}

function damaged(name: string, format: ImageFormat | 'svg', cause: unknown): AtelierError {
  const label = format === 'svg' ? SVG_FACTS.label : FORMAT_FACTS[format].label;
  return new AtelierError(
    'CORRUPT_FILE',
    `“${name}” looks like a${format === 'svg' ? 'n' : ''} ${label} image but is damaged or incomplete, so Atelier cannot read it. Export or download it again and import the new copy.`,
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

function isPixelLimitError(e: unknown): boolean {
  return e instanceof Error && /pixel limit/i.test(e.message);
}

/** The density (dpi) that renders an SVG of `width` × `height` user units with its long side ≈ `longSide` px. */
export function svgDensity(width: number, height: number, longSide: number): number {
  const scale = Math.min(SVG_MAX_SCALE, longSide / Math.max(1, width, height));
  return Math.max(1, SVG_BASE_DENSITY * scale);
}

/**
 * Sanitises an SVG (engine/media/svg.ts) and returns a sharp pipeline over the SANITISED bytes rendered with
 * its long side ≈ `longSide`, plus the rendered size. The creator's file itself is never handed to librsvg.
 */
async function renderSvg(bytes: Uint8Array, name: string, longSide: number): Promise<{ pipeline: Sharp; width: number; height: number }> {
  const clean = sanitizeSvg(bytes, name);
  let natural: Metadata;
  try {
    natural = await sharp(clean, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (e) {
    throw damaged(name, 'svg', e);
  }
  if (!(natural.width > 0 && natural.height > 0)) throw damaged(name, 'svg', 'no dimensions');
  const density = svgDensity(natural.width, natural.height, longSide);
  let sized: Metadata;
  try {
    sized = await sharp(clean, { failOn: 'error', limitInputPixels: false, density }).metadata();
  } catch (e) {
    throw damaged(name, 'svg', e);
  }
  if (sized.width * sized.height > MAX_IMAGE_PIXELS) throw tooManyPixels(name, sized.width, sized.height);
  return { pipeline: sharp(clean, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS, density }), width: sized.width, height: sized.height };
}

/** Maps the attention square found on the working image back to the image's own pixels: the largest square, clamped. */
function cropFromAttention(offset: number, working: { width: number; height: number }, width: number, height: number): CropSquare {
  const size = Math.min(width, height);
  const x = width > height ? Math.round((offset * width) / working.width) : 0;
  const y = height > width ? Math.round((offset * height) / working.height) : 0;
  return { x: Math.min(Math.max(0, x), width - size), y: Math.min(Math.max(0, y), height - size), size };
}

/**
 * Imports the image at `input.path` as far as the engine goes: returns its identity (sha256), real format,
 * displayed size, a WebP thumbnail, its quality report and style descriptor. The pixels are decoded ONCE,
 * shrunk on load to WORKING_SIZE; the thumbnail, the attention crop (engine/image/attention.ts) and every metric come from that decode.
 * SVG is sanitised first and only the sanitised drawing is rendered (the stored original stays the creator's
 * file). `input.name` is what the creator calls the file; every error names it. Runs in a worker thread
 * ('image.ingest' / 'media.ingest'); a cancel is honoured before each heavy step.
 *
 * An image below MINIMUM_SHORT_SIDE is still imported: its report carries a resolution finding of severity
 * 'error', and set health leaves it out — the creator sees it and why, rather than a refused file.
 */
export async function ingestImage(input: { path: string; name: string }, ctx: JobContext): Promise<ImageIngest> {
  const { path, name } = input;
  throwIfCancelled(ctx.signal, name);
  ctx.progress(0, 'Reading');
  const { bytes, sha256 } = await readWholeFile(path, name, { maxBytes: MAX_IMAGE_BYTES, what: 'images', signal: ctx.signal });

  const sniffed = sniffImageFormat(bytes);
  if (sniffed.kind === 'other') throw notAnImage(name, sniffed.label);

  throwIfCancelled(ctx.signal, name);
  ctx.progress(0.3, 'Checking');
  let decoder: Sharp;
  let width: number;
  let height: number;
  let facts: { mime: string; ext: string };
  let format: ImageFormat | 'svg';
  if (sniffed.kind === 'svg') {
    format = 'svg';
    facts = SVG_FACTS;
    ({ pipeline: decoder, width, height } = await renderSvg(bytes, name, SVG_RASTER_LONG_SIDE));
  } else {
    format = sniffed.format;
    facts = FORMAT_FACTS[format];
    ({ width, height } = await checkRaster(bytes, name, format));
    decoder = sharp(bytes, DECODE_OPTIONS);
  }

  throwIfCancelled(ctx.signal, name);
  ctx.progress(0.4, 'Decoding');
  let working: { data: Buffer; info: OutputInfo };
  try {
    working = await decoder.resize(WORKING_RESIZE).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    if (isPixelLimitError(e)) throw tooManyPixels(name, width, height);
    throw damaged(name, format, e);
  }
  const raw = { raw: { width: working.info.width, height: working.info.height, channels: working.info.channels } } as const;

  throwIfCancelled(ctx.signal, name);
  ctx.progress(0.6, 'Thumbnail and checks');
  // The thumbnail encodes on libvips threads while this thread measures the pixels and finds the crop.
  const thumbnailDone = sharp(working.data, raw).resize(THUMBNAIL_RESIZE).webp(THUMBNAIL_WEBP).toBuffer();
  // Settle it before anything can throw, so no rejection is left unhandled.
  const settled = Promise.allSettled([thumbnailDone]);
  const workingImage = workingImageFromRaw(working.data, working.info.width, working.info.height, working.info.channels);
  const measured = measureImage(workingImage);
  const offset = width === height ? null : attentionSquareOffset(workingImage);
  const [thumbnailResult] = await settled;
  if (thumbnailResult.status === 'rejected') throw damaged(name, format, thumbnailResult.reason);
  const suggestedCrop = offset === null ? null : cropFromAttention(offset, working.info, width, height);
  const { report, descriptor } = reportImage(measured, { width, height, vector: format === 'svg', suggestedCrop });
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
    thumbnail: new Uint8Array(thumbnailResult.value),
    report,
    descriptor,
  };
}

/** Reads a raster image's header and checks it before a single pixel is decoded; returns the displayed size. */
async function checkRaster(bytes: Buffer, name: string, format: ImageFormat): Promise<{ width: number; height: number; storedWidth: number; storedHeight: number }> {
  const facts = FORMAT_FACTS[format];
  let metadata: Metadata;
  try {
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
  return {
    width: metadata.autoOrient?.width ?? storedWidth,
    height: metadata.autoOrient?.height ?? storedHeight,
    storedWidth,
    storedHeight,
  };
}

/**
 * The preview the asset panel and crop editor show: WebP, long side ≤ `longSide` (never enlarged, except an
 * SVG, which is rendered at that size), EXIF-rotated, SVG sanitised first. The service caches it.
 */
export async function makeImagePreview(input: { path: string; name: string }, longSide = PREVIEW_SIZE): Promise<Uint8Array> {
  const { path, name } = input;
  if (!Number.isInteger(longSide) || longSide < 16 || longSide > 4096) {
    throw new AtelierError('VALIDATION', `A preview of “${name}” must be 16 to 4096 px on its long side (asked for ${longSide}).`, { file: name, longSide });
  }
  const { bytes } = await readWholeFile(path, name, { maxBytes: MAX_IMAGE_BYTES, what: 'images', signal: new AbortController().signal });
  const sniffed = sniffImageFormat(bytes);
  if (sniffed.kind === 'other') throw notAnImage(name, sniffed.label);
  const format: ImageFormat | 'svg' = sniffed.kind === 'svg' ? 'svg' : sniffed.format;
  let pipeline: Sharp;
  let size: { width: number; height: number };
  if (sniffed.kind === 'svg') {
    const rendered = await renderSvg(bytes, name, longSide);
    pipeline = rendered.pipeline;
    size = rendered;
  } else {
    size = await checkRaster(bytes, name, sniffed.format);
    pipeline = sharp(bytes, DECODE_OPTIONS);
  }
  try {
    const preview = await pipeline
      .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
      .webp(PREVIEW_WEBP)
      .toBuffer();
    return new Uint8Array(preview);
  } catch (e) {
    if (isPixelLimitError(e)) throw tooManyPixels(name, size.width, size.height);
    throw damaged(name, format, e);
  }
}
