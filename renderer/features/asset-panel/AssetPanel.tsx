// The asset panel beside the grid: what the asset is, its quality report with one-click fixes, its tags,
// and the editor for its kind (square crop for images, training span for audio, preview for text).
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { AssetDetail, AssetSource, FixKind } from '../../../preload/contract';
import { formatBytes } from '../../platform/import-batches';
import { AudioView, type AudioControls } from './AudioView';
import { CropEditor } from './CropEditor';
import { CloseIcon } from '../../ui/icons';
import { MeasurementsView, QualityReportView } from './QualityReportView';
import { formatDuration } from './report-format';
import { useAssetPanel } from './store';
import { TagEditor } from './TagEditor';
import { TextPreview } from './TextPreview';
import './asset-panel.css';

const SOURCE_LABELS: Record<AssetSource, string> = { upload: 'Upload', portfolio: 'Portfolio', 'work-sample': 'Work sample' };
const KIND_LABELS = { image: 'Image', audio: 'Audio', text: 'Text' } as const;
const FIXES: readonly FixKind[] = ['apply-suggested-crops', 'drop-duplicates', 'trim-silence'];

function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Keys that belong to the control with focus (typing, lists, sliders, buttons), not to the panel. */
function ownsKeys(target: EventTarget): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(target.tagName);
}

function facts(asset: AssetDetail): Array<{ label: string; value: string }> {
  const list: Array<{ label: string; value: string }> = [{ label: 'Kind', value: KIND_LABELS[asset.kind] }];
  if (asset.width !== null && asset.height !== null) list.push({ label: 'Size', value: `${asset.width} × ${asset.height} px` });
  if (asset.durationMs !== null) list.push({ label: 'Duration', value: formatDuration(asset.durationMs) });
  list.push({ label: 'File', value: formatBytes(asset.byteSize) });
  list.push({ label: 'Source', value: SOURCE_LABELS[asset.source] });
  const delivered = formatDate(asset.deliveredAt);
  if (delivered) list.push({ label: 'Delivered', value: delivered });
  const imported = formatDate(asset.importedAt);
  if (imported) list.push({ label: 'Imported', value: imported });
  return list;
}

