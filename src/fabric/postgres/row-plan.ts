import type { TableColumnSchema, TableTarget } from '../catalog/query-target';
import { FabricError } from '../fabric.error';
import type { CellValue, FrameColumn } from '../frame';

export type RowOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'like' | 'isNull';
export type SortDirection = 'asc' | 'desc';

/** A filter as the caller gives it: one value, several (IN), or none (IS_NULL). */
export interface RowFilter {
  column: string;
  op: RowOperator;
  value?: CellValue;
  values?: CellValue[] | null;
}

export interface RowOrder {
  column: string;
  direction: SortDirection;
}

/** A row query as the caller gives it, before validation. */
export interface RowQuery {
  columns?: string[] | null;
  filters?: RowFilter[] | null;
  orderBy?: RowOrder[] | null;
}

/** A filter whose column is harvested and whose values fit the column's type. */
export interface CheckedFilter {
  column: TableColumnSchema;
  op: RowOperator;
  /** One value for comparisons, the list for IN, and for IS_NULL whether the column must be null. */
  value: CellValue | CellValue[];
}

/** A validated row query: every name comes from the harvested schema. */
export interface RowPlan {
  columns: TableColumnSchema[];
  filters: CheckedFilter[];
  /** The requested order, then key columns so that pages never overlap. */
  orderBy: Array<{ column: TableColumnSchema; direction: SortDirection }>;
  frameColumns: FrameColumn[];
}

const MAX_FILTERS = 50;
const MAX_IN_VALUES = 1000;
const MAX_TEXT_LENGTH = 4096;
const NUMERIC = ['xsd:short', 'xsd:int', 'xsd:long', 'xsd:float', 'xsd:double', 'xsd:decimal'];
const TIME = ['xsd:dateTimeStamp', 'xsd:dateTime', 'xsd:date'];
const UNORDERED = ['rdf:JSON', 'rdf:XMLLiteral'];

/** Validate a row query against the table's harvested columns. */
export function planRows(target: TableTarget, query: RowQuery, required: string[] = []): RowPlan {
  const columns = pickColumns(target, query.columns ?? null, required);
  const filters = (query.filters ?? []).map((filter) => checkFilter(target, filter));
  if (filters.length > MAX_FILTERS) {
    throw new FabricError(
      'INVALID_QUERY',
      `${filters.length} filters were given: use at most ${MAX_FILTERS}`,
    );
  }
  const orderBy = orderOf(target, query.orderBy ?? [], columns);

  return {
    columns,
    filters,
    orderBy,
    frameColumns: columns.map((column) => ({
      name: column.name,
      datatype: column.xsdType,
      unit: column.unit ?? null,
      role: TIME.includes(column.xsdType) ? 'time' : 'column',
    })),
  };
}

/** Look a column up by name, with an error that lists the table's columns. */
export function columnOf(target: TableTarget, name: string, role = 'column'): TableColumnSchema {
  const column = target.columns.get(name);
  if (column === undefined) {
    throw new FabricError(
      'INVALID_QUERY',
      `${role} ${JSON.stringify(name.slice(0, 80))} is not a column of ${target.schema}.${target.table}: use one of ${[...target.columns.keys()].slice(0, 30).join(', ')}`,
    );
  }
  return column;
}

function pickColumns(
  target: TableTarget,
  requested: string[] | null,
  required: string[],
): TableColumnSchema[] {
  const names =
    requested === null || requested.length === 0
      ? [...target.columns.keys()]
      : [...new Set(requested)];
  for (const name of required) {
    if (!names.includes(name)) {
      names.push(name);
    }
  }
  return names.map((name) => columnOf(target, name));
}

