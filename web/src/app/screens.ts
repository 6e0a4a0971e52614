// The workbench's screens as the menu lists them: path, name, who uses it, and its chunk.
// The API still decides what each officer may do; roles here only keep the menu short.
import type { ComponentType } from 'react';
import type { Role } from '../graphql/graphql';

export interface Screen {
  path: string;
  label: string;
  /** Roles that see it in the menu; empty: everyone. */
  roles: Role[];
  load: () => Promise<ComponentType>;
}

export const SCREENS: Screen[] = [
  {
    path: '/',
    label: '工作台',
    roles: [],
    load: async () => (await import('../workbench/Workbench')).Workbench,
  },
  {
    path: '/petitions',
    label: '信访件',
    roles: [],
    load: async () => (await import('../petitions/PetitionList')).PetitionList,
  },
  {
    path: '/petitions/new',
    label: '登记',
    roles: ['REGISTRAR', 'LEADER'],
    load: async () => (await import('../petitions/RegisterPetition')).RegisterPetition,
  },
  {
    path: '/handoffs',
    label: '转办',
    roles: [],
    load: async () => (await import('../handoffs/Handoffs')).Handoffs,
  },
  {
    path: '/search',
    label: '检索',
    roles: [],
    load: async () => (await import('../search/Search')).Search,
  },
  {
    path: '/alerts',
    label: '集体访预警',
    roles: [],
    load: async () => (await import('../search/CollectiveAlerts')).CollectiveAlerts,
  },
  {
    path: '/statistics',
    label: '统计',
    roles: ['LEADER', 'SUPERVISOR'],
    load: async () => (await import('../statistics/Statistics')).Statistics,
  },
  {
    // Not /admin: that is Django's admin.
    path: '/manage',
    label: '管理',
    roles: ['ADMIN', 'LEADER'], // leaders: the notice templates (告知模板) only
    load: async () => (await import('../admin/Admin')).Admin,
  },
];
