import { useMutation, type DocumentNode } from '@apollo/client';
import { Button, Form, Input, Modal, Radio, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import {
  AcceptHandoffDocument,
  DecideObjectionDocument,
  ObjectToHandoffDocument,
  ReportAssignmentDocument,
  type HandoffAction,
  type HandoffRowFragment,
} from '../graphql/graphql';
import { label } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';

interface Step {
  mutation: DocumentNode;
  fields?: ReactNode;
}

const STEPS: Partial<Record<HandoffAction, Step>> = {
  ACCEPT: { mutation: AcceptHandoffDocument },
  OBJECT: {
    mutation: ObjectToHandoffDocument,
    fields: (
      <Form.Item name="reason" label="异议理由（本单位无权处理的依据）" rules={[{ required: true, message: '请填写异议理由' }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
    ),
  },
  DECIDE: {
    mutation: DecideObjectionDocument,
    fields: (
      <>
        <Form.Item name="uphold" label="裁决" rules={[{ required: true, message: '请选择裁决结果' }]}>
          <Radio.Group>
            <Radio value={true}>异议成立（退回转出单位）</Radio>
            <Radio value={false}>异议不成立（接收单位办理）</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label="裁决说明">
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    ),
  },
  REPORT: {
    mutation: ReportAssignmentDocument,
    fields: (
      <Form.Item name="result" label="办理结果" rules={[{ required: true, message: '请填写办理结果' }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
    ),
  },
};

/** The steps a handoff allows this officer now (from the API), each a small form. */
export function HandoffActions({ handoff }: { handoff: HandoffRowFragment }) {
  const [open, setOpen] = useState<HandoffAction | null>(null);
  const actions = handoff.availableActions.filter((a) => STEPS[a]);
  return (
    <Space>
      {actions.map((a) => (
        <Button key={a} size="small" onClick={() => setOpen(a)}>
          {label('HandoffAction', a)}
        </Button>
      ))}
      <Modal open={!!open} title={open ? label('HandoffAction', open) : ''} footer={null} destroyOnClose onCancel={() => setOpen(null)}>
        {open && <StepForm handoffId={handoff.id} step={STEPS[open]!} submit={label('HandoffAction', open)} onDone={() => setOpen(null)} />}
      </Modal>
    </Space>
  );
}

function StepForm({ handoffId, step, submit, onDone }: { handoffId: string; step: Step; submit: string; onDone: () => void }) {
  const [form] = Form.useForm();
  const [run, { loading, error }] = useMutation(step.mutation, {
    onError: () => undefined,
    refetchQueries: ['HandoffInbox', 'HandoffOutbox', 'HandoffsToDecide'],
  });
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={async (values) => {
        const result = await run({ variables: { handoffId, ...values } });
        if (result.data) onDone();
      }}
    >
      {step.fields}
      <ServiceErrors error={error} form={form} />
      <Button type="primary" htmlType="submit" loading={loading}>
        确认{submit}
      </Button>
    </Form>
  );
}
