// The form of every step the workflow may offer (Transition, from the API's availableTransitions):
// its fields, in the mutation's argument names, and how its values become the mutation's variables.
import type { DocumentNode } from '@apollo/client';
import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, type ReactNode } from 'react';
import {
  AcceptPetitionDocument,
  AssignPetitionDocument,
  AssignToOfficeDocument,
  ClosePetitionDocument,
  DeclinePetitionDocument,
  EndHearingDocument,
  EvaluatePetitionDocument,
  MediatePetitionDocument,
  ReopenPetitionDocument,
  ExtendPetitionDocument,
  ReplyPetitionDocument,
  RoutePetitionDocument,
  StartHearingDocument,
  TerminatePetitionDocument,
  TransferPetitionDocument,
  type PetitionDetailFragment,
  type PetitionDetailQuery,
  type Transition,
} from '../../graphql/graphql';
import { label, options } from '../../ui/labels';
import { TransitionForm } from './TransitionForm';

export interface ActionContext {
  petition: PetitionDetailFragment;
  data: PetitionDetailQuery;
  onDone: () => void;
}

type Values = Record<string, unknown>;
const day = (v: unknown) => (v ? (v as Dayjs).format('YYYY-MM-DD') : undefined);
const text = (v: unknown) => (v ? String(v) : undefined);
const required = (message: string) => [{ required: true, message }];

const note = (name = 'note', title = '意见') => (
  <Form.Item name={name} label={title}>
    <Input.TextArea rows={3} />
  </Form.Item>
);

interface Step {
  mutation: DocumentNode;
  fields: ReactNode;
  variables?: (values: Values, key: string) => Values;
}

