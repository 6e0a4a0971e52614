import { useQuery } from '@apollo/client';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import {
  AdminTokensDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
  TokenOfficerOptionsDocument,
  type AdminTokensQuery,
  type CreateApiTokenMutation,
} from '../graphql/graphql';
import { label, options } from '../ui/labels';
import { MutationForm } from '../ui/MutationForm';
import { Pager } from '../ui/Pager';
import { pageVariables, type Cursor } from '../ui/paging';
import { ServiceErrors } from '../ui/ServiceErrors';

type Token = AdminTokensQuery['apiTokens']['edges'][number]['node'];
const REFETCH = ['AdminTokens'];
const PAGE_SIZE = 50;
const required = (message: string) => [{ required: true, message }];
const time = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** API 令牌: the tokens integrations use (e.g. the 12345 hotline), newest first in pages of 50,
 * issued for an officer with some of their roles; the secret is shown once, when it is issued. */
export default function TokensTab() {
  const [cursor, setCursor] = useState<Cursor>({});
  const { data, loading, error } = useQuery(AdminTokensDocument, { variables: pageVariables(cursor, PAGE_SIZE) });
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  return (
    <div>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)}>
          签发令牌
        </Button>
      </Space>
      {issued && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setIssued(null)}
          style={{ marginBottom: 16 }}
          message="令牌已签发，只显示这一次，请立即复制保存"
          description={<Typography.Text copyable code data-testid="issued-token">{issued}</Typography.Text>}
        />
      )}
      <ServiceErrors error={error} />
      <Table<Token>
        rowKey="id"
        loading={loading && !data}
        pagination={false}
        dataSource={data?.apiTokens.edges.map((e) => e.node)}
        locale={{ emptyText: '没有令牌' }}
        onRow={() => ({ 'data-testid': 'token-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '用途', dataIndex: 'name' },
          { title: '前缀', render: (_, t) => <Typography.Text code>{t.prefix}…</Typography.Text> },
          { title: '人员', render: (_, t) => t.officer.fullName || t.officer.username },
          { title: '权限', render: (_, t) => t.scopes.map((r) => <Tag key={r}>{label('Role', r)}</Tag>) },
          { title: '签发', render: (_, t) => time(t.createdAt) },
          { title: '到期', render: (_, t) => (t.expiresAt ? time(t.expiresAt) : '长期') },
          { title: '最近使用', render: (_, t) => time(t.lastUsedAt) },
          {
            title: '状态',
            render: (_, t) =>
              t.revokedAt ? (
                <Tag>已撤销</Tag>
              ) : (
                <Button size="small" danger onClick={() => setRevoking(t)}>
                  撤销
                </Button>
              ),
          },
        ]}
      />
      <Pager name="令牌" total={data?.apiTokens.totalCount} unit="个" pageInfo={data?.apiTokens.pageInfo} onMove={setCursor} />
      <Modal open={creating} title="签发令牌" footer={null} destroyOnClose onCancel={() => setCreating(false)}>
        <MutationForm<CreateApiTokenMutation>
          mutation={CreateApiTokenDocument}
          submit="确认签发"
          refetchQueries={REFETCH}
          toVariables={(v) => ({ ...v, expiresAt: v.expiresAt ? (v.expiresAt as Dayjs).endOf('day').toISOString() : undefined })}
          onDone={(result) => {
            setCreating(false);
            setIssued(result.createApiToken.token);
          }}
        >
          <Form.Item name="name" label="用途" rules={required('请填写用途')}>
            <Input placeholder="例如 12345 热线推送" />
          </Form.Item>
          <Form.Item name="officerId" label="代表人员" rules={required('请选择人员')}>
            <OfficerPicker />
          </Form.Item>
          <Form.Item name="scopes" label="权限" rules={required('请选择权限')} extra="只能是该人员已有的角色">
            <Select mode="multiple" options={options('Role')} />
          </Form.Item>
          <Form.Item name="expiresAt" label="到期日期">
            <DatePicker />
          </Form.Item>
        </MutationForm>
      </Modal>
      <Modal open={!!revoking} title="撤销令牌" footer={null} destroyOnClose onCancel={() => setRevoking(null)}>
        {revoking && (
          <MutationForm
            mutation={RevokeApiTokenDocument}
            submit="确认撤销"
            refetchQueries={REFETCH}
            toVariables={() => ({ id: revoking.id })}
            onDone={() => setRevoking(null)}
          >
            <Typography.Paragraph>撤销后「{revoking.name}」立即失效，不能恢复。</Typography.Paragraph>
          </MutationForm>
        )}
      </Modal>
    </div>
  );
}

/** The officer a token acts for, among those whose username or name holds what is typed (an office
 * may have more officers than one list holds). */
function OfficerPicker(props: { id?: string; value?: string; onChange?: (value: string) => void }) {
  const [search, setSearch] = useState('');
  const { data, previousData, loading } = useQuery(TokenOfficerOptionsDocument, { variables: { search: search || undefined } });
  return (
    <Select
      {...props}
      showSearch
      filterOption={false}
      loading={loading}
      onSearch={(value) => setSearch(value.trim())}
      options={(data ?? previousData)?.officers.edges.map(({ node: o }) => ({ value: o.id, label: `${o.fullName || o.username}（${o.username}）` }))}
    />
  );
}
