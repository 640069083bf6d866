// The address bar matches the screen: signed in, /signin shows Home and says "/".
import { describe, expect, it } from 'vitest';
import { replacementPath } from '../src/app/redirects';

describe('replacementPath', () => {
  it('replaces /signin with / once signed in', () => {
    expect(replacementPath('/signin', true)).toBe('/');
  });

  it('leaves /signin while signed out, and every other address', () => {
    expect(replacementPath('/signin', false)).toBeNull();
    expect(replacementPath('/', true)).toBeNull();
    expect(replacementPath('/renders', true)).toBeNull();
  });
});
