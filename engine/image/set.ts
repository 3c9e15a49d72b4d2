// Set-level image checks for a model's selection: size, colour/mono mix, near-duplicates, style outliers.
import { DESCRIPTOR_BLOCKS } from './descriptor';
import { NEAR_DUPLICATE_MAX_DISTANCE, hammingDistance } from './phash';
import { median } from './pixels';
import { COLOUR_MIX_MIN_SHARE, MINIMUM_SHORT_SIDE, OUTLIER_MIN_SET, OUTLIER_MIN_Z, SET_SIZE_MAX, SET_SIZE_MIN } from './thresholds';
import type { ImageFinding, ImageMetrics } from './types';

export interface ImageSetItem {
  id: string;
  metrics: ImageMetrics;
  descriptor: number[];
}

export interface ImageSetAnalysis {
  findings: ImageFinding[];
  perAsset: Record<string, ImageFinding[]>;
  /** Near-duplicate groups; the first id of each is the one kept (the largest image). */
  duplicateGroups: string[][];
}

/** MAD → standard deviation of a normal distribution (1 / Φ⁻¹(3/4)). */
const MAD_TO_SD = 1.4826;
/**
 * Smallest spread a descriptor dimension is standardised by (descriptor values are ≈ 0..1): a dimension on
 * which the set barely varies must not turn a tiny difference into a huge z.
 */
const MIN_DIMENSION_SCALE = 0.02;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Robust spread: MAD × 1.4826, falling back to the mean absolute deviation × √(π/2) when half the values tie. */
function robustScale(values: readonly number[], centre: number): number {
  const mad = median(values.map((v) => Math.abs(v - centre))) * MAD_TO_SD;
  if (mad > 0) return mad;
  return (values.reduce((s, v) => s + Math.abs(v - centre), 0) / Math.max(1, values.length)) * Math.sqrt(Math.PI / 2);
}

function sizeFinding(usable: number, tooSmall: number): ImageFinding | null {
  const excluded = tooSmall > 0 ? ` (${plural(tooSmall, 'image is', 'images are')} below ${MINIMUM_SHORT_SIDE} px and left out)` : '';
  const threshold = `${SET_SIZE_MIN}–${SET_SIZE_MAX} images recommended`;
  if (usable < SET_SIZE_MIN) {
    return {
      check: 'set-size',
      severity: 'warning',
      metric: usable,
      unit: 'count',
      threshold,
      reason: `This set has ${plural(usable, 'usable image', 'usable images')}${excluded}. With fewer than ${SET_SIZE_MIN} the model sees too few examples of your style; add ${SET_SIZE_MIN - usable} or more.`,
    };
  }
  if (usable > SET_SIZE_MAX) {
    return {
      check: 'set-size',
      severity: 'info',
      metric: usable,
      unit: 'count',
      threshold,
      reason: `This set has ${usable} usable images${excluded}. More than ${SET_SIZE_MAX} trains more slowly and rarely looks better; keep your strongest ${SET_SIZE_MAX} if training takes too long.`,
    };
  }
  if (tooSmall > 0) {
    return {
      check: 'set-size',
      severity: 'info',
      metric: usable,
      unit: 'count',
      threshold,
      reason: `This set has ${usable} usable images${excluded}.`,
    };
  }
  return null;
}

function colourMixFinding(items: readonly ImageSetItem[]): ImageFinding | null {
  if (items.length === 0) return null;
  const mono = items.filter((i) => i.metrics.monochrome).length;
  const colour = items.length - mono;
  const minority = Math.min(mono, colour);
  const share = minority / items.length;
  if (minority === 0 || share < COLOUR_MIX_MIN_SHARE) return null;
  const minorityName = mono <= colour ? 'monochrome' : 'colour';
  const majorityName = minorityName === 'monochrome' ? 'colour' : 'monochrome';
  return {
    check: 'colour-mix',
    severity: 'warning',
    metric: round(share * 100, 1),
    unit: '%',
    threshold: `the smaller of colour / monochrome below ${Math.round(COLOUR_MIX_MIN_SHARE * 100)}% of the set`,
    reason: `${plural(minority, `image is ${minorityName}`, `images are ${minorityName}`)} and ${plural(Math.max(mono, colour), `is ${majorityName}`, `are ${majorityName}`)} (${round(share * 100, 1)}% ${minorityName}). A model trained on both mixes them unpredictably; train one model per look, or keep only one kind in this set.`,
    relatedAssetIds: items.filter((i) => i.metrics.monochrome === (minorityName === 'monochrome')).map((i) => i.id),
  };
}

