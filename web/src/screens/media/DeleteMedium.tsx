// Deleting a medium from the library asks first; when kompositions use it, it says which
// and what happens to them before deleting anyway.
import { useState } from 'react';
import type { ApiError } from '../../api/client';
import { ErrorMessage } from '../../components/ErrorMessage';
import { appStore, asApiError } from '../../store/appStore';

type Asking = { step: 'idle' } | { step: 'confirm' } | { step: 'in-use'; usedBy: string[] };

export function DeleteMedium({ name, onDeleted }: { name: string; onDeleted: () => void }) {
  const [asking, setAsking] = useState<Asking>({ step: 'idle' });
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (force: boolean): Promise<void> => {
    setError(null);
    try {
      const done = await appStore.actions.deleteMedium(name, force);
      if (done.deleted) onDeleted();
      else setAsking({ step: 'in-use', usedBy: done.usedBy });
    } catch (err) {
      setError(asApiError(err));
      setAsking({ step: 'idle' });
    }
  };
  const keep = (
    <button type="button" onClick={() => setAsking({ step: 'idle' })}>
      Keep it
    </button>
  );
  if (asking.step === 'confirm') {
    return (
      <p role="group" aria-label={`Delete ${name}?`} className="small">
        Delete {name} from your media? This cannot be undone.{' '}
        <button type="button" className="danger" onClick={() => void remove(false)}>
          Delete it
        </button>{' '}
        {keep}
      </p>
    );
  }
  if (asking.step === 'in-use') {
    return (
      <p role="group" aria-label={`${name} is in use`} className="small">
        {name} is used by {asking.usedBy.join(', ')}. Deleted, their renders stop working until you choose another clip there.{' '}
        <button type="button" className="danger" onClick={() => void remove(true)}>
          Delete anyway
        </button>{' '}
        {keep}
      </p>
    );
  }
  return (
    <>
      <button type="button" className="danger" onClick={() => setAsking({ step: 'confirm' })}>
        Delete…
      </button>
      <ErrorMessage error={error} />
    </>
  );
}
