import { useApolloClient, useMutation } from '@apollo/client';
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { LogoutDocument } from '../graphql/graphql';
import { LEVEL_LABELS, ROLE_LABELS } from './labels';
import { SCREENS } from './screens';
import { hasRole, useSession } from './session';

/** The frame of every screen: the office's name and level, the officer, the menu. */
export function Shell() {
  const { officer, office } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [logout, { loading }] = useMutation(LogoutDocument);
  const screens = SCREENS.filter((s) => !s.roles.length || hasRole(officer, ...s.roles));
  const selected = screens
    .map((s) => s.path)
    .filter((p) => (p === '/' ? location.pathname === '/' : location.pathname.startsWith(p)))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  async function onLogout() {
    await logout();
    await client.clearStore();
    navigate('/login', { replace: true });
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }} data-testid="office-name">
          {office.name}
        </Typography.Title>
        <Tag color="gold" data-testid="office-level">
          {LEVEL_LABELS[office.level] ?? office.level}
        </Tag>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.65)' }}>信访工作台</Typography.Text>
        <Space style={{ marginLeft: 'auto' }}>
          <Typography.Text style={{ color: '#fff' }} data-testid="officer-name">
            {officer.fullName || officer.username}
          </Typography.Text>
          {officer.roles.map((r) => (
            <Tag key={r}>{ROLE_LABELS[r] ?? r}</Tag>
          ))}
          <Button size="small" onClick={onLogout} loading={loading}>
            退出登录
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={180} theme="light">
          <nav aria-label="主菜单">
            <Menu
              mode="inline"
              selectedKeys={selected}
              items={screens.map((s) => ({ key: s.path, label: <Link to={s.path}>{s.label}</Link> }))}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<Spin />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
