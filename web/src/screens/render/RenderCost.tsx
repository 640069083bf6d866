// The render's cost, folded away under "Cost details": the page is about the video, and
// these figures are for operators (what it cost, what it would have cost on regular
// workers only, work redone after preemptions, and what the cache saved).
import type { RenderCost as Cost } from '../../api/types';
import { costSummary } from '../../workflow/cost';

export function RenderCost({ cost }: { cost: Cost }) {
  const s = costSummary(cost);
  return (
    <details className="small render-cost-details">
      <summary>Cost details</summary>
      <p className="render-cost" data-testid="render-cost">
        Cost <strong>{s.cost}</strong> (all regular workers: {s.allRegular}
        {s.savingPercent === null ? '' : `, ${s.savingPercent} % saved`}) · {s.preemptibleShare} % on preemptible workers · redone {s.redoneSeconds} · cache saved {s.savedSeconds}
      </p>
    </details>
  );
}
