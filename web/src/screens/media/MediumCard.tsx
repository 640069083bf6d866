import { mediumName, thumbnailUrl } from '../../api/media';
import type { Medium } from '../../api/types';
import { formatBytes, formatDuration } from '../../components/format';
import { useWaveform, WaveformView } from '../../components/WaveformView';

export function MediumPicture({ medium, width }: { medium: Medium; width: number }) {
  const audio = medium.mediatype.toLowerCase() === 'audio';
  const wave = useWaveform(audio ? mediumName(medium) : null, 200);
  if (audio) return <WaveformView wave={wave} width={width} height={Math.round(width * 0.5625)} label={`Waveform of ${medium.name}`} />;
  const t = medium.duration ? Math.min(1, medium.duration / 3) : 0;
  return <img className="thumb" src={thumbnailUrl(mediumName(medium), t, width)} alt="" loading="lazy" width={width} height={Math.round(width * 0.5625)} />;
}

export function mediumFacts(m: Medium): string {
  return [m.type, m.mediatype.toLowerCase() === 'image' ? '' : formatDuration(m.duration), m.width && m.height ? `${m.width}×${m.height}` : '', formatBytes(m.size)].filter(Boolean).join(' · ');
}

export function MediumCard({ medium, selected, onSelect }: { medium: Medium; selected: boolean; onSelect: () => void }) {
  return (
    <li className={`card medium-card${selected ? ' selected' : ''}`} data-medium={medium.name}>
      <button type="button" className="card-button" onClick={onSelect} aria-pressed={selected} aria-label={`Preview ${medium.name}`}>
        <MediumPicture medium={medium} width={220} />
      </button>
      <div className="card-body">
        <h3 className="medium-name">{medium.name}</h3>
        <p className="muted small">{mediumFacts(medium)}</p>
      </div>
    </li>
  );
}
