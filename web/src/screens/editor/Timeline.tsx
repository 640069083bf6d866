// The beat grid: bars and beats at the komposition's tempo, one lane of picture segments
// and the soundtrack's waveform under it, the render range, and the playhead.
import { useRef, useState, type DragEvent, type WheelEvent } from 'react';
import type { Komposition, MediumAnalysis } from '../../api/types';
import { WaveformView, useWaveform } from '../../components/WaveformView';
import { effectiveBpm, lastSegmentEnd, mediaNameOf, renderRange, soundtrack } from '../../komposition/model';
import type { WindowCheck } from '../../komposition/windows';
import { beatsToWidth, beatToPx, soundtrackTime, zoomAround, type GridView } from '../../timeline/grid';
import { beats, pixels, type Beats } from '../../timeline/units';
import { MEDIUM_TYPE } from './dnd';
import { GridBackdrop, Ruler } from './Ruler';
import { SegmentBlock } from './SegmentBlock';

export type Lane = 'picture' | 'sound';

interface Props {
  k: Komposition;
  view: GridView;
  onZoom: (view: GridView) => void;
  selection: string | null;
  playhead: Beats;
  onSeek: (beat: Beats) => void;
  editable: boolean;
  /** A medium dropped at `beat`; `onSegment`: the segment it was dropped onto, if any. */
  onDropMedium: (name: string, beat: number, lane: Lane, onSegment: string | null) => void;
  onDeselect: () => void;
  /** Segments whose window runs or starts past the end of their clip, by id. */
  checks: ReadonlyMap<string, WindowCheck>;
  /** The soundtrack's analysis (its detected beats are drawn on the waveform). */
  trackAnalysis: MediumAnalysis | null;
}

const MAX_CANVAS_PX = 16000;

/** The segment under a drop or drag-over, by the block the pointer is on. */
function segmentUnder(target: EventTarget): string | null {
  return target instanceof Element ? (target.closest('[data-segment]')?.getAttribute('data-segment') ?? null) : null;
}

function SoundLane({ k, view, width, totalBeats, analysis }: { k: Komposition; view: GridView; width: number; totalBeats: number; analysis: MediumAnalysis | null }) {
  const track = soundtrack(k);
  const wave = useWaveform(track ? mediaNameOf(track) : null, 4000);
  if (!track) return <p className="lane-hint">Drop a song here: it becomes the soundtrack.</p>;
  const bpm = effectiveBpm(k);
  const offset = track.startingOffset ?? 0;
  const drawn = Math.min(width, MAX_CANVAS_PX);
  const drawnBeats = (drawn / width) * totalBeats;
  return (
    <>
      <WaveformView
        wave={wave}
        width={drawn}
        height={52}
        fromSeconds={soundtrackTime(view.originBeat, bpm, offset)}
        toSeconds={soundtrackTime(beats(view.originBeat + drawnBeats), bpm, offset)}
        beats={analysis?.tempo?.confident ? analysis.tempo.beats : undefined}
        label={`Soundtrack ${mediaNameOf(track)}`}
      />
      <span className="lane-name">{mediaNameOf(track)}</span>
    </>
  );
}

export function Timeline({ k, view, onZoom, selection, playhead, onSeek, editable, onDropMedium, onDeselect, checks, trackAnalysis }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [dropLane, setDropLane] = useState<Lane | null>(null);
  const [dropSegment, setDropSegment] = useState<string | null>(null);
  const range = renderRange(k);
  const totalBeats = Math.max(32, Math.ceil(Math.max(range.to, lastSegmentEnd(k)) / 4) * 4 + 16);
  const width = beatsToWidth(view, beats(totalBeats));
  const sources = new Map(k.sources.map((s) => [s.id, s]));

  const dragOver = (lane: Lane) => (e: DragEvent<HTMLDivElement>) => {
    if (!editable || ![...e.dataTransfer.types].includes(MEDIUM_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDropLane(lane);
    setDropSegment(lane === 'picture' ? segmentUnder(e.target) : null);
  };
  const leave = (): void => {
    setDropLane(null);
    setDropSegment(null);
  };
  const drop = (lane: Lane) => (e: DragEvent<HTMLDivElement>) => {
    leave();
    const name = e.dataTransfer.getData(MEDIUM_TYPE);
    if (!editable || !name) return;
    e.preventDefault();
    const rect = e.currentTarget.getBoundingClientRect();
    const beat = Math.max(0, Math.floor((e.clientX - rect.left) / view.pxPerBeat + view.originBeat));
    onDropMedium(name, beat, lane, lane === 'picture' ? segmentUnder(e.target) : null);
  };
  const wheel = (e: WheelEvent<HTMLDivElement>): void => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    const el = scroller.current;
    if (!el) return;
    const anchor = e.clientX - el.getBoundingClientRect().left;
    const before = view.pxPerBeat;
    const next = zoomAround({ pxPerBeat: before, originBeat: beats(el.scrollLeft / before) }, e.deltaY < 0 ? 1.25 : 0.8, pixels(anchor));
    onZoom({ pxPerBeat: next.pxPerBeat, originBeat: beats(0) });
    requestAnimationFrame(() => {
      el.scrollLeft = next.originBeat * next.pxPerBeat;
    });
  };

  const shadeLeft = beatToPx(view, beats(range.from));
  const shadeRight = beatToPx(view, beats(range.to));
  return (
    <div className="timeline" ref={scroller} onWheel={wheel} aria-label="Timeline" role="region">
      <div className="timeline-content" style={{ width }}>
        <Ruler view={view} totalBeats={totalBeats} onSeek={(b) => onSeek(beats(Math.max(0, Math.round(b * 4) / 4)))} />
        <div className="range-shade" style={{ left: 0, width: Math.max(0, shadeLeft) }} aria-hidden="true" />
        <div className="range-shade" style={{ left: shadeRight, width: Math.max(0, width - shadeRight) }} aria-hidden="true" />
        <div
          className={`lane picture-lane${dropLane === 'picture' ? ' drop-target' : ''}`}
          data-testid="picture-lane"
          aria-label="Picture segments"
          role="group"
          onDragOver={dragOver('picture')}
          onDragLeave={leave}
          onDrop={drop('picture')}
          onPointerDown={(e) => {
            if (e.target === e.currentTarget) onDeselect();
          }}
        >
          <GridBackdrop view={view} totalBeats={totalBeats} />
          {k.segments.length === 0 ? <p className="lane-hint">Drag clips from the library onto the grid.</p> : null}
          {k.segments.map((s) => (
            <SegmentBlock
              key={s.id}
              segment={s}
              source={sources.get(s.sourceid)}
              bpm={effectiveBpm(k)}
              view={view}
              selected={s.id === selection}
              editable={editable}
              check={checks.get(s.id)}
              dropOn={s.id === dropSegment}
            />
          ))}
        </div>
        <div
          className={`lane sound-lane${dropLane === 'sound' ? ' drop-target' : ''}`}
          data-testid="sound-lane"
          aria-label="Soundtrack"
          role="group"
          onDragOver={dragOver('sound')}
          onDragLeave={leave}
          onDrop={drop('sound')}
        >
          <GridBackdrop view={view} totalBeats={totalBeats} />
          <SoundLane k={k} view={view} width={width} totalBeats={totalBeats} analysis={trackAnalysis} />
        </div>
        <div className="playhead" style={{ left: beatToPx(view, playhead) }} aria-hidden="true" />
      </div>
    </div>
  );
}
