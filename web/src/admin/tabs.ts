// The tabs of 管理, in order: one line each. A tab is a file of this folder whose default export is
// its component (loaded when the tab opens; it runs its own one query).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface AdminTab {
  key: string;
  label: string;
  Component: LazyExoticComponent<ComponentType>;
}

const tab = (key: string, label: string, load: () => Promise<{ default: ComponentType }>): AdminTab => ({
  key,
  label,
  Component: lazy(load),
});

export const ADMIN_TABS: AdminTab[] = [
  tab('officers', '人员', () => import('./OfficersTab')),
  tab('tokens', 'API 令牌', () => import('./TokensTab')),
  tab('settings', '期限设置', () => import('./SettingsTab')),
  tab('calendar', '节假日', () => import('./CalendarTab')),
  tab('guide', '信访指南', () => import('./GuideTab')),
];
