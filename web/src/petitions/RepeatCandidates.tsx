import { useMutation } from '@apollo/client';
import { Alert, Button, Space, Table } from 'antd';
import dayjs from 'dayjs';
import {
  ConfirmRepeatCandidateDocument,
  DismissRepeatCandidateDocument,
  type PetitionDetailQuery,
  type RepeatCandidateRowFragment,
} from '../graphql/graphql';
import { label } from '../ui/labels';
import { errorMessage } from '../ui/errorMessages';
import { ServiceErrors } from '../ui/ServiceErrors';
import { RepeatEvidence } from './RepeatEvidence';

type Check = PetitionDetailQuery['repeatCheck'];

/** The repeat check's candidates with their reasons and evidence, to confirm (重复访) or dismiss. */
export function RepeatCandidates({ check }: { check: Check }) {
  const options = { onError: () => undefined, refetchQueries: ['PetitionDetail'] };
  const [confirm, confirming] = useMutation(ConfirmRepeatCandidateDocument, options);
  const [dismiss, dismissing] = useMutation(DismissRepeatCandidateDocument, options);
  if (!check) return <Alert type="warning" message="检索服务暂不可用，重复访检查稍后再试" />;
  if (check.state === 'PENDING') return <Alert type="info" message="重复访检查进行中，请稍后刷新" />;
  if (!check.available) return <Alert type="warning" message={errorMessage(check.unavailableCode ?? undefined)} />;
  return (
    <>
      {check.onTerminatedMatter && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message="该事项已终结：同一事实和理由不再受理" />
      )}
      <ServiceErrors error={confirming.error ?? dismissing.error} />
      <Table<RepeatCandidateRowFragment>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={check.candidates}
        locale={{ emptyText: '未发现重复信访' }}
        columns={[
          { title: '编号', dataIndex: 'reference' },
          { title: '单位', render: (_, c) => c.office.name },
          { title: '登记', render: (_, c) => dayjs(c.registeredAt).format('YYYY-MM-DD') },
          { title: '状态', render: (_, c) => label('PetitionStatus', c.status) },
          { title: '重复可能性', render: (_, c) => c.score.toFixed(2) },
          { title: '理由', render: (_, c) => <RepeatEvidence reasons={c.reasons} explanation={c.explanation} /> },
          {
            title: '处理',
            render: (_, c) =>
              c.decision === 'PENDING' ? (
                <Space>
                  <Button size="small" onClick={() => confirm({ variables: { candidateId: c.id } })}>确认重复</Button>
                  <Button size="small" onClick={() => dismiss({ variables: { candidateId: c.id } })}>排除</Button>
                </Space>
              ) : (
                label('RepeatDecision', c.decision)
              ),
          },
        ]}
      />
    </>
  );
}
