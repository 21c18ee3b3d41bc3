import type { FrameColumn } from '../fabric/frame';
import { epochNanoseconds, parquetColumnData, parquetSchema } from './parquet-columns';

const COLUMNS: FrameColumn[] = [
  { name: 'time', datatype: 'xsd:dateTimeStamp', unit: null, role: 'time' },
  { name: 'count', datatype: 'xsd:long', unit: null, role: 'field' },
  { name: 'value', datatype: 'xsd:double', unit: 'Cel', role: 'field' },
  { name: 'ok', datatype: 'xsd:boolean', unit: null, role: 'field' },
  { name: 'day', datatype: 'xsd:date', unit: null, role: 'column' },
  { name: 'notes', datatype: 'rdf:JSON', unit: null, role: 'column' },
  { name: 'reactor', datatype: 'xsd:string', unit: null, role: 'tag' },
];

describe('parquet columns', () => {
  it('maps frame types to Parquet types', () => {
    expect(parquetSchema(COLUMNS)).toEqual([
      { name: 'root', num_children: 7 },
      {
        name: 'time',
        repetition_type: 'OPTIONAL',
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' },
      },
      { name: 'count', repetition_type: 'OPTIONAL', type: 'INT64' },
      { name: 'value', repetition_type: 'OPTIONAL', type: 'DOUBLE' },
      { name: 'ok', repetition_type: 'OPTIONAL', type: 'BOOLEAN' },
      { name: 'day', repetition_type: 'OPTIONAL', type: 'INT32', converted_type: 'DATE' },
      { name: 'notes', repetition_type: 'OPTIONAL', type: 'BYTE_ARRAY', converted_type: 'JSON' },
      { name: 'reactor', repetition_type: 'OPTIONAL', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
    ]);
  });

  it('converts a page column by column', () => {
    const data = parquetColumnData(COLUMNS, [
      ['2024-03-01T00:00:00.123456789Z', 3, 37.5, true, '2024-03-01', { a: 1 }, 'BR-01'],
      [null, '9007199254740993', null, null, null, null, null],
    ]);

    expect(data.map((column) => column.name)).toEqual(COLUMNS.map((column) => column.name));
    expect(data.map((column) => column.data)).toEqual([
      [1709251200123456789n, null],
      [3n, 9007199254740993n],
      [37.5, null],
      [true, null],
      [new Date('2024-03-01T00:00:00Z'), null],
      [{ a: 1 }, null],
      ['BR-01', null],
    ]);
  });

  it('keeps every fraction digit of a time', () => {
    expect(epochNanoseconds('1970-01-01T00:00:01Z')).toBe(1_000_000_000n);
    expect(epochNanoseconds('1970-01-01T00:00:00.5Z')).toBe(500_000_000n);
    expect(epochNanoseconds('1970-01-01T01:00:00.000000001+01:00')).toBe(1n);
  });
});
