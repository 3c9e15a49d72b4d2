// How the asset panel words a quality report: findings with their numbers and units, metric tables, tags.
import type {
  AssetTag,
  AudioMetrics,
  Finding,
  FindingCheck,
  FixKind,
  ImageMetrics,
  Severity,
  TagCount,
  TagKind,
  TextMetrics,
} from '../../../preload/contract';
import { TAG_KINDS } from '../../../preload/contract';
import { CHECK_LABELS } from '../assets/filters';

// One fixed locale so the same number reads the same on every machine and in every test.
const LOCALE = 'en-US';
const MINUS = '\u2212';

function number(value: number, maxDecimals: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? `${MINUS}∞` : '—';
  const text = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: maxDecimals, minimumFractionDigits: 0 }).format(value);
  // A typographic minus lines up with the digits and is read correctly by screen readers.
  return text.replace('-', MINUS);
}

/** Decimals worth showing: fewer for big numbers, more for small fractions. */
function decimalsFor(value: number): number {
  const abs = Math.abs(value);
  if (abs >= 100) return 0;
  if (abs >= 10) return 1;
  if (abs >= 1) return 2;
  return 3;
}

/** A finding's number with its unit, as a creator reads it: "812 px", "44.1 kHz", "−23.4 LUFS", "z = 2.8". */
export function formatMetric(metric: number, unit: string): string {
  switch (unit) {
    case 'px':
      // Pixel sizes are written without separators, as in "1024 px" (how thresholds and dimensions read).
      return Number.isFinite(metric) ? `${Math.round(metric)} px` : `${number(metric, 0)} px`;
    case 'count':
      return number(Math.round(metric), 0);
    case 'bits':
      return `${number(Math.round(metric), 0)} ${Math.round(metric) === 1 ? 'bit' : 'bits'}`;
    case 'words':
      return `${number(Math.round(metric), 0)} ${Math.round(metric) === 1 ? 'word' : 'words'}`;
    case 'Hz':
      return metric >= 1000 ? `${number(metric / 1000, 2)} kHz` : `${number(metric, 0)} Hz`;
    case 's':
      return `${number(metric, metric >= 100 ? 0 : 1)} s`;
    case 'dB':
    case 'dBTP':
    case 'LUFS':
      return `${number(metric, 1)} ${unit}`;
    case '%':
      return `${number(metric, Math.abs(metric) < 1 ? 2 : 1)} %`;
    case 'z':
      return `z = ${number(metric, 1)}`;
    case '':
      return number(metric, decimalsFor(metric));
    default:
      return `${number(metric, decimalsFor(metric))} ${unit}`;
  }
}

export function checkTitle(check: FindingCheck): string {
  return CHECK_LABELS[check] ?? check;
}

const SEVERITY_WORDS: Record<Severity, string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

