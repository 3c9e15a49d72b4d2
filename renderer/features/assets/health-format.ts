// Set health in words: the selection it checks, a finding's number with its unit, the 10–50 size rule.
import type { AssetKind, AssetSelection, Finding, Subcategory } from '../../../preload/contract';
import type { HealthChoice } from './store';

/** PRODUCT.md creator item 3: 10 to 50 assets make a good training set. */
export const SET_SIZE_MIN = 10;
export const SET_SIZE_MAX = 50;
/** PRODUCT.md creator item 2: "All" means the last 100 work samples. */
export const ALL_WORK_SAMPLES = 100;

export const SUBCATEGORY_LABELS: Readonly<Record<Subcategory, string>> = {
  tattoo: 'Tattoo',
  illustration: 'Illustration',
  childrens_book: 'Children’s book',
  voice_over: 'Voice over',
  jingles: 'Jingles',
};

/** Which subcategories make sense for a kind (voice over and jingles are audio; the rest images). */
export function subcategoriesFor(kind: AssetKind): Subcategory[] {
  if (kind === 'audio') return ['voice_over', 'jingles'];
  if (kind === 'image') return ['tattoo', 'illustration', 'childrens_book'];
  return [];
}

/** The contract's selection for a health choice, or null when it cannot be asked (an empty selection). */
export function selectionFor(choice: HealthChoice, selectedIds: readonly string[]): AssetSelection | null {
  if (choice.scope === 'selection') return selectedIds.length > 0 ? { assetIds: [...selectedIds] } : null;
  return { mode: choice.scope, kind: choice.kind };
}

/** "812 px", "0.4 %", "−23.1 LUFS", "3 bits": a finding's number the way the report reads it. */
export function formatMetric(f: Pick<Finding, 'metric' | 'unit'>): string {
  const m = f.metric;
  const digits = Number.isInteger(m) ? 0 : Math.abs(m) >= 100 ? 0 : Math.abs(m) >= 10 ? 1 : 2;
  const number = m.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).replace('-', '−');
  // A count reads as the number itself ("3", not "3 count").
  if (!f.unit || f.unit === 'count') return number;
  return f.unit === '%' ? `${number} %` : `${number} ${f.unit}`;
}

/** Where a set's size stands against 10–50. */
export function sizeVerdict(count: number): { tone: 'ok' | 'warning'; text: string } {
  if (count < SET_SIZE_MIN) return { tone: 'warning', text: `${SET_SIZE_MIN - count} short of the ${SET_SIZE_MIN} a model needs at least` };
  if (count > SET_SIZE_MAX) return { tone: 'warning', text: `more than the ${SET_SIZE_MAX} recommended: a tighter set learns a clearer style` };
  return { tone: 'ok', text: `within the recommended ${SET_SIZE_MIN}–${SET_SIZE_MAX}` };
}

export const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Errors first, then warnings, then notes; stable within a severity. */
export function bySeverity<T extends Pick<Finding, 'severity'>>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
