// Kompositions the tests build: one video source `a` and segments of it at given beats.
import type { Komposition } from '../src/api/types';
import { newKomposition } from '../src/komposition/model';

/** A komposition whose segments show source `a` over [start, end) beats, by id. */
export function withSegments(...spans: Array<[string, number, number]>): Komposition {
  const k = newKomposition('K', 'K');
  return {
    ...k,
    sources: [{ id: 'a', url: 'a.mp4', startingOffset: 0, checksums: '', format: '', extension: 'mp4', mediatype: 'video' }],
    segments: spans.map(([id, start, end]) => ({ id, sourceid: 'a', start, duration: end - start, end })),
  };
}
