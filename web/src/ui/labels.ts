import { LABELS } from '../graphql/labels';

type Enums = typeof LABELS;

/** The Chinese name of an enum value, as the schema describes it; the value itself otherwise. */
export function label<E extends keyof Enums>(enumName: E, value: string | null | undefined): string {
  if (!value) return '';
  return (LABELS[enumName] as Record<string, string>)[value] ?? value;
}

/** `options('Channel')`: every value of an enum with its name, for a Select. */
export function options<E extends keyof Enums>(enumName: E, only?: readonly string[]) {
  const values = LABELS[enumName] as Record<string, string>;
  return Object.entries(values)
    .filter(([value]) => !only || only.includes(value))
    .map(([value, name]) => ({ value, label: name }));
}
