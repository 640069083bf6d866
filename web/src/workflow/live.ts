// A render followed live: its events applied to the last snapshot read, the overall
// progress (as the server counts it: segment frames over the video's frames) and the ETA.
import type { Render, RenderEvent, RenderState, Step, StepState } from '../api/types';
import { EVENT_TYPES, FINISHED_RENDER_STATES, FINISHED_STEP_STATES, STEP_STATES, STEP_STATES_WITH_OUTPUT, stepKindOf } from '../api/vocabulary';

export const isFinished = (state: RenderState): boolean => FINISHED_RENDER_STATES.includes(state);

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface Applied {
  render: Render;
  /** The event names something the snapshot does not have (a new step): read it again. */
  stale: boolean;
}

const hasOutput = (s: StepState): boolean => STEP_STATES_WITH_OUTPUT.includes(s);

/** The render after `event`. Events of other renders change nothing. */
export function applyEvent(render: Render, event: RenderEvent): Applied {
  if (event.render && event.render !== render.id) return { render, stale: false };
  const detail = event.detail ?? {};
  const type = EVENT_TYPES[event.type];
  if (!type) return { render, stale: false };
  if (type.scope === 'execution') {
    const state = type.renderState;
    if (!state) return { render, stale: false };
    const next: Render = { ...render, state };
    if (state === 'running' && !render.started_at) next.started_at = event.at;
    if (isFinished(state)) {
      next.finished_at = event.at;
      const error = str(detail.error);
      if (error) next.error = error;
    }
    // The output link and final numbers come with a fresh read.
    return { render: next, stale: isFinished(state) };
  }
  const index = render.steps.findIndex((s) => s.name === event.step);
  if (index < 0) return { render, stale: true };
  const step = render.steps[index]!;
  let changed: Step = step;
  if (!type.stepState) {
    // Progress and checkpoints (and an expired lease, which carries no frames).
    const done = num(detail.frames_done);
    const total = num(detail.frames_total);
    changed = { ...step, frames_done: done ?? step.frames_done, frames_total: total ?? step.frames_total };
  } else {
    const state = STEP_STATES.find((s) => s === (str(detail.state) ?? type.stepState));
    if (!state) return { render, stale: false };
    changed = { ...step, state };
    if (state === 'running') {
      changed.started_at = event.at;
      changed.attempts = num(detail.attempt) ?? step.attempts;
      changed.worker = str(detail.worker) ?? step.worker;
      changed.worker_class = str(detail.worker_class) ?? step.worker_class;
      changed.frames_done = num(detail.from_frame) ?? step.frames_done;
    }
    if (FINISHED_STEP_STATES.includes(state)) changed.finished_at = event.at;
    if (hasOutput(state)) changed.frames_done = Math.max(changed.frames_done, changed.frames_total);
    const error = str(detail.error);
    if (error) changed.error = error;
    if (state === 'retrying') changed.failures = step.failures + 1;
  }
  const steps = render.steps.slice();
  steps[index] = changed;
  const next = { ...render, steps };
  return { render: { ...next, progress: progressOf(next) }, stale: false };
}

/** Frames done over frames of the video, as render_view.cpp counts them. */
export function progressOf(render: Render): Render['progress'] {
  let total = 0;
  let done = 0;
  let stage = 'plan';
  let segmentsDone = true;
  for (const s of render.steps) {
    const kind = stepKindOf(s.kind);
    if (kind === 'publish') total = s.frames_total;
    if (kind !== 'segment') continue;
    done += hasOutput(s.state) ? s.frames_total : s.frames_done;
    segmentsDone = segmentsDone && hasOutput(s.state);
    stage = 'segments';
  }
  for (const s of render.steps) {
    const kind = stepKindOf(s.kind);
    if (kind === 'join' && segmentsDone && !hasOutput(s.state)) stage = 'join';
    if (kind === 'mux' && s.state === 'running') stage = 'mux';
  }
  if (stage === 'segments' && segmentsDone) done = total;
  return { frames_done: done, frames_total: total || render.progress.frames_total, stage };
}

/** 0..1 of the whole render. */
export function fraction(render: Render): number {
  if (render.state === 'succeeded') return 1;
  const { frames_done, frames_total } = render.progress;
  return frames_total > 0 ? Math.min(1, frames_done / frames_total) : 0;
}

/**
 * Seconds left, from the pace so far; null while too little is done to tell (under 3 %
 * or under a second of work) or when the render is not running.
 */
export function etaSeconds(render: Render, now: number): number | null {
  if (render.state !== 'running' || !render.started_at) return null;
  const f = fraction(render);
  const elapsed = (now - render.started_at) / 1000;
  if (f < 0.03 || f >= 1 || elapsed < 1) return null;
  return Math.max(0, (elapsed * (1 - f)) / f);
}

export function formatEta(s: number | null): string {
  if (s === null) return 'estimating…';
  if (s < 1) return 'less than a second';
  if (s < 60) return `about ${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `about ${m} min ${Math.round(s - m * 60)} s`;
}
