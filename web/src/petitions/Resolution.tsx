import { Descriptions, Empty, Space, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import type { PetitionResolutionCardFragment } from '../graphql/graphql';
import { label } from '../ui/labels';

const time = (v: string | null | undefined) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** 化解: how the matter ended (四到位 or a mediation agreement), the investigations and visits,
 * the reopenings, and what is still due (a return visit; an investigation the category needs
 * before the opinion). */
export function Resolution({ resolution }: { resolution: PetitionResolutionCardFragment }) {
  const { outcomes, investigations, visits, reopenings } = resolution;
  const empty = !outcomes.length && !investigations.length && !visits.length && !reopenings.length;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="resolution">
      <Space wrap>
        {resolution.investigationRequired && !investigations.length && (
          <Tag color="orange">本类事项出具意见前须调查核实（听取双方）</Tag>
        )}
        {resolution.returnVisitDue && <Tag color="blue">回访期限 {resolution.returnVisitDue}</Tag>}
      </Space>
      {empty && <Empty description="尚无化解记录" />}
      {outcomes.map((o) => (
        <Descriptions key={o.id} column={1} size="small" title="办结结果（四到位）" data-testid="outcome">
          <Descriptions.Item label="结果">{label('OutcomeKind', o.kind)}</Descriptions.Item>
          <Descriptions.Item label="办理结果">{o.summary}</Descriptions.Item>
          {o.lawCited && <Descriptions.Item label="解释的法律政策">{o.lawCited}</Descriptions.Item>}
          {o.helpGiven && <Descriptions.Item label="帮扶救助措施">{o.helpGiven}</Descriptions.Item>}
          {o.legalMeasure && <Descriptions.Item label="依法处理措施">{o.legalMeasure}</Descriptions.Item>}
          {o.agreement && (
            <Descriptions.Item label="调解协议">
              {o.agreement.title}（{o.agreement.parties.join('、')}）
            </Descriptions.Item>
          )}
          <Descriptions.Item label="记录">
            {time(o.recordedAt)} {o.recordedBy?.fullName ?? ''}
          </Descriptions.Item>
        </Descriptions>
      ))}
      {(investigations.length > 0 || visits.length > 0 || reopenings.length > 0) && (
        <Timeline
          items={[
            ...investigations.map((i) => ({
              key: i.id,
              at: i.concludedAt,
              children: (
                <>
                  <Typography.Text strong>调查核实（{label('InvestigationMode', i.mode)}）</Typography.Text>{' '}
                  <Typography.Text type="secondary">{time(i.concludedAt)} {i.officer.fullName}</Typography.Text>
                  <div>{i.findings}</div>
                </>
              ),
            })),
            ...visits.map((v) => ({
              key: v.id,
              at: v.heldAt ?? v.plannedOn ?? '',
              children: (
                <>
                  <Typography.Text strong>{label('VisitKind', v.kind)}</Typography.Text> <Tag>{label('VisitStatus', v.status)}</Tag>
                  {v.returnFinding && <Tag>{label('ReturnFinding', v.returnFinding)}</Tag>}
                  <Typography.Text type="secondary">{v.heldAt ? time(v.heldAt) : v.plannedOn}</Typography.Text>
                  {v.summary && <div>{v.summary}</div>}
                </>
              ),
            })),
            ...reopenings.map((r) => ({
              key: r.id,
              at: r.at,
              children: (
                <>
                  <Typography.Text strong>重新办理（{label('ReopenCause', r.cause)}）</Typography.Text>{' '}
                  <Typography.Text type="secondary">{time(r.at)}</Typography.Text>
                  {r.reason && <div>{r.reason}</div>}
                </>
              ),
            })),
          ]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map(({ key, children }) => ({ key, children }))}
        />
      )}
    </Space>
  );
}
