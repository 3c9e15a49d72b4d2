// Multi-select in the grid as pure functions: click, Ctrl/Cmd toggle, Shift range, select all, and arrow-key focus.

export interface SelectionState {
  /** Selected asset ids (ids, not indexes: they survive reloads and filter changes). */
  selected: ReadonlySet<string>;
  /** Where a Shift range starts: the index last clicked without Shift. */
  anchor: number | null;
  /** The keyboard focus (an index in the filtered list). */
  focus: number | null;
}

export const EMPTY_SELECTION: SelectionState = { selected: new Set(), anchor: null, focus: null };

export interface ClickModifiers {
  /** Ctrl on Windows/Linux, Cmd on macOS. */
  toggle: boolean;
  range: boolean;
}

/** Inclusive index range between two positions, in ascending order. */
export function rangeBetween(a: number, b: number): [number, number] {
  return a <= b ? [a, b] : [b, a];
}

/**
 * The selection after clicking the asset at `index`. A Shift range needs the ids of every index in it:
 * `idsInRange` are those ids (the caller fetches what is not loaded yet). Ctrl/Cmd+Shift adds the range.
 */
export function clickSelection(
  state: SelectionState,
  index: number,
  id: string,
  mods: ClickModifiers,
  idsInRange: readonly string[] = [id],
): SelectionState {
  if (mods.range && state.anchor !== null) {
    const selected = new Set(mods.toggle ? state.selected : []);
    for (const rangeId of idsInRange) selected.add(rangeId);
    return { selected, anchor: state.anchor, focus: index };
  }
  if (mods.toggle) {
    const selected = new Set(state.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, anchor: index, focus: index };
  }
  return { selected: new Set([id]), anchor: index, focus: index };
}

/** Everything given is selected; focus and anchor stay where they were. */
export function selectAll(state: SelectionState, ids: readonly string[]): SelectionState {
  return { ...state, selected: new Set(ids) };
}

export function clearSelection(state: SelectionState): SelectionState {
  return { selected: new Set(), anchor: null, focus: state.focus };
}

/** Ids no longer present (archived, filtered out by a change) leave the selection. */
export function keepSelected(state: SelectionState, present: (id: string) => boolean): SelectionState {
  const selected = new Set([...state.selected].filter(present));
  return selected.size === state.selected.size ? state : { ...state, selected };
}

export type FocusKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isFocusKey(key: string): key is FocusKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(key);
}

/**
 * Where focus goes for a key in a grid of `columns` columns and `count` assets; `pageRows` rows per
 * PageUp/PageDown. Up/Down keep the column; Left/Right run through the rows like reading order.
 */
export function moveFocus(focus: number | null, key: FocusKey, columns: number, count: number, pageRows = 1): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  if (focus === null) return key === 'End' ? last : 0;
  const cols = Math.max(1, columns);
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  switch (key) {
    case 'ArrowLeft':
      return clamp(focus - 1);
    case 'ArrowRight':
      return clamp(focus + 1);
    case 'ArrowUp':
      return focus - cols >= 0 ? focus - cols : focus;
    case 'ArrowDown':
      // From the last full row into a shorter last row, land on its last tile rather than nowhere.
      return focus + cols <= last ? focus + cols : Math.floor(focus / cols) < Math.floor(last / cols) ? last : focus;
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageUp':
      return clamp(focus - cols * Math.max(1, pageRows));
    case 'PageDown':
      return clamp(focus + cols * Math.max(1, pageRows));
  }
}

/**
 * Shift+arrow extends the selection from the anchor to the new focus; a plain arrow only moves focus.
 * Returns the index range to select, or null when only the focus moves.
 */
export function keyboardRange(state: SelectionState, next: number, shift: boolean): [number, number] | null {
  if (!shift) return null;
  return rangeBetween(state.anchor ?? state.focus ?? next, next);
}
