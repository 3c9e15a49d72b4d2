// Undo/redo of a creator's curation edits (tags, crops, trims, archive) while a profile is open; in memory, so it ends when the profile locks.
import type { AssetTag, CropRect, EditState, TrimRange } from '../../preload/contract';

/**
 * Steps kept per open profile. 100 (brief I3-SVC): deeper than any session of bulk edits a creator would
 * step back through, and a step of 10,000 tagged assets still stays a few MB.
 */
export const EDIT_HISTORY_MAX = 100;

/** The editable facts of one asset; a step records only the fields it touched. */
export interface EditableState {
  tags?: AssetTag[];
  crop?: CropRect | null;
  trim?: TrimRange | null;
  /** ISO time the asset was archived, null when it is in the library. */
  archivedAt?: string | null;
}

export interface EditStep {
  /** What the creator did, for menus: "Tag 12 assets ‘line art’", "Crop rose.png". */
  label: string;
  before: ReadonlyMap<string, EditableState>;
  after: ReadonlyMap<string, EditableState>;
}

export class EditHistory {
  private readonly done: EditStep[] = [];
  private readonly undone: EditStep[] = [];
  private readonly max: number;

  constructor(max = EDIT_HISTORY_MAX) {
    this.max = Math.max(1, Math.floor(max));
  }

  /** A new edit: it becomes the next undo, and whatever could be redone is gone (the usual editor rule). */
  record(step: EditStep): void {
    this.done.push(step);
    if (this.done.length > this.max) this.done.splice(0, this.done.length - this.max);
    this.undone.length = 0;
  }

  /**
   * Undoes the last step by handing its "before" states to `apply` (which writes them in one transaction).
   * If `apply` throws, the history is left exactly as it was. Returns the step undone, or null if none.
   */
  undo(apply: (states: ReadonlyMap<string, EditableState>, step: EditStep) => void): EditStep | null {
    const step = this.done.at(-1);
    if (!step) return null;
    apply(step.before, step);
    this.done.pop();
    this.undone.push(step);
    return step;
  }

  /** Redoes the last undone step by applying its "after" states; unchanged history if `apply` throws. */
  redo(apply: (states: ReadonlyMap<string, EditableState>, step: EditStep) => void): EditStep | null {
    const step = this.undone.at(-1);
    if (!step) return null;
    apply(step.after, step);
    this.undone.pop();
    this.done.push(step);
    return step;
  }

  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
  }

  state(): EditState {
    const undo = this.done.at(-1);
    const redo = this.undone.at(-1);
    return {
      canUndo: undo !== undefined,
      canRedo: redo !== undefined,
      undoLabel: undo ? `Undo: ${lowerFirst(undo.label)}` : null,
      redoLabel: redo ? `Redo: ${lowerFirst(redo.label)}` : null,
    };
  }
}

function lowerFirst(label: string): string {
  return label.length > 0 ? label[0]!.toLowerCase() + label.slice(1) : label;
}
