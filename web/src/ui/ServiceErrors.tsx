import type { ApolloError } from '@apollo/client';
import { Alert, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { serviceErrors, splitByField, type ServiceError } from './serviceErrors';

interface Props {
  error: ApolloError | undefined | null;
  /** The form whose fields show the errors that name them; the rest show here. */
  form?: FormInstance;
}

/** `petitioners.0.idNumber` → the form's name path ['petitioners', 0, 'idNumber']. */
export function namePath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The service's typed errors in Chinese: by the field they name, else as one alert. */
export function ServiceErrors({ error, form }: Props) {
  const [general, setGeneral] = useState<ServiceError[]>(() => (form ? [] : serviceErrors(error)));
  useEffect(() => {
    const errors = serviceErrors(error);
    if (!form) return setGeneral(errors);
    // Matched against the fields the form has registered once it has rendered.
    const fields = form.getFieldsError().map((f) => f.name.join('.'));
    const split = splitByField(errors, fields);
    form.setFields(Object.entries(split.byField).map(([name, messages]) => ({ name: namePath(name), errors: messages })));
    setGeneral(split.general);
  }, [error, form]);
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
