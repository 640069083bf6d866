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

/** What a render whose picture is all there still waits for, as render_view.cpp names it. */
const FINISHING_KINDS = ['join', 'sound', 'mux', 'publish'] as const;

function finishingStage(render: Render): string {
  for (const kind of FINISHING_KINDS) {
    if (render.steps.some((s) => stepKindOf(s.kind) === kind && !hasOutput(s.state))) return kind;
  }
  return 'publish';
}

/** Frames done over frames of the video, and the stage, as render_view.cpp counts them. */
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
  if (stage === 'segments' && segmentsDone) {
    done = total;
    stage = finishingStage(render);
  }
  return { frames_done: done, frames_total: total || render.progress.frames_total, stage };
}

/** Short of done until the render has succeeded: the sound, the mux and the publish come after the last frame. */
const MOST_BEFORE_THE_END = 0.99;

/** 0..1 of the whole render. */
export function fraction(render: Render): number {
  if (render.state === 'succeeded') return 1;
  const { frames_done, frames_total } = render.progress;
  return frames_total > 0 ? Math.min(MOST_BEFORE_THE_END, frames_done / frames_total) : 0;
}

/** The step the render is waiting for once its picture is done (the one its stage names), if it counts frames. */
function finishingStep(render: Render): Step | undefined {
  if (!(FINISHING_KINDS as readonly string[]).includes(render.progress.stage)) return undefined;
  return render.steps.find((s) => stepKindOf(s.kind) === render.progress.stage && s.state === 'running' && s.frames_total > 0);
}

/** The render's stage in words, with the finishing step's own progress: "encoding the sound · 61 %". */
export function stageText(render: Render): string {
  const words = STAGE_WORDS[render.progress.stage] ?? render.progress.stage;
  const step = finishingStep(render);
  return step ? `${words} · ${Math.round((100 * step.frames_done) / step.frames_total)} %` : words;
}

const STAGE_WORDS: Record<string, string> = {
  plan: 'getting ready',
  segments: 'rendering the picture',
  join: 'joining the cuts',
  sound: 'encoding the sound',
  mux: 'putting picture and sound together',
  publish: 'saving the video',
};

/** Seconds left of work that is at `done` (0..1) after `elapsed` seconds; null while too little is done to tell. */
function paceLeft(done: number, elapsed: number): number | null {
  if (done < 0.03 || done >= 1 || elapsed < 1) return null;
  return Math.max(0, (elapsed * (1 - done)) / done);
}

/**
 * Seconds left, from the pace so far (once the picture is done, the pace of the step the
 * render waits for); null while too little is done to tell (under 3 % or under a second of
 * work) or when the render is not running.
 */
export function etaSeconds(render: Render, now: number): number | null {
  if (render.state !== 'running' || !render.started_at) return null;
  const { frames_done, frames_total } = render.progress;
  if (frames_total > 0 && frames_done >= frames_total) {
    const step = finishingStep(render);
    return step && step.started_at ? paceLeft(step.frames_done / step.frames_total, (now - step.started_at) / 1000) : null;
  }
  return paceLeft(fraction(render), (now - render.started_at) / 1000);
}

export function formatEta(s: number | null): string {
  if (s === null) return 'estimating…';
  if (s < 1) return 'less than a second';
  if (s < 60) return `about ${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `about ${m} min ${Math.round(s - m * 60)} s`;
}
