import { describe, expect, it } from 'vitest';
import { nextCursor, pageVariables } from './paging';

describe('pageVariables', () => {
  it('asks for the first page without a cursor', () => {
    expect(pageVariables({}, 50)).toEqual({ first: 50, after: undefined });
  });
  it('goes forward after a cursor and backward before one', () => {
    expect(pageVariables({ after: 'a' }, 50)).toEqual({ first: 50, after: 'a' });
    expect(pageVariables({ before: 'b' }, 50)).toEqual({ last: 50, before: 'b' });
  });
});

describe('nextCursor', () => {
  const pageInfo = { startCursor: 'first-row', endCursor: 'last-row' };
  it('pages on from the last row and back from the first', () => {
    expect(nextCursor('next', pageInfo)).toEqual({ after: 'last-row' });
    expect(nextCursor('previous', pageInfo)).toEqual({ before: 'first-row' });
  });
});
