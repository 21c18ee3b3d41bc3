import type { Response } from 'supertest';

import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';
import { FIXTURE_START, minuteTime } from '../fixtures/fabric/lab-fixture';
import type { ReactorPoint } from '../fixtures/fabric/lab-fixture';

// Joins of PostgreSQL rows with InfluxDB series in one GraphQL call, on the
// real test servers. Expected values are computed in the test from the
// points the fixture wrote, not by asking Weft or InfluxDB.

const JOIN = `query($id: ID!, $input: SeriesJoinInput!) {
  dataset(id: $id) {
    joinSeries(input: $input) {
      activityId columns { name } seriesColumns { name datatype unit }
      rows { values series seriesTruncated }
      rowCount pointCount pageInfo { endCursor hasNextPage }
      pushedDown { language statement parameters rowCount }
    }
  }
}`;

const BATCHES = [
  { id: 1, reactor: 'BR-01', start: '2024-03-01T00:30:00Z', end: '2024-03-01T02:00:00Z' },
  { id: 2, reactor: 'BR-02', start: '2024-03-01T01:00:00Z', end: '2024-03-01T03:15:00Z' },
  { id: 3, reactor: 'BR-01', start: '2024-03-01T03:00:00Z', end: '2024-03-01T05:30:00.5Z' },
  { id: 4, reactor: 'BR-02', start: '2024-03-01T05:00:00Z', end: null },
  { id: 5, reactor: 'BR-03', start: '2024-03-02T00:00:00Z', end: '2024-03-02T04:00:00Z' },
];

