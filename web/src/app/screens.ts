// The workbench's screens as the menu lists them: path, name, who uses it, and its chunk.
// The API still decides what each officer may do; roles here only keep the menu short.
import type { ComponentType } from 'react';

export interface Screen {
  path: string;
  label: string;
  /** Roles that see it in the menu; empty: everyone. */
  roles: string[];
  load: () => Promise<ComponentType>;
}

export const SCREENS: Screen[] = [
  {
    path: '/',
    label: '工作台',
    roles: [],
    load: async () => (await import('../workbench/Workbench')).Workbench,
  },
];
