import { can } from '../../api/auth';
import { fileUrl, mediumName } from '../../api/media';
import type { Medium } from '../../api/types';
import { containerName } from '../../components/format';
import { useUser } from '../../app/session';
import { DeleteMedium } from './DeleteMedium';
import { mediumFacts } from './MediumCard';

export function MediaPreview({ medium, onClose }: { medium: Medium; onClose: () => void }) {
  const kind = medium.mediatype.toLowerCase();
  const user = useUser();
  const src = fileUrl(mediumName(medium));
  return (
    <aside className="preview panel" aria-label={`Preview of ${medium.name}`}>
      <div className="panel-head">
        <h2>{medium.name}</h2>
        <button type="button" className="quiet" onClick={onClose} aria-label="Close preview">
          ×
        </button>
      </div>
      {kind === 'video' ? <video key={src} src={src} controls preload="metadata" className="preview-media" aria-label={`Preview of ${medium.name}`} /> : null}
      {kind === 'audio' ? <audio key={src} src={src} controls preload="metadata" aria-label={`Preview of ${medium.name}`} /> : null}
      {kind === 'image' ? <img src={src} alt={medium.name} className="preview-media" /> : null}
      <p className="muted small">{mediumFacts(medium)}</p>
      {medium.format ? (
        <p className="muted small" title={`ffmpeg format: ${medium.format}`}>
          Format: {containerName(medium.format, medium.extension)}
        </p>
      ) : null}
      {can(user, 'edit') ? <DeleteMedium name={mediumName(medium)} onDeleted={onClose} /> : null}
    </aside>
  );
}
