// A render followed by its events, its progress and ETA, and its workflow drawn.
import { describe, expect, it } from 'vitest';
import type { Render, RenderEvent, Step } from '../src/api/types';
import { applyEvent, etaSeconds, formatEta, fraction, progressOf, stageText } from '../src/workflow/live';
import { layoutWorkflow } from '../src/workflow/layout';

const step = (name: string, kind: string, needs: string[] = [], over: Partial<Step> = {}): Step => ({
  name, kind, needs, state: 'waiting', attempts: 0, failures: 0, worker: '', started_at: 0, finished_at: 0, frames_done: 0, frames_total: 0, checkpoint: null, error: '', worker_class: '', worker_seconds: { regular: 0, preemptible: 0, lost: 0, saved: 0 }, ...over,
});

function render(steps: Step[]): Render {
  return {
    id: 'r1', state: 'running', komposition: 'K', created_at: 1000, started_at: 1000, finished_at: 0, error: '',
    progress: { frames_done: 0, frames_total: 120, stage: 'plan' }, steps,
  };
}

const event = (type: string, stepName: string, detail: Record<string, unknown> = {}, at = 2000): RenderEvent => ({ seq: 1, render: 'r1', type, step: stepName, at, detail });

const full = (): Render =>
  render([
    step('probe', 'probe', [], { state: 'succeeded' }),
    step('plan', 'plan', ['probe'], { state: 'succeeded' }),
    step('segment-1', 'segment', [], { frames_total: 60 }),
    step('segment-2', 'segment', [], { frames_total: 60 }),
    step('join', 'join', ['segment-1', 'segment-2']),
    step('sound', 'sound'),
    step('mux', 'mux', ['join', 'sound']),
    step('publish', 'publish', ['mux'], { frames_total: 120 }),
  ]);

describe('applyEvent', () => {
  it('moves a step through its states and counts its frames', () => {
    let r = full();
    r = applyEvent(r, event('step.running', 'segment-1', { state: 'running', attempt: 1, worker: 'w1', worker_class: 'preemptible', from_frame: 0 })).render;
    expect(r.steps[2]).toMatchObject({ state: 'running', attempts: 1, worker: 'w1', worker_class: 'preemptible', started_at: 2000 });
    r = applyEvent(r, event('step.progress', 'segment-1', { frames_done: 30, frames_total: 60 })).render;
    expect(r.steps[2]!.frames_done).toBe(30);
    expect(r.progress).toEqual({ frames_done: 30, frames_total: 120, stage: 'segments' });
    r = applyEvent(r, event('step.succeeded', 'segment-1', { state: 'succeeded' })).render;
    r = applyEvent(r, event('step.cached', 'segment-2', { state: 'cached' })).render;
    expect(r.progress).toEqual({ frames_done: 120, frames_total: 120, stage: 'join' });
  });

  it('counts a retry and keeps its error', () => {
    const r = applyEvent(full(), event('step.retrying', 'segment-1', { state: 'retrying', error: 'worker lost' })).render;
    expect(r.steps[2]).toMatchObject({ state: 'retrying', failures: 1, error: 'worker lost' });
  });

  it('asks for a fresh read when a step is new or the render ends', () => {
    const early = render([step('probe', 'probe'), step('plan', 'plan', ['probe'])]);
    expect(applyEvent(early, event('step.waiting', 'segment-1', { state: 'waiting' })).stale).toBe(true);
    const ended = applyEvent(full(), event('execution.succeeded', '', { state: 'succeeded' }, 9000));
    expect(ended.stale).toBe(true);
    expect(ended.render).toMatchObject({ state: 'succeeded', finished_at: 9000 });
  });

  it('ignores events of other renders', () => {
    const r = full();
    expect(applyEvent(r, { ...event('step.running', 'probe'), render: 'other' }).render).toBe(r);
  });

  it('knows event types from the workflow vocabulary only', () => {
    const r = full();
    expect(applyEvent(r, event('step.paused', 'segment-1', { state: 'paused' }))).toEqual({ render: r, stale: false });
    expect(applyEvent(r, event('execution.paused', ''))).toEqual({ render: r, stale: false });
    const released = applyEvent(r, event('step.released', 'segment-1', { worker: 'w1' })).render;
    expect(released.steps[2]).toMatchObject({ state: 'ready' });
  });
});

