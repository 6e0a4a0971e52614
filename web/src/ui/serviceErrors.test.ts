import { ApolloError } from '@apollo/client';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { serviceErrors, splitByField } from './serviceErrors';

const apolloError = (...errors: GraphQLError[]) => new ApolloError({ graphQLErrors: errors });

describe('serviceErrors', () => {
  it('shows the code in Chinese and keeps the field it names', () => {
    const error = apolloError(
      new GraphQLError('bad id', { extensions: { code: 'INVALID_ID_NUMBER', field: 'idNumber' } }),
    );
    expect(serviceErrors(error)).toEqual([
      { code: 'INVALID_ID_NUMBER', field: 'idNumber', message: '身份证号码无效' },
    ]);
  });

  it("falls back to the service's message for a code it does not know", () => {
    const error = apolloError(new GraphQLError('something new', { extensions: { code: 'BRAND_NEW' } }));
    expect(serviceErrors(error)[0].message).toBe('something new');
  });

  it('reads the code of a rejected request (CSRF) from the response body', () => {
    const networkError = Object.assign(new Error('403'), {
      statusCode: 403,
      result: { errors: [{ extensions: { code: 'CSRF_FAILED' } }] },
    });
    expect(serviceErrors(new ApolloError({ networkError }))[0]).toMatchObject({ code: 'CSRF_FAILED' });
  });

  it('says the server cannot be reached when nothing answered', () => {
    const error = new ApolloError({ networkError: new TypeError('Failed to fetch') });
    expect(serviceErrors(error)[0].message).toBe('无法连接服务器，请检查网络');
  });
});

describe('splitByField', () => {
  it("puts errors by the form's fields and the rest apart", () => {
    const errors = [
      { code: 'REQUIRED', field: 'reason', message: '此项必填' },
      { code: 'STALE_VERSION', field: 'version', message: '已被更新' },
      { code: 'PERMISSION_DENIED', message: '无权' },
    ];
    const { byField, general } = splitByField(errors, ['reason', 'note']);
    expect(byField).toEqual({ reason: ['此项必填'] });
    expect(general.map((e) => e.code)).toEqual(['STALE_VERSION', 'PERMISSION_DENIED']);
  });
});