describe('fabric joins', () => {
  let harness: FabricHarness;
  let batchPid: string;
  let assetPid: string;
  let reactorPid: string;
  let plugPid: string;

  const join = async (
    input: Record<string, unknown>,
    role: 'researcher' | 'steward' | 'anonymous' = 'researcher',
    id = batchPid,
  ): Promise<Response> => {
    const response = await harness.gql(
      JOIN,
      { id, input },
      role === 'anonymous' ? undefined : role,
    );
    return response;
  };
  /** Points of a batch's reactor within [start, end], both included; an open batch runs to the end of the data. */
  const pointsOf = (batch: (typeof BATCHES)[number]): ReactorPoint[] => {
    const start = Date.parse(batch.start) / 1000;
    const end = batch.end === null ? Number.POSITIVE_INFINITY : Date.parse(batch.end) / 1000;
    return harness.fixture.reactorPoints.filter(
      (point) => point.reactor === batch.reactor && point.time >= start && point.time <= end,
    );
  };
  const mean = (values: number[]): number =>
    values.reduce((sum, value) => sum + value, 0) / values.length;
  const iso = (seconds: number): string =>
    new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

  beforeAll(async () => {
    harness = await startFabricHarness();
    batchPid = (await harness.dataset('batch')).pid;
    assetPid = (await harness.dataset('asset')).pid;
    reactorPid = (await harness.dataset('bioreactor')).pid;
    plugPid = (await harness.dataset('plug_power')).pid;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('time-window join averages each batch', async () => {
    const body = (
      await join({
        series: reactorPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        keyColumn: 'reactor',
        tag: 'reactor',
        rows: { columns: ['batch_id', 'reactor'], orderBy: [{ column: 'batch_id' }] },
        observations: { fields: ['temperature_c', 'ph'], aggregation: 'MEAN' },
      })
    ).body;
    const joined = body.data?.dataset?.joinSeries;

    expect(body.errors).toBeUndefined();
    expect(joined?.columns.map((column: { name: string }) => column.name)).toEqual([
      'batch_id',
      'reactor',
      'started_at',
      'ended_at',
    ]);
    expect(joined?.seriesColumns).toEqual([
      { name: 'time', datatype: 'xsd:dateTimeStamp', unit: null },
      { name: 'temperature_c', datatype: 'xsd:double', unit: 'Cel' },
      { name: 'ph', datatype: 'xsd:double', unit: '[pH]' },
    ]);
    expect(joined?.rows).toHaveLength(5);
    for (const [index, batch] of BATCHES.entries()) {
      const row = joined?.rows[index];
      const points = pointsOf(batch);
      expect(row.values.slice(0, 2)).toEqual([batch.id, batch.reactor]);
      if (points.length === 0) {
        expect(row.series).toEqual([]);
        continue;
      }
      expect(row.series).toHaveLength(1);
      expect(row.series[0][1]).toBeCloseTo(mean(points.map((point) => point.temperature_c)), 9);
      expect(row.series[0][2]).toBeCloseTo(mean(points.map((point) => point.ph)), 9);
    }
    // 00:30 to 02:00 is 91 minutes, less the 10 minutes BR-01 has no data for.
    expect(pointsOf(BATCHES[0])).toHaveLength(81);
    expect(pointsOf(BATCHES[2])).toHaveLength(151);
  });

  it('time-window join counts per window', async () => {
    const body = (
      await join({
        series: reactorPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        keyColumn: 'reactor',
        tag: 'reactor',
        rows: {
          columns: ['batch_id'],
          filters: [{ column: 'batch_id', op: 'IN', values: [2, 3] }],
          orderBy: [{ column: 'batch_id' }],
        },
        observations: {
          fields: ['temperature_c'],
          aggregation: 'COUNT',
          window: '1h',
          fill: 'NONE',
        },
      })
    ).body;
    const rows = body.data!.dataset!.joinSeries.rows;

    for (const [index, batch] of [BATCHES[1], BATCHES[2]].entries()) {
      const counts = new Map<number, number>();
      for (const point of pointsOf(batch)) {
        const hour = Math.floor(point.time / 3600) * 3600;
        counts.set(hour, (counts.get(hour) ?? 0) + 1);
      }
      expect(rows[index].series).toEqual(
        [...counts.entries()].map(([hour, count]) => [iso(hour), count]),
      );
    }
    expect(rows[0].series).toEqual([
      ['2024-03-01T01:00:00Z', 60],
      ['2024-03-01T02:00:00Z', 60],
      ['2024-03-01T03:00:00Z', 16],
    ]);
  });

  it('raw points per row are cut at limitPerRow', async () => {
    const body = (
      await join({
        series: reactorPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        keyColumn: 'reactor',
        tag: 'reactor',
        rows: { columns: ['batch_id'], filters: [{ column: 'batch_id', op: 'EQ', value: 1 }] },
        observations: { fields: ['temperature_c'], limitPerRow: 3 },
      })
    ).body;
    const [row] = body.data!.dataset!.joinSeries.rows;
    const expected = pointsOf(BATCHES[0])
      .slice(0, 3)
      .map((point) => [iso(point.time), point.temperature_c, 'BR-01', 'lab']);

    expect(row.series).toEqual(expected);
    expect(row.seriesTruncated).toBe(true);
  });

  it('open window ends at observations.to', async () => {
    const body = (
      await join({
        series: reactorPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        keyColumn: 'reactor',
        tag: 'reactor',
        rows: { columns: ['batch_id'], filters: [{ column: 'ended_at', op: 'IS_NULL' }] },
        observations: { fields: ['temperature_c'], aggregation: 'COUNT', to: minuteTime(330) },
      })
    ).body;
    const [row] = body.data!.dataset!.joinSeries.rows;

    // Batch 4 starts at minute 300; the window [minute 300, minute 330) holds 30 points of BR-02.
    expect(row.values).toEqual([4, '2024-03-01T05:00:00Z', null, 'BR-02']);
    expect(row.series).toEqual([['2024-03-01T05:00:00Z', 30]]);
  });

  it('key join averages each asset', async () => {
    const body = (
      await join(
        {
          series: plugPid,
          mode: 'TAG_KEY',
          keyColumn: 'asset_id',
          tag: 'device',
          rows: { columns: ['asset_id', 'name'], orderBy: [{ column: 'asset_id' }] },
          observations: {
            fields: ['power_w'],
            aggregation: 'MEAN',
            from: minuteTime(0),
            to: minuteTime(360),
          },
        },
        'researcher',
        assetPid,
      )
    ).body;
    const joined = body.data?.dataset?.joinSeries;

    expect(body.errors).toBeUndefined();
    // The database's collation orders plug-'3 before plug-1.
    expect(joined?.rows.map((row: { values: unknown[] }) => row.values)).toEqual([
      ["plug-'3", 'Freezer plug'],
      ['plug-1', 'Incubator plug'],
      ['plug-2', 'Shaker plug'],
      ['plug-4', 'Spare plug'],
    ]);
    for (const row of joined?.rows ?? []) {
      const power = harness.fixture.plugPoints
        .filter((point) => point.device === row.values[0])
        .map((point) => point.power_w);
      if (power.length === 0) {
        expect(row.series).toEqual([]);
      } else {
        expect(row.series).toEqual([[iso(FIXTURE_START), expect.closeTo(mean(power), 9)]]);
      }
    }
    expect(joined?.pointCount).toBe(3);
  });

  it('key join needs a time range', async () => {
    const body = (
      await join(
        {
          series: plugPid,
          mode: 'TAG_KEY',
          keyColumn: 'asset_id',
          tag: 'device',
          observations: { fields: ['power_w'] },
        },
        'researcher',
        assetPid,
      )
    ).body;

    expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe(
      'a TAG_KEY join reads a time range: set observations.from and observations.to',
    );
  });

  it('join columns come from the harvested schemas', async () => {
    const attempts: Array<[Record<string, unknown>, string]> = [
      [
        { mode: 'TIME_WINDOW', startColumn: 'strain', observations: {} },
        'startColumn strain is text, not a time',
      ],
      [
        { mode: 'TIME_WINDOW', startColumn: 'started_at); DROP TABLE batch; --', observations: {} },
        'is not a column of',
      ],
      [
        {
          mode: 'TIME_WINDOW',
          startColumn: 'started_at',
          keyColumn: 'reactor',
          tag: 'reactor"::tag OR "x',
          observations: {},
        },
        'is not a tag key of measurement bioreactor',
      ],
      [
        { mode: 'TIME_WINDOW', startColumn: 'started_at', keyColumn: 'reactor', observations: {} },
        'keyColumn and tag go together: set tag too',
      ],
      [{ mode: 'TIME_WINDOW', observations: {} }, 'a TIME_WINDOW join needs startColumn: set it'],
      [
        { mode: 'TIME_WINDOW', startColumn: 'started_at', observations: { fields: ['nope'] } },
        'field "nope" is not a field of measurement bioreactor',
      ],
    ];
    for (const [attempt, message] of attempts) {
      const body = (await join({ series: reactorPid, ...attempt })).body;

      expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain(message);
    }
  });

  it('series must be a measurement', async () => {
    const body = (
      await join({
        series: assetPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        observations: {},
      })
    ).body;

    expect(body.errors?.[0]?.message).toBe(
      `dataset ${assetPid} is a postgres-table: the series of a join must be an InfluxDB measurement`,
    );
  });

  it('join pages over table rows', async () => {
    const input = {
      series: reactorPid,
      mode: 'TIME_WINDOW',
      startColumn: 'started_at',
      endColumn: 'ended_at',
      keyColumn: 'reactor',
      tag: 'reactor',
      observations: { fields: ['temperature_c'], aggregation: 'MAX' },
    };
    const first = (
      await join({
        ...input,
        rows: { columns: ['batch_id'], orderBy: [{ column: 'batch_id' }], limit: 2 },
      })
    ).body;
    const cursor = first.data!.dataset!.joinSeries.pageInfo.endCursor;
    const second = (
      await join({
        ...input,
        rows: { columns: ['batch_id'], orderBy: [{ column: 'batch_id' }], limit: 2, after: cursor },
      })
    ).body;

    expect(
      first.data!.dataset!.joinSeries.rows.map((row: { values: unknown[] }) => row.values[0]),
    ).toEqual([1, 2]);
    expect(first.data!.dataset!.joinSeries.pageInfo.hasNextPage).toBe(true);
    expect(
      second.data!.dataset!.joinSeries.rows.map((row: { values: unknown[] }) => row.values[0]),
    ).toEqual([3, 4]);
  });

  it('join above the row budget is rejected', async () => {
    const body = (
      await join({
        series: reactorPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        observations: { fields: ['temperature_c'] },
        budget: { maxRows: 100 },
      })
    ).body;

    expect(body.errors?.[0]?.extensions.code).toBe('ROW_BUDGET_EXCEEDED');
    expect(body.errors?.[0]?.message).toMatch(
      /^the join returned \d+ series points for 5 table rows, more than the row budget of 100: narrow observations\.from and observations\.to, aggregate over a wider window, lower observations\.limitPerRow, or ask for fewer rows with rows\.limit$/,
    );
    expect(body.errors?.[0]?.extensions.activityId).toMatch(/^http:\/\/weft\.test\/id\//);
  });

  describe('access policy', () => {
    afterEach(async () => {
      await harness.setAccess('bioreactor', 'site');
      await harness.setAccess('batch', 'site');
    });

    it('restricted series is not joined for researchers', async () => {
      await harness.setAccess('bioreactor', 'restricted');
      const input = {
        series: reactorPid,
        mode: 'TIME_WINDOW',
        startColumn: 'started_at',
        endColumn: 'ended_at',
        observations: { aggregation: 'MEAN' },
      };
      const researcher = (await join(input, 'researcher')).body;
      const steward = (await join(input, 'steward')).body;

      expect(researcher.data?.dataset).toBeNull();
      expect(researcher.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      expect(researcher.errors?.[0]?.message).toBe(
        `dataset ${reactorPid} was not found or may not be read by this account: check the identifier, or sign in with an account that may read it`,
      );
      expect(steward.errors).toBeUndefined();
      expect(steward.data?.dataset?.joinSeries.rows).toHaveLength(5);
    });

    it('anonymous join of a public table with a site series fails', async () => {
      await harness.setAccess('batch', 'public');
      const body = (
        await join(
          { series: reactorPid, mode: 'TIME_WINDOW', startColumn: 'started_at', observations: {} },
          'anonymous',
        )
      ).body;

      expect(body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      expect(JSON.stringify(body.data)).not.toContain('temperature');
    });

    it('restricted table is invisible', async () => {
      await harness.setAccess('batch', 'restricted');
      const body = (
        await join({
          series: reactorPid,
          mode: 'TIME_WINDOW',
          startColumn: 'started_at',
          observations: {},
        })
      ).body;

      expect(body.errors).toBeUndefined();
      expect(body.data?.dataset).toBeNull();
    });
  });
});
