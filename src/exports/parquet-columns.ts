import type { ColumnSource, SchemaElement } from 'hyparquet-writer';

import type { CellValue, FrameColumn } from '../fabric/frame';

const INTEGER_TYPES = ['xsd:short', 'xsd:int', 'xsd:integer', 'xsd:long', 'xsd:unsignedInt'];
const FLOAT_TYPES = ['xsd:double', 'xsd:float', 'xsd:decimal'];
const TIME_TYPES = ['xsd:dateTimeStamp', 'xsd:dateTime'];

/** How the cells of one frame column become Parquet values. */
type ParquetKind = 'timestamp' | 'date' | 'int64' | 'double' | 'boolean' | 'json' | 'string';

/** The Parquet schema of a frame: a root group, then one optional column per frame column. */
export function parquetSchema(columns: readonly FrameColumn[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((column) => schemaElement(column)),
  ];
}

/**
 * The cells of a page, column by column, converted to the values the
 * schema's types take: timestamps as nanoseconds since the Unix epoch (the
 * RFC 3339 text keeps up to nine fraction digits), integers as bigint.
 */
export function parquetColumnData(
  columns: readonly FrameColumn[],
  rows: readonly CellValue[][],
): ColumnSource[] {
  return columns.map((column, index) => {
    const kind = kindOf(column);
    return {
      name: column.name,
      data: rows.map((row) => toParquetValue(kind, row[index] ?? null)),
    };
  });
}

function kindOf(column: FrameColumn): ParquetKind {
  if (TIME_TYPES.includes(column.datatype) || column.role === 'time') {
    return column.datatype === 'xsd:date' ? 'date' : 'timestamp';
  }
  if (column.datatype === 'xsd:date') {
    return 'date';
  }
  if (INTEGER_TYPES.includes(column.datatype)) {
    return 'int64';
  }
  if (FLOAT_TYPES.includes(column.datatype)) {
    return 'double';
  }
  if (column.datatype === 'xsd:boolean') {
    return 'boolean';
  }
  if (column.datatype === 'rdf:JSON') {
    return 'json';
  }
  return 'string';
}

function schemaElement(column: FrameColumn): SchemaElement {
  const base = { name: column.name, repetition_type: 'OPTIONAL' as const };
  switch (kindOf(column)) {
    case 'timestamp':
      return {
        ...base,
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' },
      };
    case 'date':
      return { ...base, type: 'INT32', converted_type: 'DATE' };
    case 'int64':
      return { ...base, type: 'INT64' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    case 'json':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'JSON' };
    case 'string':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
  }
}

function toParquetValue(kind: ParquetKind, value: CellValue): unknown {
  if (value === null) {
    return null;
  }
  switch (kind) {
    case 'timestamp':
      return typeof value === 'string' ? epochNanoseconds(value) : null;
    case 'date':
      return typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : null;
    case 'int64':
      // int8 values beyond 2^53 arrive as strings to keep their digits.
      return typeof value === 'number' || typeof value === 'string' ? BigInt(value) : null;
    case 'double':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true';
    case 'json':
      return value;
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** Nanoseconds since the Unix epoch of an RFC 3339 time, keeping every fraction digit. */
export function epochNanoseconds(text: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(
    text,
  );
  if (match === null) {
    const milliseconds = Date.parse(text);
    if (Number.isNaN(milliseconds)) {
      throw new Error(`"${text.slice(0, 40)}" is not an RFC 3339 time`);
    }
    return BigInt(milliseconds) * 1_000_000n;
  }
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  const fraction = (match[2] ?? '').padEnd(9, '0');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}
