// Keyboard shortcuts of the shell as a pure mapping from a key press to what it does.
import { SECTIONS, type SectionId } from './sections';

export type ShortcutAction =
  | { type: 'section'; section: SectionId }
  | { type: 'import' }
  | { type: 'toggle-jobs' }
  | { type: 'close' };

export interface KeyPress {
  key: string;
  /** Physical key ('KeyI', 'Digit1'), so shortcuts work on non-Latin layouts too. */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Ctrl on Windows/Linux, Cmd on macOS; either is accepted everywhere so muscle memory works across machines. */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (press.key === 'Escape' && !press.ctrlKey && !press.metaKey && !press.altKey) return { type: 'close' };
  const command = (press.ctrlKey || press.metaKey) && !press.altKey && !press.shiftKey;
  if (!command) return null;
  const key = press.key.toLowerCase();
  if (key === 'i' || press.code === 'KeyI') return { type: 'import' };
  if (key === 'j' || press.code === 'KeyJ') return { type: 'toggle-jobs' };
  const digit = /^[1-9]$/.test(press.key) ? Number(press.key) : /^Digit([1-9])$/.exec(press.code ?? '')?.[1];
  if (digit !== undefined) {
    const section = SECTIONS[Number(digit) - 1];
    if (section) return { type: 'section', section: section.id };
  }
  return null;
}

/** How a shortcut is written for this computer ("Ctrl+I" or "⌘I"). */
export function shortcutLabel(key: string, mac: boolean): string {
  return mac ? `⌘${key}` : `Ctrl+${key}`;
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}
