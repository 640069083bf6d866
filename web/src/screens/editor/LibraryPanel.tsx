// The media to drag onto the grid; each also has a button that adds it at the playhead
// (keyboard and screen-reader users, and anyone who prefers a click).
import { mediumName, thumbnailUrl } from '../../api/media';
import type { Medium } from '../../api/types';
import { Link, paths } from '../../app/router';
import { formatDuration } from '../../components/format';
import { MEDIUM_TYPE } from './dnd';

interface Props {
  media: Medium[] | null;
  editable: boolean;
  onAdd: (medium: Medium) => void;
}

export function LibraryPanel({ media, editable, onAdd }: Props) {
  return (
    <section className="panel library" aria-labelledby="library-title">
      <h2 id="library-title">Library</h2>
      {media && media.length === 0 ? (
        <p className="muted small">
          No media yet. <Link to={paths.media}>Upload clips and a song</Link>.
        </p>
      ) : null}
      <ul className="library-list">
        {(media ?? []).map((m) => {
          const audio = m.mediatype.toLowerCase() === 'audio';
          return (
            <li
              key={m.name}
              className="library-item"
              draggable={editable}
              data-medium={m.name}
              onDragStart={(e) => {
                e.dataTransfer.setData(MEDIUM_TYPE, m.name);
                e.dataTransfer.setData('text/plain', m.name);
                e.dataTransfer.effectAllowed = 'copy';
              }}
            >
              {audio ? <span className="library-icon" aria-hidden="true">♪</span> : <img src={thumbnailUrl(mediumName(m), 0, 96)} alt="" draggable={false} />}
              <span className="library-name">
                {m.name}
                {m.mediatype.toLowerCase() !== 'image' ? <span className="muted small"> {formatDuration(m.duration)}</span> : null}
              </span>
              {editable ? (
                <button type="button" className="quiet small" onClick={() => onAdd(m)} aria-label={audio ? `Use ${m.name} as the soundtrack` : `Add ${m.name} at the playhead`}>
                  +
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
