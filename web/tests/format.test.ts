// How the app words sizes, durations and containers.
import { describe, expect, it } from 'vitest';
import { containerName, formatBytes, formatDuration } from '../src/components/format';

describe('containerName', () => {
  it('picks the container of a multi-container demuxer by the file extension', () => {
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', 'mp4')).toBe('MP4');
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', 'mov')).toBe('QuickTime (MOV)');
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', '.M4A')).toBe('M4A');
    expect(containerName('matroska,webm', 'webm')).toBe('WebM');
    expect(containerName('matroska,webm', 'mkv')).toBe('Matroska (MKV)');
  });

  it('names single containers and still images, and falls back to the first name', () => {
    expect(containerName('flac', 'flac')).toBe('FLAC');
    expect(containerName('png_pipe', 'png')).toBe('PNG');
    expect(containerName('image2', 'jpg')).toBe('JPEG');
    expect(containerName('mov,mp4,m4a,3gp,3g2,mj2', '')).toBe('QuickTime (MOV)');
    expect(containerName('nut', 'nut')).toBe('NUT');
    expect(containerName(undefined, 'wav')).toBe('WAV');
  });
});

describe('formatBytes and formatDuration', () => {
  it('reads as people write them', () => {
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatDuration(3)).toBe('3.0 s');
    expect(formatDuration(75)).toBe('1:15');
  });
});
