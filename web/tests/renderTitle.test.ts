// A render in a list is named by its komposition and when it was started, not by its id.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RenderSummary } from '../src/api/types';
import { RenderName } from '../src/screens/RenderName';
import { renderTitle, startedAt } from '../src/workflow/renderTitle';

// Local times, so the expectations hold in any time zone.
const now = new Date(2024, 5, 14, 17, 30).getTime();
const at = (month: number, day: number, hours: number, minutes: number, year = 2024): number => new Date(year, month, day, hours, minutes).getTime();

describe('startedAt', () => {
  it('says today or yesterday with the clock time', () => {
    expect(startedAt(at(5, 14, 8, 14), now)).toBe('today 08:14');
    expect(startedAt(at(5, 13, 21, 3), now)).toBe('yesterday 21:03');
  });

  it('gives the day and month before that, and the year when it is another one', () => {
    expect(startedAt(at(2, 12, 9, 5), now)).toBe('12 Mar 09:05');
    expect(startedAt(at(11, 31, 23, 59, 2023), now)).toBe('31 Dec 2023 23:59');
  });

  it('is nothing without a time', () => {
    expect(startedAt(0, now)).toBe('');
  });
});

describe('renderTitle', () => {
  const render = { komposition: 'auto-c0cca80c', created_at: at(5, 14, 8, 14) };

  it('is the komposition\'s name and when the render was started', () => {
    expect(renderTitle(render, 'Summer single', now)).toBe('Summer single · today 08:14');
  });

  it('falls back to the komposition\'s id while its name is unknown or empty', () => {
    expect(renderTitle(render, undefined, now)).toBe('auto-c0cca80c · today 08:14');
    expect(renderTitle(render, '  ', now)).toBe('auto-c0cca80c · today 08:14');
  });
});

describe('RenderName', () => {
  it('links to the render with the title first and the id as secondary text', () => {
    const summary: RenderSummary = { id: '394f17d9d27840ec', state: 'succeeded', komposition: 'k1', created_at: Date.now(), finished_at: 0, error: '' };
    const html = renderToStaticMarkup(createElement(RenderName, { render: summary, kompositionName: 'Summer single' }));
    expect(html).toMatch(/^<a href="\/renders\/394f17d9d27840ec"[^>]*><span class="render-title">Summer single · today \d\d:\d\d<\/span> <span class="render-id">394f17d9d27840ec<\/span><\/a>$/);
  });
});
