import { Spin, Tabs, Typography } from 'antd';
import { Suspense } from 'react';
import { useSearchParams } from 'react-router-dom';
import { hasRole, useSession } from '../app/session';
import { ADMIN_TABS } from './tabs';

/** 管理 (office admins; leaders see the tabs they use): one tab per thing an admin runs (tabs.ts);
 * the open tab is in the address. */
export function Admin() {
  const { officer } = useSession();
  const [params, setParams] = useSearchParams();
  const tabs = ADMIN_TABS.filter((t) => hasRole(officer, ...t.roles));
  const active = tabs.find((t) => t.key === params.get('tab'))?.key ?? tabs[0].key;
  return (
    <div>
      <Typography.Title level={3}>管理</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key })}
        destroyInactiveTabPane
        items={tabs.map(({ key, label, Component }) => ({
          key,
          label,
          children: (
            <Suspense fallback={<Spin />}>
              <Component />
            </Suspense>
          ),
        }))}
      />
    </div>
  );
}
