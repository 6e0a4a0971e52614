import { useQuery } from '@apollo/client';
import { Alert, Col, Form, InputNumber, Row, Spin } from 'antd';
import { useState } from 'react';
import { AdminSettingsDocument, UpdateOfficeSettingsDocument, type AdminSettingsQuery } from '../graphql/graphql';
import { MutationForm } from '../ui/MutationForm';
import { ServiceErrors } from '../ui/ServiceErrors';

type Settings = AdminSettingsQuery['officeSettings'];

/** Every limit the office configures, in the order of a petition's path; the API says (and checks)
 * the bounds of each (a limit never longer than the Regulations allow). */
const FIELDS: { name: Exclude<keyof Settings, '__typename'>; label: string; unit: string }[] = [
  { name: 'routeDays', label: '登记后交办期限', unit: '日' },
  { name: 'acceptDays', label: '受理告知期限', unit: '日' },
  { name: 'handlingDays', label: '办理期限', unit: '日' },
  { name: 'maxExtensionDays', label: '最长延期', unit: '日' },
  { name: 'reviewRequestDays', label: '申请复查期限', unit: '日' },
  { name: 'reviewDays', label: '复查（复核）期限', unit: '日' },
  { name: 'receivedMaxDaysBack', label: '收信日期最多可追溯', unit: '日' },
  { name: 'assignMaxDays', label: '交办报告期限上限', unit: '日' },
  { name: 'orderMaxDays', label: '督办回复期限上限', unit: '日' },
  { name: 'collectiveMinPeople', label: '集体访预警人数', unit: '人' },
  { name: 'collectiveWindowDays', label: '集体访预警时段', unit: '日' },
];

/** 期限设置: the office's time limits and collective-alert thresholds. */
export default function SettingsTab() {
  const { data, error } = useQuery(AdminSettingsDocument);
  const [saved, setSaved] = useState(false);
  if (error) return <ServiceErrors error={error} />;
  if (!data) return <Spin />;
  const { __typename, ...settings } = data.officeSettings;
  const bounds = Object.fromEntries(data.officeSettingsBounds.map((b) => [b.name, b]));
  return (
    <MutationForm
      mutation={UpdateOfficeSettingsDocument}
      submit="保存"
      initialValues={{ settings }}
      refetchQueries={['AdminSettings']}
      onDone={() => setSaved(true)}
    >
      <Row gutter={24}>
        {FIELDS.map((f) => (
          <Col span={8} key={f.name}>
            <Form.Item
              name={['settings', f.name]}
              label={f.label}
              rules={[{ required: true, message: `请填写${f.label}` }]}
              extra={bounds[f.name] && `可设 ${bounds[f.name].min}–${bounds[f.name].max} ${f.unit}`}
            >
              <InputNumber addonAfter={f.unit} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      {saved && <Alert type="success" showIcon message="已保存" style={{ marginBottom: 16 }} role="status" />}
    </MutationForm>
  );
}
