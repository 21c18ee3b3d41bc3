import type { TableColumnSchema } from '../fabric/catalog/query-target';
import {
  boundedJoinRequest,
  boundedObservationRequest,
  boundedRowRequest,
  laterPageOf,
} from './derivation';

const EXECUTED_AT = new Date('2026-01-07T10:12:03.511Z');

function column(name: string, xsdType: string, nullable: boolean): TableColumnSchema {
  return { name, position: 1, sqlType: 'text', xsdType, nullable };
}

const BATCH_COLUMNS = [
  column('batch_id', 'xsd:int', false),
  column('ended_at', 'xsd:dateTimeStamp', true),
  column('started_at', 'xsd:dateTimeStamp', false),
];

describe('boundedObservationRequest', () => {
  it('ends an open range at the execution time', () => {
    const bounded = boundedObservationRequest(
      {
        dataset: 'https://w3id.org/site/x',
        from: '2026-01-01T00:00:00Z',
        to: '2100-01-01T00:00:00Z',
        fields: ['temperature_c'],
        tagFilters: [{ tag: 'reactor', op: 'eq', values: ['BR-01'] }],
        aggregation: 'mean',
        window: '15m',
        fill: 'previous',
        fillValue: null,
        limit: 96,
        offset: 0,
        budget: { maxRows: 1000, timeoutMs: 5000 },
      },
      EXECUTED_AT,
    );

    expect(bounded.timeBounded).toBe(true);
    expect(bounded.note).toBeNull();
    expect(bounded.request).toEqual({
      query: {
        from: new Date('2026-01-01T00:00:00Z'),
        to: EXECUTED_AT,
        fields: ['temperature_c'],
        tagFilters: [{ tag: 'reactor', op: 'eq', values: ['BR-01'] }],
        aggregation: 'mean',
        window: '15m',
        fill: 'previous',
        fillValue: null,
      },
      limit: 96,
      budget: { maxRows: 1000, timeoutMs: 5000 },
    });
  });

  it('keeps an earlier end', () => {
    const bounded = boundedObservationRequest(
      { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', window: null, fill: null },
      EXECUTED_AT,
    );

    expect(bounded.request.query.to).toEqual(new Date('2026-01-02T00:00:00Z'));
    expect(bounded.request.query.fill).toBeNull();
  });
});

describe('boundedObservationRequest ahead of time', () => {
  it('leaves a range after the execution time unbounded', () => {
    const bounded = boundedObservationRequest(
      { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' },
      EXECUTED_AT,
    );

    expect(bounded.timeBounded).toBe(false);
    expect(bounded.request.query.to).toEqual(new Date('2030-01-02T00:00:00Z'));
    expect(bounded.note).toBe(
      "the query's range starts at 2030-01-01T00:00:00.000Z, after it ran: it is read as it is now, so points written since with times in that range change the result",
    );
  });
});

describe('boundedRowRequest', () => {
  it('bounds by the first non-null time column', () => {
    const bounded = boundedRowRequest(
      {
        columns: ['batch_id'],
        filters: [
          { column: 'batch_id', op: 'in', value: [1, 2] },
          { column: 'ended_at', op: 'isNull', value: false },
        ],
        orderBy: [{ column: 'batch_id', direction: 'asc' }],
        limit: 50,
        offset: 0,
      },
      EXECUTED_AT,
      'lims.batch',
      BATCH_COLUMNS,
    );

    expect(bounded.timeBounded).toBe(true);
    expect(bounded.request.query.filters).toEqual([
      { column: 'batch_id', op: 'in', values: [1, 2] },
      { column: 'ended_at', op: 'isNull', value: false },
      { column: 'started_at', op: 'lte', value: '2026-01-07T10:12:03.511Z' },
    ]);
    expect(bounded.request.limit).toBe(50);
    expect(bounded.note).toBe(
      'rows of table lims.batch are bounded by started_at <= 2026-01-07T10:12:03.511Z; rows changed in place since then still change the result',
    );
  });

  it('says so without a time column', () => {
    const bounded = boundedRowRequest({ columns: null }, EXECUTED_AT, 'lims.asset', [
      column('asset_id', 'xsd:string', false),
      column('installed_at', 'xsd:dateTimeStamp', true),
    ]);

    expect(bounded.timeBounded).toBe(false);
    expect(bounded.request.query.filters).toEqual([]);
    expect(bounded.note).toBe(
      'table lims.asset has no time column that is never null, so it is read as it is now: rows added, changed or deleted since the query ran change the result',
    );
  });
});

describe('boundedJoinRequest', () => {
  it('ends open windows at the execution time', () => {
    const bounded = boundedJoinRequest(
      {
        table: 'https://w3id.org/site/batch',
        series: 'https://w3id.org/site/reactor',
        mode: 'timeWindow',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        key: { column: 'reactor', tag: 'reactor' },
        bounds: { from: null, to: null },
        rows: {
          columns: ['batch_id', 'reactor', 'started_at', 'ended_at'],
          filters: [],
          orderBy: [{ column: 'batch_id', direction: 'asc' }],
          limit: 6,
          offset: 0,
        },
        observations: {
          from: '1970-01-01T00:00:00Z',
          to: '2262-04-11T23:47:16Z',
          fields: ['temperature_c'],
          tagFilters: [],
          aggregation: 'mean',
          window: '10m',
          fill: 'null',
          fillValue: null,
          limitPerRow: 1000,
        },
        budget: { maxRows: 100000, timeoutMs: 30000 },
      },
      EXECUTED_AT,
      'lims.batch',
      BATCH_COLUMNS,
    );

    expect(bounded.timeBounded).toBe(true);
    expect(bounded.note).toBeNull();
    expect(bounded.request).toEqual({
      series: 'https://w3id.org/site/reactor',
      mode: 'timeWindow',
      startColumn: 'started_at',
      endColumn: 'ended_at',
      keyColumn: 'reactor',
      tag: 'reactor',
      rows: {
        columns: ['batch_id', 'reactor', 'started_at', 'ended_at'],
        filters: [{ column: 'started_at', op: 'lte', value: '2026-01-07T10:12:03.511Z' }],
        orderBy: [{ column: 'batch_id', direction: 'asc' }],
        limit: 6,
      },
      observations: {
        fields: ['temperature_c'],
        tagFilters: [],
        aggregation: 'mean',
        window: '10m',
        fill: 'null',
        fillValue: null,
        from: null,
        to: EXECUTED_AT,
        limitPerRow: 1000,
      },
      budget: { maxRows: 100000, timeoutMs: 30000 },
    });
  });
});

describe('laterPageOf', () => {
  it('describes later pages of each operation', () => {
    expect(laterPageOf('observations', { offset: 0 })).toBeNull();
    expect(laterPageOf('observations', { offset: 2, afterTime: '2026-01-01T00:14:00Z' })).toBe(
      'after time 2026-01-01T00:14:00Z',
    );
    expect(laterPageOf('rows', { offset: 100 })).toBe('offset 100');
    expect(laterPageOf('joinSeries', { rows: { offset: 50 } })).toBe('offset 50');
    expect(laterPageOf('joinSeries', { rows: { offset: 0 } })).toBeNull();
  });
});
