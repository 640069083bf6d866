// The media library: upload by drag and drop (a progress bar per file, the server's reason
// for a refused one), and every medium with its picture or waveform and a preview.
import { useEffect, useState } from 'react';
import { can } from '../../api/auth';
import { useUser } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { appStore } from '../../store/appStore';
import { useStore } from '../../store/store';
import { DropZone } from './DropZone';
import { MediaPreview } from './MediaPreview';
import { MediumCard } from './MediumCard';
import { MusicVideoForm } from './MusicVideoForm';
import { UploadList } from './UploadList';

export function MediaScreen() {
  const user = useUser();
  const media = useStore(appStore, (s) => s.media);
  const uploads = useStore(appStore, (s) => s.uploads);
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    void appStore.actions.loadMedia();
  }, []);

  const items = (media.data ?? []).filter((m) => m.name.toLowerCase().includes(filter.toLowerCase()));
  const chosen = items.find((m) => m.name === selected) ?? null;

  return (
    <div className="page media-page">
      <div className="section-head">
        <h1>Media</h1>
        <label className="inline">
          Find
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name" />
        </label>
      </div>
      {can(user, 'edit') ? <DropZone onFiles={(files) => appStore.actions.upload(files)} /> : null}
      {can(user, 'edit') && media.data && media.data.length > 0 ? <MusicVideoForm media={media.data} selected={selected} /> : null}
      <UploadList items={uploads} />
      <ErrorMessage error={media.error} />
      <div className={`media-layout${chosen ? ' with-preview' : ''}`}>
        <ul className="cards media-grid" aria-label="Library" aria-busy={media.loading}>
          {items.map((m) => (
            <MediumCard key={m.name} medium={m} selected={m.name === selected} onSelect={() => setSelected(m.name === selected ? null : m.name)} />
          ))}
        </ul>
        {chosen ? <MediaPreview medium={chosen} onClose={() => setSelected(null)} /> : null}
      </div>
      {media.data && media.data.length === 0 ? <p className="empty">The library is empty. Drop your clips and your song above.</p> : null}
    </div>
  );
}
