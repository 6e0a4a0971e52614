import { useLazyQuery, useMutation, useQuery } from '@apollo/client';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, Result, Row, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../app/session';
import {
  RegisterPetitionDocument,
  RegistrationOptionsDocument,
  RepeatPreviewDocument,
  type AccusedKind,
  type Channel,
  type PetitionerInput,
  type RegisterPetitionMutation,
} from '../graphql/graphql';
import { label, options } from '../ui/labels';
import { errorMessage } from '../ui/errorMessages';
import { ServiceErrors } from '../ui/ServiceErrors';
import { newKey } from './actions/forms';
import { idNumberProblem } from './idNumber';
import { RepeatEvidence } from './RepeatEvidence';

interface Draft {
  channel: Channel;
  receivedOn?: Dayjs;
  category: string;
  placeCode?: string;
  place: string;
  accusedBody?: string;
  accusedKind?: AccusedKind;
  accusedDivisionCode?: string;
  content: string;
  request?: string;
  isAccusation?: boolean;
  isSkipLevel?: boolean;
  petitioners: PetitionerInput[];
}

function variables(draft: Draft) {
  const petitioners = draft.petitioners.map((p) => ({
    name: p.name,
    idNumber: p.idNumber || undefined,
    phone: p.phone || undefined,
    address: p.address || undefined,
    isRepresentative: !!p.isRepresentative,
  }));
  return { ...draft, petitioners, receivedOn: draft.receivedOn?.format('YYYY-MM-DD') };
}

/** 登记: a petition from any channel; the repeat check of the draft before saving; the reference,
 * the query code and a printable receipt (回执) after. */
