import { qualifiedTable, quoteIdent } from '../../harvest/postgres/postgres-quote';
import type { TableTarget } from '../catalog/query-target';
import type { CheckedFilter, RowPlan } from './row-plan';

export interface SqlStatement {
  text: string;
  /** Values of $1, $2, … in order. */
  values: unknown[];
}

const COMPARISONS = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * Build the SELECT for a row plan. Table and column names come from the
 * harvested schema and are quoted; every filter value, LIMIT and OFFSET is
 * a bound parameter. PostgreSQL infers each parameter's type from the
 * column it is compared with, so `42` and `'2024-03-01T10:00:00Z'` reach
 * the server as the column's own type.
 */
export function buildRowsSelect(
  target: TableTarget,
  plan: RowPlan,
  page: { limit: number; offset: number },
): SqlStatement {
  const values: unknown[] = [];
  const bind = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };

  const selected = plan.columns.map((column) => quoteIdent(column.name)).join(', ');
  let text = `SELECT ${selected} FROM ${qualifiedTable(target.schema, target.table)}`;

  const conditions = plan.filters.map((filter) => condition(filter, bind));
  if (conditions.length > 0) {
    text += ` WHERE ${conditions.join(' AND ')}`;
  }
  if (plan.orderBy.length > 0) {
    const order = plan.orderBy.map(
      (entry) =>
        `${quoteIdent(entry.column.name)} ${entry.direction === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS FIRST'}`,
    );
    text += ` ORDER BY ${order.join(', ')}`;
  }
  text += ` LIMIT ${bind(page.limit)} OFFSET ${bind(page.offset)}`;
  return { text, values };
}

function condition(filter: CheckedFilter, bind: (value: unknown) => string): string {
  const column = quoteIdent(filter.column.name);
  switch (filter.op) {
    case 'isNull':
      return filter.value === false ? `${column} IS NOT NULL` : `${column} IS NULL`;
    case 'in':
      return `${column} = ANY(${bind(filter.value)})`;
    case 'like':
      return `${column} LIKE ${bind(filter.value)}`;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${column} ${COMPARISONS[filter.op]} ${bind(filter.value)}`;
  }
}
