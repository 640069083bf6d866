// "Make a music video": pick the song (the one selected in the library, if any), the clips
// and a name; the server cuts between the clips on the song's beat (POST
// /api/v1/auto-kompositions), the name is saved onto it, and it opens in the editor.
import { useState } from 'react';
import type { ApiError } from '../../api/client';
import type { Medium } from '../../api/types';
import { saveKomposition } from '../../api/kompositions';
import { navigate, paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { initialMusicVideo, musicVideoMedia, musicVideoProblem, musicVideoRequest, toggleClip, type MusicVideoChoice } from '../../komposition/musicVideo';
import { appStore } from '../../store/appStore';
import { defaultVideoName, makeNamedMusicVideo, nameForSong, preselectedSong } from './musicVideoName';

/** The form's first choice: the library's defaults, with the song selected in it. */
function firstChoice(media: Medium[], selected: string | null | undefined): MusicVideoChoice {
  const choice = initialMusicVideo(media);
  return { ...choice, audio: preselectedSong(musicVideoMedia(media).songs, selected, choice.audio) };
}

function MusicVideoFields({ media, selected, onClose }: { media: Medium[]; selected?: string | null; onClose: () => void }) {
  const { songs, clips } = musicVideoMedia(media);
  const [choice, setChoice] = useState<MusicVideoChoice>(() => firstChoice(media, selected));
  const [name, setName] = useState(() => defaultVideoName(choice.audio));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const problem = musicVideoProblem(choice);

  const make = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const made = await makeNamedMusicVideo(musicVideoRequest(choice), name, { make: appStore.actions.makeMusicVideo, save: saveKomposition });
      void appStore.actions.loadKompositions();
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
        <select
          value={choice.audio}
          onChange={(e) => {
            setName(nameForSong(name, choice.audio, e.target.value));
            setChoice({ ...choice, audio: e.target.value });
          }}
        >
          <option value="">Pick a song…</option>
          {songs.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        Video name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Named by the server" maxLength={200} />
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

/** `selected`: the medium selected in the library when the form opens (a song is preselected). */
export function MusicVideoForm({ media, selected }: { media: Medium[]; selected?: string | null }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Make a music video
      </button>
    );
  }
  return <MusicVideoFields media={media} selected={selected} onClose={() => setOpen(false)} />;
}
