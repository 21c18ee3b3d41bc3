import type { TableColumnSchema, TableTarget } from '../catalog/query-target';
import { planRows } from './row-plan';
import { buildRowsSelect } from './sql-rows.query';

const column = (name: string, xsdType: string, sqlType: string): [string, TableColumnSchema] => [
  name,
  { name, position: 0, sqlType, xsdType, nullable: true },
];
const target = {
  kind: 'postgres-table',
  dataset: { pid: 'https://w3id.org/site/ds2' },
  schema: 'lab"s',
  table: 'batch',
  primaryKey: ['id'],
  columns: new Map([
    column('id', 'xsd:int', 'integer'),
    column('name "x"', 'xsd:string', 'text'),
    column('started_at', 'xsd:dateTimeStamp', 'timestamp with time zone'),
    column('notes', 'rdf:JSON', 'jsonb'),
  ]),
} as unknown as TableTarget;

describe('SQL row statement', () => {
  it('quotes names and binds every value', () => {
    const plan = planRows(target, {
      columns: ['name "x"'],
      filters: [
        { column: 'id', op: 'in', values: [1, 2] },
        { column: 'name "x"', op: 'like', value: "a%' --" },
        { column: 'started_at', op: 'gte', value: '2024-03-01T00:00:00Z' },
        { column: 'notes', op: 'isNull', value: false },
      ],
      orderBy: [{ column: 'started_at', direction: 'desc' }],
    });
    const statement = buildRowsSelect(target, plan, { limit: 11, offset: 30 });

    expect(statement.text).toBe(
      'SELECT "name ""x""" FROM "lab""s"."batch" WHERE "id" = ANY($1) AND "name ""x""" LIKE $2 AND "started_at" >= $3 AND "notes" IS NOT NULL ' +
        'ORDER BY "started_at" DESC NULLS FIRST, "id" ASC NULLS LAST LIMIT $4 OFFSET $5',
    );
    expect(statement.values).toEqual([[1, 2], "a%' --", '2024-03-01T00:00:00Z', 11, 30]);
  });

  it('rejects values of the wrong type', () => {
    expect(() =>
      planRows(target, { filters: [{ column: 'id', op: 'eq', value: '1; DROP TABLE batch' }] }),
    ).toThrow('filter on id: "1; DROP TABLE batch" is not a number, but id is integer');
    expect(() => planRows(target, { filters: [{ column: 'id', op: 'eq', value: [1] }] })).toThrow(
      'is not a number',
    );
    expect(() => planRows(target, { orderBy: [{ column: 'notes', direction: 'asc' }] })).toThrow(
      'which have no order',
    );
  });
});
