// The tabs of 管理, in order: one line each. A tab is a file of this folder whose default export is
// its component (loaded when the tab opens; it runs its own one query). Admins see every tab; the
// roles of a tab are who else uses it (the API still decides).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from '../graphql/graphql';

export interface AdminTab {
  key: string;
  label: string;
  Component: LazyExoticComponent<ComponentType>;
  roles: Role[];
}

const tab = (key: string, label: string, load: () => Promise<{ default: ComponentType }>, roles: Role[] = []): AdminTab => ({
  key,
  label,
  Component: lazy(load),
  roles,
});

export const ADMIN_TABS: AdminTab[] = [
  tab('officers', '人员', () => import('./OfficersTab')),
  tab('tokens', 'API 令牌', () => import('./TokensTab')),
  tab('settings', '期限设置', () => import('./SettingsTab')),
  tab('calendar', '节假日', () => import('./CalendarTab')),
  tab('changes', '修改记录', () => import('./ChangesTab')),
  tab('guide', '信访指南', () => import('./GuideTab')),
  tab('templates', '告知模板', () => import('./NoticeTemplatesTab'), ['LEADER']),
];
