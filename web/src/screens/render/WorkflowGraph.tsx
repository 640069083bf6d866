// The render's workflow as its state machine: each step a box with its name in words (the
// technical name in its tooltip, for operators) and its state in words,
// a progress bar while it runs, attempts when it was retried, the class of worker that
// ran it and the worker time it took, and what went wrong with it; arrows for what needs what. Under the graph, every step's problem in full.
import type { Step } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { stateLabel } from '../../components/format';
import { layoutWorkflow, NODE_HEIGHT, type PlacedStep } from '../../workflow/layout';
import { describeStep, stepFraction, stepLabel, stepProblem, stepWorker } from '../../workflow/steps';

const PAD = 8;

function StepNode({ node }: { node: PlacedStep }) {
  const { step } = node;
  const f = stepFraction(step);
  const problem = stepProblem(step);
  const worker = stepWorker(step);
  const label = stepLabel(step);
  return (
    <li
      className={`step step-${step.state}`}
      style={{ left: node.x + PAD, top: node.y + PAD, width: node.width, height: NODE_HEIGHT }}
      data-step={step.name}
      data-state={step.state}
      aria-label={describeStep(step, label)}
      title={step.name}
    >
      <span className="step-name">{label}</span>
      <span className="step-state">
        {stateLabel(step.state)}
        {step.state === 'running' && f !== null ? ` ${Math.round(f * 100)} %` : ''}
        {step.attempts > 1 ? ` · try ${step.attempts}` : ''}
      </span>
      {step.state === 'running' || step.state === 'retrying' ? <ProgressBar value={f} label={`${label} progress`} slim /> : null}
      {worker ? (
        <span className="step-worker" data-worker-class={step.worker_class || undefined}>
          {worker}
        </span>
      ) : null}
      {problem ? (
        <span className="step-error" title={problem} aria-hidden="true">
          {problem}
        </span>
      ) : null}
    </li>
  );
}

/** Each step's problem in full words, next to the graph (the boxes have room for a line). */
function StepProblems({ steps }: { steps: Step[] }) {
  const problems = steps.flatMap((s) => {
    const problem = stepProblem(s);
    return problem ? [{ name: s.name, label: stepLabel(s), state: s.state, problem }] : [];
  });
  if (problems.length === 0) return null;
  return (
    <ul className="step-problems" aria-label="Step problems" aria-live="polite">
      {problems.map((p) => (
        <li key={p.name} className={`step-problem step-problem-${p.state}`} data-step={p.name}>
          {/* The technical name leads: operators search the logs for it (the box says it in words). */}
          <strong title={p.label}>{p.name}</strong>: {p.problem}
        </li>
      ))}
    </ul>
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
      <StepProblems steps={steps} />
    </div>
  );
}
