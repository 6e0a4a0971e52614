import { useQuery } from '@apollo/client';
import { Button, Checkbox, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { PetitionListDocument, type PetitionRowFragment } from '../graphql/graphql';
import { useSession } from '../app/session';
import { DeadlineTag } from '../ui/DeadlineTag';
import { label, options } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';
import { usePreloaded } from '../app/preload';
import { FLAGS, petitionListVariables } from './listParams';

const FLAG_NAMES: Record<(typeof FLAGS)[number], string> = {
  isRepeat: '重复访',
  isSkipLevel: '越级访',
  isCollective: '集体访',
  isAccusation: '检举控告',
};

const columns: ColumnsType<PetitionRowFragment> = [
  {
    title: '编号',
    dataIndex: 'reference',
    render: (reference: string, p) => <Link to={`/petitions/${encodeURIComponent(p.id)}`}>{reference}</Link>,
  },
  {
    title: '信访人',
    render: (_, p) => {
      const names = p.petitioners.map((x) => x.name);
      return names.length > 2 ? `${names.slice(0, 2).join('、')} 等 ${names.length} 人` : names.join('、');
    },
  },
  { title: '渠道', dataIndex: 'channel', render: (v: string) => label('Channel', v) },
  { title: '分类', render: (_, p) => p.category.name || p.category.code },
  { title: '状态', dataIndex: 'status', render: (v: string) => <Tag>{label('PetitionStatus', v)}</Tag> },
  { title: '登记时间', dataIndex: 'registeredAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
  { title: '期限', render: (_, p) => <DeadlineTag due={p.nextDue} state={p.dueState} /> },
  { title: '承办人', render: (_, p) => p.handler?.fullName ?? '—' },
  {
    title: '标记',
    render: (_, p) => FLAGS.filter((f) => p[f]).map((f) => <Tag key={f} color="purple">{FLAG_NAMES[f]}</Tag>),
  },
];

/** 信访件: the office's petitions — filters in the address, keyset pages, totals. */
export function PetitionList() {
  const { officer } = useSession();
  const [params, setParams] = useSearchParams();
  const variables = petitionListVariables(params, officer.id)!;
  const { data, loading, error } = useQuery(PetitionListDocument, {
    variables,
    ...usePreloaded(PetitionListDocument, variables),
  });
  const page = data?.petitions;

  function set(name: string, values: string[] | string | boolean | undefined) {
    const next = new URLSearchParams(params);
    next.delete(name);
    next.delete('after');
    next.delete('before');
    for (const v of [values].flat()) if (v) next.append(name, v === true ? '1' : String(v));
    setParams(next);
  }
  function go(cursor: 'after' | 'before', value: string | null | undefined) {
    const next = new URLSearchParams(params);
    next.delete('after');
    next.delete('before');
    if (value) next.set(cursor, value);
    setParams(next);
  }

  return (
    <div>
      <Typography.Title level={3}>信访件</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} aria-label="筛选">
        <Form.Item label="状态" htmlFor="filter-status">
          <Select id="filter-status" mode="multiple" allowClear style={{ minWidth: 180 }} placeholder="全部"
            value={params.getAll('status')} options={options('PetitionStatus')} onChange={(v) => set('status', v)} />
        </Form.Item>
        <Form.Item label="渠道" htmlFor="filter-channel">
          <Select id="filter-channel" mode="multiple" allowClear style={{ minWidth: 140 }} placeholder="全部"
            value={params.getAll('channel')} options={options('Channel')} onChange={(v) => set('channel', v)} />
        </Form.Item>
        <Form.Item label="分类" htmlFor="filter-category">
          <Select id="filter-category" mode="multiple" allowClear style={{ minWidth: 180 }} placeholder="全部"
            showSearch optionFilterProp="label" value={params.getAll('category')}
            options={data?.categories.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))}
            onChange={(v) => set('category', v)} />
        </Form.Item>
        <Form.Item label="期限" htmlFor="filter-due">
          <Select id="filter-due" allowClear style={{ width: 140 }} placeholder="全部" value={params.get('due')}
            options={[{ value: 'soon', label: '3 日内到期' }, { value: 'overdue', label: '已超期' }]}
            onChange={(v) => set('due', v)} />
        </Form.Item>
        <Form.Item label="承办人" htmlFor="filter-handler">
          <Select id="filter-handler" allowClear style={{ width: 140 }} placeholder="全部"
            disabled={!!params.get('mine')} value={params.get('handler')}
            options={data?.officers.edges.map(({ node }) => ({ value: node.id, label: node.fullName || node.username }))}
            onChange={(v) => set('handler', v)} />
        </Form.Item>
        <Form.Item label="排序" htmlFor="filter-order">
          <Select id="filter-order" style={{ width: 150 }} value={variables.orderBy}
            options={[
              { value: 'REGISTERED_DESC', label: '登记时间（新→旧）' },
              { value: 'REGISTERED_ASC', label: '登记时间（旧→新）' },
              { value: 'DUE_ASC', label: '期限（近→远）' },
            ]}
            onChange={(v) => set('order', v === 'REGISTERED_DESC' ? undefined : v)} />
        </Form.Item>
        <Form.Item>
          <Checkbox checked={!!params.get('mine')} onChange={(e) => set('mine', e.target.checked)}>我承办的</Checkbox>
          {FLAGS.map((f) => (
            <Checkbox key={f} checked={!!params.get(f)} onChange={(e) => set(f, e.target.checked)}>
              {FLAG_NAMES[f]}
            </Checkbox>
          ))}
        </Form.Item>
      </Form>
      <ServiceErrors error={error} />
      <Table<PetitionRowFragment>
        rowKey="id"
        size="middle"
        loading={loading && !data}
        columns={columns}
        dataSource={page?.edges.map((e) => e.node)}
        pagination={false}
        onRow={() => ({ 'data-testid': 'petition-row' }) as React.HTMLAttributes<HTMLElement>}
      />
      <Space style={{ marginTop: 16 }}>
        <Typography.Text data-testid="total-count">共 {page?.totalCount ?? '—'} 件</Typography.Text>
        <Button disabled={!page?.pageInfo.hasPreviousPage} onClick={() => go('before', page?.pageInfo.startCursor)}>
          上一页
        </Button>
        <Button disabled={!page?.pageInfo.hasNextPage} onClick={() => go('after', page?.pageInfo.endCursor)}>
          下一页
        </Button>
      </Space>
    </div>
  );
}
