import dayjs from 'dayjs';

/** Calendar days from `today` to `due` (negative once it has passed). */
export function daysLeft(due: string, today: dayjs.Dayjs = dayjs()): number {
  return dayjs(due).startOf('day').diff(today.startOf('day'), 'day');
}

/** "还剩 3 天", "今日到期", "已超期 2 天". */
export function daysLeftText(days: number): string {
  if (days > 0) return `还剩 ${days} 天`;
  if (days === 0) return '今日到期';
  return `已超期 ${-days} 天`;
}
