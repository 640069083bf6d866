// Ask the assistant in words; its proposed change is shown line by line and only reaches
// the draft when the musician accepts it (then undo reverts it like any edit).
import { useState } from 'react';
import { askAssistant, type AssistantAnswer } from '../../api/assistant';
import type { Komposition } from '../../api/types';
import { applyPatch, describePatch } from '../../assistant/proposal';
import { editorStore } from '../../editor/editorStore';
import { asApiError } from '../../store/appStore';

export function AssistantPanel({ k, editable }: { k: Komposition; editable: boolean }) {
  const [message, setMessage] = useState('');
  const [answer, setAnswer] = useState<AssistantAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const ask = async (): Promise<void> => {
    if (!message.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setAnswer(await askAssistant(message.trim(), k._id));
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const accept = (): void => {
    const proposal = answer?.proposal;
    if (!proposal) return;
    try {
      editorStore.actions.edit((d) => applyPatch(d, proposal.patch));
      setAnswer(null);
      setMessage('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const proposal = answer?.proposal ?? null;
  return (
    <section className="panel assistant" aria-labelledby="assistant-title">
      <h2 id="assistant-title">Assistant</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <input
          aria-label="Ask the assistant"
          placeholder="e.g. make it 135 BPM"
          value={message}
          maxLength={2000}
          onChange={(e) => setMessage(e.target.value)}
        />
        <button type="submit" disabled={busy || !message.trim()}>
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      {error ? <p className="error small">{error}</p> : null}
      {answer ? (
        <div role="status" className={answer.refused ? 'muted small' : 'small'}>
          <p>{answer.reply}</p>
          {answer.notice ? <p className="muted small">{answer.notice}</p> : null}
        </div>
      ) : null}
      {proposal ? (
        <div className="assistant-proposal">
          <ul aria-label="Proposed change">
            {describePatch(k, proposal.patch).map((line) => (
              <li key={line}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
          <button type="button" onClick={accept} disabled={!editable}>
            Accept
          </button>{' '}
          <button type="button" className="quiet" onClick={() => setAnswer(null)}>
            Reject
          </button>
        </div>
      ) : null}
    </section>
  );
}
