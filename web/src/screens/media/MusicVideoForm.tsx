// "Make a music video": pick the song and the clips from the library; the server cuts
// between the clips on the song's beat (POST /api/v1/auto-kompositions) and the new
// komposition opens in the editor.
import { useState } from 'react';
import type { ApiError } from '../../api/client';
import type { Medium } from '../../api/types';
import { navigate, paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { initialMusicVideo, musicVideoMedia, musicVideoProblem, musicVideoRequest, toggleClip, type MusicVideoChoice } from '../../komposition/musicVideo';
import { appStore } from '../../store/appStore';

function MusicVideoFields({ media, onClose }: { media: Medium[]; onClose: () => void }) {
  const { songs, clips } = musicVideoMedia(media);
  const [choice, setChoice] = useState<MusicVideoChoice>(() => initialMusicVideo(media));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const problem = musicVideoProblem(choice);

  const make = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const made = await appStore.actions.makeMusicVideo(musicVideoRequest(choice));
      navigate(paths.editor(made._id));
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };

  return (
    <form
      className="panel music-video-form"
      aria-label="Make a music video"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && !busy) void make();
      }}
    >
      <label className="inline">
        Song
        <select value={choice.audio} onChange={(e) => setChoice({ ...choice, audio: e.target.value })}>
          <option value="">Pick a song…</option>
          {songs.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Clips</legend>
        {clips.map((name) => (
          <label key={name} className="inline">
            <input type="checkbox" checked={choice.clips.includes(name)} onChange={() => setChoice(toggleClip(choice, name, clips))} />
            {name}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        Bars per cut
        <input type="number" min={1} max={64} step={1} value={choice.barsPerCut} onChange={(e) => setChoice({ ...choice, barsPerCut: Number(e.target.value) })} />
      </label>
      {problem ? <p className="muted small">{problem}</p> : null}
      <ErrorMessage error={error} />
      <div className="panel-head">
        <button type="submit" className="primary" disabled={Boolean(problem) || busy} aria-busy={busy}>
          {busy ? 'Analysing and cutting…' : 'Make it'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function MusicVideoForm({ media }: { media: Medium[] }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Make a music video
      </button>
    );
  }
  return <MusicVideoFields media={media} onClose={() => setOpen(false)} />;
}