/** The fields of each step; every step also sends the petition's id and loaded version. */
const STEPS: Record<Transition, (ctx: ActionContext) => Step> = {
  ROUTE: () => ({ mutation: RoutePetitionDocument, fields: note('note', '交办意见') }),
  ACCEPT: () => ({ mutation: AcceptPetitionDocument, fields: note('note', '受理意见') }),
  DECLINE: () => ({
    mutation: DeclinePetitionDocument,
    fields: (
      <>
        <Form.Item name="redirectChannel" label="应当通过的途径" rules={required('请选择途径')}>
          <Select options={options('RedirectChannel')} />
        </Form.Item>
        <Form.Item name="redirectAuthority" label="有权处理的机关">
          <Input />
        </Form.Item>
        <Form.Item name="reason" label="不予受理理由" rules={required('请填写理由')}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    ),
  }),
  ASSIGN: ({ data }) => ({
    mutation: AssignPetitionDocument,
    fields: (
      <>
        <Form.Item name="handlerId" label="承办人" rules={required('请选择承办人')}>
          <Select
            options={data.officers.edges.map(({ node }) => ({ value: node.id, label: node.fullName || node.username }))}
          />
        </Form.Item>
        {note()}
      </>
    ),
  }),
  EXTEND: () => ({
    mutation: ExtendPetitionDocument,
    fields: (
      <>
        <Form.Item name="days" label="延期天数" rules={required('请填写天数')} extra="最多 30 日，仅可延期一次">
          <InputNumber min={1} max={30} />
        </Form.Item>
        <Form.Item name="reason" label="延期理由（将告知信访人）" rules={required('请填写理由')}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    ),
  }),
  START_HEARING: () => ({
    mutation: StartHearingDocument,
    fields: (
      <>
        <Form.Item name="on" label="听证开始日期">
          <DatePicker />
        </Form.Item>
        {note()}
      </>
    ),
    variables: (v) => ({ ...v, on: day(v.on) }),
  }),
  END_HEARING: () => ({
    mutation: EndHearingDocument,
    fields: (
      <>
        <Form.Item name="on" label="听证结束日期">
          <DatePicker />
        </Form.Item>
        {note()}
      </>
    ),
    variables: (v) => ({ ...v, on: day(v.on) }),
  }),
  REPLY: () => ({
    mutation: ReplyPetitionDocument,
    fields: (
      <Form.Item name="opinion" label="处理意见书" rules={required('请填写处理意见')}>
        <Input.TextArea rows={6} />
      </Form.Item>
    ),
  }),
  EVALUATE: () => ({
    mutation: EvaluatePetitionDocument,
    fields: (
      <>
        <Form.Item name="satisfaction" label="信访人评价" rules={required('请选择评价结果')}>
          <Select options={options('Satisfaction')} />
        </Form.Item>
        <Form.Item name="comment" label="评价说明">
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    ),
  }),
  CLOSE: () => ({
    mutation: ClosePetitionDocument,
    fields: (
      <>
        <Form.Item name={['outcome', 'kind']} label="四到位" rules={required('请选择结果')}>
          <Select options={options('OutcomeKind', CLOSING_KINDS)} />
        </Form.Item>
        <Form.Item name={['outcome', 'summary']} label="办理结果" rules={required('请填写办理结果')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.outcome?.kind !== b.outcome?.kind}>
          {({ getFieldValue }) => outcomeDetail(getFieldValue(['outcome', 'kind']))}
        </Form.Item>
        {note('note', '办结说明')}
      </>
    ),
  }),
  MEDIATE: () => ({
    mutation: MediatePetitionDocument,
    fields: (
      <>
        <Form.Item name={['agreement', 'title']} label="调解协议名称" rules={required('请填写协议名称')}>
          <Input />
        </Form.Item>
        <Form.Item name={['agreement', 'parties']} label="协议各方" rules={required('请填写协议各方')} extra="至少两方，输入后按回车">
          <Select mode="tags" open={false} />
        </Form.Item>
        <Form.Item name={['agreement', 'text']} label="协议内容" rules={required('请填写协议内容')}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name={['agreement', 'summary']} label="调解结果" rules={required('请填写调解结果')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {note()}
      </>
    ),
  }),
  REOPEN: () => ({
    mutation: ReopenPetitionDocument,
    fields: (
      <Form.Item name="reason" label="重新办理理由" rules={required('请填写理由')}>
        <Input.TextArea rows={3} />
      </Form.Item>
    ),
  }),
  TERMINATE: () => ({
    mutation: TerminatePetitionDocument,
    fields: (
      <>
        <Form.Item name="recheckReference" label="复核意见书编号" rules={required('请填写复核编号')}>
          <Input />
        </Form.Item>
        {note()}
      </>
    ),
  }),
  TRANSFER: ({ data }) => ({
    mutation: TransferPetitionDocument,
    fields: (
      <>
        <Form.Item name="receiverCode" label="转送至" rules={required('请选择接收单位')}>
          <Select options={receivers(data)} />
        </Form.Item>
        <Form.Item name="reason" label="转送理由">
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    ),
    variables: handoffVariables,
  }),
  ASSIGN_OUT: ({ data }) => ({
    mutation: AssignToOfficeDocument,
    fields: (
      <>
        <Form.Item name="receiverCode" label="交办至" rules={required('请选择下级单位')}>
          <Select options={data.currentOffice.children.map((o) => ({ value: o.code, label: o.name }))} />
        </Form.Item>
        <Form.Item name="dueDate" label="办结报告期限" rules={required('请选择期限')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="reason" label="交办意见">
          <Input.TextArea rows={3} />
        </Form.Item>
      </>
    ),
    variables: (v, key) => ({ ...handoffVariables(v, key), dueDate: day(v.dueDate) }),
  }),
};

/** The outcomes closePetition takes (a mediation agreement closes through mediatePetition). */
const CLOSING_KINDS = ['SOLVED', 'EXPLAINED', 'ASSISTED', 'BY_LAW'] as const;

/** The detail an outcome's kind requires (the service says OUTCOME_DETAIL_REQUIRED without it). */
function outcomeDetail(kind: string | undefined) {
  const detail = kind && OUTCOME_DETAIL[kind];
  if (!detail) return null;
  return (
    <Form.Item name={['outcome', detail.name]} label={detail.label} rules={required(`请填写${detail.label}`)}>
      <Input.TextArea rows={3} />
    </Form.Item>
  );
}

const OUTCOME_DETAIL: Record<string, { name: string; label: string }> = {
  EXPLAINED: { name: 'lawCited', label: '解释的法律政策' },
  ASSISTED: { name: 'helpGiven', label: '帮扶救助措施' },
  BY_LAW: { name: 'legalMeasure', label: '依法处理措施' },
};

/** Offices a petition can be transferred to: the ones above and below this office. */
function receivers(data: PetitionDetailQuery) {
  return [...data.currentOffice.parentChain, ...data.currentOffice.children].map((o) => ({
    value: o.code,
    label: o.name,
  }));
}

/** Handoffs name the petition `petitionId` and carry the form's key: a retried submit is one
 * handoff, not two. */
function handoffVariables(v: Values, key: string): Values {
  return { ...v, reason: text(v.reason), idempotencyKey: key };
}

/** A random key (crypto.getRandomValues: also outside secure contexts, unlike randomUUID). */
export function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function transitionLabel(transition: Transition): string {
  return label('Transition', transition);
}

export function ActionForm({ transition, ctx }: { transition: Transition; ctx: ActionContext }) {
  const step = STEPS[transition](ctx);
  const key = useMemo(newKey, []);
  const handoff = transition === 'TRANSFER' || transition === 'ASSIGN_OUT';
  const base = handoff ? { petitionId: ctx.petition.id } : { id: ctx.petition.id, version: ctx.petition.version };
  return (
    <TransitionForm
      mutation={step.mutation}
      submit={`确认${transitionLabel(transition)}`}
      toVariables={(values) => ({ ...base, ...(step.variables ? step.variables(values, key) : values) })}
      onDone={ctx.onDone}
    >
      {step.fields}
    </TransitionForm>
  );
}
