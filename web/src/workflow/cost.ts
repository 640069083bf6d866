// What a render cost, in the words the render view shows: the cost against the same work
// on regular workers only, the share done on preemptible workers, work redone, cache savings.
import type { RenderCost } from '../api/types';

export interface CostSummary {
  cost: string;
  allRegular: string;
  /** How much cheaper than all-regular, in whole percent; null while nothing was charged. */
  savingPercent: number | null;
  preemptibleShare: number;
  redoneSeconds: string;
  savedSeconds: string;
}

const money = (value: number): string => value.toFixed(value < 1 ? 4 : 2);
const seconds = (value: number): string => `${value.toFixed(1)} s`;

export function costSummary(c: RenderCost): CostSummary {
  const worked = c.regular_seconds + c.preemptible_seconds;
  return {
    cost: money(c.cost),
    allRegular: money(c.all_regular_cost),
    savingPercent: c.all_regular_cost > 0 ? Math.round((1 - c.cost / c.all_regular_cost) * 100) : null,
    preemptibleShare: worked > 0 ? Math.round((c.preemptible_seconds / worked) * 100) : 0,
    redoneSeconds: seconds(c.lost_seconds),
    savedSeconds: seconds(c.saved_seconds),
  };
}
