import { stateLabel } from './format';

/** A render's or a step's state as a word and a colour (never colour alone). */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {stateLabel(state)}
    </span>
  );
}
