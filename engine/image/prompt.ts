// Prompt reading: plain words → the model's known tags, colour targets, layout hints and tone; refuses prompts it cannot draw.
import type { LoadedBundle } from '../bundle/bundle';
import { AtelierError } from '../errors';
import { motifDataOf } from './motifs';

/** Longest prompt read: a sentence or two; longer text is a mistake, not a request. */
export const MAX_PROMPT_CHARS = 500;

export type LayoutHint = 'centred' | 'left' | 'right' | 'top' | 'bottom' | 'pair' | 'group';
export type ToneHint = 'dark' | 'light' | 'high-contrast';

export interface ColourTarget {
  word: string;
  /** CIE Lab (D65) of the colour word's usual sRGB swatch. */
  lab: [number, number, number];
}

export interface ParsedPrompt {
  /** Known "kind:value" tags the prompt names. */
  tags: string[];
  colours: ColourTarget[];
  layout: LayoutHint[];
  tone: ToneHint[];
}

/** Colour words → Lab of their CSS/X11 swatch (converted once; rounded). */
const COLOURS: Record<string, [number, number, number]> = {
  red: [53, 80, 67],
  orange: [75, 24, 79],
  yellow: [97, -22, 94],
  green: [46, -52, 50],
  teal: [48, -29, -9],
  blue: [32, 79, -108],
  navy: [13, 47, -64],
  purple: [30, 59, -36],
  violet: [70, 56, -37],
  pink: [84, 24, 3],
  brown: [38, 27, 43],
  black: [0, 0, 0],
  white: [100, 0, 0],
  grey: [54, 0, 0],
  gray: [54, 0, 0],
  gold: [87, -2, 86],
  cream: [95, -3, 13],
};

const LAYOUT: Record<string, LayoutHint> = {
  centred: 'centred',
  centered: 'centred',
  centre: 'centred',
  center: 'centred',
  middle: 'centred',
  left: 'left',
  right: 'right',
  top: 'top',
  above: 'top',
  upper: 'top',
  bottom: 'bottom',
  below: 'bottom',
  lower: 'bottom',
  pair: 'pair',
  two: 'pair',
  couple: 'pair',
  both: 'pair',
  group: 'group',
  several: 'group',
  many: 'group',
  three: 'group',
  scattered: 'group',
};

const TONE: Record<string, ToneHint> = {
  dark: 'dark',
  moody: 'dark',
  night: 'dark',
  gloomy: 'dark',
  shadowy: 'dark',
  light: 'light',
  bright: 'light',
  airy: 'light',
  pale: 'light',
  soft: 'light',
  bold: 'high-contrast',
  contrast: 'high-contrast',
  contrasty: 'high-contrast',
  striking: 'high-contrast',
  dramatic: 'high-contrast',
};

/** A word's lemma for matching: lower case, possessive and common English plural endings removed. */
export function lemma(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ches|shes|sses|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  return w;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .flatMap((w) => w.split('-'))
    .filter((w) => w.length > 0);
}

/** Every tag the model knows: the bundle's tag index and its motifs' tags, sorted. */
export function knownTagsOf(bundle: LoadedBundle): string[] {
  const data = bundle.manifest.data as { tagIndex?: Record<string, number[]> };
  const tags = new Set<string>(Object.keys(data.tagIndex ?? {}));
  for (const tag of Object.keys(motifDataOf(bundle).motifTagIndex)) tags.add(tag);
  return [...tags].sort();
}

/**
 * Reads a prompt against the tags a model knows. A tag matches when every word of its value appears in the
 * prompt (exact or same lemma). Throws VALIDATION listing the known tags when the prompt names none of them.
 */
export function parsePrompt(prompt: string, knownTags: readonly string[]): ParsedPrompt {
  if (typeof prompt !== 'string' || prompt.trim().length === 0) {
    throw new AtelierError('VALIDATION', 'Write what to draw, using words from the model’s tags.', { knownTags: [...knownTags] });
  }
  if (prompt.length > MAX_PROMPT_CHARS) {
    throw new AtelierError('VALIDATION', `The prompt is ${prompt.length} characters; keep it under ${MAX_PROMPT_CHARS}.`);
  }
  const said = words(prompt);
  const lemmas = new Set(said.map(lemma));
  const tags = knownTags.filter((tag) => {
    const value = tag.includes(':') ? tag.slice(tag.indexOf(':') + 1) : tag;
    const parts = words(value).map(lemma);
    return parts.length > 0 && parts.every((p) => lemmas.has(p));
  });
  if (tags.length === 0) {
    const values = [...new Set(knownTags.map((t) => (t.includes(':') ? t.slice(t.indexOf(':') + 1) : t)))];
    throw new AtelierError(
      'VALIDATION',
      values.length === 0
        ? 'This model has no tags to compose from. Tag its training images (for example "rose" or "bird") and train it again, or use a reference picture.'
        : `“${prompt.trim()}” names nothing this model knows. It knows: ${values.join(', ')}.`,
      { knownTags: [...knownTags] },
    );
  }
  const colours: ColourTarget[] = [];
  const layout = new Set<LayoutHint>();
  const tone = new Set<ToneHint>();
  for (const w of said) {
    const c = COLOURS[w];
    if (c && !colours.some((x) => x.word === w)) colours.push({ word: w, lab: c });
    const l = LAYOUT[w] ?? LAYOUT[lemma(w)];
    if (l) layout.add(l);
    const t = TONE[w];
    if (t) tone.add(t);
  }
  return { tags, colours, layout: [...layout], tone: [...tone] };
}
