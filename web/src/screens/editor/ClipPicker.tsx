// Which clip a segment shows: the komposition's picture sources, and the library's clips
// and stills it does not use yet (picking one adds it as a source, as a drop does).
import type { Komposition, Medium, Segment } from '../../api/types';
import { isAudio, mediaNameOf } from '../../komposition/model';

export type ClipChoice = { kind: 'source'; sourceId: string } | { kind: 'medium'; medium: Medium };

const isPictureMedium = (m: Medium): boolean => m.mediatype.toLowerCase() !== 'audio';

interface Props {
  k: Komposition;
  segment: Segment;
  media: Medium[] | null;
  disabled: boolean;
  onChoose: (choice: ClipChoice) => void;
}

export function ClipPicker({ k, segment, media, disabled, onChoose }: Props) {
  const pictures = k.sources.filter((s) => !isAudio(s) || s.id === segment.sourceid);
  const used = new Set(k.sources.map(mediaNameOf));
  const fresh = (media ?? []).filter((m) => isPictureMedium(m) && !used.has(m.name));
  const known = k.sources.some((s) => s.id === segment.sourceid);
  const choose = (value: string): void => {
    const [kind, ...rest] = value.split(':');
    const key = rest.join(':');
    if (kind === 'source') onChoose({ kind: 'source', sourceId: key });
    const medium = fresh.find((m) => m.name === key);
    if (kind === 'medium' && medium) onChoose({ kind: 'medium', medium });
  };
  return (
    <label className="field" htmlFor="seg-clip">
      Shows clip
      <select id="seg-clip" value={`source:${segment.sourceid}`} disabled={disabled} onChange={(e) => choose(e.target.value)}>
        {known ? null : <option value={`source:${segment.sourceid}`}>{`missing source ${segment.sourceid}`}</option>}
        <optgroup label="In this komposition">
          {pictures.map((s) => (
            <option key={s.id} value={`source:${s.id}`}>
              {mediaNameOf(s)}
            </option>
          ))}
        </optgroup>
        {fresh.length ? (
          <optgroup label="From the library">
            {fresh.map((m) => (
              <option key={m.name} value={`medium:${m.name}`}>
                {m.name}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </label>
  );
}
