import { useMutation, useQuery } from '@apollo/client';
import { Button, Radio, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { useSession } from '../app/session';
import {
  AcknowledgeCollectiveAlertDocument,
  CollectiveAlertsDocument,
  type CollectiveAlertState,
  type CollectiveAlertsQuery,
} from '../graphql/graphql';
import { label } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';

type Alert = CollectiveAlertsQuery['collectiveAlerts']['edges'][number]['node'];
const day = (v: string) => dayjs(v).format('YYYY-MM-DD');

/** 集体访预警: groups of several people about one place or body, with their petitions; an officer
 * acknowledges an alert once the office acts on it. */
export function CollectiveAlerts() {
  const { office } = useSession();
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') ?? 'OPEN') as CollectiveAlertState;
  const { data, loading, error } = useQuery(CollectiveAlertsDocument, { variables: { state } });
  const [acknowledge, acknowledged] = useMutation(AcknowledgeCollectiveAlertDocument, {
    onError: () => undefined,
    refetchQueries: ['CollectiveAlerts'],
  });
  const page = data?.collectiveAlerts;
  return (
    <div>
      <Typography.Title level={3}>集体访预警</Typography.Title>
      <Radio.Group value={state} onChange={(e) => setParams({ state: e.target.value })} style={{ marginBottom: 16 }} aria-label="预警状态">
        <Radio.Button value="OPEN">待处理</Radio.Button>
        <Radio.Button value="ACKNOWLEDGED">已处理</Radio.Button>
      </Radio.Group>
      <ServiceErrors error={error ?? acknowledged.error} />
      <Table<Alert>
        rowKey="id"
        loading={loading && !data}
        pagination={false}
        dataSource={page?.edges.map((e) => e.node)}
        locale={{ emptyText: '没有预警' }}
        expandable={{
          expandedRowRender: (alert) => (
            <Table
              rowKey="petitionId"
              size="small"
              pagination={false}
              dataSource={alert.members}
              columns={[
                {
                  title: '编号',
                  render: (_, m) =>
                    m.office.code === office.code ? <Link to={`/petitions/${encodeURIComponent(m.petitionId)}`}>{m.reference}</Link> : m.reference,
                },
                { title: '单位', render: (_, m) => m.office.name },
                { title: '登记', render: (_, m) => day(m.registeredAt) },
              ]}
            />
          ),
        }}
        columns={[
          { title: '发生地 / 被反映对象', render: (_, a) => a.place || a.accusedBody },
          { title: '分类', render: (_, a) => a.category?.name ?? '—' },
          { title: '人数', dataIndex: 'peopleCount' },
          { title: '件数', dataIndex: 'petitionCount' },
          { title: '涉及单位', render: (_, a) => a.offices.map((o) => o.name).join('、') },
          { title: '时间', render: (_, a) => `${day(a.firstRegisteredAt)} 至 ${day(a.lastRegisteredAt)}` },
          { title: '本单位', render: (_, a) => <Tag>{label('CollectiveAlertRole', a.role)}</Tag> },
          {
            title: '处理',
            render: (_, a) =>
              a.state === 'OPEN' ? (
                <Button size="small" onClick={() => acknowledge({ variables: { alertId: a.id } })}>标记已处理</Button>
              ) : (
                '已处理'
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Typography.Text>共 {page?.totalCount ?? '—'} 组</Typography.Text>
      </Space>
    </div>
  );
}
