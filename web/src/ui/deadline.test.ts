import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { daysLeft, daysLeftText } from './deadline';

describe('daysLeft', () => {
  const today = dayjs('2026-12-01T16:30:00');
  it('counts calendar days whatever the hour', () => {
    expect(daysLeft('2026-12-04', today)).toBe(3);
    expect(daysLeft('2026-12-01', today)).toBe(0);
    expect(daysLeft('2026-11-29', today)).toBe(-2);
  });
  it('says it in words', () => {
    expect(daysLeftText(3)).toBe('还剩 3 天');
    expect(daysLeftText(0)).toBe('今日到期');
    expect(daysLeftText(-2)).toBe('已超期 2 天');
  });
});