export function severityLabel(severity: Severity): string {
  return SEVERITY_WORDS[severity];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Problems first, then warnings, then notes; otherwise the report's own order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** The button text of a one-click fix on a single asset. */
export function fixLabel(fix: FixKind): string {
  switch (fix) {
    case 'apply-suggested-crops':
      return 'Apply the suggested crop';
    case 'drop-duplicates':
      return 'Archive this copy';
    case 'trim-silence':
      return 'Trim the silence';
  }
}

/**
 * When the asset already carries the outcome of a finding's fix (a saved crop, a saved trim, archived),
 * the note to show instead of the button; null while the fix is still to do.
 */
export function appliedFixNote(fix: FixKind, asset: { crop: unknown; trim: unknown; archived: boolean }): string | null {
  switch (fix) {
    case 'apply-suggested-crops':
      return asset.crop ? 'A square crop is saved for this image; adjust it in the crop editor.' : null;
    case 'trim-silence':
      return asset.trim ? 'A training span is saved for this recording; adjust it above.' : null;
    case 'drop-duplicates':
      return asset.archived ? 'This copy is archived.' : null;
  }
}

/** One finding as a sentence a screen reader can say at once. */
export function findingSummary(f: Finding): string {
  return `${severityLabel(f.severity)}: ${checkTitle(f.check)} ${formatMetric(f.metric, f.unit)} (${f.threshold}). ${f.reason}`;
}

export interface MetricRow {
  label: string;
  value: string;
  /** A short explanation (how it is measured, what the estimate rests on). */
  note?: string;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 60_000) return `${number(ms / 1000, 1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function percent(fraction: number): string {
  return `${number(fraction * 100, fraction * 100 < 1 ? 2 : 0)} %`;
}

export function imageMetricRows(m: ImageMetrics): MetricRow[] {
  return [
    { label: 'Resolution', value: `${m.width} × ${m.height} px` },
    { label: 'Sharpness', value: number(m.sharpness, decimalsFor(m.sharpness)), note: 'Variance of the Laplacian at a 512 px long side; higher is sharper.' },
    {
      label: 'Colour',
      value: `${m.monochrome ? 'Monochrome' : 'Colour'} (colourfulness ${number(m.colourfulness, 1)})`,
      note: 'Hasler–Süsstrunk colourfulness; low values read as monochrome.',
    },
    { label: 'Text or watermark', value: percent(m.overlayScore), note: 'How likely the image carries overlaid text or a watermark.' },
    { label: 'Perceptual hash', value: m.phash, note: 'Used to find near-duplicates.' },
  ];
}

export function audioMetricRows(m: AudioMetrics): MetricRow[] {
  const rows: MetricRow[] = [
    { label: 'Duration', value: formatDuration(m.durationMs) },
    { label: 'Sample rate', value: formatMetric(m.sampleRate, 'Hz') },
    { label: 'Channels', value: m.channels === 1 ? 'Mono' : m.channels === 2 ? 'Stereo' : `${m.channels} channels` },
    { label: 'Bit depth', value: m.bitDepth === null ? 'Not stored in this format' : `${m.bitDepth} bit` },
    { label: 'Format', value: m.codec },
    { label: 'Loudness', value: formatMetric(m.integratedLufs, 'LUFS'), note: 'Integrated loudness (EBU R128).' },
    { label: 'True peak', value: formatMetric(m.truePeakDbtp, 'dBTP') },
    { label: 'Clipping', value: percent(m.clippingRatio) },
    { label: 'Noise floor', value: formatMetric(m.noiseFloorDbfs, 'dB') + 'FS' },
    { label: 'Signal to noise', value: formatMetric(m.snrDb, 'dB') },
    { label: 'Voice', value: percent(m.voiceRatio), note: 'Share of the recording that sounds like speech.' },
    { label: 'Music', value: percent(m.musicRatio), note: 'Share of the recording that sounds like music.' },
    {
      label: 'Voices',
      value: m.voiceCount === 1 ? '1 voice' : `${m.voiceCount} voices`,
      note: `What this estimate is based on: ${m.voiceCountBasis}`,
    },
    { label: 'Silence at the ends', value: `${formatDuration(m.leadingSilenceMs)} at the start, ${formatDuration(m.trailingSilenceMs)} at the end` },
  ];
  rows.push({ label: 'Tempo', value: m.tempoBpm === null ? 'No steady beat found' : `${number(m.tempoBpm, 0)} BPM` });
  return rows;
}

export function textMetricRows(m: TextMetrics): MetricRow[] {
  return [
    { label: 'Format', value: m.format === 'markdown' ? 'Markdown' : 'Plain text' },
    { label: 'Words', value: number(m.words, 0) },
    { label: 'Characters', value: number(m.characters, 0) },
    { label: 'Lines', value: number(m.lines, 0) },
  ];
}

// ---- tags -----------------------------------------------------------------------------------------

export const TAG_KIND_LABELS: Record<TagKind, string> = {
  style: 'Style',
  content: 'Content type',
  detail: 'Details',
  free: 'Free',
};

export function tagKey(tag: AssetTag): string {
  return `${tag.kind}:${tag.value}`;
}

/** Tags the way the contract stores them: trimmed and lower-case. Empty when nothing is left. */
export function normaliseTagValue(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The asset's tags grouped by kind, in the contract's kind order, values sorted. */
export function groupTags(tags: readonly AssetTag[]): Array<{ kind: TagKind; tags: AssetTag[] }> {
  return TAG_KINDS.map((kind) => ({
    kind,
    tags: tags.filter((t) => t.kind === kind).sort((a, b) => a.value.localeCompare(b.value)),
  })).filter((g) => g.tags.length > 0);
}

/** The analysis' suggested tags that the asset does not carry yet. */
export function pendingSuggestions(suggested: readonly AssetTag[], current: readonly AssetTag[]): AssetTag[] {
  const have = new Set(current.map(tagKey));
  const seen = new Set<string>();
  const out: AssetTag[] = [];
  for (const tag of suggested) {
    const key = tagKey(tag);
    if (have.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** Library tag values of one kind to complete what the creator typed, most used first, minus the ones on the asset. */
export function completions(all: readonly TagCount[], kind: TagKind, typed: string, current: readonly AssetTag[], limit = 8): string[] {
  const query = normaliseTagValue(typed);
  const have = new Set(current.filter((t) => t.kind === kind).map((t) => t.value));
  return all
    .filter((t) => t.kind === kind && !have.has(t.value) && (query === '' || t.value.includes(query)))
    .sort((a, b) => {
      // Prefix matches before matches elsewhere in the word, then by use.
      const ap = query !== '' && a.value.startsWith(query) ? 0 : 1;
      const bp = query !== '' && b.value.startsWith(query) ? 0 : 1;
      return ap - bp || b.count - a.count || a.value.localeCompare(b.value);
    })
    .slice(0, limit)
    .map((t) => t.value);
}
