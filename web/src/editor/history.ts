// Undo and redo over whole documents. A gesture (a drag) changes the present many times
// and becomes one step of history when it ends.

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The present when the gesture under way began; null outside a gesture. */
  gestureStart: T | null;
}

export const LIMIT = 200;

export function start<T>(present: T): History<T> {
  return { past: [], present, future: [], gestureStart: null };
}

/** A change: the present becomes `next`; redo is forgotten. */
export function commit<T>(h: History<T>, next: T): History<T> {
  if (next === h.present) return h;
  if (h.gestureStart !== null) return { ...h, present: next };
  return { past: [...h.past, h.present].slice(-LIMIT), present: next, future: [], gestureStart: null };
}

export function beginGesture<T>(h: History<T>): History<T> {
  return h.gestureStart !== null ? h : { ...h, gestureStart: h.present };
}

/** Ends a gesture: one history step, or none when nothing changed. */
export function endGesture<T>(h: History<T>): History<T> {
  if (h.gestureStart === null) return h;
  if (h.gestureStart === h.present) return { ...h, gestureStart: null };
  return { past: [...h.past, h.gestureStart].slice(-LIMIT), present: h.present, future: [], gestureStart: null };
}

export function undo<T>(h: History<T>): History<T> {
  const settled = endGesture(h);
  const previous = settled.past[settled.past.length - 1];
  if (previous === undefined) return settled;
  return { past: settled.past.slice(0, -1), present: previous, future: [settled.present, ...settled.future], gestureStart: null };
}

export function redo<T>(h: History<T>): History<T> {
  const settled = endGesture(h);
  const [next, ...rest] = settled.future;
  if (next === undefined) return settled;
  return { past: [...settled.past, settled.present], present: next, future: rest, gestureStart: null };
}

export const canUndo = <T>(h: History<T>): boolean => h.past.length > 0 || (h.gestureStart !== null && h.gestureStart !== h.present);
export const canRedo = <T>(h: History<T>): boolean => h.future.length > 0;
