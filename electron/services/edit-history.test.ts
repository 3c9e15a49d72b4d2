// EditHistory on its own: undo/redo order, labels, the redo stack a new edit clears, the 100-step cap, and failed applies.
import { describe, expect, it } from 'vitest';
import { EditHistory, type EditableState, type EditStep } from './edit-history';

function step(label: string, id: string, before: EditableState, after: EditableState): EditStep {
  return { label, before: new Map([[id, before]]), after: new Map([[id, after]]) };
}

describe('EditHistory', () => {
  it('undoes and redoes in order, with labels for menus', () => {
    const h = new EditHistory();
    expect(h.state()).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
    h.record(step('Tag 12 assets ‘line art’', 'a', { tags: [] }, { tags: [{ kind: 'style', value: 'line art' }] }));
    h.record(step('Crop rose.png', 'a', { crop: null }, { crop: { x: 0, y: 0, size: 10 } }));
    expect(h.state()).toMatchObject({ canUndo: true, undoLabel: 'Undo: crop rose.png' });

    const applied: EditableState[] = [];
    h.undo((states) => applied.push(states.get('a')!));
    expect(applied).toEqual([{ crop: null }]);
    expect(h.state()).toEqual({ canUndo: true, canRedo: true, undoLabel: 'Undo: tag 12 assets ‘line art’', redoLabel: 'Redo: crop rose.png' });
    h.redo((states) => applied.push(states.get('a')!));
    expect(applied[1]).toEqual({ crop: { x: 0, y: 0, size: 10 } });
    expect(h.state().canRedo).toBe(false);
  });

  it('clears what could be redone when a new edit is made', () => {
    const h = new EditHistory();
    h.record(step('One', 'a', {}, {}));
    h.undo(() => undefined);
    h.record(step('Two', 'a', {}, {}));
    expect(h.state()).toMatchObject({ canRedo: false, undoLabel: 'Undo: two' });
    expect(h.redo(() => undefined)).toBeNull();
  });

  it('keeps the last 100 steps only', () => {
    const h = new EditHistory();
    for (let i = 1; i <= 105; i++) h.record(step(`Edit ${i}`, 'a', {}, {}));
    let undone = 0;
    while (h.undo(() => undefined)) undone++;
    expect(undone).toBe(100);
  });

  it('leaves the history as it was when applying a step fails', () => {
    const h = new EditHistory();
    h.record(step('Crop rose.png', 'a', { crop: null }, { crop: { x: 1, y: 1, size: 5 } }));
    expect(() =>
      h.undo(() => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(h.state()).toMatchObject({ canUndo: true, canRedo: false });
  });
});