export function RegisterPetition() {
  const { office } = useSession();
  const [form] = Form.useForm<Draft>();
  const [key, setKey] = useState(newKey);
  const { data: opts } = useQuery(RegistrationOptionsDocument);
  const [preview, previewed] = useLazyQuery(RepeatPreviewDocument, { fetchPolicy: 'network-only' });
  const [checkedDraft, setCheckedDraft] = useState<string | null>(null);
  const [register, registered] = useMutation(RegisterPetitionDocument, { onError: () => undefined });
  const [done, setDone] = useState<RegisterPetitionMutation['registerPetition'] | null>(null);
  const placeNames = useMemo(() => new Map(opts?.divisions.map((d) => [d.code, d.name])), [opts]);

  async function onFinish(draft: Draft) {
    const vars = variables(draft);
    const fingerprint = JSON.stringify(vars);
    if (checkedDraft !== fingerprint) {
      // First the repeat check of exactly this draft; saving takes a second, informed click.
      const result = await preview({ variables: vars });
      setCheckedDraft(fingerprint);
      const check = result.data?.repeatPreview;
      if (check?.candidates.length || check?.onTerminatedMatter || !check?.available) return;
    }
    const result = await register({ variables: { ...vars, idempotencyKey: key } });
    if (result.data) setDone(result.data.registerPetition);
  }

  if (done) {
    return (
      <Receipt
        office={office.name}
        registration={done}
        onAnother={() => {
          setDone(null);
          setCheckedDraft(null);
          setKey(newKey());
          form.resetFields();
        }}
      />
    );
  }

  const previewResult = previewed.data?.repeatPreview;
  // Shown when saving waits for a second, informed click: candidates, a terminated matter, or
  // no search at all.
  const check =
    previewResult && checkedDraft && (previewResult.candidates.length || previewResult.onTerminatedMatter || !previewResult.available)
      ? previewResult
      : null;
  return (
    <div>
      <Typography.Title level={3}>登记信访件</Typography.Title>
      <Form<Draft>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={() => setCheckedDraft(null)}
        initialValues={{ channel: 'VISIT', receivedOn: dayjs(), petitioners: [{ isRepresentative: false }] }}
      >
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item name="channel" label="信访渠道" rules={[{ required: true, message: '请选择渠道' }]}>
              <Select options={options('Channel')} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="receivedOn" label="收信/来访日期">
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="category" label="问题分类" rules={[{ required: true, message: '请选择分类' }]}>
              <Select showSearch optionFilterProp="label" options={opts?.categories.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />
            </Form.Item>
          </Col>
        </Row>

        <Card size="small" title="信访人" style={{ marginBottom: 16 }}>
          <Form.List name="petitioners">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Row gutter={8} key={field.key} align="top" data-testid="petitioner">
                    <Col span={4}>
                      <Form.Item name={[field.name, 'name']} label={`姓名 ${i + 1}`} rules={[{ required: true, message: '请填写姓名' }]}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item
                        name={[field.name, 'idNumber']}
                        label={`身份证号 ${i + 1}`}
                        validateTrigger={['onChange', 'onBlur']}
                        rules={[{ validator: async (_, v?: string) => { const problem = v ? idNumberProblem(v) : null; if (problem) throw new Error(problem); } }]}
                      >
                        <Input maxLength={18} />
                      </Form.Item>
                    </Col>
                    <Col span={4}>
                      <Form.Item name={[field.name, 'phone']} label={`电话 ${i + 1}`}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[field.name, 'address']} label={`住址 ${i + 1}`}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Form.Item name={[field.name, 'isRepresentative']} label="代表" valuePropName="checked">
                        <Checkbox aria-label={`信访人 ${i + 1} 为代表`} />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      {fields.length > 1 && (
                        <Button style={{ marginTop: 30 }} onClick={() => remove(field.name)} aria-label={`删除信访人 ${i + 1}`}>
                          删除
                        </Button>
                      )}
                    </Col>
                  </Row>
                ))}
                <Button onClick={() => add({ isRepresentative: false })}>添加信访人（集体访）</Button>
                <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                  多人同时反映同一问题为集体访，代表不超过 5 人
                </Typography.Text>
              </>
            )}
          </Form.List>
        </Card>

        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="placeCode" label="问题发生地（行政区划）">
              <Select
                showSearch
                allowClear
                optionFilterProp="label"
                options={opts?.divisions.map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
                onChange={(code?: string) => {
                  if (code && !form.getFieldValue('place')) form.setFieldValue('place', placeNames.get(code));
                }}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="place" label="发生地详址" rules={[{ required: true, message: '请填写问题发生地' }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="accusedBody" label="被反映单位或人员">
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="content" label="反映内容" rules={[{ required: true, message: '请填写反映内容' }]}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="request" label="诉求">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space>
          <Form.Item name="isAccusation" valuePropName="checked">
            <Checkbox>检举控告（不向被检举单位透露信访人身份）</Checkbox>
          </Form.Item>
          <Form.Item name="isSkipLevel" valuePropName="checked">
            <Checkbox>越级访</Checkbox>
          </Form.Item>
        </Space>
        <Form.Item noStyle shouldUpdate={(a, b) => a.isAccusation !== b.isAccusation}>
          {({ getFieldValue }) =>
            getFieldValue('isAccusation') && (
              <Row gutter={16}>
                <Col span={8}>
                  <Form.Item name="accusedKind" label="被检举对象类别" rules={[{ required: true, message: '请选择类别' }]}>
                    <Select options={options('AccusedKind')} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="accusedDivisionCode" label="被检举对象所在地" rules={[{ required: true, message: '请选择所在地' }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      options={opts?.divisions.map((d) => ({ value: d.code, label: `${d.name} ${d.code}` }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
            )
          }
        </Form.Item>

        {check && (
          <Card size="small" title="重复访检查" style={{ marginBottom: 16 }} data-testid="repeat-preview">
            {!check.available && <Alert type="warning" message={`${errorMessage(check.unavailableCode ?? undefined)}：可以先登记，稍后再查重`} />}
            {check.onTerminatedMatter && <Alert type="error" showIcon style={{ marginBottom: 8 }} message="该事项已终结：同一事实和理由不再受理" />}
            {!!check.candidates.length && (
              <Table
                rowKey="reference"
                size="small"
                pagination={false}
                dataSource={check.candidates}
                columns={[
                  { title: '编号', dataIndex: 'reference' },
                  { title: '单位', render: (_, c) => c.office.name },
                  { title: '登记', render: (_, c) => dayjs(c.registeredAt).format('YYYY-MM-DD') },
                  { title: '状态', render: (_, c) => label('PetitionStatus', c.status) },
                  { title: '重复可能性', render: (_, c) => c.score.toFixed(2) },
                  { title: '理由', render: (_, c) => <RepeatEvidence reasons={c.reasons} explanation={c.explanation} /> },
                ]}
              />
            )}
          </Card>
        )}
        <ServiceErrors error={registered.error ?? previewed.error} form={form} />
        <Button type="primary" htmlType="submit" loading={registered.loading || previewed.loading}>
          {check ? '确认登记' : '查重并登记'}
        </Button>
      </Form>
    </div>
  );
}

function Receipt({ office, registration, onAnother }: { office: string; registration: NonNullable<RegisterPetitionMutation['registerPetition']>; onAnother: () => void }) {
  const p = registration.petition;
  return (
    <Result
      status="success"
      title="登记成功"
      subTitle="请将编号和查询码告知信访人，凭此查询办理进度"
      extra={[
        <Button key="print" type="primary" onClick={() => window.print()}>打印回执</Button>,
        <Link key="detail" to={`/petitions/${encodeURIComponent(p.id)}`}><Button>查看信访件</Button></Link>,
        <Button key="again" onClick={onAnother}>继续登记</Button>,
      ]}
    >
      <div className="receipt" data-testid="receipt">
        <Typography.Title level={4} style={{ textAlign: 'center' }}>{office} 信访事项登记回执</Typography.Title>
        <Descriptions bordered column={1} size="small">
          <Descriptions.Item label="编号"><span data-testid="receipt-reference">{p.reference}</span></Descriptions.Item>
          <Descriptions.Item label="查询码"><span data-testid="receipt-query-code">{registration.queryCode}</span></Descriptions.Item>
          <Descriptions.Item label="信访人">{p.petitioners.map((x) => x.name).join('、')}</Descriptions.Item>
          <Descriptions.Item label="渠道">{label('Channel', p.channel)}</Descriptions.Item>
          <Descriptions.Item label="分类">{p.category.name}</Descriptions.Item>
          <Descriptions.Item label="登记时间">{dayjs(p.registeredAt).format('YYYY年M月D日 HH:mm')}</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          本机关将在 15 日内告知是否受理。
        </Typography.Paragraph>
      </div>
    </Result>
  );
}
