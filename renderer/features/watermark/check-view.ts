// What the "Check a file" panel shows for a check: the rows of what a mark names, and the confidence in words.
import type { WatermarkCheck } from '../../../preload/contract';

export interface CheckRow {
  /** Stable id for the test hooks: draft, client, model, confidence. */
  id: 'draft' | 'client' | 'model' | 'confidence';
  label: string;
  value: string;
}

/** Above this the confidence is shown as a bound: the detectors' false-match bounds are ≤ 1e-6 by construction. */
const VERY_HIGH_PCT = 99.9999;

/**
 * "99.5%", "99.99%", "> 99.9999%": enough digits to tell a certain match from a likely one. Never "100%": a confidence
 * is 1 − a bound on a false match, tiny but not zero (it rounds to exactly 1 in floating point).
 */
export function confidenceText(confidence: number): string {
  const pct = Math.max(0, Math.min(1, Number.isFinite(confidence) ? confidence : 0)) * 100;
  if (pct > VERY_HIGH_PCT) return `> ${VERY_HIGH_PCT}%`;
  const digits = pct >= 99.99 ? 4 : pct >= 99 ? 2 : 1;
  const text = (Math.floor(pct * 10 ** digits) / 10 ** digits).toFixed(digits);
  return `${text.replace(/\.?0+$/, '')}%`;
}

/** The facts of a found mark, in reading order; nothing for a file without one. */
export function checkRows(check: WatermarkCheck): CheckRow[] {
  if (!check.found || !check.payload) return [];
  const p = check.payload;
  const rows: CheckRow[] = [{ id: 'draft', label: 'Draft', value: String(p.draftId) }];
  rows.push({ id: 'client', label: 'Client', value: p.clientId === undefined ? 'Unknown (this profile has no record of marking it)' : String(p.clientId) });
  if (check.model) rows.push({ id: 'model', label: 'Model', value: check.model });
  else if (p.modelId) rows.push({ id: 'model', label: 'Model', value: `Number ${p.modelId} — not one of your current models` });
  else if (p.modelId === undefined) rows.push({ id: 'model', label: 'Model', value: 'Unknown' });
  rows.push({ id: 'confidence', label: 'Confidence', value: confidenceText(check.confidence) });
  return rows;
}

/** The headline of a result. */
export function checkHeadline(check: WatermarkCheck): string {
  const what = check.kind === 'image' ? 'picture' : 'recording';
  return check.found ? `This ${what} carries your mark` : `No mark of yours in this ${what}`;
}

/** The content-credentials line of a checked picture, null when it carries none. */
export function credentialsLine(check: WatermarkCheck): string | null {
  return check.credentials ? `Content credentials: ${check.credentials.line}` : null;
}
