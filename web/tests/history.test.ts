import { describe, expect, it } from 'vitest';
import * as H from '../src/editor/history';

describe('history', () => {
  it('undoes and redoes; a new change forgets redo', () => {
    let h = H.start('a');
    h = H.commit(h, 'b');
    h = H.commit(h, 'c');
    h = H.undo(h);
    expect(h.present).toBe('b');
    h = H.redo(h);
    expect(h.present).toBe('c');
    h = H.undo(H.undo(h));
    expect(h.present).toBe('a');
    expect(H.canUndo(h)).toBe(false);
    h = H.commit(h, 'd');
    expect(H.canRedo(h)).toBe(false);
    expect(H.undo(h).present).toBe('a');
  });

  it('makes a gesture one step, and none when it changed nothing', () => {
    let h = H.beginGesture(H.start(0));
    for (const v of [1, 2, 3]) h = H.commit(h, v);
    h = H.endGesture(h);
    expect(h.past).toEqual([0]);
    expect(H.endGesture(H.beginGesture(h)).past).toEqual([0]);
  });

  it('undo during a gesture ends it first', () => {
    let h = H.commit(H.beginGesture(H.start(0)), 5);
    h = H.undo(h);
    expect(h.present).toBe(0);
    expect(h.future).toEqual([5]);
  });

  it('keeps at most LIMIT steps', () => {
    let h = H.start(0);
    for (let i = 1; i <= H.LIMIT + 50; i++) h = H.commit(h, i);
    expect(h.past).toHaveLength(H.LIMIT);
  });
});
