// One line of 修改记录: what a change of the office's configuration changed, before and after.
import type { AdminSettingsChangeFragment } from '../graphql/graphql';
import { label } from '../ui/labels';
import { settingField } from './settingFields';

type DayEntry = AdminSettingsChangeFragment['dayBefore'];

const dayEntry = (entry: DayEntry) =>
  entry ? `${label('CalendarDayKind', entry.kind)}${entry.name ? `（${entry.name}）` : ''}` : '无（按全国安排）';

/** The item changed (a limit's name, or 节假日 and the day) and its value before and after. */
export function describeChange(change: AdminSettingsChangeFragment): { item: string; before: string; after: string } {
  if (change.kind === 'DAY') {
    return { item: `节假日 ${change.day}`, before: dayEntry(change.dayBefore), after: dayEntry(change.dayAfter) };
  }
  const { label: name, unit } = settingField(change.setting ?? '');
  const value = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v} ${unit}`.trim());
  return { item: name, before: value(change.limitBefore), after: value(change.limitAfter) };
}
