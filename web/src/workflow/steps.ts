// One step of a render in words: its progress, its state, who worked on it and for how
// long, and what went wrong with it (a failed attempt's error, shown beside the step, not
// only in a tooltip).
import type { Step } from '../api/types';
import { stepKindOf, type StepKind } from '../api/vocabulary';
import { formatDuration, stateLabel } from '../components/format';

/** What each kind of step does, in a musician's words (segments are numbered: see stepLabel). */
const KIND_LABELS: Record<Exclude<StepKind, 'segment'>, string> = {
  probe: 'Reading the media',
  plan: 'Planning the cuts',
  join: 'Joining the cuts',
  sound: 'Sound',
  mux: 'Picture + sound',
  publish: 'Saving the video',
};

/**
 * The step as the page names it: "Cut 3" for segment-3, "Cut 3, part 2" for a long cut's
 * chunk segment-3.2; the technical name for a kind this app does not know.
 */
export function stepLabel(step: Step): string {
  const kind = stepKindOf(step.kind);
  if (!kind) return step.name;
  if (kind !== 'segment') return KIND_LABELS[kind];
  const m = /(\d+)(?:\.(\d+))?$/.exec(step.name);
  if (!m) return 'Cut';
  return m[2] ? `Cut ${m[1]}, part ${m[2]}` : `Cut ${m[1]}`;
}

/** 0..1 of the step, or null when it does not count frames. */
export function stepFraction(step: Step): number | null {
  if (step.state === 'succeeded' || step.state === 'cached') return 1;
  return step.frames_total > 0 ? Math.min(1, step.frames_done / step.frames_total) : null;
}

const attemptsText = (n: number): string => `${n} attempt${n === 1 ? '' : 's'}`;

/**
 * What went wrong with the step, for the page; null when nothing did. The server keeps
 * the last attempt's error, so a step that ran again after one still says so.
 */
export function stepProblem(step: Step): string | null {
  const error = step.error.trim();
  if (!error) return null;
  switch (step.state) {
    case 'failed':
      return step.attempts > 1 ? `Failed after ${attemptsText(step.attempts)}: ${error}` : `Failed: ${error}`;
    case 'retrying':
      return `Attempt ${Math.max(1, step.attempts)} failed, retrying: ${error}`;
    case 'cancelled':
      return `Cancelled: ${error}`;
    default:
      return `An earlier attempt failed: ${error}`;
  }
}

/** Less than this much lost work reads "0.0 s": not worth a word. */
const SHOWN_LOST_SECONDS = 0.05;

/**
 * The class of worker that ran the step and the worker time of its attempts, e.g.
 * "preemptible · 3.2 s" (time is charged as each attempt ends), with the work lost to a
 * preemption or a failure (redone, unless the step failed for good); for a step found in the
 * cache, what that saved. Null before a worker took it.
 */
export function stepWorker(step: Step): string | null {
  const { regular, preemptible, lost, saved } = step.worker_seconds;
  if (step.state === 'cached') return saved > 0 ? `cache · saved ${formatDuration(saved)}` : null;
  if (!step.worker_class) return null;
  const parts = [step.worker_class];
  if (regular + preemptible > 0) parts.push(formatDuration(regular + preemptible));
  const ended = step.state === 'failed' || step.state === 'cancelled';
  if (lost >= SHOWN_LOST_SECONDS) parts.push(`${formatDuration(lost)} ${ended ? 'lost' : 'redone'}`);
  return parts.join(' · ');
}

/**
 * The step in one sentence, for assistive technology; `label` (stepLabel's, say) goes
 * before the technical name, which operators and the logs use.
 */
export function describeStep(step: Step, label?: string): string {
  // "Sound (sound)" would say the same twice.
  const name = label && label.toLowerCase() !== step.name.toLowerCase() ? `${label} (${step.name})` : label || step.name;
  const parts = [`${name}: ${stateLabel(step.state)}`];
  const f = stepFraction(step);
  if (step.state === 'running' && f !== null) parts.push(`${Math.round(f * 100)} percent`);
  if (step.attempts > 1) parts.push(`attempt ${step.attempts}`);
  const worker = stepWorker(step);
  if (worker) parts.push(worker);
  const problem = stepProblem(step);
  if (problem) parts.push(problem);
  return parts.join(', ');
}
