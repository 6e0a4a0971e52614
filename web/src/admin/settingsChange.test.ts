import { describe, expect, it } from 'vitest';
import type { AdminSettingsChangeFragment } from '../graphql/graphql';
import { describeChange } from './settingsChange';

const change = (fields: Partial<AdminSettingsChangeFragment>): AdminSettingsChangeFragment => ({
  at: '2026-12-01T10:00:00+00:00',
  kind: 'LIMIT',
  setting: null,
  day: null,
  limitBefore: null,
  limitAfter: null,
  dayBefore: null,
  dayAfter: null,
  by: null,
  ...fields,
});

describe('describeChange', () => {
  it('names a limit as the settings form does, with its unit', () => {
    expect(describeChange(change({ setting: 'handlingDays', limitBefore: 60, limitAfter: 45 }))).toEqual({
      item: '办理期限',
      before: '60 日',
      after: '45 日',
    });
    expect(describeChange(change({ setting: 'collectiveMinPeople', limitBefore: 5, limitAfter: 8 })).after).toBe('8 人');
  });
  it("shows a day's entry before and after, none being the national calendar", () => {
    const added = change({ kind: 'DAY', day: '2026-12-19', dayAfter: { kind: 'HOLIDAY', name: '地方节日' } });
    expect(describeChange(added)).toEqual({ item: '节假日 2026-12-19', before: '无（按全国安排）', after: '放假（地方节日）' });
    const workday = change({ kind: 'DAY', day: '2026-12-19', dayBefore: { kind: 'WORKDAY', name: '' } });
    expect(describeChange(workday).before).toBe('调休上班');
  });
});
