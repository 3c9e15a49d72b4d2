// How fast the grid is moving: while the creator flings through thousands of rows, tiles skip thumbnail reads.

/** Faster than this (CSS px per ms, ≈ 3 screens a second) counts as a fling, not reading. */
export const FLING_PX_PER_MS = 3;
/** A scroll event older than this means the grid has come to rest. */
const REST_AFTER_MS = 120;

let lastTop = 0;
let lastAt = 0;
let speed = 0;

/** Called from the grid's scroll listener. */
export function noteScroll(top: number, now: number): void {
  const dt = now - lastAt;
  // Smoothed so one jumpy event neither starts nor ends a fling.
  const instant = dt > 0 ? Math.abs(top - lastTop) / dt : 0;
  speed = dt > REST_AFTER_MS ? instant : speed * 0.5 + instant * 0.5;
  lastTop = top;
  lastAt = now;
}

export function isFlinging(now: number): boolean {
  return now - lastAt < REST_AFTER_MS && speed > FLING_PX_PER_MS;
}

/** Forget the last grid's motion (a new grid starts at rest). */
export function resetScrollSpeed(): void {
  lastTop = 0;
  lastAt = 0;
  speed = 0;
}