/** Groups images whose hashes are within NEAR_DUPLICATE_MAX_DISTANCE of each other (transitively). */
function nearDuplicateGroups(items: readonly ImageSetItem[]): { groups: ImageSetItem[][]; distance: Map<string, number> } {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const pairs: Array<[number, number, number]> = [];
  for (let a = 0; a < items.length; a++) {
    for (let b = a + 1; b < items.length; b++) {
      const d = hammingDistance(items[a]!.metrics.phash, items[b]!.metrics.phash);
      if (d <= NEAR_DUPLICATE_MAX_DISTANCE) {
        pairs.push([a, b, d]);
        parent[find(b)] = find(a);
      }
    }
  }
  const byRoot = new Map<number, ImageSetItem[]>();
  items.forEach((item, i) => {
    const root = find(i);
    byRoot.set(root, [...(byRoot.get(root) ?? []), item]);
  });
  const groups = [...byRoot.values()]
    .filter((g) => g.length > 1)
    // Keep the largest image (most pixels); ties go to the id that sorts first, so the choice is stable.
    .map((g) => [...g].sort((x, y) => y.metrics.width * y.metrics.height - x.metrics.width * x.metrics.height || (x.id < y.id ? -1 : 1)));
  groups.sort((x, y) => (x[0]!.id < y[0]!.id ? -1 : 1));
  const distance = new Map<string, number>();
  for (const [a, b, d] of pairs) distance.set(`${items[a]!.id}\u0000${items[b]!.id}`, d).set(`${items[b]!.id}\u0000${items[a]!.id}`, d);
  return { groups, distance };
}

function blockName(contributions: readonly number[]): string {
  let best: string = DESCRIPTOR_BLOCKS[0].name;
  let bestValue = -1;
  for (const block of DESCRIPTOR_BLOCKS) {
    let sum = 0;
    for (let k = block.start; k < block.start + block.length; k++) sum += contributions[k] ?? 0;
    if (sum > bestValue) [best, bestValue] = [block.name, sum];
  }
  return best;
}

/**
 * Style outliers: each descriptor dimension is standardised by the set's median and MAD; an image's distance
 * is the root-mean-square of its standardised differences from that robust centre; the distances get a robust
 * z-score (median/MAD again). z ≥ OUTLIER_MIN_Z is flagged with the descriptor block that differs most.
 */
function styleOutliers(items: readonly ImageSetItem[]): Array<{ item: ImageSetItem; z: number; block: string }> {
  const length = Math.min(...items.map((i) => i.descriptor.length));
  if (!Number.isFinite(length) || length === 0) return [];
  const centre: number[] = [];
  const scale: number[] = [];
  for (let k = 0; k < length; k++) {
    const values = items.map((i) => i.descriptor[k] ?? 0);
    const c = median(values);
    centre.push(c);
    scale.push(Math.max(MIN_DIMENSION_SCALE, robustScale(values, c)));
  }
  const contributions = items.map((i) => {
    const parts: number[] = [];
    for (let k = 0; k < length; k++) {
      const z = ((i.descriptor[k] ?? 0) - centre[k]!) / scale[k]!;
      parts.push(z * z);
    }
    return parts;
  });
  const distances = contributions.map((parts) => Math.sqrt(parts.reduce((s, v) => s + v, 0) / length));
  const dCentre = median(distances);
  const dScale = robustScale(distances, dCentre);
  if (!(dScale > 0)) return [];
  return items
    .map((item, i) => ({ item, z: (distances[i]! - dCentre) / dScale, block: blockName(contributions[i]!) }))
    .filter((o) => o.z >= OUTLIER_MIN_Z);
}

/**
 * The set-level image checks. Images below MINIMUM_SHORT_SIDE (an 'error' resolution finding on the asset)
 * are left out of every check and counted in the set-size finding. Pure and deterministic.
 */
