// The assistant's proposal: described line by line, and applied to a draft that may have
// moved on since the revision it was made from.
import { describe, expect, it } from 'vitest';
import type { PatchOp } from '../src/api/assistant';
import type { Komposition } from '../src/api/types';
import { applyPatch, describePatch } from '../src/assistant/proposal';

const base = (): Komposition =>
  ({
    _id: 'Demo',
    _rev: '3-abc',
    type: 'Komposition',
    bpm: 120,
    config: { width: 1280, height: 720, framerate: 30, extension: 'mp4' },
    segments: [
      { id: 'A', sourceid: 'clip', start: 0, duration: 16, end: 16 },
      { id: 'B', sourceid: 'clip', start: 16, duration: 16, end: 32 },
    ],
    sources: [],
  }) as unknown as Komposition;

describe('assistant proposals', () => {
  const patch: PatchOp[] = [
    { op: 'replace', path: '/bpm', value: 135 },
    { op: 'replace', path: '/segments/1/end', value: 24 },
    { op: 'add', path: '/segments/2', value: { id: 'boat_24', sourceid: 'boat', start: 24, duration: 8, end: 32 } },
    { op: 'add', path: '/config/fit', value: 'crop' },
  ];

  it('describes each change with the value it replaces', () => {
    const lines = describePatch(base(), patch);
    expect(lines[0]).toBe('bpm: 120 → 135');
    expect(lines[1]).toBe('segments/1/end: 32 → 24');
    expect(lines[2]).toContain('segments/2: added');
    expect(lines[3]).toBe('config/fit: added crop');
  });

  it('applies the patch to a copy, keeping what the draft changed elsewhere', () => {
    const draft = { ...base(), name: 'renamed since' };
    const result = applyPatch(draft, patch);
    expect(result.bpm).toBe(135);
    expect(result.segments.map((s) => [s.id, s.start, s.end])).toEqual([
      ['A', 0, 16],
      ['B', 16, 24],
      ['boat_24', 24, 32],
    ]);
    expect(result.name).toBe('renamed since');
    expect(draft.bpm).toBe(120);
  });

  it('refuses a patch whose path the draft no longer has', () => {
    expect(() => applyPatch(base(), [{ op: 'remove', path: '/segments/9/id' }])).toThrow(/segments\/9\/id/);
  });
});
