import { useQuery, type TypedDocumentNode } from '@apollo/client';
import { Button, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import {
  HandoffInboxDocument,
  HandoffOutboxDocument,
  type HandoffPageFragment,
  type HandoffRowFragment,
  type HandoffStatus,
} from '../graphql/graphql';
import { label, options } from '../ui/labels';
import { useSession } from '../app/session';
import { ServiceErrors } from '../ui/ServiceErrors';
import { HandoffActions } from './HandoffActions';

type Page = { [field: string]: HandoffPageFragment };
type Vars = { statuses?: HandoffStatus[]; after?: string };

// The inbox also lists the objections this office decides, as sender or common superior.
const BOXES: { key: string; title: string; document: TypedDocumentNode<Page, Vars>; field: string }[] = [
  { key: 'inbox', title: '收件箱（含待裁决异议）', document: HandoffInboxDocument as never, field: 'handoffInbox' },
  { key: 'outbox', title: '发件箱', document: HandoffOutboxDocument as never, field: 'handoffOutbox' },
];

const day = (v: string | null | undefined) => (v ? dayjs(v).format('YYYY-MM-DD') : '—');

/** 转办: handoffs received (签收, 异议, 报告办理结果) with the objections this office decides,
 * and those it sent. */
export function Handoffs() {
  const [params, setParams] = useSearchParams();
  const box = BOXES.find((b) => b.key === params.get('box')) ?? BOXES[0];
  return (
    <div>
      <Typography.Title level={3}>转办</Typography.Title>
      <Tabs
        activeKey={box.key}
        onChange={(key) => setParams({ box: key })}
        items={BOXES.map((b) => ({ key: b.key, label: b.title }))}
      />
      <HandoffTable key={box.key} box={box} />
    </div>
  );
}

function HandoffTable({ box }: { box: (typeof BOXES)[number] }) {
  const [params, setParams] = useSearchParams();
  const statuses = params.getAll('status') as HandoffStatus[];
  const after = params.get('after') ?? undefined;
  const { office } = useSession();
  const { data, loading, error } = useQuery(box.document, {
    variables: { statuses: statuses.length ? statuses : undefined, after },
  });
  const page = data?.[box.field];
  const ourPetition = (h: HandoffRowFragment) =>
    h.receiverOffice.code === office.code
      ? [h.receiverPetitionId, h.receiverReference]
      : h.senderOffice.code === office.code
        ? [h.senderPetitionId, h.senderReference]
        : [null, `${h.senderReference} / ${h.receiverReference}`];

  return (
    <>
      {(
        <Space style={{ marginBottom: 12 }}>
          <label htmlFor="handoff-status">状态</label>
          <Select
            id="handoff-status"
            mode="multiple"
            allowClear
            style={{ minWidth: 220 }}
            placeholder="全部"
            value={statuses}
            options={options('HandoffStatus')}
            onChange={(v) => setParams({ box: box.key, ...(v.length ? { status: v } : {}) })}
          />
        </Space>
      )}
      <ServiceErrors error={error} />
      <Table<HandoffRowFragment>
        rowKey="id"
        size="middle"
        loading={loading && !data}
        pagination={false}
        dataSource={page?.edges.map((e) => e.node)}
        onRow={() => ({ 'data-testid': 'handoff-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '类型', render: (_, h) => <Tag color="geekblue">{label('HandoffKind', h.kind)}</Tag> },
          {
            title: '本单位信访件',
            render: (_, h) => {
              const [id, reference] = ourPetition(h);
              return id ? <Link to={`/petitions/${encodeURIComponent(id)}`}>{reference}</Link> : reference || '—';
            },
          },
          { title: '转出 → 接收', render: (_, h) => `${h.senderOffice.name} → ${h.receiverOffice.name}` },
          { title: '裁决单位', render: (_, h) => (h.status === 'OBJECTED' || h.status === 'DISPUTED' ? h.deciderOffice?.name : '') },
          { title: '理由', dataIndex: 'reason', ellipsis: true },
          { title: '时间', render: (_, h) => day(h.createdAt) },
          {
            title: '期限',
            render: (_, h) =>
              h.status === 'PENDING' ? `签收 ${day(h.acceptDue)} · 异议 ${day(h.objectionDue)}` : h.dueDate ? `报告 ${day(h.dueDate)}` : '—',
          },
          { title: '状态', render: (_, h) => <Tag data-testid="handoff-status">{label('HandoffStatus', h.status)}</Tag> },
          { title: '操作', render: (_, h) => <HandoffActions handoff={h} /> },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Typography.Text>共 {page?.totalCount ?? '—'} 件</Typography.Text>
        <Button
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() => setParams({ box: box.key, after: page?.pageInfo.endCursor ?? '' })}
        >
          下一页
        </Button>
      </Space>
    </>
  );
}
