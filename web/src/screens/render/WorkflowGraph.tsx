// The render's workflow as its state machine: each step a box with its state in words,
// a progress bar while it runs, attempts when it was retried; arrows for what needs what.
import type { Step } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { stateLabel } from '../../components/StateBadge';
import { layoutWorkflow, NODE_HEIGHT, type PlacedStep } from '../../workflow/layout';

const PAD = 8;

function stepFraction(step: Step): number | null {
  if (step.state === 'succeeded' || step.state === 'cached') return 1;
  return step.frames_total > 0 ? Math.min(1, step.frames_done / step.frames_total) : null;
}

function describe(step: Step): string {
  const parts = [`${step.name}: ${stateLabel(step.state)}`];
  const f = stepFraction(step);
  if (step.state === 'running' && f !== null) parts.push(`${Math.round(f * 100)} percent`);
  if (step.attempts > 1) parts.push(`attempt ${step.attempts}`);
  if (step.error) parts.push(step.error);
  return parts.join(', ');
}

function StepNode({ node }: { node: PlacedStep }) {
  const { step } = node;
  const f = stepFraction(step);
  return (
    <li
      className={`step step-${step.state}`}
      style={{ left: node.x + PAD, top: node.y + PAD, width: node.width, height: NODE_HEIGHT }}
      data-step={step.name}
      data-state={step.state}
      aria-label={describe(step)}
      title={step.error || undefined}
    >
      <span className="step-name">{step.name}</span>
      <span className="step-state">
        {stateLabel(step.state)}
        {step.state === 'running' && f !== null ? ` ${Math.round(f * 100)} %` : ''}
        {step.attempts > 1 ? ` · try ${step.attempts}` : ''}
      </span>
      {step.state === 'running' || step.state === 'retrying' ? <ProgressBar value={f} label={`${step.name} progress`} slim /> : null}
    </li>
  );
}

export function WorkflowGraph({ steps }: { steps: Step[] }) {
  const layout = layoutWorkflow(steps);
  const at = new Map(layout.nodes.map((n) => [n.step.name, n]));
  const width = layout.width + 2 * PAD;
  const height = layout.height + 2 * PAD;
  return (
    <div className="workflow" role="group" aria-label="Render steps">
      <div className="workflow-canvas" style={{ width, height }}>
        <svg width={width} height={height} aria-hidden="true" className="workflow-edges">
          <defs>
            <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L8,4 L0,8 z" />
            </marker>
          </defs>
          {layout.edges.map((e) => {
            const a = at.get(e.from);
            const b = at.get(e.to);
            if (!a || !b) return null;
            const x1 = a.x + a.width + PAD;
            const y1 = a.y + NODE_HEIGHT / 2 + PAD;
            const x2 = b.x + PAD - 2;
            const y2 = b.y + NODE_HEIGHT / 2 + PAD;
            const mx = (x1 + x2) / 2;
            const done = a.step.state === 'succeeded' || a.step.state === 'cached';
            return <path key={`${e.from}>${e.to}`} d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`} className={done ? 'edge done' : 'edge'} markerEnd="url(#arrow)" />;
          })}
        </svg>
        <ol className="workflow-steps">
          {layout.nodes.map((n) => (
            <StepNode key={n.step.name} node={n} />
          ))}
        </ol>
      </div>
    </div>
  );
}
