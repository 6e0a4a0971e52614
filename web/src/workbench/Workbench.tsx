import { useQuery } from '@apollo/client';
import { Badge, Card, Col, List, Row, Spin, Statistic, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { WorkbenchDocument, type TaskListFragment } from '../graphql/graphql';
import { useSession } from '../app/session';
import { DeadlineTag } from '../ui/DeadlineTag';
import { label } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';

/** 工作台: the officer's tasks by deadline, what waits for a decision, counts by status. */
export function Workbench() {
  const { officer } = useSession();
  const { data, loading, error } = useQuery(WorkbenchDocument, { variables: { me: officer.id } });
  if (loading && !data) return <Spin />;
  if (!data) return <ServiceErrors error={error} />;
  return (
    <div>
      <Typography.Title level={3}>工作台</Typography.Title>
      <ServiceErrors error={error} />
      <Row gutter={[16, 16]}>
        <Col span={8}>
          <Tasks title="3 日内到期（我承办的）" page={data.dueSoon} more="/petitions?mine=1&due=soon&order=DUE_ASC" testId="due-soon" />
        </Col>
        <Col span={8}>
          <Tasks title="已超期（我承办的）" page={data.overdue} more="/petitions?mine=1&due=overdue&order=DUE_ASC" testId="overdue" />
        </Col>
        <Col span={8}>
          <Tasks title="待我决定（交办、受理、分派）" page={data.awaitingDecision} more="/petitions?order=DUE_ASC&status=REGISTERED&status=ROUTED&status=ACCEPTED" testId="awaiting" />
        </Col>
        <Col span={8}>
          <Card size="small" title={<Badge count={data.handoffInbox.totalCount} offset={[12, 0]}>待签收转办</Badge>} extra={<Link to="/handoffs?box=inbox&status=PENDING">全部</Link>}>
            <List
              size="small"
              dataSource={data.handoffInbox.edges.map((e) => e.node)}
              locale={{ emptyText: '没有待签收的转办' }}
              renderItem={(h) => (
                <List.Item>
                  <Tag>{label('HandoffKind', h.kind)}</Tag> {h.senderOffice.name} · {h.receiverReference} · 签收期限 {h.acceptDue ?? '—'}
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title={<Badge count={data.supervisionOrders.totalCount} offset={[12, 0]}>收到的督办单</Badge>}>
            <List
              size="small"
              dataSource={data.supervisionOrders.edges.map((e) => e.node)}
              locale={{ emptyText: '没有待回复的督办单' }}
              renderItem={(o) => (
                <List.Item>
                  {o.issuerOffice.name} · {o.reference} · {label('SupervisionOrderReason', o.reason)} · 期限 {o.dueDate}
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title={<Badge count={data.collectiveAlerts.totalCount} offset={[12, 0]}>集体访预警</Badge>}>
            <List
              size="small"
              dataSource={data.collectiveAlerts.edges.map((e) => e.node)}
              locale={{ emptyText: '没有未处理的预警' }}
              renderItem={(a) => (
                <List.Item>
                  {a.place || a.accusedBody} · {a.peopleCount} 人 · {dayjs(a.lastRegisteredAt).format('MM-DD')}
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small" title="本单位信访件（按状态）">
            <Row gutter={16}>
              {data.petitionCounts.map((c) => (
                <Col key={c.status} span={3}>
                  <Link to={`/petitions?status=${c.status}`}>
                    <Statistic title={label('PetitionStatus', c.status)} value={c.count} />
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function Tasks({ title, page, more, testId }: { title: string; page: TaskListFragment; more: string; testId: string }) {
  return (
    <Card size="small" data-testid={testId} title={<Badge count={page.totalCount} offset={[12, 0]}>{title}</Badge>} extra={<Link to={more}>全部</Link>}>
      <List
        size="small"
        dataSource={page.edges.map((e) => e.node)}
        locale={{ emptyText: '暂无' }}
        renderItem={(p) => (
          <List.Item>
            <Link to={`/petitions/${encodeURIComponent(p.id)}`}>{p.reference}</Link>
            <span>{p.petitioners.map((x) => x.name).join('、')}</span>
            <DeadlineTag due={p.nextDue} state={p.dueState} />
          </List.Item>
        )}
      />
    </Card>
  );
}