export function AssetPanel({ assetId, onClose }: { assetId: string; onClose(): void }) {
  const detail = useAssetPanel((s) => s.detail);
  const status = useAssetPanel((s) => s.status);
  const error = useAssetPanel((s) => s.error);
  const busy = useAssetPanel((s) => s.busy);
  const libraryTags = useAssetPanel((s) => s.libraryTags);
  const open = useAssetPanel((s) => s.open);
  const close = useAssetPanel((s) => s.close);
  const reload = useAssetPanel((s) => s.reload);
  const changeTags = useAssetPanel((s) => s.changeTags);
  const saveCrop = useAssetPanel((s) => s.saveCrop);
  const saveTrim = useAssetPanel((s) => s.saveTrim);
  const setArchived = useAssetPanel((s) => s.setArchived);
  const applyFix = useAssetPanel((s) => s.applyFix);
  const titleRef = useRef<HTMLHeadingElement | null>(null);
  const audioControls = useRef<AudioControls | null>(null);

  useEffect(() => {
    void open(assetId);
  }, [assetId, open]);

  useEffect(() => () => close(), [close]);

  // Opening an asset moves focus into the panel, so Escape and Space work at once.
  useEffect(() => {
    titleRef.current?.focus({ preventScroll: true });
  }, [assetId]);

  const asset = detail && detail.id === assetId ? detail : null;
  const imageSize = useMemo(() => {
    const w = asset?.width ?? asset?.report.image?.width ?? null;
    const h = asset?.height ?? asset?.report.image?.height ?? null;
    return w && h ? { width: w, height: h } : null;
  }, [asset?.width, asset?.height, asset?.report.image?.width, asset?.report.image?.height]);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key === ' ' && asset?.kind === 'audio' && !ownsKeys(event.target) && audioControls.current) {
      event.preventDefault();
      audioControls.current.toggle();
    }
  }

  const busyFix = busy && (FIXES as readonly string[]).includes(busy) ? (busy as FixKind) : null;

  return (
    <section
      className="asset-panel"
      data-testid="asset-panel"
      data-asset-id={assetId}
      data-state={status}
      // Focusable (not in the tab order) so a click anywhere in the panel keeps keys (Escape, Space) here.
      tabIndex={-1}
      aria-label={asset ? `Asset: ${asset.originalName}` : 'Asset'}
      onKeyDown={onKeyDown}
    >
      <header className="asset-panel-header">
        <div className="asset-panel-title">
          <h2 ref={titleRef} tabIndex={-1} data-testid="asset-panel-name" title={asset?.originalName}>
            {asset ? asset.originalName : status === 'error' ? 'Asset not available' : 'Loading…'}
          </h2>
          {asset?.archived ? <span className="ap-badge ap-archived">Archived</span> : null}
        </div>
        <div className="asset-panel-actions">
          {asset ? (
            <button
              type="button"
              className="button small quiet"
              data-testid="asset-archive"
              disabled={busy !== null}
              onClick={() => void setArchived(!asset.archived)}
              title={asset.archived ? 'Bring it back into the library and its sets' : 'Hide it from the library and from every set; the original is kept'}
            >
              {busy === 'archive' ? 'Saving…' : asset.archived ? 'Restore' : 'Archive'}
            </button>
          ) : null}
          <button
            type="button"
            className="button quiet icon-only"
            data-testid="asset-panel-close"
            aria-label="Close the asset panel"
            aria-keyshortcuts="Escape"
            title="Close (Esc)"
            onClick={onClose}
          >
            <CloseIcon />
          </button>
        </div>
      </header>

      <div className="asset-panel-body">
        {status === 'loading' && !asset ? (
          <div className="ap-panel-loading" aria-busy="true">
            <div className="ap-skeleton ap-tall" />
            <div className="ap-skeleton" />
            <div className="ap-skeleton ap-short" />
          </div>
        ) : null}

        {status === 'error' && !asset ? (
          <div className="ap-panel-error" role="alert" data-testid="asset-panel-error">
            <p>
              <strong>This asset could not be opened.</strong>
            </p>
            <p>{error?.message}</p>
            <div className="ap-button-row">
              <button type="button" className="button small" onClick={() => void reload()}>
                Try again
              </button>
              <button type="button" className="button small quiet" onClick={onClose}>
                Close
              </button>
            </div>
          </div>
        ) : null}

        {asset ? (
          <>
            <dl className="ap-asset-facts" data-testid="asset-facts">
              {facts(asset).map((f) => (
                <div key={f.label}>
                  <dt>{f.label}</dt>
                  <dd>{f.value}</dd>
                </div>
              ))}
            </dl>

            {asset.kind === 'image' && imageSize ? (
              <CropEditor
                key={asset.id}
                assetId={asset.id}
                image={imageSize}
                saved={asset.crop}
                suggested={asset.report.image?.suggestedCrop ?? null}
                busy={busy === 'crop'}
                onSave={(crop) => void saveCrop(crop)}
              />
            ) : null}
            {asset.kind === 'audio' ? (
              <AudioView
                key={asset.id}
                assetId={asset.id}
                durationMs={asset.durationMs ?? asset.report.audio?.durationMs ?? null}
                saved={asset.trim}
                audio={asset.report.audio}
                busy={busy === 'trim'}
                onSave={(trim) => void saveTrim(trim)}
                controlsRef={audioControls}
              />
            ) : null}
            {asset.kind === 'text' ? <TextPreview key={asset.id} assetId={asset.id} /> : null}

            <QualityReportView report={asset.report} applied={asset} busy={busy !== null} busyFix={busyFix} onFix={(fix) => void applyFix(fix)} />

            <TagEditor
              tags={asset.tags}
              suggested={asset.report.suggestedTags}
              libraryTags={libraryTags}
              busy={busy !== null}
              onChange={changeTags}
            />

            <MeasurementsView report={asset.report} />
          </>
        ) : null}
      </div>
    </section>
  );
}
