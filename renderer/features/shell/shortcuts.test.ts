// Keyboard shortcuts of the shell.
import { describe, expect, it } from 'vitest';
import { isMacPlatform, shortcutFor, shortcutLabel, type KeyPress } from './shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('maps Ctrl or Cmd + 1…6 to the sections in sidebar order', () => {
    expect(shortcutFor(press('1', { ctrlKey: true }))).toEqual({ type: 'section', section: 'assets' });
    expect(shortcutFor(press('3', { metaKey: true }))).toEqual({ type: 'section', section: 'playground' });
    expect(shortcutFor(press('6', { ctrlKey: true }))).toEqual({ type: 'section', section: 'settings' });
    expect(shortcutFor(press('7', { ctrlKey: true }))).toBeNull();
  });

  it('maps Ctrl/Cmd+I to import and Ctrl/Cmd+J to the jobs tray, whatever the case or layout', () => {
    expect(shortcutFor(press('i', { ctrlKey: true }))).toEqual({ type: 'import' });
    expect(shortcutFor(press('I', { metaKey: true }))).toEqual({ type: 'import' });
    expect(shortcutFor(press('ш', { ctrlKey: true, code: 'KeyI' }))).toEqual({ type: 'import' });
    expect(shortcutFor(press('j', { ctrlKey: true }))).toEqual({ type: 'toggle-jobs' });
  });

  it('leaves plain typing and other combinations alone', () => {
    expect(shortcutFor(press('i'))).toBeNull();
    expect(shortcutFor(press('1'))).toBeNull();
    expect(shortcutFor(press('i', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(press('1', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(press('c', { ctrlKey: true }))).toBeNull();
  });

  it('maps Escape to close', () => {
    expect(shortcutFor(press('Escape'))).toEqual({ type: 'close' });
    expect(shortcutFor(press('Escape', { ctrlKey: true }))).toBeNull();
  });
});

describe('shortcut labels', () => {
  it('writes shortcuts the way the platform does', () => {
    expect(shortcutLabel('I', true)).toBe('⌘I');
    expect(shortcutLabel('I', false)).toBe('Ctrl+I');
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
    expect(isMacPlatform('Win32')).toBe(false);
  });
});
