// A step in words: what went wrong with it is text on the page, next to the step, and so
// are the class of worker that ran it and the worker time it took.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Step } from '../src/api/types';
import { WorkflowGraph } from '../src/screens/render/WorkflowGraph';
import { describeStep, stepFraction, stepLabel, stepProblem, stepWorker } from '../src/workflow/steps';

const step = (over: Partial<Step> = {}): Step => ({
  name: 'segment-2', kind: 'segment', needs: [], state: 'running', attempts: 1, failures: 0, worker: 'w1', started_at: 0, finished_at: 0,
  frames_done: 30, frames_total: 60, checkpoint: null, error: '', worker_class: '', worker_seconds: { regular: 0, preemptible: 0, lost: 0, saved: 0 }, ...over,
});

describe('stepProblem', () => {
  it('is nothing while nothing went wrong', () => {
    expect(stepProblem(step())).toBeNull();
    expect(stepProblem(step({ state: 'succeeded' }))).toBeNull();
    expect(stepProblem(step({ state: 'failed', error: '  ' }))).toBeNull();
  });

  it('says what failed, and after how many attempts', () => {
    expect(stepProblem(step({ state: 'failed', error: 'decode: invalid data in clip_a.mp4' }))).toBe('Failed: decode: invalid data in clip_a.mp4');
    expect(stepProblem(step({ state: 'failed', attempts: 3, error: 'worker lost' }))).toBe('Failed after 3 attempts: worker lost');
  });

  it('says which attempt failed while the step is retried, and keeps saying so once it runs again', () => {
    expect(stepProblem(step({ state: 'retrying', attempts: 1, failures: 1, error: 'lease expired' }))).toBe('Attempt 1 failed, retrying: lease expired');
    expect(stepProblem(step({ state: 'running', attempts: 2, failures: 1, error: 'lease expired' }))).toBe('An earlier attempt failed: lease expired');
    expect(stepProblem(step({ state: 'cancelled', error: 'render cancelled' }))).toBe('Cancelled: render cancelled');
  });
});

describe('describeStep', () => {
  it('names the state, the progress, the attempt and the problem', () => {
    expect(describeStep(step())).toBe('segment-2: Running, 50 percent');
    expect(describeStep(step({ state: 'retrying', attempts: 2, error: 'disk full' }))).toBe('segment-2: Retrying, attempt 2, Attempt 2 failed, retrying: disk full');
    expect(describeStep(step({ state: 'cached' }))).toBe('segment-2: Cached');
    expect(stepFraction(step({ state: 'cached', frames_done: 0 }))).toBe(1);
    expect(stepFraction(step({ frames_total: 0 }))).toBeNull();
  });
});

describe('stepWorker', () => {
  const seconds = (over: Partial<Step['worker_seconds']>): Step['worker_seconds'] => ({ regular: 0, preemptible: 0, lost: 0, saved: 0, ...over });

  it('names the class of worker and the worker time of every attempt', () => {
    expect(stepWorker(step())).toBeNull();
    expect(stepWorker(step({ worker_class: 'preemptible' }))).toBe('preemptible');
    expect(stepWorker(step({ state: 'succeeded', worker_class: 'preemptible', worker_seconds: seconds({ preemptible: 3.24 }) }))).toBe('preemptible · 3.2 s');
    // Taken back from a preemptible worker after 2 s, 1.5 s of it after the last checkpoint, then done on a regular one.
    expect(stepWorker(step({ state: 'succeeded', worker_class: 'regular', worker_seconds: seconds({ preemptible: 2, regular: 4, lost: 1.5 }) }))).toBe('regular · 6.0 s · 1.5 s redone');
    expect(stepWorker(step({ state: 'failed', worker_class: 'regular', worker_seconds: seconds({ regular: 2, lost: 2 }) }))).toBe('regular · 2.0 s · 2.0 s lost');
    expect(stepWorker(step({ state: 'failed', worker_class: 'regular', worker_seconds: seconds({ regular: 0.02, lost: 0.02 }) }))).toBe('regular · 0.0 s');
    expect(stepWorker(step({ state: 'cached', worker_seconds: seconds({ saved: 75 }) }))).toBe('cache · saved 1:15');
    expect(describeStep(step({ state: 'succeeded', worker_class: 'regular', worker_seconds: seconds({ regular: 0.5 }) }))).toBe('segment-2: Done, regular · 0.5 s');
  });

  it('is shown in the step list of the render', () => {
    const html = renderToStaticMarkup(
      createElement(WorkflowGraph, {
        steps: [
          step({ name: 'segment-1', state: 'succeeded', worker_class: 'preemptible', worker_seconds: seconds({ preemptible: 3.2 }) }),
          step({ name: 'segment-2', state: 'running', worker_class: 'regular' }),
          step({ name: 'join', state: 'waiting', needs: ['segment-1', 'segment-2'] }),
        ],
      }),
    );
    const text = (name: string): string => (new RegExp(`data-step="${name}"[^>]*>(.*?)</li>`).exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '|');
    expect(text('segment-1')).toContain('|preemptible · 3.2 s|');
    expect(text('segment-2')).toContain('|regular|');
    expect(text('join')).not.toMatch(/regular|preemptible/);
  });
});

