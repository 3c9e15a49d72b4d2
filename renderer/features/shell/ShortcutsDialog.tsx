// The list of keyboard shortcuts, in Settings and in a dialog (Escape closes it, as every dialog).
import { useEffect, useRef } from 'react';
import { SECTIONS } from './sections';
import { shortcutLabel } from './shortcuts';

export function ShortcutList({ mac }: { mac: boolean }) {
  const rows: [string, string][] = [
    [shortcutLabel('I', mac), 'Import files'],
    [shortcutLabel('Z', mac), 'Undo the last tag, crop, trim or archive edit'],
    [mac ? '⇧⌘Z' : 'Ctrl+Shift+Z', 'Redo'],
    [shortcutLabel('A', mac), 'Select every matching asset (in Assets)'],
    [shortcutLabel('J', mac), 'Show or hide the jobs tray'],
    ...SECTIONS.map((s, i): [string, string] => [shortcutLabel(String(i + 1), mac), `Go to ${s.label}`]),
    ['Esc', 'Close a dialog or the jobs tray; clear the selection'],
  ];
  return (
    <dl className="shortcut-list">
      {rows.map(([keys, what]) => (
        <div key={keys} className="shortcut-row">
          <dt>
            <span className="kbd">{keys}</span>
          </dt>
          <dd>{what}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShortcutsDialog({ open, mac, onClose }: { open: boolean; mac: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog card" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <ShortcutList mac={mac} />
      <div className="dialog-actions">
        <button type="button" className="button" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
