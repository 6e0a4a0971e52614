import { Spin, Tabs, Typography } from 'antd';
import { Suspense } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ADMIN_TABS } from './tabs';

/** 管理 (office admins): one tab per thing an admin runs (tabs.ts); the open tab is in the address. */
export function Admin() {
  const [params, setParams] = useSearchParams();
  const active = ADMIN_TABS.find((t) => t.key === params.get('tab'))?.key ?? ADMIN_TABS[0].key;
  return (
    <div>
      <Typography.Title level={3}>管理</Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key })}
        destroyInactiveTabPane
        items={ADMIN_TABS.map(({ key, label, Component }) => ({
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
