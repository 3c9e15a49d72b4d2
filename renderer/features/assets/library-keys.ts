// The library's own shortcuts as a pure mapping: undo/redo, select all matching, clear the selection.

export type LibraryAction = 'undo' | 'redo' | 'select-all' | 'clear-selection';

export interface LibraryKeyPress {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, Ctrl/Cmd+A select all, Escape clear. Inside a text
 * field these belong to the field (undo typing, select its text), so nothing is returned there.
 */
export function libraryShortcut(press: LibraryKeyPress, inTextField: boolean): LibraryAction | null {
  if (inTextField || press.altKey) return null;
  const command = press.ctrlKey || press.metaKey;
  const key = press.key.toLowerCase();
  if (!command) return press.key === 'Escape' && !press.shiftKey ? 'clear-selection' : null;
  if (key === 'z' || press.code === 'KeyZ') return press.shiftKey ? 'redo' : 'undo';
  if ((key === 'y' || press.code === 'KeyY') && !press.shiftKey) return 'redo';
  if ((key === 'a' || press.code === 'KeyA') && !press.shiftKey) return 'select-all';
  return null;
}

/** Whether keys typed now go to a text field (inputs that take text, text areas, editable content). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA' || element.tagName === 'SELECT') return true;
  if (element.tagName !== 'INPUT') return false;
  const type = (element as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}
