// Generated from the tables of src/workflow/vocabulary.hpp: do not edit. The unit test
// WorkflowVocabulary.WebCopyMatchesTheTables fails when this file differs from what
// the tables make, and writes the fresh one (its message names the copy command).

export const RENDER_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RenderState = (typeof RENDER_STATES)[number];
/** Nothing more happens to a render in these. */
export const FINISHED_RENDER_STATES: readonly RenderState[] = ['succeeded', 'failed', 'cancelled'];

export const STEP_STATES = ['waiting', 'ready', 'running', 'cached', 'succeeded', 'failed', 'retrying', 'cancelled'] as const;
export type StepState = (typeof STEP_STATES)[number];
/** Nothing moves a step on from these. */
export const FINISHED_STEP_STATES: readonly StepState[] = ['cached', 'succeeded', 'failed', 'cancelled'];
/** A step in these has its output, for the steps that need it. */
export const STEP_STATES_WITH_OUTPUT: readonly StepState[] = ['cached', 'succeeded'];

export const STEP_KINDS = ['probe', 'plan', 'segment', 'join', 'sound', 'mux', 'publish'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
/** The kind a step's `kind` names; undefined for a kind of a newer server. */
export const stepKindOf = (kind: string): StepKind | undefined => STEP_KINDS.find((k) => k === kind);

export interface EventTypeInfo {
  scope: 'execution' | 'step';
  /** The state the event records the move to; none for progress, checkpoints and
   * expired leases (a retry or failure follows as its own event). */
  renderState?: RenderState;
  stepState?: StepState;
}

/** Every event type, by the name events carry. */
export const EVENT_TYPES: Readonly<Record<string, EventTypeInfo | undefined>> = {
  'execution.queued': { scope: 'execution', renderState: 'queued' },
  'execution.running': { scope: 'execution', renderState: 'running' },
  'execution.succeeded': { scope: 'execution', renderState: 'succeeded' },
  'execution.failed': { scope: 'execution', renderState: 'failed' },
  'execution.cancelled': { scope: 'execution', renderState: 'cancelled' },
  'step.waiting': { scope: 'step', stepState: 'waiting' },
  'step.ready': { scope: 'step', stepState: 'ready' },
  'step.running': { scope: 'step', stepState: 'running' },
  'step.cached': { scope: 'step', stepState: 'cached' },
  'step.succeeded': { scope: 'step', stepState: 'succeeded' },
  'step.retrying': { scope: 'step', stepState: 'retrying' },
  'step.failed': { scope: 'step', stepState: 'failed' },
  'step.lease_expired': { scope: 'step' },
  'step.released': { scope: 'step', stepState: 'ready' },
  'step.cancelled': { scope: 'step', stepState: 'cancelled' },
  'step.progress': { scope: 'step' },
  'step.checkpoint': { scope: 'step' },
};
