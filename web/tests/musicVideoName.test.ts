// "Make a music video" asks for a name (the song's, by default) and stores it on the new
// komposition; a song selected in the library is the one it starts with.
import { describe, expect, it, vi } from 'vitest';
import type { Komposition } from '../src/api/types';
import { defaultVideoName, makeNamedMusicVideo, nameForSong, preselectedSong } from '../src/screens/media/musicVideoName';

describe('defaultVideoName', () => {
  it('is the song\'s name without its extension, and "video"', () => {
    expect(defaultVideoName('Summer single.flac')).toBe('Summer single video');
    expect(defaultVideoName('song.v2.mp3')).toBe('song.v2 video');
    expect(defaultVideoName('demo')).toBe('demo video');
    // As the upload stored "Summer single.flac".
    expect(defaultVideoName('Summer_single.flac')).toBe('Summer single video');
  });

  it('is nothing before a song is picked', () => {
    expect(defaultVideoName('')).toBe('');
  });
});

describe('nameForSong', () => {
  it('follows the song while it is the default', () => {
    expect(nameForSong('a video', 'a.flac', 'b.wav')).toBe('b video');
    expect(nameForSong('', '', 'b.wav')).toBe('b video');
  });

  it('keeps a name the user typed', () => {
    expect(nameForSong('My clip', 'a.flac', 'b.wav')).toBe('My clip');
  });
});

describe('preselectedSong', () => {
  it('is the song selected in the library', () => {
    expect(preselectedSong(['a.flac', 'b.wav'], 'b.wav', '')).toBe('b.wav');
  });

  it('is the fallback when the selection is not a song or nothing is selected', () => {
    expect(preselectedSong(['a.flac'], 'clip.mp4', 'a.flac')).toBe('a.flac');
    expect(preselectedSong(['a.flac', 'b.wav'], null, '')).toBe('');
  });
});

describe('makeNamedMusicVideo', () => {
  const made: Komposition = { _id: 'auto-c0cca80c', _rev: '1-abc', name: 'auto-c0cca80c', type: 'Komposition', bpm: 120, config: { width: 640, height: 360, framerate: 30, extension: 'mp4' }, segments: [], sources: [] };
  const wanted = { audio: 'song.flac', clips: ['a.mp4'], bars_per_cut: 2 };

  it('stores the name on the new komposition, based on its revision', async () => {
    const make = vi.fn().mockResolvedValue(made);
    const save = vi.fn().mockImplementation(async (doc: Komposition) => ({ ...doc, _rev: '2-def' }));
    const result = await makeNamedMusicVideo(wanted, ' Summer single video ', { make, save });
    expect(make).toHaveBeenCalledWith(wanted);
    expect(save).toHaveBeenCalledWith({ ...made, name: 'Summer single video' }, '1-abc');
    expect(result).toMatchObject({ _id: 'auto-c0cca80c', name: 'Summer single video', _rev: '2-def' });
  });

  it('saves nothing when no name was given', async () => {
    const save = vi.fn();
    expect(await makeNamedMusicVideo(wanted, '  ', { make: vi.fn().mockResolvedValue(made), save })).toBe(made);
    expect(save).not.toHaveBeenCalled();
  });

  it('still opens the video the server made when the name could not be saved', async () => {
    const save = vi.fn().mockRejectedValue(new Error('conflict'));
    expect(await makeNamedMusicVideo(wanted, 'Mine', { make: vi.fn().mockResolvedValue(made), save })).toBe(made);
  });
});
