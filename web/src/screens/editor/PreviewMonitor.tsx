// What the video shows at the playhead: the frame of the segment there (its thumbnail),
// changing once per beat.
import { thumbnailUrl } from '../../api/media';
import type { Komposition } from '../../api/types';
import { effectiveBpm, isImage, mediaNameOf } from '../../komposition/model';
import { barBeatLabel, beatToSeconds, clock } from '../../timeline/grid';
import { beats, type Beats } from '../../timeline/units';

export function sourceTimeAt(k: Komposition, beat: number): { name: string; t: number } | null {
  const segment = k.segments.find((s) => beat >= s.start && beat < s.end);
  if (!segment) return null;
  const source = k.sources.find((s) => s.id === segment.sourceid);
  if (!source) return null;
  const bpm = effectiveBpm(k);
  if (isImage(source)) return { name: mediaNameOf(source), t: 0 };
  const timing = segment.source_timing;
  const t = timing?.original_start !== undefined ? timing.original_start + ((beat - segment.start) * 60) / bpm : (source.startingOffset ?? 0) + (beat * 60) / bpm;
  return { name: mediaNameOf(source), t: Math.max(0, t) };
}

export function PreviewMonitor({ k, playhead }: { k: Komposition; playhead: Beats }) {
  const whole = Math.floor(playhead);
  const at = sourceTimeAt(k, whole);
  const from = k.beatpattern?.frombeat ?? 0;
  const aspect = k.config.width / k.config.height;
  return (
    <figure className="monitor" aria-label="Preview at the playhead">
      <div className="monitor-frame" style={{ aspectRatio: String(aspect) }}>
        {at ? <img src={thumbnailUrl(at.name, Math.floor(at.t * 4) / 4, 480)} alt={`Frame of ${at.name} at ${at.t.toFixed(1)} s`} /> : <span className="muted small">No picture at this beat</span>}
      </div>
      <figcaption className="small">
        Bar {barBeatLabel(beats(whole))} · {clock(beatToSeconds(playhead, effectiveBpm(k), beats(from)))}
      </figcaption>
    </figure>
  );
}
