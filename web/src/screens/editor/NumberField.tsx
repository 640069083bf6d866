import { useEffect, useState } from 'react';

interface Props {
  label: string;
  value: number;
  onCommit: (value: number) => void;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
  error?: string | null;
  id: string;
  integer?: boolean;
}

/** A number typed freely and applied on Enter or when leaving the field (one undo step). */
export function NumberField({ label, value, onCommit, min, max, step, disabled, error, id, integer }: Props) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = (): void => {
    const n = Number(text);
    const ok = text.trim() !== '' && Number.isFinite(n) && (min === undefined || n >= min) && (max === undefined || n <= max) && (!integer || Number.isInteger(n));
    if (ok && n !== value) onCommit(n);
    else if (!ok) setText(String(value));
  };
  return (
    <label className="field" htmlFor={id}>
      {label}
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <span className="error small" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}
