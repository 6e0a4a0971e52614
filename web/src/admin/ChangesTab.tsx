import { useQuery } from '@apollo/client';
import { Table } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { AdminSettingsChangesDocument, type AdminSettingsChangeFragment } from '../graphql/graphql';
import { Pager } from '../ui/Pager';
import { pageVariables, type Cursor } from '../ui/paging';
import { ServiceErrors } from '../ui/ServiceErrors';
import { describeChange } from './settingsChange';

const PAGE_SIZE = 50;

/** 修改记录: every change of the office's limits and of its own calendar days, newest first — who,
 * when, the value before and after (written by the services with the change itself). */
export default function ChangesTab() {
  const [cursor, setCursor] = useState<Cursor>({});
  // Read afresh whenever the tab opens: the changes made in the other tabs since are the point.
  const { data, loading, error } = useQuery(AdminSettingsChangesDocument, {
    variables: pageVariables(cursor, PAGE_SIZE),
    fetchPolicy: 'cache-and-network',
  });
  const page = data?.settingsChanges;
  return (
    <div>
      <ServiceErrors error={error} />
      <Table<AdminSettingsChangeFragment & { key: number }>
        loading={loading && !data}
        pagination={false}
        dataSource={page?.edges.map((e, key) => ({ ...e.node, key }))}
        locale={{ emptyText: '没有修改记录' }}
        onRow={() => ({ 'data-testid': 'settings-change' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '时间', render: (_, c) => dayjs(c.at).format('YYYY-MM-DD HH:mm:ss') },
          { title: '人员', render: (_, c) => (c.by ? `${c.by.fullName || c.by.username}（${c.by.username}）` : '—') },
          { title: '项目', render: (_, c) => describeChange(c).item },
          { title: '修改前', render: (_, c) => describeChange(c).before },
          { title: '修改后', render: (_, c) => describeChange(c).after },
        ]}
      />
      <Pager name="修改记录" total={page?.totalCount} unit="条" pageInfo={page?.pageInfo} onMove={setCursor} />
    </div>
  );
}