describe('stepLabel', () => {
  it('names each kind of step in a musician\'s words', () => {
    expect(stepLabel(step({ name: 'probe', kind: 'probe' }))).toBe('Reading the media');
    expect(stepLabel(step({ name: 'plan', kind: 'plan' }))).toBe('Planning the cuts');
    expect(stepLabel(step({ name: 'join', kind: 'join' }))).toBe('Joining the cuts');
    expect(stepLabel(step({ name: 'sound', kind: 'sound' }))).toBe('Sound');
    expect(stepLabel(step({ name: 'mux', kind: 'mux' }))).toBe('Picture + sound');
    expect(stepLabel(step({ name: 'publish', kind: 'publish' }))).toBe('Saving the video');
  });

  it('numbers the cuts as the server does, and the parts of a long one', () => {
    expect(stepLabel(step({ name: 'segment-3' }))).toBe('Cut 3');
    expect(stepLabel(step({ name: 'segment-12.2' }))).toBe('Cut 12, part 2');
  });

  it('keeps the technical name of a kind it does not know', () => {
    expect(stepLabel(step({ name: 'upscale-1', kind: 'upscale' }))).toBe('upscale-1');
  });

  it('tells assistive technology the label and the technical name', () => {
    const s = step({ name: 'probe', kind: 'probe', state: 'succeeded' });
    expect(describeStep(s, stepLabel(s))).toBe('Reading the media (probe): Done');
  });

  it('is what the step box shows, with the technical name in its tooltip and data-step', () => {
    const html = renderToStaticMarkup(
      createElement(WorkflowGraph, {
        steps: [step({ name: 'probe', kind: 'probe', state: 'failed', error: 'x.mp4: file not found' }), step({ name: 'segment-1', needs: ['probe'] })],
      }),
    );
    expect(html).toMatch(/<li[^>]*data-step="probe"[^>]*title="probe"[^>]*>|<li[^>]*title="probe"[^>]*data-step="probe"/);
    expect(html).toContain('<span class="step-name">Reading the media</span>');
    expect(html).toContain('<span class="step-name">Cut 1</span>');
    expect(html).toContain('aria-label="Reading the media (probe): Failed, Failed: x.mp4: file not found"');
    // The problems under the graph still lead with the technical name (operators, the e2e test).
    expect(html).toMatch(/<li class="step-problem[^>]*><strong title="Reading the media">probe<\/strong>: Failed: x\.mp4: file not found<\/li>/);
  });
});

describe('describeStep with a label', () => {
  it('does not repeat a name the label already says', () => {
    const s = step({ name: 'sound', kind: 'sound', state: 'succeeded' });
    expect(describeStep(s, stepLabel(s))).toBe('Sound: Done');
  });
});
