// The render view's cost line: the figures a user compares, from the render API's cost.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RenderCost as Cost } from '../src/api/types';
import { RenderCost } from '../src/screens/render/RenderCost';
import { costSummary } from '../src/workflow/cost';

// 100 s on regular workers and 400 s on preemptible ones at 0.40 and 0.12 an hour.
const cost: Cost = {
  cost: (100 * 0.4 + 400 * 0.12) / 3600,
  all_regular_cost: (500 * 0.4) / 3600,
  regular_seconds: 100,
  preemptible_seconds: 400,
  lost_seconds: 12.34,
  saved_seconds: 60,
  saved_cost: (60 * 0.4) / 3600,
};

describe('costSummary', () => {
  it('compares the cost with all-regular workers', () => {
    const s = costSummary(cost);
    expect(s.cost).toBe('0.0244');
    expect(s.allRegular).toBe('0.0556');
    expect(s.savingPercent).toBe(56);
    expect(s.preemptibleShare).toBe(80);
    expect(s.redoneSeconds).toBe('12.3 s');
    expect(s.savedSeconds).toBe('60.0 s');
  });

  it('has no saving before any worker time was charged', () => {
    const none = { ...cost, cost: 0, all_regular_cost: 0, regular_seconds: 0, preemptible_seconds: 0 };
    expect(costSummary(none).savingPercent).toBeNull();
    expect(costSummary(none).preemptibleShare).toBe(0);
  });
});

describe('RenderCost', () => {
  it('shows the cost, the all-regular cost, the saving, work redone and cache savings', () => {
    const html = renderToStaticMarkup(createElement(RenderCost, { cost }));
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('Cost 0.0244 (all regular workers: 0.0556, 56 % saved)');
    expect(text).toContain('80 % on preemptible workers');
    expect(text).toContain('redone 12.3 s');
    expect(text).toContain('cache saved 60.0 s');
  });
});

describe('RenderCost disclosure', () => {
  it('folds the figures away under "Cost details", closed at first', () => {
    const html = renderToStaticMarkup(createElement(RenderCost, { cost }));
    expect(html).toMatch(/^<details[^>]*><summary>Cost details<\/summary>/);
    expect(html).not.toMatch(/<details[^>]*\sopen/);
    expect(html).toMatch(/<\/summary><p[^>]*>Cost <strong>0\.0244<\/strong>/);
  });
});
