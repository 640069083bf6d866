// The name of a music video made from the library, and the song the form starts with.
// The server's auto-komposition call takes no name (its `id` is the address too), so the
// name is stored with a save of the new komposition right after it is made.
import type { AutoKompositionRequest } from '../../api/kompositions';
import type { Komposition } from '../../api/types';

/**
 * "Summer single.flac" → "Summer single video"; nothing before a song is picked. Uploads
 * store "Summer single.flac" as "Summer_single.flac": the underscores read as spaces again.
 */
export function defaultVideoName(song: string): string {
  const base = song.replace(/\.[^./\\]+$/, '').replace(/_+/g, ' ').trim();
  return base ? `${base} video` : '';
}

/**
 * The name once the song changes: it follows the song while it is still the default the
 * form gave the previous one, and stays as typed otherwise.
 */
export function nameForSong(name: string, previousSong: string, nextSong: string): string {
  return name.trim() === '' || name === defaultVideoName(previousSong) ? defaultVideoName(nextSong) : name;
}

/** The song selected in the library when it is one of the songs offered; else `fallback`. */
export function preselectedSong(songs: string[], selected: string | null | undefined, fallback: string): string {
  return selected && songs.includes(selected) ? selected : fallback;
}

export interface MusicVideoCalls {
  make: (wanted: AutoKompositionRequest) => Promise<Komposition>;
  save: (doc: Komposition, baseRev: string) => Promise<Komposition>;
}

/**
 * Makes the music video, then stores `name` as its name. The video is made either way: a
 * failed save keeps the server's name (it can be changed in the editor).
 */
export async function makeNamedMusicVideo(wanted: AutoKompositionRequest, name: string, calls: MusicVideoCalls): Promise<Komposition> {
  const made = await calls.make(wanted);
  const wantedName = name.trim();
  if (!wantedName || wantedName === made.name || !made._rev) return made;
  try {
    return await calls.save({ ...made, name: wantedName }, made._rev);
  } catch {
    return made;
  }
}
