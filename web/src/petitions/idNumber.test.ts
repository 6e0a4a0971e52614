import { describe, expect, it } from 'vitest';
import { idNumberProblem } from './idNumber';

describe('idNumberProblem', () => {
  it('accepts valid numbers, with X as the check digit and in lower case too', () => {
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
    expect(idNumberProblem('330106198001010013')).toBeNull();
  });
  it('names what is wrong', () => {
    expect(idNumberProblem('3301061980')).toMatch('18 位');
    expect(idNumberProblem('330106198013010015')).toMatch('出生日期');
    expect(idNumberProblem('330106198001010017')).toMatch('校验位');
  });
});
