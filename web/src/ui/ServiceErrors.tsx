import type { ApolloError } from '@apollo/client';
import { Alert, type FormInstance } from 'antd';
import { useEffect } from 'react';
import { serviceErrors, splitByField } from './serviceErrors';

interface Props {
  error: ApolloError | undefined | null;
  /** The form whose fields show the errors that name them; the rest show here. */
  form?: FormInstance;
}

/** The service's typed errors in Chinese: by the field they name, else as one alert. */
export function ServiceErrors({ error, form }: Props) {
  const errors = serviceErrors(error);
  const fields = form ? Object.keys(form.getFieldsValue(true)) : [];
  const registered = form ? fieldNames(form) : [];
  const { byField, general } = splitByField(errors, [...fields, ...registered]);
  useEffect(() => {
    if (!form) return;
    form.setFields(Object.entries(byField).map(([name, messages]) => ({ name, errors: messages })));
  }, [error, form]); // byField is derived from error
  if (!general.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      message={general.map((e) => e.message).join('；')}
      data-codes={general.map((e) => e.code).join(' ')}
    />
  );
}

function fieldNames(form: FormInstance): string[] {
  return form.getFieldsError().map((f) => String(f.name[0]));
}
