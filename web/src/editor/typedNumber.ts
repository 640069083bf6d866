// A number typed into a field, read as the musician meant it or refused with the reason in
// a few words (a refused value is never dropped silently).

export interface NumberRules {
  min?: number;
  max?: number;
  integer?: boolean;
  /** A further rule of the field: the reason it refuses `n`, or null. */
  check?: (n: number) => string | null;
}

export type TypedNumber = { ok: true; value: number } | { ok: false; reason: string };

export function readTypedNumber(text: string, { min, max, integer, check }: NumberRules): TypedNumber {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return { ok: false, reason: 'Type a number' };
  const own = check?.(n);
  if (own) return { ok: false, reason: own };
  if (min !== undefined && n < min) return { ok: false, reason: `Must be ${min} or more` };
  if (max !== undefined && n > max) return { ok: false, reason: `Must be ${max} or less` };
  if (integer && !Number.isInteger(n)) return { ok: false, reason: 'Must be a whole number' };
  return { ok: true, value: n };
}
