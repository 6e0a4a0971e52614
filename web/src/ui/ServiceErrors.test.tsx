import { ApolloError } from '@apollo/client';
import { render, screen, waitFor } from '@testing-library/react';
import { Form, Input } from 'antd';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { namePath, ServiceErrors } from './ServiceErrors';

function Registration({ error }: { error: ApolloError }) {
  const [form] = Form.useForm();
  return (
    <Form form={form} initialValues={{ petitioners: [{ name: '张三', idNumber: '1' }] }}>
      <Form.List name="petitioners">
        {(fields) =>
          fields.map((field) => (
            <Form.Item key={field.key} name={[field.name, 'idNumber']} label="身份证号">
              <Input />
            </Form.Item>
          ))
        }
      </Form.List>
      <ServiceErrors error={error} form={form} />
    </Form>
  );
}

const error = (code: string, field?: string) =>
  new ApolloError({ graphQLErrors: [new GraphQLError(code, { extensions: { code, field } })] });

describe('ServiceErrors', () => {
  it('shows an error next to the field it names, inside a list of petitioners', async () => {
    const { container } = render(<Registration error={error('INVALID_ID_NUMBER', 'petitioners.0.idNumber')} />);
    await waitFor(() => expect(container.querySelector('.ant-form-item-explain-error')?.textContent).toBe('身份证号码无效'));
    expect(container.querySelector('.ant-alert')).toBeNull();
  });

  it('shows an error that names no field of the form as one alert', async () => {
    const { container } = render(<Registration error={error('STALE_VERSION', 'version')} />);
    await waitFor(() => expect(screen.getByText('信访件已被他人修改，请刷新后重试')).toBeTruthy());
    expect(container.querySelector('.ant-alert')?.getAttribute('data-codes')).toBe('STALE_VERSION');
  });
});

describe('namePath', () => {
  it('turns the service field into a form name path', () => {
    expect(namePath('petitioners.2.idNumber')).toEqual(['petitioners', 2, 'idNumber']);
    expect(namePath('reason')).toEqual(['reason']);
  });
});
