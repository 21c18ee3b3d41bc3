import type { Response } from 'supertest';

import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';

// Rows of PostgreSQL tables through GraphQL, read as the read-only role
// weft_reader from the real PostgreSQL of the test servers. Each filter is
// compared with the same question written by hand in SQL and sent to
// PostgreSQL directly.

const ROWS = `query($id: ID!, $input: RowQueryInput) {
  dataset(id: $id) {
    rows(input: $input) {
      activityId columns { name datatype unit role } rows rowCount
      pageInfo { endCursor hasNextPage }
      pushedDown { language statement parameters rowCount }
    }
  }
}`;

describe('fabric rows', () => {
  let harness: FabricHarness;
  let batchId: string;

  const rows = async (input: Record<string, unknown>, id = batchId): Promise<Response> => {
    const response = await harness.gql(ROWS, { id, input }, 'researcher');
    return response;
  };
  const directIds = async (condition: string): Promise<number[]> => {
    const result = await harness.fixture.pg.query<{ batch_id: number }>(
      `SELECT batch_id FROM ${harness.fixture.schema}.batch WHERE ${condition} ORDER BY batch_id`,
    );
    return result.rows.map((row) => row.batch_id);
  };

  beforeAll(async () => {
    harness = await startFabricHarness();
    batchId = (await harness.dataset('batch')).pid;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('returns typed rows of the whole table', async () => {
    const body = (await rows({ filters: [{ column: 'batch_id', op: 'EQ', value: 3 }] })).body;
    const frame = body.data?.dataset?.rows;

    expect(body.errors).toBeUndefined();
    expect(frame?.columns).toEqual([
      { name: 'batch_id', datatype: 'xsd:int', unit: null, role: 'column' },
      { name: 'reactor', datatype: 'xsd:string', unit: null, role: 'column' },
      { name: 'strain', datatype: 'xsd:string', unit: null, role: 'column' },
      { name: 'started_at', datatype: 'xsd:dateTimeStamp', unit: null, role: 'time' },
      { name: 'ended_at', datatype: 'xsd:dateTimeStamp', unit: null, role: 'time' },
      { name: 'target_temperature', datatype: 'xsd:decimal', unit: 'Cel', role: 'column' },
      { name: 'yield_g', datatype: 'xsd:double', unit: 'g', role: 'column' },
      { name: 'status', datatype: 'xsd:string', unit: null, role: 'column' },
      { name: 'notes', datatype: 'rdf:JSON', unit: null, role: 'column' },
    ]);
    expect(frame?.rows).toEqual([
      [
        3,
        'BR-01',
        'E. coli K-12',
        '2024-03-01T03:00:00Z',
        '2024-03-01T05:30:00.5Z',
        37,
        null,
        'failed',
        { medium: 'M9' },
      ],
    ]);
  });

  it('every operator matches PostgreSQL', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ column: 'reactor', op: 'EQ', value: 'BR-01' }, "reactor = 'BR-01'"],
      [{ column: 'status', op: 'NE', value: 'done' }, "status <> 'done'"],
      [{ column: 'yield_g', op: 'LT', value: 10 }, 'yield_g < 10'],
      [{ column: 'target_temperature', op: 'LTE', value: 35.5 }, 'target_temperature <= 35.5'],
      [
        { column: 'started_at', op: 'GT', value: '2024-03-01T01:00:00Z' },
        "started_at > '2024-03-01T01:00:00Z'",
      ],
      [{ column: 'batch_id', op: 'GTE', value: 3 }, 'batch_id >= 3'],
      [
        { column: 'strain', op: 'IN', values: ['E. coli K-12', 'P. pastoris'] },
        "strain IN ('E. coli K-12', 'P. pastoris')",
      ],
      [{ column: 'batch_id', op: 'IN', values: [2, 5, 9] }, 'batch_id IN (2, 5, 9)'],
      [{ column: 'strain', op: 'LIKE', value: 'E.%' }, "strain LIKE 'E.%'"],
      [{ column: 'ended_at', op: 'IS_NULL', value: true }, 'ended_at IS NULL'],
      [{ column: 'ended_at', op: 'IS_NULL', value: false }, 'ended_at IS NOT NULL'],
      [{ column: 'notes', op: 'IS_NULL' }, 'notes IS NULL'],
    ];
    for (const [filter, condition] of cases) {
      const body = (
        await rows({
          columns: ['batch_id'],
          filters: [filter],
          orderBy: [{ column: 'batch_id' }],
        })
      ).body;
      const expected = await directIds(condition);

      expect(body.errors).toBeUndefined();
      expect(body.data?.dataset?.rows.rows).toEqual(expected.map((id) => [id]));
    }
  });

  it('filters combine with AND', async () => {
    const body = (
      await rows({
        columns: ['batch_id'],
        filters: [
          { column: 'reactor', op: 'EQ', value: 'BR-02' },
          { column: 'status', op: 'IN', values: ['running', 'done'] },
          { column: 'started_at', op: 'GTE', value: '2024-03-01T04:00:00Z' },
        ],
      })
    ).body;

    expect(body.data?.dataset?.rows.rows).toEqual(
      (
        await directIds(
          "reactor = 'BR-02' AND status IN ('running', 'done') AND started_at >= '2024-03-01T04:00:00Z'",
        )
      ).map((id) => [id]),
    );
    expect(body.data?.dataset?.rows.rows).toEqual([[4]]);
  });

  it('pages follow the order and the cursor', async () => {
    const seen: unknown[][] = [];
    let after: string | null = null;
    do {
      const response: Response = await rows({
        columns: ['batch_id', 'reactor'],
        orderBy: [{ column: 'reactor', direction: 'DESC' }],
        limit: 2,
        ...(after === null ? {} : { after }),
      });
      const frame = response.body.data.dataset.rows;
      seen.push(...frame.rows);
      after = frame.pageInfo.hasNextPage ? String(frame.pageInfo.endCursor) : null;
    } while (after !== null);
    const direct = await harness.fixture.pg.query({
      text: `SELECT batch_id, reactor FROM ${harness.fixture.schema}.batch ORDER BY reactor DESC, batch_id ASC`,
      rowMode: 'array',
    });

    expect(seen).toEqual(direct.rows);
  });

  it('views and foreign keys read as tables', async () => {
    const overview = await harness.dataset('batch_overview');
    const body = (
      await rows(
        { orderBy: [{ column: 'batch_id' }], filters: [{ column: 'samples', op: 'GT', value: 0 }] },
        overview.pid,
      )
    ).body;

    expect(body.errors).toBeUndefined();
    expect(body.data?.dataset?.rows.rows).toEqual([
      [1, 'BR-01', '2024-03-01T00:30:00Z', 2],
      [2, 'BR-02', '2024-03-01T01:00:00Z', 1],
      [3, 'BR-01', '2024-03-01T03:00:00Z', 1],
    ]);
  });

  it('values are bound parameters, never text', async () => {
    const body = (
      await rows({
        columns: ['batch_id'],
        filters: [{ column: 'reactor', op: 'EQ', value: "BR-01' OR '1'='1" }],
      })
    ).body;
    const frame = body.data!.dataset!.rows;

    expect(frame.rows).toEqual([]);
    expect(frame.pushedDown).toEqual([
      {
        language: 'SQL',
        statement: `SELECT "batch_id" FROM "${harness.fixture.schema}"."batch" WHERE "reactor" = $1 ORDER BY "batch_id" ASC NULLS LAST LIMIT $2 OFFSET $3`,
        parameters: { $1: "BR-01' OR '1'='1", $2: 1001, $3: 0 },
        rowCount: 0,
      },
    ]);
  });

  it('injection attempts in every field are rejected', async () => {
    const attempts: Array<[Record<string, unknown>, string]> = [
      [{ columns: ['batch_id", (SELECT note FROM secret_notes) AS "x'] }, 'is not a column of'],
      [{ columns: ['*'] }, 'column "*" is not a column of'],
      [
        { filters: [{ column: 'batch_id; DROP TABLE batch; --', op: 'EQ', value: 1 }] },
        'filter column "batch_id; DROP TABLE batch; --" is not a column of',
      ],
      [
        { filters: [{ column: 'batch_id', op: 'EQ', value: '1 OR 1=1' }] },
        'filter on batch_id: "1 OR 1=1" is not a number, but batch_id is integer',
      ],
      [
        { filters: [{ column: 'batch_id', op: 'IN', values: [1, '2); DROP TABLE batch; --'] }] },
        'is not a number',
      ],
      [
        { filters: [{ column: 'yield_g', op: 'LIKE', value: '%' }] },
        'LIKE applies to text columns, but yield_g is double precision',
      ],
      [
        { filters: [{ column: 'started_at', op: 'GT', value: "now() - interval '1 day'" }] },
        'is not a date or time',
      ],
      [
        { filters: [{ column: 'status', op: 'EQ', value: "done' --" }] },
        'a filter value does not fit its column',
      ],
      [
        { filters: [{ column: 'notes', op: 'EQ', value: { medium: 'LB' } }] },
        'can only be filtered with IS_NULL',
      ],
      [
        { orderBy: [{ column: 'batch_id DESC; --' }] },
        'order column "batch_id DESC; --" is not a column of',
      ],
      [{ after: 'not-a-cursor' }, 'cursor "not-a-cursor" is invalid'],
    ];
    for (const [attempt, message] of attempts) {
      const body = (await rows(attempt)).body;

      expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain(message);
    }
    const still = await harness.fixture.pg.query(
      `SELECT count(*)::int AS count FROM ${harness.fixture.schema}.batch`,
    );
    expect(still.rows[0].count).toBe(5);
  });

  it('slow table exceeds the time budget', async () => {
    const slow = await harness.dataset('slow_batch');
    const body = (await rows({ budget: { timeoutMs: 300 } }, slow.pid)).body;

    expect(body.errors?.[0]?.extensions.code).toBe('TIME_BUDGET_EXCEEDED');
    expect(body.errors?.[0]?.message).toBe(
      `the query on table ${harness.fixture.schema}.slow_batch (dataset ${slow.pid}) did not finish within the time budget of 300 ms: add filters, or ask for fewer rows per page`,
    );
  });

  it('page above the row budget is rejected', async () => {
    const body = (await rows({ limit: 11, budget: { maxRows: 10 } })).body;

    expect(body.errors?.[0]?.extensions.code).toBe('ROW_BUDGET_EXCEEDED');
    expect(body.errors?.[0]?.message).toBe(
      'limit 11 is above the row budget of 10 rows: ask for at most 10 rows per page and follow pageInfo.endCursor',
    );
  });

  it('measurements have no rows', async () => {
    const reactor = await harness.dataset('bioreactor');
    const body = (await rows({}, reactor.pid)).body;

    expect(body.errors?.[0]?.extensions.code).toBe('NOT_QUERYABLE');
  });
});
