// How the app words sizes, durations and containers.
import { describe, expect, it } from 'vitest';
import { beatCount, containerName, formatBytes, formatDuration, plainNumber } from '../src/components/format';

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

describe('beatCount and plainNumber', () => {
  it('says "1 beat" and "2 beats"', () => {
    expect(beatCount(1)).toBe('1 beat');
    expect(beatCount(2)).toBe('2 beats');
    expect(beatCount(0)).toBe('0 beats');
  });

  it('shows at most two decimals, without trailing zeros', () => {
    expect(plainNumber(119.986)).toBe('119.99');
    expect(plainNumber(6)).toBe('6');
    expect(plainNumber(0.05)).toBe('0.05');
    expect(plainNumber(1.25, 1)).toBe('1.3');
  });
});
