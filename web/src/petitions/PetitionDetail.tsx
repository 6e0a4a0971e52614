import { useQuery } from '@apollo/client';
import { Button, Card, Col, Descriptions, Empty, Modal, Result, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { usePreloaded } from '../app/preload';
import { PetitionDetailDocument, type ResolutionStep, type Transition } from '../graphql/graphql';
import { DeadlineTag } from '../ui/DeadlineTag';
import { label } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';
import { ActionForm, transitionLabel } from './actions/forms';
import { ResolutionForm, stepLabel } from './actions/resolutionForms';
import { Notices } from './Notices';
import { RepeatCandidates } from './RepeatCandidates';
import { Resolution } from './Resolution';

const time = (v: string | null | undefined) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** The form open in the page's dialog: a workflow step or a resolution step. */
type Open = { transition: Transition } | { step: ResolutionStep };

/** 详情: one petition, its history here and across offices, the notices sent, and exactly the
 * steps the API allows this officer now (availableTransitions, the resolution's availableSteps),
 * each a form. One query loads the page. */
export function PetitionDetail() {
  const { id = '' } = useParams();
  const { data, loading, error } = useQuery(PetitionDetailDocument, {
    variables: { id },
    ...usePreloaded(PetitionDetailDocument, { id }),
  });
  const [open, setOpen] = useState<Open | null>(null);
  if (loading && !data) return <Spin />;
  if (error && !data) return <ServiceErrors error={error} />;
  const petition = data?.petition;
  if (!data || !petition) return <Result status="404" title="未找到该信访件" />;

  const ctx = { petition, data, onDone: () => setOpen(null) };
  const deadlines = [
    ['交办期限', petition.routeDue],
    ['受理期限', petition.acceptDue],
    ['办理期限', petition.handlingDue],
  ] as const;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="petition-reference">
          {petition.reference}
        </Typography.Title>
        <Tag color="blue" data-testid="petition-status">{label('PetitionStatus', petition.status)}</Tag>
        {petition.isCollective && <Tag color="purple">集体访</Tag>}
        {petition.isRepeat && <Tag color="purple">重复访</Tag>}
        {petition.isSkipLevel && <Tag color="purple">越级访</Tag>}
        {petition.isAccusation && <Tag color="red">检举控告</Tag>}
        <DeadlineTag due={petition.nextDue} state={petition.dueState} step={petition.dueNext?.step} />
      </Space>

      <Card title="可办理事项" size="small">
        {petition.availableTransitions.length ? (
          <Space wrap role="toolbar" aria-label="可办理事项">
            {petition.availableTransitions.map((t) => (
              <Button key={t} onClick={() => setOpen({ transition: t })}>
                {transitionLabel(t)}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">当前没有您可以办理的事项</Typography.Text>
        )}
      </Card>

      <Row gutter={16}>
        <Col span={14}>
          <Card title="信访事项" size="small">
            <Descriptions column={2} size="small">
              <Descriptions.Item label="渠道">{label('Channel', petition.channel)}</Descriptions.Item>
              <Descriptions.Item label="分类">{petition.category.name || petition.category.code}</Descriptions.Item>
              <Descriptions.Item label="发生地">{petition.place}</Descriptions.Item>
              <Descriptions.Item label="被反映对象">{petition.accusedBody || '—'}</Descriptions.Item>
              <Descriptions.Item label="登记时间">{time(petition.registeredAt)}</Descriptions.Item>
              <Descriptions.Item label="承办人">{petition.handler?.fullName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="反映内容" span={2}>{petition.content}</Descriptions.Item>
              <Descriptions.Item label="诉求" span={2}>{petition.request || '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col span={10}>
          <Card title="期限" size="small">
            <Descriptions column={1} size="small">
              {deadlines.map(([name, due]) => (
                <Descriptions.Item key={name} label={name}>
                  {due && due === petition.nextDue ? (
                    <Space>
                      {due}
                      <DeadlineTag due={due} state={petition.dueState} />
                    </Space>
                  ) : (
                    due ?? '—'
                  )}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label="延期">{petition.extended ? '已延期' : '未延期'}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>

      <Card title={`信访人（${petition.petitioners.length}）`} size="small">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={petition.petitioners}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '身份证号', dataIndex: 'idNumberMasked', render: (v) => v ?? '—' },
            { title: '电话', dataIndex: 'phone', render: (v) => v ?? '—' },
            { title: '地址', dataIndex: 'address' },
            { title: '代表', dataIndex: 'isRepresentative', render: (v: boolean) => (v ? <Tag>代表</Tag> : null) },
          ]}
        />
      </Card>

      {(petition.reply || petition.evaluation) && (
        <Card title="出具文书" size="small" data-testid="documents">
          {petition.reply && (
            <Descriptions column={1} size="small" title="处理意见书">
              <Descriptions.Item label="出具时间">{time(petition.reply.issuedAt)}</Descriptions.Item>
              <Descriptions.Item label="意见">{petition.reply.opinion}</Descriptions.Item>
            </Descriptions>
          )}
          {petition.evaluation && (
            <Descriptions column={1} size="small" title="满意度评价" style={{ marginTop: 16 }}>
              <Descriptions.Item label="评价">{label('Satisfaction', petition.evaluation.satisfaction)}</Descriptions.Item>
              <Descriptions.Item label="说明">{petition.evaluation.comment || '—'}</Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      )}

      <Card title="化解与办结" size="small">
        {data.petitionResolution.availableSteps.length > 0 && (
          <Space wrap role="toolbar" aria-label="化解工作" style={{ marginBottom: 12 }}>
            {data.petitionResolution.availableSteps.map((s) => (
              <Button key={s} onClick={() => setOpen({ step: s })}>
                {stepLabel(s)}
              </Button>
            ))}
          </Space>
        )}
        <Resolution resolution={data.petitionResolution} />
      </Card>

      <Card title={`告知信访人（${petition.notices.edges.length}）`} size="small" data-testid="notices">
        <Notices notices={petition.notices.edges.map((e) => e.node)} />
      </Card>

      <Card title="重复访检查" size="small" data-testid="repeat-candidates">
        <RepeatCandidates check={data.repeatCheck} />
      </Card>

      <Row gutter={16}>
        <Col span={12}>
          <Card title="本单位办理记录" size="small">
            <Timeline
              items={petition.timeline.edges.map(({ node: e }) => ({
                children: (
                  <>
                    <Typography.Text strong>{label('EventKind', e.kind)}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{time(e.at)} {e.actor?.fullName ?? ''}</Typography.Text>
                    {e.note && <div>{e.note}</div>}
                  </>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card title="跨单位流转" size="small" data-testid="matter-timeline">
            {petition.matter.timeline.edges.length ? (
              <Timeline
                items={petition.matter.timeline.edges.map(({ node: e }, i) => ({
                  key: i,
                  children: (
                    <>
                      <Typography.Text strong>{e.office.name}</Typography.Text>{' '}
                      {e.eventKind ? label('EventKind', e.eventKind) : label('MatterTimelineSource', e.source)}{' '}
                      <Typography.Text type="secondary">{time(e.at)} {e.reference}</Typography.Text>
                      {e.note && <div>{e.note}</div>}
                    </>
                  ),
                }))}
              />
            ) : (
              <Empty description="尚未在单位间流转" />
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        open={!!open}
        title={open && ('step' in open ? stepLabel(open.step) : transitionLabel(open.transition))}
        footer={null}
        destroyOnClose
        width={'step' in (open ?? {}) ? 640 : undefined}
        onCancel={() => setOpen(null)}
      >
        {open &&
          ('step' in open ? (
            <ResolutionForm step={open.step} ctx={ctx} />
          ) : (
            <ActionForm transition={open.transition} ctx={ctx} />
          ))}
      </Modal>
    </Space>
  );
}
