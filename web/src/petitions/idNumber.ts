// 居民身份证号码 (GB 11643-1999) as it is typed: 18 characters, a real birth date, the check digit.
// The service checks it again (INVALID_ID_NUMBER); this only tells the registrar at once.
import dayjs from 'dayjs';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Why the number is not valid, or null when it is. */
export function idNumberProblem(value: string): string | null {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号码应为 18 位（最后一位可为 X）';
  const birth = dayjs(id.slice(6, 14), 'YYYYMMDD');
  if (!birth.isValid() || birth.format('YYYYMMDD') !== id.slice(6, 14) || birth.isAfter(dayjs())) {
    return '身份证号码中的出生日期无效';
  }
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) return '身份证号码校验位不正确，请核对';
  return null;
}