export function analyzeImageSet(items: ReadonlyArray<ImageSetItem>): ImageSetAnalysis {
  const usable = items.filter((i) => Math.min(i.metrics.width, i.metrics.height) >= MINIMUM_SHORT_SIDE);
  const tooSmall = items.length - usable.length;
  const findings: ImageFinding[] = [];
  const perAsset: Record<string, ImageFinding[]> = {};
  const addTo = (id: string, finding: ImageFinding) => (perAsset[id] ??= []).push(finding);

  const size = sizeFinding(usable.length, tooSmall);
  if (size) findings.push(size);
  const mix = colourMixFinding(usable);
  if (mix) findings.push(mix);

  const { groups, distance } = nearDuplicateGroups(usable);
  const dropped: string[] = [];
  for (const group of groups) {
    const kept = group[0]!;
    for (const other of group.slice(1)) {
      dropped.push(other.id);
      const d = distance.get(`${kept.id}\u0000${other.id}`) ?? hammingDistance(kept.metrics.phash, other.metrics.phash);
      addTo(other.id, {
        check: 'near-duplicate',
        severity: 'warning',
        metric: d,
        unit: 'bits',
        threshold: `perceptual hashes ≤ ${NEAR_DUPLICATE_MAX_DISTANCE} of 64 bits apart are near-duplicates`,
        reason: `This image is a near-copy of a larger one in the set (${d} of 64 bits differ). Duplicates make the model over-learn one piece; drop this copy and keep the larger one.`,
        fix: 'drop-duplicates',
        relatedAssetIds: [kept.id],
      });
    }
    addTo(kept.id, {
      check: 'near-duplicate',
      severity: 'info',
      metric: Math.min(...group.slice(1).map((o) => distance.get(`${kept.id}\u0000${o.id}`) ?? NEAR_DUPLICATE_MAX_DISTANCE)),
      unit: 'bits',
      threshold: `perceptual hashes ≤ ${NEAR_DUPLICATE_MAX_DISTANCE} of 64 bits apart are near-duplicates`,
      reason: `${plural(group.length - 1, 'other image in the set is a near-copy', 'other images in the set are near-copies')} of this one. This one is kept as the largest.`,
      relatedAssetIds: group.slice(1).map((o) => o.id),
    });
  }
  if (dropped.length > 0) {
    findings.push({
      check: 'near-duplicate',
      severity: 'warning',
      metric: dropped.length,
      unit: 'count',
      threshold: `perceptual hashes ≤ ${NEAR_DUPLICATE_MAX_DISTANCE} of 64 bits apart are near-duplicates`,
      reason: `${plural(dropped.length, 'image is a near-copy', 'images are near-copies')} of another in this set (${plural(groups.length, 'group', 'groups')}). Dropping them keeps the largest of each group.`,
      fix: 'drop-duplicates',
      relatedAssetIds: dropped,
    });
  }

  // Copies would vote twice for their look and shrink the spread: outliers are judged among distinct images.
  const distinct = usable.filter((i) => !dropped.includes(i.id));
  if (distinct.length < OUTLIER_MIN_SET) {
    if (distinct.length > 0) {
      findings.push({
        check: 'style-outlier',
        severity: 'info',
        metric: distinct.length,
        unit: 'count',
        threshold: `${OUTLIER_MIN_SET}+ distinct images needed`,
        reason: `Style outliers are looked for in sets of ${OUTLIER_MIN_SET} or more distinct images (near-copies count once); this one has ${distinct.length}.`,
      });
    }
  } else {
    const outliers = styleOutliers(distinct);
    for (const o of outliers) {
      addTo(o.item.id, {
        check: 'style-outlier',
        severity: 'warning',
        metric: round(o.z, 2),
        unit: 'z',
        threshold: `robust z-score < ${OUTLIER_MIN_Z} (distance to the set's median style, median/MAD)`,
        reason: `This image's style differs from the rest of the set, mostly in ${o.block} (z = ${round(o.z, 1)}; ${OUTLIER_MIN_Z} or more means far outside how much the others vary). If it is not the look this model should learn, leave it out.`,
      });
    }
    if (outliers.length > 0) {
      findings.push({
        check: 'style-outlier',
        severity: 'warning',
        metric: outliers.length,
        unit: 'count',
        threshold: `robust z-score < ${OUTLIER_MIN_Z}`,
        reason: `${plural(outliers.length, 'image stands', 'images stand')} apart from the set's style. Look at ${outliers.length === 1 ? 'it' : 'them'} and leave out what this model should not learn.`,
        relatedAssetIds: outliers.map((o) => o.item.id),
      });
    }
  }
  return { findings, perAsset, duplicateGroups: groups.map((g) => g.map((i) => i.id)) };
}
