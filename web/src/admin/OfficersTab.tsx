import { useQuery } from '@apollo/client';
import { Button, Checkbox, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../app/session';
import {
  AdminOfficersDocument,
  CreateOfficerDocument,
  ResetOfficerPasswordDocument,
  SetOfficerActiveDocument,
  SetOfficerRolesDocument,
  type AdminOfficerFragment,
} from '../graphql/graphql';
import { label, options } from '../ui/labels';
import { MutationForm } from '../ui/MutationForm';
import { Pager } from '../ui/Pager';
import { pageVariables, type Cursor } from '../ui/paging';
import { ServiceErrors } from '../ui/ServiceErrors';

type Dialog = { kind: 'create' } | { kind: 'roles' | 'password' | 'active'; officer: AdminOfficerFragment };
const REFETCH = ['AdminOfficers'];
const PAGE_SIZE = 50;
const required = (message: string) => [{ required: true, message }];
const roleBoxes = <Checkbox.Group options={options('Role')} />;

/** 人员: the office's officers, disabled ones too, by username in pages of 50, or those a search
 * finds; create, change roles, disable or enable, reset a password (the officer's sessions and
 * tokens end). */
export default function OfficersTab() {
  const { officer: me } = useSession();
  const [search, setSearch] = useState('');
  const [cursor, setCursor] = useState<Cursor>({});
  const { data, loading, error } = useQuery(AdminOfficersDocument, {
    variables: { search: search || undefined, ...pageVariables(cursor, PAGE_SIZE) },
  });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  const officers = data?.officers.edges.map((e) => e.node) ?? [];
  return (
    <div>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setDialog({ kind: 'create' })}>
          新增人员
        </Button>
        <Input.Search
          aria-label="查找人员"
          placeholder="用户名或姓名"
          allowClear
          style={{ width: 240 }}
          onSearch={(value) => {
            setSearch(value.trim());
            setCursor({});
          }}
        />
      </Space>
      <ServiceErrors error={error} />
      <Table<AdminOfficerFragment>
        rowKey="id"
        loading={loading && !data}
        pagination={false}
        dataSource={officers}
        onRow={(o) => ({ 'data-testid': 'officer-row', 'data-username': o.username }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'fullName' },
          { title: '角色', render: (_, o) => o.roles.map((r) => <Tag key={r}>{label('Role', r)}</Tag>) },
          { title: '状态', render: (_, o) => (o.isActive ? <Tag color="green">在用</Tag> : <Tag>已停用</Tag>) },
          {
            title: '操作',
            render: (_, o) => (
              <Space>
                <Button size="small" onClick={() => setDialog({ kind: 'roles', officer: o })}>
                  修改角色
                </Button>
                <Button size="small" onClick={() => setDialog({ kind: 'password', officer: o })}>
                  重置密码
                </Button>
                {o.id !== me.id && (
                  <Button size="small" danger={o.isActive} onClick={() => setDialog({ kind: 'active', officer: o })}>
                    {o.isActive ? '停用' : '启用'}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager name="人员" total={data?.officers.totalCount} unit="人" pageInfo={data?.officers.pageInfo} onMove={setCursor} />
      <Modal open={!!dialog} title={dialog && title(dialog)} footer={null} destroyOnClose onCancel={close}>
        {dialog && <DialogForm dialog={dialog} onDone={close} />}
      </Modal>
    </div>
  );
}

function title(dialog: Dialog): string {
  if (dialog.kind === 'create') return '新增人员';
  const who = dialog.officer.fullName || dialog.officer.username;
  if (dialog.kind === 'roles') return `修改角色：${who}`;
  if (dialog.kind === 'password') return `重置密码：${who}`;
  return `${dialog.officer.isActive ? '停用' : '启用'}：${who}`;
}

function DialogForm({ dialog, onDone }: { dialog: Dialog; onDone: () => void }) {
  const common = { refetchQueries: REFETCH, onDone };
  if (dialog.kind === 'create') {
    return (
      <MutationForm mutation={CreateOfficerDocument} submit="确认新增" {...common}>
        <Form.Item name="username" label="用户名" rules={required('请填写用户名')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="fullName" label="姓名">
          <Input />
        </Form.Item>
        <Form.Item name="password" label="初始密码" rules={required('请填写初始密码')} extra="至少 10 位，不能全为数字或过于常见">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={required('请至少选择一个角色')}>
          {roleBoxes}
        </Form.Item>
      </MutationForm>
    );
  }
  const { officer } = dialog;
  const id = { id: officer.id };
  if (dialog.kind === 'roles') {
    return (
      <MutationForm
        mutation={SetOfficerRolesDocument}
        submit="确认修改角色"
        initialValues={{ roles: officer.roles }}
        toVariables={(v) => ({ ...id, ...v })}
        {...common}
      >
        <Form.Item name="roles" label="角色" rules={required('请至少选择一个角色')} extra="收回的角色超出其 API 令牌范围时，令牌即被撤销">
          {roleBoxes}
        </Form.Item>
      </MutationForm>
    );
  }
  if (dialog.kind === 'password') {
    return (
      <MutationForm mutation={ResetOfficerPasswordDocument} submit="确认重置密码" toVariables={(v) => ({ ...id, ...v })} {...common}>
        <Form.Item name="newPassword" label="新密码" rules={required('请填写新密码')} extra="该人员的登录会话和 API 令牌将立即失效">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </MutationForm>
    );
  }
  return (
    <MutationForm
      mutation={SetOfficerActiveDocument}
      submit={officer.isActive ? '确认停用' : '确认启用'}
      toVariables={() => ({ ...id, active: !officer.isActive })}
      {...common}
    >
      <Typography.Paragraph>
        {officer.isActive ? '停用后该人员的登录会话和 API 令牌立即失效，办理记录保留。' : '启用后该人员可重新登录。'}
      </Typography.Paragraph>
    </MutationForm>
  );
}
