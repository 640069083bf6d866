// Saving with revisions: a save names the revision it was based on; when someone saved
// in between, the server refuses it (412) and the musician chooses which version stays.
import type { Komposition } from '../api/types';
import { effectiveBpm, renderRange } from '../komposition/model';

/** The document without its revision, as text: two versions differ exactly when these do. */
export function contentOf(k: Komposition): string {
  const { _rev: _ignored, ...rest } = k;
  void _ignored;
  return JSON.stringify(rest);
}

export const sameContent = (a: Komposition, b: Komposition): boolean => contentOf(a) === contentOf(b);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the other version changed, in a musician's words ("BPM 120 → 128"). */
export function describeChanges(base: Komposition, theirs: Komposition): string[] {
  const out: string[] = [];
  if ((base.name ?? '') !== (theirs.name ?? '')) out.push(`Name “${base.name ?? ''}” → “${theirs.name ?? ''}”`);
  if (effectiveBpm(base) !== effectiveBpm(theirs)) out.push(`BPM ${effectiveBpm(base)} → ${effectiveBpm(theirs)}`);
  const a = renderRange(base);
  const b = renderRange(theirs);
  if (a.from !== b.from || a.to !== b.to) out.push(`Range beats ${a.from}–${a.to} → ${b.from}–${b.to}`);
  if (base.config.width !== theirs.config.width || base.config.height !== theirs.config.height) {
    out.push(`Resolution ${base.config.width}×${base.config.height} → ${theirs.config.width}×${theirs.config.height}`);
  }
  const ids = (k: Komposition): Set<string> => new Set(k.segments.map((s) => s.id));
  const before = ids(base);
  const after = ids(theirs);
  const added = [...after].filter((id) => !before.has(id)).length;
  const removed = [...before].filter((id) => !after.has(id)).length;
  const moved = theirs.segments.filter((s) => {
    const old = base.segments.find((o) => o.id === s.id);
    return old !== undefined && JSON.stringify(old) !== JSON.stringify(s);
  }).length;
  if (added) out.push(`${plural(added, 'segment')} added`);
  if (removed) out.push(`${plural(removed, 'segment')} removed`);
  if (moved) out.push(`${plural(moved, 'segment')} changed`);
  if (JSON.stringify(base.sources) !== JSON.stringify(theirs.sources)) out.push('Sources changed');
  if (out.length === 0 && !sameContent(base, theirs)) out.push('Other settings changed');
  return out;
}

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; rev: string }
  | { kind: 'conflict'; theirs: Komposition; changes: string[] }
  | { kind: 'error'; message: string; field: string | undefined };
