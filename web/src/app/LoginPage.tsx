import { useApolloClient, useMutation, useQuery } from '@apollo/client';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { LoginDocument, SessionDocument } from '../graphql/graphql';
import { ServiceErrors } from '../ui/ServiceErrors';
import { LEVEL_LABELS } from './labels';

interface Credentials {
  username: string;
  password: string;
}

/** 登录: the office's officers log in at its own host; wrong passwords and lockouts come back as
 * the service's codes, an expired session lands here with `?expired=1`. */
export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [form] = Form.useForm<Credentials>();
  const { data } = useQuery(SessionDocument, { fetchPolicy: 'network-only' });
  const [login, { loading, error }] = useMutation(LoginDocument, { onError: () => undefined });
  const next = safeNext(params.get('next'));

  async function onFinish(values: Credentials) {
    const result = await login({ variables: values });
    if (!result.data) return;
    // Forget what the cache held for the anonymous visitor; the next screen asks afresh.
    await client.clearStore();
    navigate(next, { replace: true });
  }

  const office = data?.currentOffice;
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', alignContent: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {office ? office.name : '信访工作台'}
        </Typography.Title>
        {office && (
          <Typography.Paragraph type="secondary">
            {LEVEL_LABELS[office.level]} · 信访工作台登录
          </Typography.Paragraph>
        )}
        {params.get('expired') && !error && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="登录已过期，请重新登录" />
        )}
        {data?.me && !error && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={`已以 ${data.me.fullName || data.me.username} 登录`}
            action={<Button size="small" onClick={() => navigate(next)}>进入</Button>}
          />
        )}
        <ServiceErrors error={error} form={form} />
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            登录
          </Button>
        </Form>
      </Card>
      {/* Petitioners land here too: their pages are the server-rendered site (docs/public-site.md). */}
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <a href="/public/">信访人请进：信访指南、网上信访、进度查询</a>
      </Typography.Paragraph>
    </div>
  );
}

/** Only paths of this site: `next` comes from the address bar. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
