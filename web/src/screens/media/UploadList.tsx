import { formatBytes } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { appStore, type UploadItem } from '../../store/appStore';

function UploadRow({ item }: { item: UploadItem }) {
  const { actions } = appStore;
  const renamed = item.name !== item.fileName;
  return (
    <li className={`upload upload-${item.status}`} data-name={item.name} aria-label={`Upload of ${item.fileName}`}>
      <div className="upload-head">
        <span className="upload-name">{item.fileName}</span>
        <span className="muted small">
          {formatBytes(item.size)}
          {renamed ? ` · stored as ${item.name}` : ''}
        </span>
        <span className="upload-status" role="status">
          {item.status === 'waiting' && 'Waiting'}
          {item.status === 'uploading' && `Uploading ${Math.round(item.progress * 100)} %`}
          {item.status === 'done' && 'Uploaded'}
          {item.status === 'failed' && 'Refused'}
        </span>
      </div>
      {item.status === 'uploading' || item.status === 'waiting' ? <ProgressBar value={item.progress} label={`Uploading ${item.fileName}`} slim /> : null}
      {item.error ? (
        <div className="upload-error">
          <p className="error" role="alert">
            {item.error.message}
          </p>
          {item.error.status === 409 ? (
            <button type="button" onClick={() => actions.retryUpload(item.key, true)}>
              Replace the existing one
            </button>
          ) : item.error.status === 0 || item.error.status >= 500 ? (
            <button type="button" onClick={() => actions.retryUpload(item.key, false)}>
              Try again
            </button>
          ) : null}
          <button type="button" className="quiet" onClick={() => actions.dismissUpload(item.key)}>
            Dismiss
          </button>
        </div>
      ) : null}
    </li>
  );
}

export function UploadList({ items }: { items: UploadItem[] }) {
  if (items.length === 0) return null;
  const finished = items.some((i) => i.status === 'done');
  return (
    <section className="uploads" aria-label="Uploads">
      <ul>
        {items.map((item) => (
          <UploadRow key={item.key} item={item} />
        ))}
      </ul>
      {finished ? (
        <button type="button" className="quiet" onClick={() => appStore.actions.clearFinishedUploads()}>
          Clear finished
        </button>
      ) : null}
    </section>
  );
}
