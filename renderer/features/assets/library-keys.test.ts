import { describe, expect, it } from 'vitest';
import { libraryShortcut } from './library-keys';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; code: string }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('library shortcuts', () => {
  it('Ctrl+Z and Cmd+Z undo; with Shift, or Ctrl+Y, they redo', () => {
    expect(libraryShortcut(press('z', { ctrlKey: true }), false)).toBe('undo');
    expect(libraryShortcut(press('z', { metaKey: true }), false)).toBe('undo');
    expect(libraryShortcut(press('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(libraryShortcut(press('y', { ctrlKey: true }), false)).toBe('redo');
  });

  it('works on layouts where the key prints something else (physical key)', () => {
    expect(libraryShortcut(press('я', { ctrlKey: true, code: 'KeyZ' }), false)).toBe('undo');
    expect(libraryShortcut(press('ф', { ctrlKey: true, code: 'KeyA' }), false)).toBe('select-all');
  });

  it('Ctrl/Cmd+A selects all; Escape clears', () => {
    expect(libraryShortcut(press('a', { metaKey: true }), false)).toBe('select-all');
    expect(libraryShortcut(press('Escape'), false)).toBe('clear-selection');
  });

  it('leaves keys to text fields and ignores Alt chords and plain letters', () => {
    expect(libraryShortcut(press('z', { ctrlKey: true }), true)).toBeNull();
    expect(libraryShortcut(press('a', { ctrlKey: true }), true)).toBeNull();
    expect(libraryShortcut(press('Escape'), true)).toBeNull();
    expect(libraryShortcut(press('z', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(libraryShortcut(press('z'), false)).toBeNull();
  });
});
