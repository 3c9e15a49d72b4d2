// Pure rules of the playground: gallery keyboard moves, finding a version's output for a prompt and seed, seeds.
import type { Generation } from '../../../preload/contract';

/** Seeds the studio accepts: 0 … 2³¹ − 1 (the contract's generate schema). */
export const SEED_MAX = 2 ** 31 - 1;

/** The gallery cell focused after an arrow key in a grid of `columns` columns and `count` items. */
export function moveFocus(current: number, key: string, columns: number, count: number): number {
  if (count <= 0) return -1;
  const cols = Math.max(1, Math.floor(columns));
  const at = current < 0 ? 0 : Math.min(current, count - 1);
  if (current < 0) return 0;
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, at + 1);
    case 'ArrowLeft':
      return Math.max(0, at - 1);
    case 'ArrowDown':
      return at + cols < count ? at + cols : at;
    case 'ArrowUp':
      return at - cols >= 0 ? at - cols : at;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return at;
  }
}

/** Prompts compare as the studio stores them: trimmed, inner runs of spaces as one. */
export function samePrompt(a: string | null, b: string | null): boolean {
  const norm = (s: string | null) => (s ?? '').trim().replace(/\s+/g, ' ');
  return norm(a) === norm(b);
}

/** The newest output of `version` made from this prompt and seed in prompt mode (null when none exists yet). */
export function findComparable(items: readonly Generation[], version: number, prompt: string, seed: number): Generation | null {
  let best: Generation | null = null;
  for (const g of items) {
    if (g.version !== version || g.seed !== seed || g.mode !== 'prompt' || !samePrompt(g.prompt, prompt)) continue;
    if (!best || g.createdAt > best.createdAt) best = g;
  }
  return best;
}

/** A seed from a random source in [0, 1) (the dice button). */
export function rollSeed(random: () => number): number {
  return Math.floor(random() * (SEED_MAX + 1)) % (SEED_MAX + 1);
}

/** Reads the seed box: empty means "random" (null); anything else must be a whole number in range. */
export function parseSeed(text: string): { seed: number | null; error: string | null } {
  const t = text.trim();
  if (t === '') return { seed: null, error: null };
  if (!/^\d+$/.test(t)) return { seed: null, error: 'The seed is a whole number (or leave it empty for a random one).' };
  const n = Number(t);
  if (n > SEED_MAX) return { seed: null, error: `The seed is at most ${SEED_MAX}.` };
  return { seed: n, error: null };
}
