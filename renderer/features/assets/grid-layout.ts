// Column math of the virtualised asset grid: how many tiles fit a width, how big they are, which rows hold which assets.
import type { CropRect } from '../../../preload/contract';

/** Tiles never get narrower than this; below it names and badges stop being readable. */
export const TILE_MIN_WIDTH = 168;
/** Space between tiles, the same as --space-4 in tokens.css. */
export const TILE_GAP = 16;
/** Height of the caption under the square thumbnail: name line, meta line, tag line and padding. */
export const TILE_CAPTION_HEIGHT = 78;

export interface GridLayout {
  columns: number;
  /** Width (and thumbnail height) of one tile in CSS pixels. */
  tileWidth: number;
  /** Height of one row including the gap below it. */
  rowHeight: number;
  rows: number;
}

/** The layout for a grid `width` pixels wide holding `count` assets; always at least one column. */
export function gridLayout(
  width: number,
  count: number,
  opts: { minTile?: number; gap?: number; caption?: number } = {},
): GridLayout {
  const minTile = opts.minTile ?? TILE_MIN_WIDTH;
  const gap = opts.gap ?? TILE_GAP;
  const caption = opts.caption ?? TILE_CAPTION_HEIGHT;
  const usable = Number.isFinite(width) && width > 0 ? width : minTile;
  const columns = Math.max(1, Math.floor((usable + gap) / (minTile + gap)));
  const tileWidth = Math.max(1, (usable - gap * (columns - 1)) / columns);
  // Whole pixels: fractional row heights make rows shimmer as they are translated while scrolling.
  const rowHeight = Math.round(tileWidth + caption + gap);
  const rows = count > 0 ? Math.ceil(count / columns) : 0;
  return { columns, tileWidth, rowHeight, rows };
}

/** The asset indexes [start, end) shown in a row. */
export function rowIndexes(row: number, columns: number, count: number): [number, number] {
  const start = row * columns;
  return [Math.min(start, count), Math.min(start + columns, count)];
}

/** The list pages (of `pageSize`) that cover asset indexes [start, end). */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end <= start || pageSize <= 0) return [];
  const first = Math.floor(Math.max(0, start) / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}

/**
 * Where a square tile looks into the image: at the saved crop when there is one (object-fit: cover
 * scales the short side to the tile, so only the offset along the long side can follow the crop).
 */
export function cropPosition(asset: { crop: CropRect | null; width: number | null; height: number | null }): string | undefined {
  const { crop, width, height } = asset;
  if (!crop || !width || !height) return undefined;
  const along = (offset: number, side: number) => (side > crop.size ? Math.min(100, Math.max(0, (offset / (side - crop.size)) * 100)) : 50);
  return `${along(crop.x, width).toFixed(1)}% ${along(crop.y, height).toFixed(1)}%`;
}
