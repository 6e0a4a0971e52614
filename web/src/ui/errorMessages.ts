// The service's stable error codes (extensions.code) in the words an officer reads: the ErrorCode
// enum's descriptions in the schema (platform/errors.py is the catalogue), generated, never copied.
import { ERROR_MESSAGES } from '../graphql/labels';

/** Network failures have no code of the service's; say them here. */
const CLIENT_MESSAGES: Record<string, string> = {
  NETWORK: '无法连接服务器，请检查网络',
};

export function errorMessage(code: string | undefined, fallback?: string): string {
  return (code && (ERROR_MESSAGES[code] ?? CLIENT_MESSAGES[code])) || fallback || ERROR_MESSAGES.INTERNAL_ERROR || '系统错误';
}
