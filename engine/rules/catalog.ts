// The subcategory catalogue (PRODUCT.md "Categories"): labels, modality, status, pricing unit, licences, names.
import { AtelierError } from '../errors';

export type Modality = 'image' | 'audio' | 'text';
export type SubcategoryStatus = 'available' | 'later';

/** Every subcategory id, available and later, in PRODUCT.md's order. */
export const SUBCATEGORY_IDS = [
  'tattoo',
  'illustration',
  'childrens_book',
  'voice_over',
  'jingles',
  'graphics_design',
  'music_audio',
  'writing_translation',
] as const;
export type SubcategoryId = (typeof SUBCATEGORY_IDS)[number];

/** Licence add-ons a client can buy on top of the default personal licence (PRODUCT.md client item 8). */
export type LicenceAddOn = 'commercial' | 'broadcast';
/** The licence a quote is for: personal is the default and costs nothing extra. */
export type Licence = 'personal' | LicenceAddOn;

/** What one unit of work is, per modality (PRODUCT.md creator item 8: designs, seconds, words). */
export interface PricingUnit {
  id: 'design' | 'second' | 'word';
  /** "design" / "second" / "word" */
  singular: string;
  /** "designs" / "seconds" / "words" */
  plural: string;
  /** How a quantity is written in a summary: "2 designs", "45 s", "300 words". */
  format(quantity: number): string;
}

export const PRICING_UNITS: Readonly<Record<Modality, PricingUnit>> = {
  image: {
    id: 'design',
    singular: 'design',
    plural: 'designs',
    format: (q) => `${q} ${q === 1 ? 'design' : 'designs'}`,
  },
  audio: { id: 'second', singular: 'second', plural: 'seconds', format: (q) => `${q} s` },
  text: { id: 'word', singular: 'word', plural: 'words', format: (q) => `${q} ${q === 1 ? 'word' : 'words'}` },
};

export interface Subcategory {
  id: SubcategoryId;
  /** The creator-facing name, also the stem of default model names ("Tattoo model 2"). */
  label: string;
  modality: Modality;
  status: SubcategoryStatus;
  /** Licence add-ons this subcategory may sell (voice over: commercial and broadcast; others: commercial). */
  licences: readonly LicenceAddOn[];
}

const COMMERCIAL_ONLY: readonly LicenceAddOn[] = ['commercial'];

/** PRODUCT.md "Categories" table. */
export const SUBCATEGORIES: readonly Subcategory[] = [
  { id: 'tattoo', label: 'Tattoo', modality: 'image', status: 'available', licences: COMMERCIAL_ONLY },
  { id: 'illustration', label: 'Illustration', modality: 'image', status: 'available', licences: COMMERCIAL_ONLY },
  { id: 'childrens_book', label: 'Children’s book', modality: 'image', status: 'available', licences: COMMERCIAL_ONLY },
  { id: 'voice_over', label: 'Voice over', modality: 'audio', status: 'available', licences: ['commercial', 'broadcast'] },
  { id: 'jingles', label: 'Jingles', modality: 'audio', status: 'available', licences: COMMERCIAL_ONLY },
  { id: 'graphics_design', label: 'Graphics design', modality: 'image', status: 'later', licences: COMMERCIAL_ONLY },
  { id: 'music_audio', label: 'Music & audio', modality: 'audio', status: 'later', licences: COMMERCIAL_ONLY },
  { id: 'writing_translation', label: 'Writing & translation', modality: 'text', status: 'later', licences: COMMERCIAL_ONLY },
];

export function isSubcategoryId(value: unknown): value is SubcategoryId {
  return typeof value === 'string' && (SUBCATEGORY_IDS as readonly string[]).includes(value);
}

/** The catalogue entry for an id; VALIDATION naming the valid ids otherwise. */
export function subcategoryOf(id: SubcategoryId | string): Subcategory {
  const found = SUBCATEGORIES.find((s) => s.id === id);
  if (!found) {
    const available = SUBCATEGORIES.filter((s) => s.status === 'available').map((s) => s.id).join(', ');
    throw new AtelierError('VALIDATION', `“${String(id).slice(0, 40)}” is not a subcategory. Choose one of: ${available}.`, {
      id: String(id).slice(0, 200),
    });
  }
  return found;
}

/** Accepts an id or an entry, so callers holding either can pass it on. */
export function resolveSubcategory(sub: SubcategoryId | Subcategory): Subcategory {
  return typeof sub === 'string' ? subcategoryOf(sub) : subcategoryOf(sub.id);
}

/** The unit a subcategory's work is priced and measured in. */
export function pricingUnitOf(sub: SubcategoryId | Subcategory): PricingUnit {
  return PRICING_UNITS[resolveSubcategory(sub).modality];
}

/** Licence add-ons a subcategory may sell. */
export function licencesFor(sub: SubcategoryId | Subcategory): readonly LicenceAddOn[] {
  return resolveSubcategory(sub).licences;
}

/** Names compare without regard to case, surrounding space, runs of space or apostrophe style. */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').replace(/[’‘`]/g, "'").toLowerCase();
}

/**
 * The automatic name for a new model: "<Label> model N" with the first N ≥ 1 not already taken
 * among `existingNames` (PRODUCT.md creator item 1). Renamed models free their number.
 */
export function defaultModelName(sub: SubcategoryId | Subcategory, existingNames: readonly string[]): string {
  const label = resolveSubcategory(sub).label;
  const taken = new Set(existingNames.map(nameKey));
  for (let n = 1; ; n++) {
    const candidate = `${label} model ${n}`;
    if (!taken.has(nameKey(candidate))) return candidate;
  }
}
