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
