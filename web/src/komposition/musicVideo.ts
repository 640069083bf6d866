// "Make a music video": which of the library's media can be the song and the clips, what
// the form starts with, and what it sends (POST /api/v1/auto-kompositions).
import type { AutoKompositionRequest } from '../api/kompositions';
import type { Medium } from '../api/types';

export interface MusicVideoChoice {
  audio: string; // '' until one is picked
  clips: string[];
  barsPerCut: number;
}

export const MAX_CLIPS = 50; // the server's limit
const kindOf = (m: Medium): string => m.mediatype.toLowerCase();

/** The songs (audio media) and clips (video media) of the library, by name. */
export function musicVideoMedia(media: Medium[]): { songs: string[]; clips: string[] } {
  return {
    songs: media.filter((m) => kindOf(m) === 'audio').map((m) => m.name),
    clips: media.filter((m) => kindOf(m) === 'video').map((m) => m.name),
  };
}

/** The only song when there is one, every clip (up to the server's limit), a cut every 2 bars. */
export function initialMusicVideo(media: Medium[]): MusicVideoChoice {
  const { songs, clips } = musicVideoMedia(media);
  return { audio: songs.length === 1 ? songs[0]! : '', clips: clips.slice(0, MAX_CLIPS), barsPerCut: 2 };
}

/** What stops the choice from being sent, in words; null when it can be. */
export function musicVideoProblem(choice: MusicVideoChoice): string | null {
  if (!choice.audio) return 'Pick the song to cut to.';
  if (choice.clips.length === 0) return 'Pick at least one clip.';
  if (choice.clips.length > MAX_CLIPS) return `Pick at most ${MAX_CLIPS} clips.`;
  if (!Number.isInteger(choice.barsPerCut) || choice.barsPerCut < 1 || choice.barsPerCut > 64)
    return 'Bars per cut: a whole number from 1 to 64.';
  return null;
}

export function musicVideoRequest(choice: MusicVideoChoice): AutoKompositionRequest {
  return { audio: choice.audio, clips: choice.clips, bars_per_cut: choice.barsPerCut };
}

/** `clip` added to or taken from the choice, keeping the library's order. */
export function toggleClip(choice: MusicVideoChoice, clip: string, order: string[]): MusicVideoChoice {
  const chosen = new Set(choice.clips);
  if (chosen.has(clip)) chosen.delete(clip);
  else chosen.add(clip);
  return { ...choice, clips: order.filter((name) => chosen.has(name)) };
}
