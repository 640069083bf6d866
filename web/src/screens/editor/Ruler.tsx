import { beatToPx, gridLines, type GridView } from '../../timeline/grid';
import { beats } from '../../timeline/units';

/** Bars and beats across the top; a click puts the playhead there. */
export function Ruler({ view, totalBeats, onSeek }: { view: GridView; totalBeats: number; onSeek: (beat: number) => void }) {
  const lines = gridLines(view, beats(0), beats(totalBeats));
  return (
    <div
      className="ruler"
      onPointerDown={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        onSeek((e.clientX - rect.left) / view.pxPerBeat + view.originBeat);
      }}
      aria-hidden="true"
    >
      {lines.map((l) => (
        <span key={l.beat} className={l.bar ? 'tick bar' : 'tick'} style={{ left: beatToPx(view, l.beat) }}>
          {l.labelled ? l.bar : ''}
        </span>
      ))}
    </div>
  );
}

/** The faint beat and bar lines behind a lane. */
export function GridBackdrop({ view, totalBeats }: { view: GridView; totalBeats: number }) {
  const lines = gridLines(view, beats(0), beats(totalBeats));
  return (
    <div className="grid-backdrop" aria-hidden="true">
      {lines.map((l) => (
        <span key={l.beat} className={l.bar ? 'gridline bar' : 'gridline'} style={{ left: beatToPx(view, l.beat) }} />
      ))}
    </div>
  );
}
