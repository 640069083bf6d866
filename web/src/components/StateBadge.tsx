const LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  waiting: 'Waiting',
  ready: 'Ready',
  cached: 'Cached',
  retrying: 'Retrying',
  none: 'Not rendered',
};

export const stateLabel = (state: string): string => LABELS[state] ?? state;

/** A render's or a step's state as a word and a colour (never colour alone). */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge badge-${state}`} data-state={state}>
      {stateLabel(state)}
    </span>
  );
}
