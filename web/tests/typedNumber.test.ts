// A number typed into a field: taken, or refused with the reason.
import { describe, expect, it } from 'vitest';
import { readTypedNumber } from '../src/editor/typedNumber';

describe('readTypedNumber', () => {
  it('takes a number within the rules', () => {
    expect(readTypedNumber('12', { min: 0, integer: true })).toEqual({ ok: true, value: 12 });
  });

  it('says why it refuses one', () => {
    expect(readTypedNumber('', {})).toEqual({ ok: false, reason: 'Type a number' });
    expect(readTypedNumber('abc', {})).toEqual({ ok: false, reason: 'Type a number' });
    expect(readTypedNumber('-1', { min: 0 })).toEqual({ ok: false, reason: 'Must be 0 or more' });
    expect(readTypedNumber('1000', { max: 999 })).toEqual({ ok: false, reason: 'Must be 999 or less' });
    expect(readTypedNumber('2.5', { integer: true })).toEqual({ ok: false, reason: 'Must be a whole number' });
  });

  it('gives the field its own reason first', () => {
    expect(readTypedNumber('0', { min: 1, check: (n) => (n > 0 ? null : 'BPM must be more than 0') })).toEqual({ ok: false, reason: 'BPM must be more than 0' });
  });
});