describe('progress and ETA', () => {
  it('is segment frames over the video frames, all when succeeded', () => {
    const r = full();
    r.steps[2]!.frames_done = 30;
    expect(progressOf(r).frames_done).toBe(30);
    expect(fraction({ ...r, progress: progressOf(r) })).toBe(0.25);
    expect(fraction({ ...r, state: 'succeeded' })).toBe(1);
  });

  it('after the picture, names what the render still waits for and is not done before it is', () => {
    const r = full();
    for (const i of [2, 3, 4]) r.steps[i]!.state = 'succeeded';
    r.steps[5] = { ...r.steps[5]!, state: 'running', started_at: 5000, frames_done: 61, frames_total: 100 };
    const during = { ...r, progress: progressOf(r) };
    expect(during.progress).toEqual({ frames_done: 120, frames_total: 120, stage: 'sound' });
    expect(fraction(during)).toBe(0.99);
    expect(stageText(during)).toBe('encoding the sound · 61 %');
    r.steps[5]!.state = 'cached';
    expect(progressOf(r).stage).toBe('mux');
    r.steps[6]!.state = 'succeeded';
    expect(progressOf(r).stage).toBe('publish');
    expect(stageText({ ...r, progress: progressOf(r) })).toBe('saving the video');
  });

  it('once the picture is done, takes the pace of the step the render waits for', () => {
    const r = full();
    for (const i of [2, 3, 4]) r.steps[i]!.state = 'succeeded';
    r.steps[5] = { ...r.steps[5]!, state: 'running', started_at: 5000, frames_done: 25, frames_total: 100 };
    const during = { ...r, started_at: 1000, progress: progressOf(r) };
    expect(etaSeconds(during, 9000)).toBeCloseTo(12, 9);
    r.steps[5]!.frames_done = 1;
    expect(etaSeconds({ ...during, steps: r.steps }, 9000)).toBeNull();
  });

  it('extrapolates the pace so far, and waits until it can tell', () => {
    const r = { ...full(), started_at: 1000, progress: { frames_done: 30, frames_total: 120, stage: 'segments' } };
    expect(etaSeconds(r, 11_000)).toBeCloseTo(30, 9);
    expect(etaSeconds({ ...r, progress: { ...r.progress, frames_done: 1 } }, 10_000)).toBeNull();
    expect(etaSeconds({ ...r, state: 'queued' }, 10_000)).toBeNull();
    expect(formatEta(30)).toBe('about 30 s');
    expect(formatEta(95)).toBe('about 1 min 35 s');
    expect(formatEta(null)).toBe('estimating…');
  });
});

describe('layoutWorkflow', () => {
  it('draws probe → plan → scatter → join → mux → publish, sound beside the picture branch', () => {
    const layout = layoutWorkflow(full().steps);
    const at = Object.fromEntries(layout.nodes.map((n) => [n.step.name, n]));
    expect([at.probe!.column, at.plan!.column, at['segment-1']!.column, at.join!.column, at.mux!.column, at.publish!.column]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(at['segment-1']!.row).toBe(0);
    expect(at['segment-2']!.row).toBe(1);
    expect(at.join!.row).toBe(0.5);
    expect(at.sound!.row).toBe(2);
    expect(at.sound!.width).toBeGreaterThan(at.join!.width);
    const edges = layout.edges.map((e) => `${e.from}>${e.to}`);
    expect(edges).toEqual(expect.arrayContaining(['probe>plan', 'plan>segment-1', 'plan>segment-2', 'plan>sound', 'segment-1>join', 'join>mux', 'sound>mux', 'mux>publish']));
  });

  it('links a cached step whose inputs were never added to the plan', () => {
    const layout = layoutWorkflow([
      step('probe', 'probe'),
      step('plan', 'plan', ['probe']),
      step('mux', 'mux', ['join', 'sound'], { state: 'cached' }),
      step('publish', 'publish', ['mux']),
    ]);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['probe>plan', 'plan>mux', 'mux>publish']);
  });

  it('puts a step of an unknown kind after what it needs', () => {
    const layout = layoutWorkflow([step('probe', 'probe'), step('plan', 'plan', ['probe']), step('thumbs', 'thumbnail', ['plan'])]);
    expect(layout.nodes.find((n) => n.step.name === 'thumbs')!.column).toBe(2);
  });
});
