import { useQuery } from '@apollo/client';
import { Alert, Col, Form, Input, Row, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { AdminGuideDocument, UpdateOfficeGuideDocument, type OfficeGuideFieldsFragment } from '../graphql/graphql';
import { MutationForm } from '../ui/MutationForm';
import { ServiceErrors } from '../ui/ServiceErrors';

type Field = Exclude<keyof OfficeGuideFieldsFragment, '__typename' | 'updatedAt'>;

/** What the petitioners' site shows under 信访指南 (/public/), in its order; long ones as text
 * areas. The time limits it states are the office's own settings (期限设置), not edited here. */
const FIELDS: { name: Field; label: string; long?: boolean }[] = [
  { name: 'receptionAddress', label: '接待地点' },
  { name: 'receptionHours', label: '接待时间' },
  { name: 'leaderReception', label: '领导接访日' },
  { name: 'phone', label: '咨询投诉电话' },
  { name: 'postalAddress', label: '来信地址及邮编' },
  { name: 'email', label: '电子信箱' },
  { name: 'channels', label: '其他信访渠道', long: true },
  { name: 'litigation', label: '诉讼类事项的去向', long: true },
  { name: 'notes', label: '其他须知', long: true },
];

/** 信访指南: the guide the office publishes for petitioners (Art 18). A field left empty shows its
 * default again (derived from the office's name and address). */
export default function GuideTab() {
  const { data, error } = useQuery(AdminGuideDocument);
  const [saved, setSaved] = useState(false);
  if (error) return <ServiceErrors error={error} />;
  if (!data) return <Spin />;
  const { __typename, updatedAt, ...guide } = data.officeGuide;
  return (
    // Remounted after each save: the form shows the guide as saved, defaults back in emptied fields.
    <MutationForm
      key={updatedAt ?? 'never edited'}
      mutation={UpdateOfficeGuideDocument}
      submit="保存"
      initialValues={guide}
      // Every field is sent: an emptied one goes back to its default.
      toVariables={(v) => Object.fromEntries(FIELDS.map(({ name }) => [name, (v[name] as string | undefined) ?? '']))}
      refetchQueries={['AdminGuide']}
      onDone={() => setSaved(true)}
    >
      <Typography.Paragraph type="secondary">
        信访人在本单位网站“信访指南”页面看到以下内容；留空的项目显示默认内容。
        {updatedAt && ` 最近修改：${dayjs(updatedAt).format('YYYY-MM-DD HH:mm')}`}
      </Typography.Paragraph>
      <Row gutter={24}>
        {FIELDS.map((f) => (
          <Col span={f.long ? 24 : 12} key={f.name}>
            <Form.Item name={f.name} label={f.label}>
              {f.long ? <Input.TextArea rows={3} /> : <Input />}
            </Form.Item>
          </Col>
        ))}
      </Row>
      {saved && <Alert type="success" showIcon message="已保存" style={{ marginBottom: 16 }} role="status" />}
    </MutationForm>
  );
}
