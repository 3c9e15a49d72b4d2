// Bulk tagging's pure parts: what the selection already carries, what to suggest, and staging adds/removes.
import { TAG_KINDS, TAG_VALUE_MAX, type AssetTag, type TagCount, type TagKind } from '../../../preload/contract';

export interface TagOnSelection extends AssetTag {
  /** How many of the selected (loaded) assets carry it. */
  count: number;
}

export function tagKey(tag: AssetTag): string {
  return `${tag.kind}:${tag.value}`;
}

/** A tag as the studio stores it (trimmed, lower case) or null when it is not a valid tag. */
export function normaliseTag(kind: TagKind, raw: string): AssetTag | null {
  const value = raw.trim().toLowerCase();
  if (value.length === 0 || value.length > TAG_VALUE_MAX || /[\u0000-\u001f\u007f]/.test(value)) return null;
  return { kind, value };
}

/** Tags on the selected assets, most common first. */
export function tagsOnSelection(assets: readonly { tags: readonly AssetTag[] }[]): TagOnSelection[] {
  const counts = new Map<string, TagOnSelection>();
  for (const asset of assets) {
    for (const tag of asset.tags) {
      const key = tagKey(tag);
      const known = counts.get(key);
      if (known) known.count++;
      else counts.set(key, { ...tag, count: 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * Suggestions for the tag field: the analysis' suggestions for the selected assets first (most often
 * suggested first), then the library's tags by use; never one every selected asset already has.
 */
export function tagSuggestions(
  suggested: readonly AssetTag[],
  library: readonly TagCount[],
  onSelection: readonly TagOnSelection[],
  selectedCount: number,
  max = 24,
): AssetTag[] {
  const everywhere = new Set(onSelection.filter((t) => t.count >= selectedCount).map(tagKey));
  const out = new Map<string, AssetTag>();
  const bySuggestion = new Map<string, { tag: AssetTag; n: number }>();
  for (const tag of suggested) {
    const key = tagKey(tag);
    const known = bySuggestion.get(key);
    if (known) known.n++;
    else bySuggestion.set(key, { tag: { kind: tag.kind, value: tag.value }, n: 1 });
  }
  for (const { tag } of [...bySuggestion.values()].sort((a, b) => b.n - a.n)) {
    if (!everywhere.has(tagKey(tag))) out.set(tagKey(tag), tag);
  }
  for (const tag of [...library].sort((a, b) => b.count - a.count)) {
    const key = tagKey(tag);
    if (!everywhere.has(key) && !out.has(key)) out.set(key, { kind: tag.kind, value: tag.value });
  }
  return [...out.values()].slice(0, max);
}

export interface StagedTags {
  add: AssetTag[];
  remove: AssetTag[];
}

/** Staging a tag to add takes back a staged removal of the same tag, and the other way round. */
export function stage(staged: StagedTags, tag: AssetTag, op: 'add' | 'remove'): StagedTags {
  const key = tagKey(tag);
  const add = staged.add.filter((t) => tagKey(t) !== key);
  const remove = staged.remove.filter((t) => tagKey(t) !== key);
  if (op === 'add') add.push(tag);
  else remove.push(tag);
  return { add, remove };
}

export function unstage(staged: StagedTags, tag: AssetTag): StagedTags {
  const key = tagKey(tag);
  return { add: staged.add.filter((t) => tagKey(t) !== key), remove: staged.remove.filter((t) => tagKey(t) !== key) };
}

export const TAG_KIND_LABELS: Readonly<Record<TagKind, string>> = {
  style: 'Style',
  content: 'Content type',
  detail: 'Detail',
  free: 'Free tag',
};

export { TAG_KINDS };
