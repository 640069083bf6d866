// Audio peaks drawn as a mirrored waveform. `window` picks which seconds of the audio the
// drawing spans (the timeline shows the part under its beats).
import { useEffect, useRef, useState } from 'react';
import { readWaveform } from '../api/media';
import type { Waveform } from '../api/types';
import { marksInWindow } from '../timeline/marks';

export function useWaveform(name: string | null, peaks: number): Waveform | null {
  const [wave, setWave] = useState<Waveform | null>(null);
  useEffect(() => {
    if (!name) {
      setWave(null);
      return;
    }
    const abort = new AbortController();
    readWaveform(name, peaks, abort.signal).then(setWave, () => setWave(null));
    return () => abort.abort();
  }, [name, peaks]);
  return wave;
}

interface Props {
  wave: Waveform | null;
  width: number;
  height: number;
  /** Audio seconds at the left and right edges (default: the whole audio). */
  fromSeconds?: number;
  toSeconds?: number;
  /** Detected beats (audio seconds), drawn as thin lines over the waveform. */
  beats?: readonly number[];
  label: string;
}

export function WaveformView({ wave, width, height, fromSeconds, toSeconds, beats, label }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(width * ratio));
    c.height = Math.max(1, Math.round(height * ratio));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!wave || wave.max.length === 0) return;
    const from = fromSeconds ?? 0;
    const to = toSeconds ?? wave.duration;
    const span = to - from;
    if (span <= 0) return;
    const mid = height / 2;
    ctx.fillStyle = getComputedStyle(c).color;
    for (let x = 0; x < width; x++) {
      const t0 = from + (x / width) * span;
      const t1 = from + ((x + 1) / width) * span;
      const i0 = Math.floor(t0 / wave.seconds_per_peak);
      const i1 = Math.max(i0 + 1, Math.ceil(t1 / wave.seconds_per_peak));
      if (i1 <= 0 || i0 >= wave.max.length) continue;
      let hi = 0;
      let lo = 0;
      for (let i = Math.max(0, i0); i < Math.min(i1, wave.max.length); i++) {
        hi = Math.max(hi, wave.max[i] ?? 0);
        lo = Math.min(lo, wave.min[i] ?? 0);
      }
      const top = mid - hi * mid;
      const bottom = mid - lo * mid;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
    ctx.fillStyle = 'rgba(255, 200, 80, 0.7)';
    for (const x of marksInWindow(beats ?? [], from, to, width)) ctx.fillRect(Math.round(x), 0, 1, height);
  }, [wave, width, height, fromSeconds, toSeconds, beats]);
  return <canvas ref={canvas} className="waveform" style={{ width, height }} role="img" aria-label={label} />;
}
