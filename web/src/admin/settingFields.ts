// The office's limits as 管理 names them: the settings form and the audit of its changes.
import type { AdminSettingsQuery } from '../graphql/graphql';

type Settings = AdminSettingsQuery['officeSettings'];

/** Every limit the office configures, in the order of a petition's path; the API says (and checks)
 * the bounds of each (a limit never longer than the Regulations allow). */
export const SETTING_FIELDS: { name: Exclude<keyof Settings, '__typename'>; label: string; unit: string }[] = [
  { name: 'routeDays', label: '登记后交办期限', unit: '日' },
  { name: 'acceptDays', label: '受理告知期限', unit: '日' },
  { name: 'handlingDays', label: '办理期限', unit: '日' },
  { name: 'maxExtensionDays', label: '最长延期', unit: '日' },
  { name: 'reviewRequestDays', label: '申请复查期限', unit: '日' },
  { name: 'reviewDays', label: '复查（复核）期限', unit: '日' },
  { name: 'receivedMaxDaysBack', label: '收信日期最多可追溯', unit: '日' },
  { name: 'assignMaxDays', label: '交办报告期限上限', unit: '日' },
  { name: 'orderMaxDays', label: '督办回复期限上限', unit: '日' },
  { name: 'collectiveMinPeople', label: '集体访预警人数', unit: '人' },
  { name: 'collectiveWindowDays', label: '集体访预警时段', unit: '日' },
];

/** A limit's name and unit by its OfficeSettings field (`handlingDays`); unknown: the field. */
export function settingField(name: string): { label: string; unit: string } {
  return SETTING_FIELDS.find((f) => f.name === name) ?? { label: name, unit: '' };
}