function checkFilter(target: TableTarget, filter: RowFilter): CheckedFilter {
  const column = columnOf(target, filter.column, 'filter column');
  const where = `filter on ${column.name}`;

  switch (filter.op) {
    case 'isNull': {
      const value = filter.value ?? true;
      if (typeof value !== 'boolean') {
        throw new FabricError(
          'INVALID_QUERY',
          `${where}: IS_NULL takes true (is null) or false (is not null) as value`,
        );
      }
      return { column, op: 'isNull', value };
    }
    case 'in': {
      const values = filter.values ?? [];
      if (values.length === 0 || values.length > MAX_IN_VALUES) {
        throw new FabricError(
          'INVALID_QUERY',
          `${where}: IN takes 1 to ${MAX_IN_VALUES} values in values, got ${values.length}`,
        );
      }
      return { column, op: 'in', value: values.map((value) => checkValue(column, value, where)) };
    }
    case 'like': {
      if (column.xsdType !== 'xsd:string') {
        throw new FabricError(
          'INVALID_QUERY',
          `${where}: LIKE applies to text columns, but ${column.name} is ${column.sqlType}`,
        );
      }
      return { column, op: 'like', value: checkValue(column, filter.value ?? null, where) };
    }
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      if (filter.values !== undefined && filter.values !== null) {
        throw new FabricError(
          'INVALID_QUERY',
          `${where}: ${filter.op.toUpperCase()} takes one value in value; use IN for a list`,
        );
      }
      return { column, op: filter.op, value: checkValue(column, filter.value ?? null, where) };
  }
}

/** Check that a value fits the column's type; it is sent as a bound parameter, never as SQL text. */
function checkValue(
  column: TableColumnSchema,
  value: CellValue | undefined,
  where: string,
): CellValue {
  if (value === null || value === undefined) {
    throw new FabricError(
      'INVALID_QUERY',
      `${where}: the value is missing; use IS_NULL to match nulls`,
    );
  }
  if (UNORDERED.includes(column.xsdType)) {
    throw new FabricError(
      'INVALID_QUERY',
      `${where}: ${column.name} holds ${column.sqlType} values, which can only be filtered with IS_NULL`,
    );
  }

  if (NUMERIC.includes(column.xsdType)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new FabricError(
        'INVALID_QUERY',
        `${where}: ${describe(value)} is not a number, but ${column.name} is ${column.sqlType}`,
      );
    }
    return value;
  }
  if (column.xsdType === 'xsd:boolean') {
    if (typeof value !== 'boolean') {
      throw new FabricError(
        'INVALID_QUERY',
        `${where}: ${describe(value)} is not true or false, but ${column.name} is boolean`,
      );
    }
    return value;
  }
  if (typeof value !== 'string') {
    throw new FabricError(
      'INVALID_QUERY',
      `${where}: ${describe(value)} is not a string, but ${column.name} is ${column.sqlType}`,
    );
  }
  if (value.length > MAX_TEXT_LENGTH) {
    throw new FabricError(
      'INVALID_QUERY',
      `${where}: the value is longer than ${MAX_TEXT_LENGTH} characters`,
    );
  }
  if (TIME.includes(column.xsdType) && Number.isNaN(Date.parse(value))) {
    throw new FabricError(
      'INVALID_QUERY',
      `${where}: ${describe(value)} is not a date or time; give RFC 3339 (2024-03-01T10:00:00Z)`,
    );
  }
  return value;
}

function orderOf(
  target: TableTarget,
  requested: RowOrder[],
  selected: TableColumnSchema[],
): RowPlan['orderBy'] {
  const order: RowPlan['orderBy'] = requested.map((entry) => {
    const column = columnOf(target, entry.column, 'order column');
    if (UNORDERED.includes(column.xsdType)) {
      throw new FabricError(
        'INVALID_QUERY',
        `order column ${column.name} holds ${column.sqlType} values, which have no order: sort by another column`,
      );
    }
    return { column, direction: entry.direction };
  });

  // Key columns break ties, so OFFSET paging sees every row once while the table is unchanged.
  const keys =
    target.primaryKey.length > 0
      ? target.primaryKey.map((name) => columnOf(target, name))
      : selected.filter((column) => !UNORDERED.includes(column.xsdType));
  for (const column of keys) {
    if (!order.some((entry) => entry.column.name === column.name)) {
      order.push({ column, direction: 'asc' });
    }
  }
  return order;
}

function describe(value: CellValue): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
