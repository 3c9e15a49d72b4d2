// The quality report of one asset: every finding with its number, the rule it was held against, the plain
// reason and its one-click fix; then the measurements the report rests on.
import type { Finding, FixKind, QualityReport, Severity } from '../../../preload/contract';
import { ErrorMark, InfoMark, OkMark, WarningMark } from '../../ui/icons';
import {
  appliedFixNote,
  audioMetricRows,
  checkTitle,
  fixLabel,
  formatMetric,
  imageMetricRows,
  severityLabel,
  sortFindings,
  textMetricRows,
  type MetricRow,
} from './report-format';

export interface QualityReportViewProps {
  report: QualityReport;
  /** What the asset carries now, to tell a fix that is already applied from one still to do. */
  applied: { crop: unknown; trim: unknown; archived: boolean };
  /** Which fix is running, if any. */
  busyFix: FixKind | null;
  busy: boolean;
  onFix(fix: FixKind): void;
}

function SeverityMark({ severity }: { severity: Severity }) {
  const label = severityLabel(severity);
  if (severity === 'error') return <ErrorMark label={label} />;
  if (severity === 'warning') return <WarningMark label={label} />;
  return <InfoMark label={label} />;
}

interface FindingItemProps {
  finding: Finding;
  applied: QualityReportViewProps['applied'];
  busy: boolean;
  busyFix: FixKind | null;
  onFix(fix: FixKind): void;
}

function FindingItem({ finding, applied, busy, busyFix, onFix }: FindingItemProps) {
  const related = finding.relatedAssetIds?.length ?? 0;
  const done = finding.fix ? appliedFixNote(finding.fix, applied) : null;
  return (
    <li className={`ap-finding ap-severity-${finding.severity}`} data-testid="finding" data-check={finding.check} data-severity={finding.severity}>
      <span className="ap-finding-mark">
        <SeverityMark severity={finding.severity} />
      </span>
      <div className="ap-finding-body">
        <p className="ap-finding-title">
          <strong>{checkTitle(finding.check)}</strong>
          <span className="ap-finding-metric">{formatMetric(finding.metric, finding.unit)}</span>
        </p>
        <p className="ap-finding-threshold">{finding.threshold}</p>
        <p className="ap-finding-reason">{finding.reason}</p>
        {related > 0 ? (
          <p className="muted ap-small">{related === 1 ? 'Involves one other asset.' : `Involves ${related} other assets.`}</p>
        ) : null}
        {finding.fix && done ? (
          <p className="ap-fix-done" data-testid="finding-fix-done">
            <OkMark /> {done}
          </p>
        ) : finding.fix ? (
          <button
            type="button"
            className="button small"
            data-testid="finding-fix"
            data-fix={finding.fix}
            disabled={busy}
            onClick={() => finding.fix && onFix(finding.fix)}
          >
            {busyFix === finding.fix ? 'Applying…' : fixLabel(finding.fix)}
          </button>
        ) : null}
      </div>
    </li>
  );
}

function isHexColour(value: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(value);
}

function MetricsTable({ rows, caption }: { rows: MetricRow[]; caption: string }) {
  return (
    <table className="ap-metrics-table" data-testid="metrics-table">
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>
              {row.value}
              {row.note ? <span className="ap-metric-note">{row.note}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The measurements a report rests on, as a table (plus palette swatches for images). */
export function MeasurementsView({ report }: { report: QualityReport }) {
  return (
    <section className="ap-panel-section" aria-labelledby="measurements-title" data-testid="measurements">
      <div className="ap-section-head">
        <h3 id="measurements-title">Measurements</h3>
      </div>
      {report.image ? (
        <>
          <MetricsTable rows={imageMetricRows(report.image)} caption="Image measurements" />
          {report.image.palette.some(isHexColour) ? (
            <div className="ap-palette" aria-label="Dominant colours">
              {report.image.palette.filter(isHexColour).map((hex) => (
                <span key={hex} className="ap-swatch" title={hex}>
                  <span className="ap-swatch-colour" style={{ background: hex }} />
                  <span className="ap-swatch-hex">{hex}</span>
                </span>
              ))}
            </div>
          ) : null}
        </>
      ) : null}
      {report.audio ? <MetricsTable rows={audioMetricRows(report.audio)} caption="Audio measurements" /> : null}
      {report.text ? <MetricsTable rows={textMetricRows(report.text)} caption="Text measurements" /> : null}
      {!report.image && !report.audio && !report.text ? <p className="muted ap-small">No measurements for this asset yet.</p> : null}
    </section>
  );
}

export function QualityReportView({ report, applied, busy, busyFix, onFix }: QualityReportViewProps) {
  const findings = sortFindings(report.findings);
  const problems = findings.filter((f) => f.severity !== 'info').length;
  return (
    <section className="ap-panel-section" aria-labelledby="quality-report-title" data-testid="quality-report">
      <div className="ap-section-head">
        <h3 id="quality-report-title">Quality report</h3>
        <p className="muted ap-small">
          {findings.length === 0
            ? 'Every check passed.'
            : problems === 0
              ? 'Notes only; nothing stands in the way of training.'
              : `${problems} ${problems === 1 ? 'thing' : 'things'} to look at.`}
        </p>
      </div>
      {findings.length === 0 ? (
        <p className="ap-finding-none">
          <OkMark /> No problems found.
        </p>
      ) : (
        <ul className="ap-findings">
          {findings.map((f, i) => (
            <FindingItem key={`${f.check}-${i}`} finding={f} applied={applied} busy={busy} busyFix={busyFix} onFix={onFix} />
          ))}
        </ul>
      )}

    </section>
  );
}
