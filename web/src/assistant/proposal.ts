// What the assistant's proposal changes, in words, and applying it to the draft being
// edited (which may have moved on since the revision the proposal was made from).
import type { PatchOp } from '../api/assistant';
import type { Komposition } from '../api/types';

function segments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(doc: unknown, path: string): unknown {
  let at: unknown = doc;
  for (const key of segments(path)) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** One line per operation: "bpm: 120 → 135", "segments/3: added {...}". */
export function describePatch(before: Komposition, patch: PatchOp[]): string[] {
  return patch.map((op) => {
    const where = op.path.slice(1);
    if (op.op === 'remove') return `${where}: removed`;
    if (op.op === 'add') return `${where}: added ${shown(op.value)}`;
    return `${where}: ${shown(valueAt(before, op.path))} → ${shown(op.value)}`;
  });
}

/** `doc` with `patch` applied (a copy); throws when a path does not exist in it. */
export function applyPatch(doc: Komposition, patch: PatchOp[]): Komposition {
  const result = structuredClone(doc) as unknown as Record<string, unknown>;
  for (const op of patch) {
    const keys = segments(op.path);
    const last = keys.pop();
    if (last === undefined) throw new Error(`patch path ${op.path}: cannot replace the whole document`);
    let parent: unknown = result;
    for (const key of keys) {
      parent = (parent as Record<string, unknown>)?.[key];
      if (parent === null || typeof parent !== 'object') throw new Error(`patch path ${op.path}: not in this komposition`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`patch path ${op.path}: no such item`);
      if (op.op === 'add') parent.splice(index, 0, structuredClone(op.value));
      else if (op.op === 'remove') parent.splice(index, 1);
      else parent[index] = structuredClone(op.value);
    } else {
      const object = parent as Record<string, unknown>;
      if (op.op === 'remove') delete object[last];
      else object[last] = structuredClone(op.value);
    }
  }
  return result as unknown as Komposition;
}
