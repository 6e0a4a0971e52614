import { useQuery } from '@apollo/client';
import { Alert, Col, Form, InputNumber, Row, Spin } from 'antd';
import { useState } from 'react';
import { AdminSettingsDocument, UpdateOfficeSettingsDocument } from '../graphql/graphql';
import { MutationForm } from '../ui/MutationForm';
import { ServiceErrors } from '../ui/ServiceErrors';
import { SETTING_FIELDS as FIELDS } from './settingFields';

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
