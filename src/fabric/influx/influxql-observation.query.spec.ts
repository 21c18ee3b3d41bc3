import type { MeasurementTarget } from '../catalog/query-target';
import { buildInfluxqlStatement, numberLiteral } from './influxql-observation.query';
import { planObservations } from './observation-plan';

const target = {
  kind: 'influx-measurement',
  dataset: { pid: 'https://w3id.org/site/ds1' },
  source: { pid: 'https://w3id.org/site/src1' },
  connection: { api: 'influxql', config: {}, database: 'lab "main"', retentionPolicy: 'autogen' },
  measurement: 'bio\\reactor',
  fields: new Map([['temp "c"', { name: 'temp "c"', types: ['float'], unit: 'Cel' }]]),
  tagKeys: ['reactor'],
} as unknown as MeasurementTarget;

describe('InfluxQL observation statement', () => {
  it('quotes names and binds values', () => {
    const plan = planObservations(target, {
      from: new Date('2024-03-01T00:00:00Z'),
      to: new Date('2024-03-02T00:00:00Z'),
      tagFilters: [{ tag: 'reactor', op: 'notIn', values: ['a', 'b'] }],
      aggregation: 'max',
      window: '15m',
      fill: 'number',
      fillValue: -2.5,
    });
    const built = buildInfluxqlStatement(
      target,
      plan,
      { from: plan.from, to: plan.to, limit: 11, cursor: { offset: 20 } },
      's1_',
    );

    expect(built.statement).toBe(
      'SELECT max("temp \\"c\\"") AS "temp \\"c\\"" FROM "lab \\"main\\""."autogen"."bio\\\\reactor" ' +
        'WHERE time >= $s1_from AND time < $s1_to AND ("reactor"::tag != $s1_tag0_0 AND "reactor"::tag != $s1_tag0_1) ' +
        'GROUP BY time(15m) fill(-2.5) LIMIT 11 OFFSET 20',
    );
    expect(built.params).toEqual({
      s1_from: '2024-03-01T00:00:00.000Z',
      s1_to: '2024-03-02T00:00:00.000Z',
      s1_tag0_0: 'a',
      s1_tag0_1: 'b',
    });
  });

  it('keyset page and key tag', () => {
    const plan = planObservations(target, {
      from: new Date('2024-03-01T00:00:00Z'),
      to: new Date('2024-03-02T00:00:00Z'),
    });
    const built = buildInfluxqlStatement(target, plan, {
      from: plan.from,
      to: plan.to,
      keyTag: { tag: 'reactor', value: "BR-01' OR 1=1" },
      limit: 3,
      cursor: { offset: 2, afterTime: '2024-03-01T05:00:00.5Z' },
    });

    expect(built.statement).toBe(
      'SELECT "temp \\"c\\""::field AS "temp \\"c\\"", "reactor"::tag AS "reactor" FROM "lab \\"main\\""."autogen"."bio\\\\reactor" ' +
        'WHERE time >= $from AND time < $to AND time >= $after AND "reactor"::tag = $key LIMIT 3 OFFSET 2',
    );
    expect(built.params.key).toBe("BR-01' OR 1=1");
  });

  it('writes fill numbers without exponents', () => {
    expect(numberLiteral(1e-7)).toBe('0.0000001');
    expect(numberLiteral(42)).toBe('42');
    expect(() => numberLiteral(1e20)).toThrow('fillValue 100000000000000000000 is out of range');
  });
});
