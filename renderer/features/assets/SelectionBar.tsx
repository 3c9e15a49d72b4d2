// What the creator can do with the selected assets: tag them, archive or restore them, check them as a set.
import { useState } from 'react';
import { ArchiveIcon, CloseIcon, HealthIcon, TagIcon } from '../../ui/icons';
import { BulkTagDialog } from './BulkTagDialog';
import { countLabel } from './filters';
import { useAssets } from './store';

export function SelectionBar({ mac }: { mac: boolean }) {
  const count = useAssets((s) => s.selection.selected.size);
  const total = useAssets((s) => s.total);
  const archivedView = useAssets((s) => s.filters.archived);
  const [tagging, setTagging] = useState(false);
  if (count === 0) {
    return (
      <p className="selection-hint muted">
        Click to select, {mac ? '⌘' : 'Ctrl'}-click to add, Shift-click for a range, {mac ? '⌘A' : 'Ctrl+A'} for every
        matching asset. Double-click or Enter opens one.
      </p>
    );
  }
  const all = count === total && total > 0;
  return (
    <div className="selection-bar" data-testid="selection-bar" role="toolbar" aria-label="Selected assets">
      <span className="selection-count" data-testid="selection-count">
        {all ? `All ${countLabel(count, 'matching asset', 'matching assets')} selected` : `${countLabel(count, 'asset', 'assets')} selected`}
      </span>
      <button type="button" className="button small" data-testid="bulk-tag-button" onClick={() => setTagging(true)}>
        <TagIcon />
        Tag…
      </button>
      <button
        type="button"
        className="button small"
        data-testid="archive-button"
        onClick={() => void useAssets.getState().archiveSelected(!archivedView)}
      >
        <ArchiveIcon />
        {archivedView ? 'Restore' : 'Archive'}
      </button>
      <button
        type="button"
        className="button small"
        data-testid="health-selection-button"
        onClick={() => useAssets.getState().setHealth({ open: true, scope: 'selection' })}
      >
        <HealthIcon />
        Check set health
      </button>
      <button
        type="button"
        className="button small quiet"
        data-testid="selection-clear"
        title="Clear the selection (Esc)"
        onClick={() => useAssets.getState().clearSelection()}
      >
        <CloseIcon />
        Clear
      </button>
      {tagging ? <BulkTagDialog onClose={() => setTagging(false)} /> : null}
    </div>
  );
}
