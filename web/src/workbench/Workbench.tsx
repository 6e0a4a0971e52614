import { Typography } from 'antd';
import { useSession } from '../app/session';

export function Workbench() {
  const { officer } = useSession();
  return <Typography.Title level={3}>工作台 · {officer.fullName || officer.username}</Typography.Title>;
}
