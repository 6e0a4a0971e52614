import { describe, expect, it } from 'vitest';
import { pageVariables, parseListParams } from './listParams';

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
