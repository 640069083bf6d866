import { useEffect, useState } from 'react';
import { readTypedNumber } from '../../editor/typedNumber';

interface Props {
  label: string;
  value: number;
  /** Applies the value; returns what to tell the musician when the editor adjusted it. */
  onCommit: (value: number) => string | null | void;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
  /** Something wrong with the value that the musician must fix (the server's word, or a check's). */
  error?: string | null;
  /** Something to know about the value, which still works. */
  warning?: string | null;
  /** A further rule: the reason the field refuses `n`, or null. */
  check?: (n: number) => string | null;
  id: string;
  integer?: boolean;
}

/** Why the last typed value was refused or adjusted; `value`: the field's value it speaks of. */
interface Note {
  text: string;
  value?: number;
}

/**
 * A number typed freely and applied on Enter or when leaving the field (one undo step).
 * A value refused or adjusted says why next to the field, until the musician types again or
 * the value changes another way (undo, a drag).
 */
export function NumberField({ label, value, onCommit, min, max, step, disabled, error, warning, check, id, integer }: Props) {
  const [text, setText] = useState(String(value));
  const [note, setNote] = useState<Note | null>(null);
  useEffect(() => setText(String(value)), [value]);
  // An adjusted value arrives with the render after the commit: the note speaks of that one.
  useEffect(() => {
    if (note && note.value === undefined) setNote({ ...note, value });
  }, [note, value]);
  const commit = (): void => {
    const typed = readTypedNumber(text, { min, max, integer, check });
    if (!typed.ok) {
      setText(String(value));
      setNote({ text: typed.reason, value });
      return;
    }
    if (typed.value === value) return;
    const said = onCommit(typed.value);
    setNote(said ? { text: said } : null);
  };
  const shownNote = note && (note.value === undefined || note.value === value) ? note.text : null;
  const aside = shownNote ?? warning ?? null;
  const described = [error ? `${id}-error` : '', aside ? `${id}-note` : ''].filter(Boolean).join(' ');
  return (
    <label className="field" htmlFor={id}>
      <span id={`${id}-label`}>{label}</span>
      <input
        id={id}
        aria-labelledby={`${id}-label`}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          setNote(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {error ? (
        <span className="error small" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
      {aside ? (
        <span className={`${shownNote ? 'field-note' : 'field-warning'} small`} id={`${id}-note`} role="status">
          {aside}
        </span>
      ) : null}
    </label>
  );
}
