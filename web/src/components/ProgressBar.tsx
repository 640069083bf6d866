/** A labelled progress bar; `value` 0..1, or null while unknown. */
export function ProgressBar({ value, label, slim }: { value: number | null; label: string; slim?: boolean }) {
  return (
    <progress
      className={slim ? 'progress slim' : 'progress'}
      max={1}
      value={value ?? undefined}
      aria-label={label}
      aria-valuetext={value === null ? 'in progress' : `${Math.round(value * 100)} percent`}
    />
  );
}
