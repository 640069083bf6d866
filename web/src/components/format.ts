export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const total = Math.round(seconds * 10) / 10;
  const m = Math.floor(total / 60);
  const s = total - m * 60;
  return m > 0 ? `${m}:${s < 10 ? '0' : ''}${s.toFixed(0)}` : `${s.toFixed(1)} s`;
}

/** A count of beats as people say it: "1 beat", "6 beats". */
export function beatCount(n: number): string {
  return `${plainNumber(n)} ${n === 1 ? 'beat' : 'beats'}`;
}

/** A number with at most `decimals` decimals and no trailing zeros (119.986 → "119.99", 6 → "6"). */
export function plainNumber(n: number, decimals = 2): string {
  const scale = 10 ** decimals;
  const rounded = Math.round(n * scale) / scale;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

export function formatWhen(ms: number | undefined, now = Date.now()): string {
  if (!ms) return '';
  const diff = (now - ms) / 1000;
  if (diff < 45) return 'just now';
  if (diff < 3600) return `${Math.round(diff / 60)} min ago`;
  if (diff < 86400) return `${Math.round(diff / 3600)} h ago`;
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatSpan(startMs: number, endMs: number): string {
  if (!startMs || !endMs || endMs < startMs) return '';
  const s = (endMs - startMs) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** A render's or a step's state in words. */
const LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  waiting: 'Waiting',
  ready: 'Ready',
  cached: 'Cached',
  retrying: 'Retrying',
  none: 'Not rendered',
};

export const stateLabel = (state: string): string => LABELS[state] ?? state;

/** ffmpeg's names of containers (its demuxers) as people call them. */
const CONTAINERS: Record<string, string> = {
  mp4: 'MP4', mov: 'QuickTime (MOV)', m4a: 'M4A', m4v: 'M4V', '3gp': '3GP', '3g2': '3G2', mj2: 'Motion JPEG 2000',
  matroska: 'Matroska (MKV)', mkv: 'Matroska (MKV)', webm: 'WebM', avi: 'AVI', flv: 'FLV', asf: 'ASF (WMV)', wmv: 'ASF (WMV)',
  mpegts: 'MPEG-TS', ts: 'MPEG-TS', mpeg: 'MPEG-PS', mpg: 'MPEG-PS', ogg: 'Ogg', oga: 'Ogg', ogv: 'Ogg',
  flac: 'FLAC', wav: 'WAV', mp3: 'MP3', aac: 'AAC', aiff: 'AIFF', aif: 'AIFF', opus: 'Opus',
  png: 'PNG', jpeg: 'JPEG', jpg: 'JPEG', mjpeg: 'JPEG', gif: 'GIF', webp: 'WebP', bmp: 'BMP', tiff: 'TIFF', tif: 'TIFF',
};

/**
 * A friendly container name for ffmpeg's format name: "mov,mp4,m4a,3gp,3g2,mj2" is one
 * demuxer for several containers, so the file's extension picks among them ("MP4").
 */
export function containerName(format: string | undefined, extension?: string): string {
  const names = (format ?? '').toLowerCase().split(',').map((n) => n.trim().replace(/_pipe$/, '')).filter(Boolean);
  const ext = (extension ?? '').toLowerCase().replace(/^\./, '');
  if (names.length === 0) return CONTAINERS[ext] ?? ext.toUpperCase();
  // image2 reads still images of any kind: the extension says which.
  if (names.length === 1 && names[0] === 'image2') return CONTAINERS[ext] ?? (ext.toUpperCase() || 'Image');
  const byExtension = CONTAINERS[ext];
  const pick = names.find((n) => n === ext || (byExtension !== undefined && CONTAINERS[n] === byExtension)) ?? names[0]!;
  return CONTAINERS[pick] ?? pick.toUpperCase();
}
