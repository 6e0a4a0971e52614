import { useMutation, type DocumentNode } from '@apollo/client';
import { Button, Form } from 'antd';
import type { ReactNode } from 'react';
import { ServiceErrors } from '../../ui/ServiceErrors';

type Variables = Record<string, unknown>;

interface Props {
  mutation: DocumentNode;
  submit: string;
  /** The form's values as the mutation's variables (the form's item names are its arguments). */
  toVariables: (values: Variables) => Variables;
  onDone: () => void;
  children?: ReactNode;
}

/** One workflow step as a form: runs its mutation, shows the service's errors by the field they
 * name (item names are the mutation's argument names), refetches the detail when it succeeded. */
export function TransitionForm({ mutation, submit, toVariables, onDone, children }: Props) {
  const [form] = Form.useForm();
  const [run, { loading, error }] = useMutation(mutation, {
    onError: () => undefined,
    refetchQueries: ['PetitionDetail'],
    awaitRefetchQueries: true,
  });
  async function onFinish(values: Variables) {
    const result = await run({ variables: toVariables(values) });
    if (result.data) onDone();
  }
  return (
    <Form form={form} layout="vertical" onFinish={onFinish}>
      {children}
      <ServiceErrors error={error} form={form} />
      <Button type="primary" htmlType="submit" loading={loading}>
        {submit}
      </Button>
    </Form>
  );
}
