// Square-crop geometry for the crop editor: clamping, keeping the square inside the image, corner drags,
// nudging, and mapping between the preview on screen and the original image's pixels.
import type { CropRect } from '../../../preload/contract';

/** Smallest square the editor lets a creator make, in original pixels (below this a crop is useless to train on). */
export const CROP_MIN_SIZE = 16;
/** Issue 3 resolution check: a crop below this on its side trains less well (warn < 1024 px). */
export const CROP_RECOMMENDED_SIZE = 1024;
/** Arrow keys move the square by this many screen pixels; with Shift, by ten times as many. */
export const NUDGE_SCREEN_PX = 1;
export const NUDGE_FAST_FACTOR = 10;

export interface ImageSize {
  width: number;
  height: number;
}

/** How the original image is shown on screen: the displayed size of the whole image. */
export interface Viewport {
  original: ImageSize;
  display: ImageSize;
}

export type Corner = 'nw' | 'ne' | 'sw' | 'se';
export const CORNERS: readonly Corner[] = ['nw', 'ne', 'sw', 'se'];

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** The smallest allowed square for this image (tiny images may be smaller than CROP_MIN_SIZE). */
export function minCropSize(image: ImageSize): number {
  return Math.max(1, Math.min(CROP_MIN_SIZE, image.width, image.height));
}

/** Whole pixels, a side between the minimum and the image's short side, and fully inside the image. */
export function clampCrop(crop: CropRect, image: ImageSize): CropRect {
  const maxSize = Math.max(1, Math.min(image.width, image.height));
  const size = clamp(Math.round(finite(crop.size, maxSize)), minCropSize(image), maxSize);
  const x = clamp(Math.round(finite(crop.x, 0)), 0, image.width - size);
  const y = clamp(Math.round(finite(crop.y, 0)), 0, image.height - size);
  return { x, y, size };
}

function finite(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** The largest square in the middle of the image (used when there is neither a saved nor a suggested crop). */
export function centredCrop(image: ImageSize): CropRect {
  const size = Math.max(1, Math.min(image.width, image.height));
  return { x: Math.floor((image.width - size) / 2), y: Math.floor((image.height - size) / 2), size };
}

/** Where the editor starts: the saved crop, else the report's suggestion, else the centred largest square. */
export function initialCrop(image: ImageSize, saved: CropRect | null, suggested: CropRect | null): CropRect {
  if (saved) return clampCrop(saved, image);
  if (suggested) return clampCrop(suggested, image);
  return centredCrop(image);
}

export function sameCrop(a: CropRect | null, b: CropRect | null): boolean {
  if (a === null || b === null) return a === b;
  return a.x === b.x && a.y === b.y && a.size === b.size;
}

/** Fits an image into a box on screen, keeping its aspect ratio (never enlarging past `maxScale`). */
export function fitDisplay(image: ImageSize, box: ImageSize, maxScale = Infinity): ImageSize {
  if (image.width <= 0 || image.height <= 0 || box.width <= 0 || box.height <= 0) return { width: 0, height: 0 };
  const scale = Math.min(box.width / image.width, box.height / image.height, maxScale);
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}

// Each axis has its own factor: the displayed size is rounded to whole pixels, so a single factor would
// drift by up to a pixel at the far edge.
function scaleX(v: Viewport): number {
  return v.display.width / v.original.width;
}
function scaleY(v: Viewport): number {
  return v.display.height / v.original.height;
}

/** An on-screen point (relative to the displayed image) in original pixels. */
export function toOriginalPoint(v: Viewport, point: { x: number; y: number }): { x: number; y: number } {
  return { x: point.x / scaleX(v), y: point.y / scaleY(v) };
}

/** A crop in original pixels as an on-screen rectangle over the displayed image. */
export function toDisplayRect(v: Viewport, crop: CropRect): { x: number; y: number; width: number; height: number } {
  return { x: crop.x * scaleX(v), y: crop.y * scaleY(v), width: crop.size * scaleX(v), height: crop.size * scaleY(v) };
}

/** The square after dragging its body so its top-left lands on an on-screen point; it stops at the edges. */
export function moveCropTo(v: Viewport, crop: CropRect, displayTopLeft: { x: number; y: number }): CropRect {
  const p = toOriginalPoint(v, displayTopLeft);
  return clampCrop({ x: p.x, y: p.y, size: crop.size }, v.original);
}

/** The corner opposite the one being dragged stays put while the square grows or shrinks. */
function anchorOf(crop: CropRect, corner: Corner): { x: number; y: number } {
  return {
    x: corner === 'nw' || corner === 'sw' ? crop.x + crop.size : crop.x,
    y: corner === 'nw' || corner === 'ne' ? crop.y + crop.size : crop.y,
  };
}

/**
 * The square after dragging one corner handle to an on-screen point: the opposite corner is anchored,
 * the side follows the pointer's farther axis (so the square stays square), and it never leaves the image.
 */
export function resizeFromCorner(v: Viewport, crop: CropRect, corner: Corner, displayPoint: { x: number; y: number }): CropRect {
  const image = v.original;
  const current = clampCrop(crop, image);
  const anchor = anchorOf(current, corner);
  const p = toOriginalPoint(v, displayPoint);
  const growsLeft = corner === 'nw' || corner === 'sw';
  const growsUp = corner === 'nw' || corner === 'ne';
  // Distance from the anchor toward the dragged corner's side; negative when the pointer crossed the anchor.
  const dx = growsLeft ? anchor.x - p.x : p.x - anchor.x;
  const dy = growsUp ? anchor.y - p.y : p.y - anchor.y;
  const room = Math.min(growsLeft ? anchor.x : image.width - anchor.x, growsUp ? anchor.y : image.height - anchor.y);
  const min = minCropSize(image);
  const size = Math.round(clamp(Math.max(dx, dy), min, Math.max(min, room)));
  const x = growsLeft ? anchor.x - size : anchor.x;
  const y = growsUp ? anchor.y - size : anchor.y;
  return clampCrop({ x, y, size }, image);
}

/** The on-screen position of a corner handle. */
export function cornerPoint(v: Viewport, crop: CropRect, corner: Corner): { x: number; y: number } {
  const r = toDisplayRect(v, crop);
  return {
    x: corner === 'nw' || corner === 'sw' ? r.x : r.x + r.width,
    y: corner === 'nw' || corner === 'ne' ? r.y : r.y + r.height,
  };
}

/** One arrow-key step in original pixels: one screen pixel's worth (at least one pixel), ten with Shift. */
export function nudgeStep(v: Viewport, fast: boolean): number {
  const perScreenPx = Math.max(1, Math.round(v.original.width / Math.max(1, v.display.width)));
  return perScreenPx * NUDGE_SCREEN_PX * (fast ? NUDGE_FAST_FACTOR : 1);
}

export function nudgeCrop(crop: CropRect, image: ImageSize, dx: number, dy: number): CropRect {
  return clampCrop({ x: crop.x + dx, y: crop.y + dy, size: crop.size }, image);
}

/** Grows (positive) or shrinks (negative) the square around its centre, kept inside the image. */
export function growCrop(crop: CropRect, image: ImageSize, delta: number): CropRect {
  const maxSize = Math.min(image.width, image.height);
  const size = clamp(crop.size + delta, minCropSize(image), maxSize);
  const centreX = crop.x + crop.size / 2;
  const centreY = crop.y + crop.size / 2;
  return clampCrop({ x: Math.round(centreX - size / 2), y: Math.round(centreY - size / 2), size }, image);
}
