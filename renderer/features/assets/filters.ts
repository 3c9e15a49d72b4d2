// The library's filters as the toolbar holds them, and how they become an `assets:list` query.
import { ASSET_CHECKS, type AssetKind, type AssetQuery, type AssetSource, type FindingCheck } from '../../../preload/contract';

export interface LibraryFilters {
  kind: AssetKind | 'all';
  source: AssetSource | 'all';
  /** A tag value (any tag family), or null for every tag. */
  tag: string | null;
  problem: FindingCheck | 'any' | null;
  /** As typed; trimmed when it becomes a query. */
  search: string;
  /** Show the archived assets instead of the library. */
  archived: boolean;
}

export const NO_FILTERS: LibraryFilters = { kind: 'all', source: 'all', tag: null, problem: null, search: '', archived: false };

/** The query for one page of the filtered library; empty filters are left out, not sent as blanks. */
export function toQuery(filters: LibraryFilters, offset: number, limit: number): AssetQuery {
  const query: AssetQuery = { offset, limit, archived: filters.archived };
  if (filters.kind !== 'all') query.kind = filters.kind;
  if (filters.source !== 'all') query.source = filters.source;
  const tag = filters.tag?.trim().toLowerCase();
  if (tag) query.tag = tag;
  if (filters.problem) query.problem = filters.problem;
  const search = filters.search.trim();
  if (search) query.search = search.slice(0, SEARCH_MAX);
  return query;
}

/** The contract caps a search at 200 characters (assetQuerySchema). */
export const SEARCH_MAX = 200;

/** Whether anything narrows the list (the archive view counts: it is not the library). */
export function hasFilters(filters: LibraryFilters): boolean {
  return (
    filters.kind !== 'all' ||
    filters.source !== 'all' ||
    filters.tag !== null ||
    filters.problem !== null ||
    filters.search.trim() !== '' ||
    filters.archived
  );
}

/** Two filter states ask the studio the same question (so a reload is not needed). */
export function sameQuery(a: LibraryFilters, b: LibraryFilters): boolean {
  return JSON.stringify(toQuery(a, 0, 1)) === JSON.stringify(toQuery(b, 0, 1));
}

export const KIND_LABELS: Readonly<Record<AssetKind | 'all', string>> = {
  all: 'All kinds',
  image: 'Images',
  audio: 'Audio',
  text: 'Text',
};

export const SOURCE_LABELS: Readonly<Record<AssetSource | 'all', string>> = {
  all: 'All sources',
  portfolio: 'Portfolio',
  'work-sample': 'Work samples',
  upload: 'Uploads',
};

/** What each check is about, in the creator's words — the one name used everywhere (filters, badges, set health, the asset panel). */
export const CHECK_LABELS: Readonly<Record<FindingCheck, string>> = {
  resolution: 'Resolution',
  blur: 'Blur',
  'near-duplicate': 'Near-duplicate',
  overlay: 'Text or watermark',
  colour: 'Colour / monochrome',
  'non-square': 'Not square',
  'style-outlier': 'Style outlier',
  duration: 'Duration',
  'sample-rate': 'Sample rate',
  channels: 'Channels',
  clipping: 'Clipping',
  loudness: 'Loudness',
  'true-peak': 'True peak',
  noise: 'Background noise',
  'voice-presence': 'Voice / music',
  'multiple-voices': 'More than one voice',
  silence: 'Silence at the ends',
  length: 'Text length',
  'set-size': 'Set size',
  'colour-mix': 'Colour / monochrome mix',
  'jingle-mix': 'Voice and music mix',
  'genre-consistency': 'Genre consistency',
};

/** The checks the problem menu offers for a kind filter ('all' = every per-asset check). */
export function checksForKind(kind: AssetKind | 'all'): FindingCheck[] {
  return kind === 'all' ? [...ASSET_CHECKS.image, ...ASSET_CHECKS.audio, ...ASSET_CHECKS.text] : [...ASSET_CHECKS[kind]];
}

/** "2,431 assets" / "1 asset" with the creator's locale grouping. */
export function countLabel(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
