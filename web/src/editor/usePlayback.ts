// Playing the komposition in the editor: the soundtrack (when there is one) from the
// playhead, the playhead following it beat by beat; without a soundtrack, a clock.
import { useCallback, useEffect, useRef, useState } from 'react';
import { fileUrl } from '../api/media';
import type { Komposition } from '../api/types';
import { effectiveBpm, mediaNameOf, renderRange, soundtrack } from '../komposition/model';
import { beatOfSoundtrackTime, soundtrackTime } from '../timeline/grid';
import { beats, seconds, type Beats } from '../timeline/units';

export interface Playback {
  playhead: Beats;
  playing: boolean;
  seek: (beat: Beats) => void;
  toggle: () => void;
  stop: () => void;
}

export function usePlayback(k: Komposition | null): Playback {
  const [playhead, setPlayhead] = useState<Beats>(beats(0));
  const [playing, setPlaying] = useState(false);
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const frame = useRef(0);
  const clockStart = useRef<{ at: number; beat: number } | null>(null);
  const playheadRef = useRef(playhead);
  playheadRef.current = playhead;

  const track = k ? soundtrack(k) : undefined;
  const src = track ? fileUrl(mediaNameOf(track)) : null;
  const bpm = k ? effectiveBpm(k) : 120;
  const offset = track?.startingOffset ?? 0;
  const end = k ? renderRange(k).to : 0;

  useEffect(() => {
    if (!src) {
      audioRef.current = null;
      return;
    }
    const audio = new Audio(src);
    audio.preload = 'auto';
    audioRef.current = audio;
    return () => {
      audio.pause();
      audioRef.current = null;
    };
  }, [src]);

  const stop = useCallback((): void => {
    cancelAnimationFrame(frame.current);
    audioRef.current?.pause();
    clockStart.current = null;
    setPlaying(false);
  }, []);

  useEffect(() => stop, [stop]);

  const tick = useCallback((): void => {
    const audio = audioRef.current;
    let beat: number;
    if (audio && !audio.paused) beat = beatOfSoundtrackTime(seconds(audio.currentTime), bpm, offset);
    else if (clockStart.current) beat = clockStart.current.beat + ((performance.now() - clockStart.current.at) / 1000) * (bpm / 60);
    else return;
    if (end > 0 && beat >= end) {
      setPlayhead(beats(end));
      stop();
      return;
    }
    setPlayhead(beats(beat));
    frame.current = requestAnimationFrame(tick);
  }, [bpm, offset, end, stop]);

  const play = useCallback((): void => {
    const from = end > 0 && playheadRef.current >= end ? 0 : playheadRef.current;
    setPlayhead(beats(from));
    const audio = audioRef.current;
    const at = soundtrackTime(beats(from), bpm, offset);
    setPlaying(true);
    if (audio && at >= 0) {
      audio.currentTime = at;
      audio.play().then(
        () => (frame.current = requestAnimationFrame(tick)),
        () => {
          clockStart.current = { at: performance.now(), beat: from };
          frame.current = requestAnimationFrame(tick);
        },
      );
    } else {
      clockStart.current = { at: performance.now(), beat: from };
      frame.current = requestAnimationFrame(tick);
    }
  }, [bpm, offset, end, tick]);

  const seek = useCallback(
    (beat: Beats): void => {
      const wasPlaying = playing;
      stop();
      setPlayhead(beats(Math.max(0, beat)));
      playheadRef.current = beats(Math.max(0, beat));
      if (wasPlaying) play();
    },
    [playing, stop, play],
  );

  const toggle = useCallback((): void => (playing ? stop() : play()), [playing, stop, play]);

  return { playhead, playing, seek, toggle, stop };
}
