import { useState } from 'react';
import { thumbnailUrl } from '../api/media';
import type { Komposition } from '../api/types';
import { isAudio, mediaNameOf } from '../komposition/model';

/** The first picture of a komposition: its first segment's frame. */
export function KompositionThumb({ doc, width = 240 }: { doc: Komposition | null; width?: number }) {
  const [failed, setFailed] = useState(false);
  const first = doc?.segments.slice().sort((a, b) => a.start - b.start)[0];
  const source = first && doc?.sources.find((s) => s.id === first.sourceid && !isAudio(s));
  if (!source || failed) return <div className="thumb thumb-empty" aria-hidden="true" />;
  const t = first.source_timing?.original_start ?? 0;
  return <img className="thumb" src={thumbnailUrl(mediaNameOf(source), t, width)} alt="" loading="lazy" onError={() => setFailed(true)} />;
}
