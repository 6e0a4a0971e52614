import { useMutation, type DocumentNode } from '@apollo/client';
import { Button, Form } from 'antd';
import type { ReactNode } from 'react';
import { ServiceErrors } from './ServiceErrors';

type Variables = Record<string, unknown>;

interface Props<Data> {
  mutation: DocumentNode;
  /** The submit button's text. */
  submit: string;
  /** The form's values as the mutation's variables (the form's item names are its arguments). */
  toVariables?: (values: Variables) => Variables;
  /** The queries of the screen that show what the mutation changed. */
  refetchQueries: string[];
  onDone: (data: Data) => void;
  initialValues?: Variables;
  children?: ReactNode;
}

/** A form that runs one mutation: the service's errors show by the field they name (item names are
 * the mutation's argument names, nested ones as name paths), the rest as one alert; the screen's
 * queries are refetched before `onDone`. */
export function MutationForm<Data = unknown>({
  mutation, submit, toVariables, refetchQueries, onDone, initialValues, children,
}: Props<Data>) {
  const [form] = Form.useForm();
  const [run, { loading, error }] = useMutation(mutation, {
    onError: () => undefined,
    refetchQueries,
    awaitRefetchQueries: true,
  });
  async function onFinish(values: Variables) {
    const result = await run({ variables: toVariables ? toVariables(values) : values });
    if (result.data) onDone(result.data as Data);
  }
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} initialValues={initialValues}>
      {children}
      <ServiceErrors error={error} form={form} />
      <Button type="primary" htmlType="submit" loading={loading}>
        {submit}
      </Button>
    </Form>
  );
}
