import { useMutation, useQuery } from '@apollo/client';
import { Alert, Button, Col, Descriptions, Form, Input, Menu, Row, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { AdminNoticeTemplatesDocument, SetNoticeTemplateDocument, type NoticeTemplateFieldsFragment } from '../graphql/graphql';
import { label } from '../ui/labels';
import { MutationForm } from '../ui/MutationForm';
import { ServiceErrors } from '../ui/ServiceErrors';

const REFETCH = ['AdminNoticeTemplates'];
/** The placeholders in the words of the screen; one the API adds later shows its own meaning. */
const PLACEHOLDER_NAMES: Record<string, string> = {
  name: '信访人姓名',
  reference: '信访件编号',
  office: '本单位名称',
  title: '文书标题',
  text: '文书正文',
  date: '发文日期',
  query_code: '查询码（仅登记告知）',
};

/** 告知模板: how the office words each kind of notice to petitioners (e-mail and letter). The
 * document itself is `{text}`, so only its frame is worded here; an unknown placeholder is refused
 * by the field (INVALID_TEMPLATE). Leaders and admins; 恢复默认 drops the office's own wording. */
export default function NoticeTemplatesTab() {
  const { data, error } = useQuery(AdminNoticeTemplatesDocument);
  const [kind, setKind] = useState<string | null>(null);
  // Kept here: the editor is remounted by the save it reports.
  const [saved, setSaved] = useState(false);
  if (error) return <ServiceErrors error={error} />;
  if (!data) return <Spin />;
  const templates = data.noticeTemplates;
  const current = templates.find((t) => t.kind === kind) ?? templates[0];
  return (
    <Row gutter={24}>
      <Col span={6}>
        <Menu
          mode="inline"
          selectedKeys={[current.kind]}
          onClick={({ key }) => {
            setKind(key);
            setSaved(false);
          }}
          items={templates.map((t) => ({
            key: t.kind,
            label: (
              <span data-testid="template-kind" data-kind={t.kind} data-default={t.isDefault}>
                {label('NoticeKind', t.kind)} {!t.isDefault && <Tag color="blue">已修改</Tag>}
              </span>
            ),
          }))}
        />
      </Col>
      <Col span={18}>
        {/* Remounted per kind and after each save: the form shows the wording as it now stands. */}
        <TemplateEditor
          key={`${current.kind} ${current.updatedAt ?? 'default'}`}
          template={current}
          saved={saved}
          onSaved={setSaved}
        />
      </Col>
    </Row>
  );
}

interface EditorProps {
  template: NoticeTemplateFieldsFragment;
  saved: boolean;
  onSaved: (saved: boolean) => void;
}

function TemplateEditor({ template, saved, onSaved }: EditorProps) {
  const [restore, restoring] = useMutation(SetNoticeTemplateDocument, {
    onError: () => undefined,
    refetchQueries: REFETCH,
    awaitRefetchQueries: true,
  });
  const who = template.updatedBy && (template.updatedBy.fullName || template.updatedBy.username);
  return (
    <MutationForm
      mutation={SetNoticeTemplateDocument}
      submit="保存"
      initialValues={{ subject: template.subject, body: template.body }}
      toVariables={(v) => ({ kind: template.kind, subject: v.subject ?? '', body: v.body ?? '' })}
      refetchQueries={REFETCH}
      onDone={() => onSaved(true)}
    >
      <Typography.Title level={5}>
        {label('NoticeKind', template.kind)}{' '}
        {template.isDefault ? <Tag>默认</Tag> : <Tag color="blue">本单位</Tag>}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        电子邮件和邮寄告知书使用此模板；{'{text}'} 是文书正文本身，不在此修改。
        {template.updatedAt && ` 最近修改：${dayjs(template.updatedAt).format('YYYY-MM-DD HH:mm')}`}
        {who && `（${who}）`}
      </Typography.Paragraph>
      <Form.Item name="subject" label="标题">
        <Input />
      </Form.Item>
      <Form.Item name="body" label="正文">
        <Input.TextArea rows={8} />
      </Form.Item>
      <Descriptions size="small" column={2} title="可用占位符" style={{ marginBottom: 16 }}>
        {template.placeholders.map((p) => (
          <Descriptions.Item key={p.name} label={<Typography.Text code>{`{${p.name}}`}</Typography.Text>}>
            {PLACEHOLDER_NAMES[p.name] ?? p.meaning}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {saved && <Alert type="success" showIcon message="已保存" style={{ marginBottom: 16 }} role="status" />}
      <ServiceErrors error={restoring.error} />
      <Button
        style={{ float: 'right' }}
        disabled={template.isDefault}
        loading={restoring.loading}
        onClick={() => {
          onSaved(false);
          void restore({ variables: { kind: template.kind, subject: '', body: '' } });
        }}
      >
        恢复默认
      </Button>
    </MutationForm>
  );
}
