import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  clearSelection,
  clickSelection,
  keepSelected,
  keyboardRange,
  moveFocus,
  rangeBetween,
  selectAll,
} from './selection';

const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const plain = { toggle: false, range: false };
const toggle = { toggle: true, range: false };
const range = { toggle: false, range: true };

describe('clicking tiles', () => {
  it('a plain click selects only that asset and anchors there', () => {
    let s = clickSelection(EMPTY_SELECTION, 1, 'b', plain);
    s = clickSelection(s, 3, 'd', plain);
    expect([...s.selected]).toEqual(['d']);
    expect(s.anchor).toBe(3);
    expect(s.focus).toBe(3);
  });

  it('Ctrl/Cmd-click toggles one asset in and out, keeping the rest', () => {
    let s = clickSelection(EMPTY_SELECTION, 0, 'a', plain);
    s = clickSelection(s, 2, 'c', toggle);
    expect([...s.selected].sort()).toEqual(['a', 'c']);
    s = clickSelection(s, 0, 'a', toggle);
    expect([...s.selected]).toEqual(['c']);
  });

  it('Shift-click selects the range from the anchor, in either direction, replacing the rest', () => {
    let s = clickSelection(EMPTY_SELECTION, 4, 'e', plain);
    s = clickSelection(s, 1, 'b', range, ids.slice(1, 5));
    expect([...s.selected].sort()).toEqual(['b', 'c', 'd', 'e']);
    expect(s.anchor).toBe(4);
    // Moving the other end re-draws the range from the same anchor.
    s = clickSelection(s, 6, 'g', range, ids.slice(4, 7));
    expect([...s.selected].sort()).toEqual(['e', 'f', 'g']);
  });

  it('Ctrl+Shift-click adds the range to what was selected', () => {
    let s = clickSelection(EMPTY_SELECTION, 0, 'a', plain);
    s = clickSelection(s, 5, 'f', toggle);
    s = clickSelection(s, 6, 'g', { toggle: true, range: true }, ids.slice(5, 7));
    expect([...s.selected].sort()).toEqual(['a', 'f', 'g']);
  });

  it('Shift-click without an anchor acts as a plain click', () => {
    const s = clickSelection(EMPTY_SELECTION, 2, 'c', range, ['a', 'b', 'c']);
    expect([...s.selected]).toEqual(['c']);
    expect(s.anchor).toBe(2);
  });
});

describe('select all, clear, keep', () => {
  it('selects everything given and clears back to nothing', () => {
    const s = selectAll(clickSelection(EMPTY_SELECTION, 1, 'b', plain), ids);
    expect(s.selected.size).toBe(7);
    expect(s.focus).toBe(1);
    const cleared = clearSelection(s);
    expect(cleared.selected.size).toBe(0);
    expect(cleared.anchor).toBeNull();
    expect(cleared.focus).toBe(1);
  });

  it('drops ids that are gone and keeps the same object when nothing changed', () => {
    const s = selectAll(EMPTY_SELECTION, ['a', 'b', 'c']);
    expect([...keepSelected(s, (id) => id !== 'b').selected]).toEqual(['a', 'c']);
    expect(keepSelected(s, () => true)).toBe(s);
  });

  it('orders a range', () => {
    expect(rangeBetween(5, 2)).toEqual([2, 5]);
    expect(rangeBetween(2, 5)).toEqual([2, 5]);
  });
});

describe('arrow keys', () => {
  // 10 assets in 4 columns: rows [0..3], [4..7], [8, 9].
  it('moves left and right through reading order, stopping at the ends', () => {
    expect(moveFocus(4, 'ArrowLeft', 4, 10)).toBe(3);
    expect(moveFocus(0, 'ArrowLeft', 4, 10)).toBe(0);
    expect(moveFocus(9, 'ArrowRight', 4, 10)).toBe(9);
  });

  it('moves up and down by a row, keeping the column', () => {
    expect(moveFocus(5, 'ArrowUp', 4, 10)).toBe(1);
    expect(moveFocus(1, 'ArrowUp', 4, 10)).toBe(1);
    expect(moveFocus(1, 'ArrowDown', 4, 10)).toBe(5);
    expect(moveFocus(5, 'ArrowDown', 4, 10)).toBe(9);
  });

  it('lands on the last tile when the row below is too short to have this column', () => {
    expect(moveFocus(7, 'ArrowDown', 4, 10)).toBe(9);
    expect(moveFocus(9, 'ArrowDown', 4, 10)).toBe(9);
  });

  it('Home, End and whole pages', () => {
    expect(moveFocus(5, 'Home', 4, 10)).toBe(0);
    expect(moveFocus(5, 'End', 4, 10)).toBe(9);
    expect(moveFocus(1, 'PageDown', 4, 10, 2)).toBe(9);
    expect(moveFocus(9, 'PageUp', 4, 10, 1)).toBe(5);
  });

  it('starts at the first tile when nothing has focus, and does nothing in an empty grid', () => {
    expect(moveFocus(null, 'ArrowDown', 4, 10)).toBe(0);
    expect(moveFocus(null, 'End', 4, 10)).toBe(9);
    expect(moveFocus(3, 'ArrowDown', 4, 0)).toBeNull();
  });

  it('Shift+arrow extends from the anchor', () => {
    const s = clickSelection(EMPTY_SELECTION, 2, 'c', plain);
    expect(keyboardRange(s, 6, true)).toEqual([2, 6]);
    expect(keyboardRange(s, 0, true)).toEqual([0, 2]);
    expect(keyboardRange(s, 6, false)).toBeNull();
  });
});
