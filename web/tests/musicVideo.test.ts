// "Make a music video": what the form offers from the library, when it may be sent, what it
// sends to POST /api/v1/auto-kompositions, and the store's action over a fake server.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { createAutoKomposition } from '../src/api/kompositions';
import type { Komposition, Medium } from '../src/api/types';
import { initialMusicVideo, musicVideoMedia, musicVideoProblem, musicVideoRequest, toggleClip } from '../src/komposition/musicVideo';
import { createAppStore, serverApi } from '../src/store/appStore';

const medium = (name: string, mediatype: string): Medium =>
  ({ _id: name, name, url: name, type: mediatype === 'audio' ? 'Audio' : 'Video', mediatype, extension: '' }) as Medium;
const library = [medium('song.flac', 'audio'), medium('a.mp4', 'video'), medium('boat.jpg', 'image'), medium('b.mp4', 'video')];

describe('the music video form', () => {
  it('offers audio media as songs and video media as clips, images neither', () => {
    expect(musicVideoMedia(library)).toEqual({ songs: ['song.flac'], clips: ['a.mp4', 'b.mp4'] });
  });

  it('starts with the only song, every clip and a cut every 2 bars', () => {
    expect(initialMusicVideo(library)).toEqual({ audio: 'song.flac', clips: ['a.mp4', 'b.mp4'], barsPerCut: 2 });
    // Two songs: the user picks one.
    expect(initialMusicVideo([...library, medium('other.wav', 'audio')]).audio).toBe('');
  });

  it('says what is missing before anything is sent', () => {
    const choice = initialMusicVideo(library);
    expect(musicVideoProblem(choice)).toBeNull();
    expect(musicVideoProblem({ ...choice, audio: '' })).toBe('Pick the song to cut to.');
    expect(musicVideoProblem({ ...choice, clips: [] })).toBe('Pick at least one clip.');
    expect(musicVideoProblem({ ...choice, barsPerCut: 0 })).toMatch(/^Bars per cut/);
    expect(musicVideoProblem({ ...choice, barsPerCut: 1.5 })).toMatch(/^Bars per cut/);
  });

  it('toggles clips keeping the library order', () => {
    const choice = initialMusicVideo(library);
    const without = toggleClip(choice, 'a.mp4', ['a.mp4', 'b.mp4']);
    expect(without.clips).toEqual(['b.mp4']);
    expect(toggleClip(without, 'a.mp4', ['a.mp4', 'b.mp4']).clips).toEqual(['a.mp4', 'b.mp4']);
  });
});

describe('POST /api/v1/auto-kompositions', () => {
  let sent: { url: string; init: RequestInit }[] = [];
  beforeEach(() => {
    sent = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify({ _id: 'auto-1', name: 'auto-1', bpm: 120 }), { status: 201, headers: { 'Content-Type': 'application/json' } });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends the song, the clips and the bars per cut, and answers the new komposition', async () => {
    const made = await createAutoKomposition(musicVideoRequest({ audio: 'song.flac', clips: ['a.mp4'], barsPerCut: 1 }));
    expect(made._id).toBe('auto-1');
    expect(sent[0]!.url).toBe('/api/v1/auto-kompositions');
    expect(sent[0]!.init.method).toBe('POST');
    expect(JSON.parse(sent[0]!.init.body as string)).toEqual({ audio: 'song.flac', clips: ['a.mp4'], bars_per_cut: 1 });
  });
});

describe('the store', () => {
  it('makes the music video and reloads the kompositions; a refusal keeps the server\'s words', async () => {
    let listed = 0;
    const store = createAppStore({
      ...serverApi,
      listKompositions: async () => {
        listed++;
        return [];
      },
      createAutoKomposition: async (wanted) => {
        if (wanted.audio === 'pad.flac') throw new ApiError(422, 'invalid_input', 'pad.flac: tempo unsure; give bpm');
        return { _id: 'mv', name: 'mv' } as Komposition;
      },
    });
    expect((await store.actions.makeMusicVideo({ audio: 'song.flac', clips: ['a.mp4'] }))._id).toBe('mv');
    expect(listed).toBe(1);
    await expect(store.actions.makeMusicVideo({ audio: 'pad.flac', clips: ['a.mp4'] })).rejects.toMatchObject({
      status: 422,
      message: 'pad.flac: tempo unsure; give bpm',
    });
  });
});
