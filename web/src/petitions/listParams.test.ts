import { describe, expect, it } from 'vitest';
import { pageVariables, parseListParams, petitionListVariables } from './listParams';

describe('parseListParams', () => {
  it('turns the address into the API filter', () => {
    const params = new URLSearchParams('status=ACCEPTED&status=IN_HANDLING&due=overdue&isRepeat=1&order=DUE_ASC');
    expect(parseListParams(params, 'me')).toEqual({
      filter: { statuses: ['ACCEPTED', 'IN_HANDLING'], overdue: true, isRepeat: true },
      orderBy: 'DUE_ASC',
      after: undefined,
      before: undefined,
    });
  });
  it('"mine" is the officer as handler', () => {
    expect(parseListParams(new URLSearchParams('mine=1&handler=other'), 'me').filter).toEqual({ handlerId: 'me' });
  });
  it('defaults to the newest registrations, the first page', () => {
    const parsed = parseListParams(new URLSearchParams(''), 'me');
    expect(parsed.orderBy).toBe('REGISTERED_DESC');
    expect(pageVariables(parsed)).toEqual({ first: 20, after: undefined });
  });
  it('pages backward to a cursor', () => {
    expect(pageVariables(parseListParams(new URLSearchParams('before=abc'), 'me'))).toEqual({ last: 20, before: 'abc' });
  });
});

describe('petitionListVariables', () => {
  it('are the query variables of the address, paging included', () => {
    expect(petitionListVariables(new URLSearchParams('status=ACCEPTED&after=c'), 'me')).toEqual({
      filter: { statuses: ['ACCEPTED'] },
      orderBy: 'REGISTERED_DESC',
      first: 20,
      after: 'c',
    });
  });
  it('cannot be told for "mine" before the officer is known (no preload then)', () => {
    expect(petitionListVariables(new URLSearchParams('mine=1'), null)).toBeNull();
    expect(petitionListVariables(new URLSearchParams('status=ACCEPTED'), null)).toEqual(
      petitionListVariables(new URLSearchParams('status=ACCEPTED'), 'me'),
    );
  });
});
