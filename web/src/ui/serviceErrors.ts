import type { ApolloError } from '@apollo/client';
import { errorMessage } from './errorMessages';

/** One error of the service: its stable code, the input field it names (if any), in Chinese. */
export interface ServiceError {
  code: string;
  field?: string;
  message: string;
}

/** The service's typed errors out of an Apollo error; a network failure is one error too. */
export function serviceErrors(error: ApolloError | undefined | null): ServiceError[] {
  if (!error) return [];
  if (error.graphQLErrors.length) {
    return error.graphQLErrors.map((e) => {
      const code = String(e.extensions?.code ?? 'INTERNAL_ERROR');
      const field = e.extensions?.field ? String(e.extensions.field) : undefined;
      return { code, field, message: errorMessage(code, e.message) };
    });
  }
  const status = (error.networkError as { statusCode?: number } | null)?.statusCode;
  const result = (error.networkError as { result?: { errors?: { extensions?: { code?: string } }[] } } | null)?.result;
  const code = result?.errors?.[0]?.extensions?.code;
  if (code) return [{ code, message: errorMessage(code) }];
  return [{ code: 'NETWORK', message: status ? `服务器错误（${status}）` : errorMessage('NETWORK') }];
}

/** Split errors into those a form shows next to one of its fields and the rest. */
export function splitByField(errors: ServiceError[], fields: readonly string[]) {
  const byField: Record<string, string[]> = {};
  const general: ServiceError[] = [];
  for (const error of errors) {
    if (error.field && fields.includes(error.field)) {
      (byField[error.field] ??= []).push(error.message);
    } else {
      general.push(error);
    }
  }
  return { byField, general };
}
