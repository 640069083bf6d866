// The shapes the server sends and takes (docs/server.md, komposition.md). Documents keep
// fields this app does not know (the index signatures), so a save never loses them.
import type { RenderState, StepState } from './vocabulary';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type MediaType = 'video' | 'audio' | 'image';

export interface SourceTiming {
  original_start?: number;
  original_duration?: number;
  static_duration?: number;
  [key: string]: unknown;
}

export interface Segment {
  id: string;
  sourceid: string;
  start: number;
  duration: number;
  end: number;
  source_timing?: SourceTiming;
  [key: string]: unknown;
}

export interface Source {
  id: string;
  url: string;
  startingOffset: number | null;
  checksums: string;
  format: string;
  extension: string;
  mediatype: string;
  width?: number;
  height?: number;
  [key: string]: unknown;
}

export interface OutputConfig {
  width: number;
  height: number;
  framerate: number;
  extension: string;
  fit?: string;
  [key: string]: unknown;
}

export interface BeatPattern {
  frombeat: number;
  tobeat: number;
  masterbpm: number;
  [key: string]: unknown;
}

export interface Komposition {
  _id: string;
  _rev?: string;
  name?: string;
  type: string;
  bpm: number;
  config: OutputConfig;
  beatpattern?: BeatPattern;
  segments: Segment[];
  sources: Source[];
  [key: string]: unknown;
}

export interface KompositionSummary {
  id: string;
  name: string;
  type: string;
  rev: string;
  created_at: number;
  updated_at: number;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A medium of the library: its document as the upload stored it. */
export interface Medium {
  _id: string;
  _rev?: string;
  type: 'Video' | 'Audio' | 'Image' | string;
  name: string;
  url: string;
  mediatype: string;
  extension: string;
  format?: string;
  checksums?: string;
  duration?: number;
  size?: number;
  width?: number;
  height?: number;
  framerate?: number;
  sample_rate?: number;
  channels?: number;
  [key: string]: unknown;
}

export interface Waveform {
  duration: number;
  min: number[];
  max: number[];
  seconds_per_peak: number;
  sample_rate?: number;
}

/** GET /api/v1/media/{name}/analysis (docs/analysis.md). */
export interface MediumAnalysis {
  kind: 'audio' | 'video' | 'image';
  duration: number;
  tempo?: {
    bpm: number | null; // null: unsure, nothing is offered
    estimate: number;
    confidence: number;
    confident: boolean;
    first_beat: number;
    first_downbeat: number;
    beats: number[];
  };
  suggested?: { bpm: number; startingOffset: number };
  shots?: { changes: { frame: number; time: number; score: number }[] };
}

// The workflow's states, generated from its tables (vocabulary.ts).
export type { RenderState, StepState };

export interface Step {
  name: string;
  /** One of STEP_KINDS (vocabulary.ts: read it with stepKindOf), or a newer server's kind. */
  kind: string;
  state: StepState;
  attempts: number;
  failures: number;
  worker: string;
  started_at: number;
  finished_at: number;
  frames_done: number;
  frames_total: number;
  checkpoint: { at: number; frames_done: number } | null;
  error: string;
  artifact_key?: string;
  needs: string[];
  /** The class of the worker of the current or last attempt (`kompo worker --class`:
   * regular or preemptible, or a newer server's class); '' before any attempt. */
  worker_class: string;
  /** Worker time of its attempts (charged when an attempt ends): OpenAPI Step.worker_seconds. */
  worker_seconds: WorkerSeconds;
}

export interface WorkerSeconds {
  regular: number;
  preemptible: number;
  /** Worked after the last checkpoint of attempts that did not succeed: redone. */
  lost: number;
  /** What making the artifact cost when it was found in the cache instead. */
  saved: number;
}

export interface RenderSummary {
  id: string;
  state: RenderState;
  komposition: string;
  created_at: number;
  finished_at: number;
  error: string;
}

/** What a render cost so far (docs/workflow.md, Cost accounting): worker time by class at the configured prices. */
export interface RenderCost {
  cost: number;
  all_regular_cost: number;
  regular_seconds: number;
  preemptible_seconds: number;
  lost_seconds: number;
  saved_seconds: number;
  saved_cost: number;
}

export interface Render extends RenderSummary {
  started_at: number;
  progress: { frames_done: number; frames_total: number; stage: string };
  cost?: RenderCost;
  steps: Step[];
  output?: string;
}

/** One message of the live events (WebSocket or SSE). */
export interface RenderEvent {
  id?: number;
  seq: number;
  render: string;
  type: string;
  step: string;
  at: number;
  detail: Record<string, unknown> | null;
}

export type Permission = 'read' | 'edit' | 'render' | 'batch' | 'admin';

export interface User {
  id: string;
  name: string;
  tenant: string;
  role: string;
  permissions: string[];
}
