// The render's workflow drawn as its state machine: probe → plan → the scatter of
// segment steps → join, beside them sound, then mux → publish. Steps of a kind this app
// does not know go one column after the steps they need.
import type { Step } from '../api/types';
import { stepKindOf, type StepKind } from '../api/vocabulary';

// Wide enough for the longest step label ("Reading the media") on one line.
export const NODE_WIDTH = 160;
export const NODE_HEIGHT = 80;
export const COLUMN_GAP = 44;
export const ROW_GAP = 14;

export interface PlacedStep {
  step: Step;
  column: number;
  row: number;
  x: number;
  y: number;
  width: number;
}

export interface Edge {
  from: string;
  to: string;
}

export interface WorkflowLayout {
  nodes: PlacedStep[];
  edges: Edge[];
  width: number;
  height: number;
}

const KNOWN_COLUMNS: Record<StepKind, number> = { probe: 0, plan: 1, segment: 2, sound: 2, join: 3, mux: 4, publish: 5 };

function segmentOrder(a: Step, b: Step): number {
  const n = (s: Step): number => Number(/(\d+)/.exec(s.name)?.[1] ?? 0);
  return n(a) - n(b) || a.name.localeCompare(b.name);
}

export function layoutWorkflow(steps: Step[]): WorkflowLayout {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const column = new Map<string, number>();
  const columnOf = (s: Step, seen = new Set<string>()): number => {
    const kind = stepKindOf(s.kind);
    if (kind) return KNOWN_COLUMNS[kind];
    if (column.has(s.name)) return column.get(s.name)!;
    seen.add(s.name);
    const needs = s.needs.map((n) => byName.get(n)).filter((n): n is Step => !!n && !seen.has(n.name));
    const c = needs.length ? Math.max(...needs.map((n) => columnOf(n, seen))) + 1 : 0;
    column.set(s.name, c);
    return c;
  };

  const segments = steps.filter((s) => stepKindOf(s.kind) === 'segment').sort(segmentOrder);
  const pictureRows = Math.max(1, segments.length);
  const middle = (pictureRows - 1) / 2;
  const soundRow = segments.length ? pictureRows : 1;
  const rowsUsed = new Map<number, number>();
  const nodes: PlacedStep[] = [];

  for (const step of steps) {
    const c = columnOf(step);
    const kind = stepKindOf(step.kind);
    let row: number;
    if (kind === 'segment') row = segments.indexOf(step);
    else if (kind === 'sound') row = soundRow;
    else if (kind) row = middle;
    else {
      row = rowsUsed.get(c) ?? 0;
      rowsUsed.set(c, row + 1);
    }
    // Sound runs beside the whole picture branch (segments and join): it spans both columns.
    const span = kind === 'sound' && steps.some((s) => stepKindOf(s.kind) === 'join') ? 2 : 1;
    nodes.push({
      step,
      column: c,
      row,
      x: c * (NODE_WIDTH + COLUMN_GAP),
      y: row * (NODE_HEIGHT + ROW_GAP),
      width: span * NODE_WIDTH + (span - 1) * COLUMN_GAP,
    });
  }

  const present = new Set(steps.map((s) => s.name));
  const plan = steps.find((s) => s.kind === 'plan');
  const edges: Edge[] = [];
  for (const step of steps) {
    const needs = step.needs.filter((n) => present.has(n));
    for (const n of needs) edges.push({ from: n, to: step.name });
    // Steps made by the plan (segments, sound), and cached steps whose inputs were never
    // needed, come after the plan.
    if (needs.length === 0 && plan && step !== plan && step.kind !== 'probe') edges.push({ from: plan.name, to: step.name });
  }

  const width = nodes.reduce((w, n) => Math.max(w, n.x + n.width), 0);
  const height = nodes.reduce((h, n) => Math.max(h, n.y + NODE_HEIGHT), 0);
  return { nodes, edges, width, height };
}
