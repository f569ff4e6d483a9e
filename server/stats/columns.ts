/** Table columns built from `stats:col.*` labels, so every table names and aligns its columns alike. */
import type { TFunction } from 'i18next';
import type { DataTable } from './types';

/** A first column naming the rows (a course, an organisation, a year…) and then columns of numbers. */
export function countColumns(t: TFunction, first: string, numeric: string[]): DataTable['columns'] {
  return [
    { label: t(`stats:col.${first}`) },
    ...numeric.map((key) => ({ label: t(`stats:col.${key}`), numeric: true })),
  ];
}
