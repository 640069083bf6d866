// A step in words: what went wrong with it is text on the page, next to the step.
import { describe, expect, it } from 'vitest';
import type { Step } from '../src/api/types';
import { describeStep, stepFraction, stepProblem } from '../src/workflow/steps';

const step = (over: Partial<Step> = {}): Step => ({
  name: 'segment-2', kind: 'segment', needs: [], state: 'running', attempts: 1, failures: 0, worker: 'w1', started_at: 0, finished_at: 0,
  frames_done: 30, frames_total: 60, checkpoint: null, error: '', ...over,
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
