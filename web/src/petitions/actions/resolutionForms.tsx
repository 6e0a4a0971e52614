// The forms of what an officer records while resolving a petition (ResolutionStep, from the API's
// petitionResolution.availableSteps): an investigation that hears both sides, a visit of a kind.
// Item names are the service's field names, so its errors show by the field they name.
import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  RecordInvestigationDocument,
  RecordVisitDocument,
  type PetitionDetailQuery,
  type ResolutionStep,
  type VisitKind,
} from '../../graphql/graphql';
import { useSession } from '../../app/session';
import { label, options } from '../../ui/labels';
import { MutationForm } from '../../ui/MutationForm';
import type { ActionContext } from './forms';

type Values = Record<string, unknown>;
const required = (message: string) => [{ required: true, message }];

export function stepLabel(step: ResolutionStep): string {
  return label('ResolutionStep', step);
}

/** The visit each visit step records. */
const VISIT_KINDS: Partial<Record<ResolutionStep, VisitKind>> = {
  APPOINTMENT_VISIT: 'APPOINTMENT',
  RETURN_VISIT: 'RETURN',
  FIELD_VISIT: 'FIELD',
};

/** Handlers and leaders of the office, once each: who can go on a visit. */
function visitOfficers(data: PetitionDetailQuery) {
  const all = [...data.leaders.edges, ...data.officers.edges].map(({ node }) => node);
  const unique = [...new Map(all.map((o) => [o.id, o])).values()];
  return unique.map((o) => ({ value: o.id, label: o.fullName || o.username }));
}

export function ResolutionForm({ step, ctx }: { step: ResolutionStep; ctx: ActionContext }) {
  const kind = VISIT_KINDS[step];
  return kind ? <VisitForm kind={kind} ctx={ctx} submit={`确认${stepLabel(step)}`} /> : <InvestigationForm ctx={ctx} />;
}

/** 调查核实: the sources heard — the petitioner and the other side at least (the body complained
 * about, when the petition names one) — open or discreet, and the findings. */
function InvestigationForm({ ctx }: { ctx: ActionContext }) {
  const otherSide = ctx.petition.accusedBody ? 'ACCUSED_BODY' : 'WITNESS';
  return (
    <MutationForm
      mutation={RecordInvestigationDocument}
      submit="确认调查核实"
      initialValues={{ mode: 'OPEN', sources: [{ kind: 'PETITIONER' }, { kind: otherSide }] }}
      toVariables={(v) => ({ ...v, petitionId: ctx.petition.id })}
      refetchQueries={['PetitionDetail']}
      onDone={ctx.onDone}
    >
      <Form.Item name="mode" label="调查方式" rules={required('请选择调查方式')}>
        <Select options={options('InvestigationMode')} />
      </Form.Item>
      <Form.List name="sources">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, i) => (
              <Space key={field.key} align="start" style={{ display: 'flex' }}>
                <Form.Item name={[field.name, 'kind']} label={`听取对象 ${i + 1}`} rules={required('请选择听取对象')}>
                  <Select options={options('InvestigationSourceKind')} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'summary']} label={`听取内容 ${i + 1}`} rules={required('请填写听取内容')}>
                  <Input.TextArea rows={2} style={{ width: 260 }} />
                </Form.Item>
                <Button type="link" onClick={() => remove(field.name)} aria-label={`删除听取对象 ${i + 1}`} style={{ marginTop: 30 }}>
                  删除
                </Button>
              </Space>
            ))}
            <Form.Item>
              <Button onClick={() => add()}>增加听取对象</Button>
              {/* The service's errors about the sources as a whole (BOTH_SIDES_REQUIRED). */}
              <Form.ErrorList errors={errors} />
            </Form.Item>
          </>
        )}
      </Form.List>
      <Form.Item name="findings" label="调查结论" rules={required('请填写调查结论')}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </MutationForm>
  );
}

/** A visit that took place: who went (the officer recording it, by default), when, where, whom they
 * met, what was said and agreed; a return visit's finding (was the opinion carried out?) and the
 * petitioner's satisfaction now — a failed one reopens the matter. */
function VisitForm({ kind, ctx, submit }: { kind: VisitKind; ctx: ActionContext; submit: string }) {
  const { officer } = useSession();
  const toVariables = ({ heldAt, ...v }: Values) => ({
    input: {
      ...v,
      kind,
      petitionIds: [ctx.petition.id],
      heldAt: heldAt ? (heldAt as Dayjs).toISOString() : undefined,
    },
  });
  return (
    <MutationForm
      mutation={RecordVisitDocument}
      submit={submit}
      initialValues={{ officerIds: [officer.id] }}
      toVariables={toVariables}
      refetchQueries={['PetitionDetail']}
      onDone={ctx.onDone}
    >
      <Form.Item name="officerIds" label="参加人员" rules={required('请选择参加人员')}>
        <Select mode="multiple" options={visitOfficers(ctx.data)} optionFilterProp="label" />
      </Form.Item>
      <Form.Item name="heldAt" label="时间" extra="不填为现在">
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Form.Item name="place" label="地点">
        <Input />
      </Form.Item>
      <Form.Item name="met" label="接谈对象">
        <Input />
      </Form.Item>
      <Form.Item name="summary" label="接谈情况" rules={required('请填写接谈情况')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="agreed" label="商定事项">
        <Input.TextArea rows={2} />
      </Form.Item>
      {kind === 'RETURN' && (
        <>
          <Form.Item name="returnFinding" label="意见落实情况" rules={required('请选择落实情况')}>
            <Select options={options('ReturnFinding')} />
          </Form.Item>
          <Form.Item name="satisfactionNow" label="信访人现在的评价">
            <Select options={options('Satisfaction')} allowClear />
          </Form.Item>
        </>
      )}
    </MutationForm>
  );
}
