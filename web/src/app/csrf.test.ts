import { describe, expect, it } from 'vitest';
import { csrfToken } from './csrf';

describe('csrfToken', () => {
  it('reads the csrftoken cookie among others', () => {
    expect(csrfToken('sessionid=abc; csrftoken=T0k%3Den; theme=dark')).toBe('T0k=en');
  });
  it('is undefined before Django set the cookie', () => {
    expect(csrfToken('sessionid=abc')).toBeUndefined();
    expect(csrfToken('')).toBeUndefined();
  });
});
