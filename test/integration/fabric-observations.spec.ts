import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HarvestService } from '../../src/harvest/harvest.service';
import { SourcesService } from '../../src/sources/sources.service';
import type { Response } from 'supertest';

import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';
import { minuteTime } from '../fixtures/fabric/lab-fixture';

// Observations of InfluxDB measurements through GraphQL, against the real
// InfluxDB 1.6 of the test servers. Every answer is compared with the same
// question written by hand in InfluxQL and sent straight to InfluxDB.

const OBSERVATIONS = `query($id: ID!, $input: ObservationQueryInput!) {
  dataset(id: $id) {
    observations(input: $input) {
      activityId columns { name datatype unit role } rows rowCount checksum
      pageInfo { endCursor hasNextPage }
      pushedDown { source language statement parameters rowCount }
    }
  }
}`;

describe('fabric observations', () => {
  let harness: FabricHarness;
  let reactorId: string;
  let from: string;
  let to: string;

  const observe = async (
    input: Record<string, unknown>,
    role: 'researcher' | 'steward' = 'researcher',
  ): Promise<Response> => {
    const response = await harness.gql(OBSERVATIONS, { id: reactorId, input }, role);
    return response;
  };
  const direct = async (statement: string): Promise<unknown[][]> => {
    const { results } = await harness.fixture.influx.query(statement, {
      database: harness.fixture.influxDatabase,
      signal: new AbortController().signal,
    });
    const [result] = results;
    if (result?.error !== undefined) {
      throw new Error(result.error);
    }
    return result?.series.flatMap((series) => series.values) ?? [];
  };
  const source = () => `"${harness.fixture.influxDatabase}"."autogen"."bioreactor"`;

  beforeAll(async () => {
    harness = await startFabricHarness();
    reactorId = (await harness.dataset('bioreactor')).pid;
    from = minuteTime(0);
    to = minuteTime(360);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('every aggregation matches InfluxDB', async () => {
    for (const aggregation of ['MEAN', 'MIN', 'MAX', 'LAST', 'COUNT', 'SUM']) {
      const body = (
        await observe({
          from,
          to,
          fields: ['temperature_c', 'stirrer_rpm'],
          tagFilters: [{ tag: 'reactor', op: 'EQ', values: ['BR-01'] }],
          aggregation,
          window: '30m',
        })
      ).body;
      const fn = aggregation.toLowerCase();
      const expected = await direct(
        `SELECT ${fn}("temperature_c") AS "temperature_c", ${fn}("stirrer_rpm") AS "stirrer_rpm" FROM ${source()} ` +
          `WHERE time >= '${from}' AND time < '${to}' AND "reactor" = 'BR-01' GROUP BY time(30m) fill(null)`,
      );

      expect(body.errors).toBeUndefined();
      expect(body.data?.dataset?.observations.rows).toEqual(expected);
      expect(expected).toHaveLength(12);
    }
  });

  it('columns are typed from the harvested schema', async () => {
    const mean = (
      await observe({
        from,
        to,
        fields: ['temperature_c', 'stirrer_rpm'],
        aggregation: 'MEAN',
        window: '1h',
      })
    ).body;
    const count = (
      await observe({
        from,
        to,
        fields: ['temperature_c'],
        aggregation: 'COUNT',
        window: '1h',
      })
    ).body;
    const raw = (await observe({ from, to, fields: ['stirrer_rpm', 'phase'], limit: 1 })).body;

    expect(mean.data?.dataset?.observations.columns).toEqual([
      { name: 'time', datatype: 'xsd:dateTimeStamp', unit: null, role: 'time' },
      { name: 'temperature_c', datatype: 'xsd:double', unit: 'Cel', role: 'field' },
      // The harvester reads the unit from the field key's _rpm suffix.
      { name: 'stirrer_rpm', datatype: 'xsd:double', unit: '/min', role: 'field' },
    ]);
    expect(count.data?.dataset?.observations.columns[1]).toEqual({
      name: 'temperature_c',
      datatype: 'xsd:long',
      unit: null,
      role: 'field',
    });
    expect(raw.data?.dataset?.observations.columns).toEqual([
      { name: 'time', datatype: 'xsd:dateTimeStamp', unit: null, role: 'time' },
      { name: 'stirrer_rpm', datatype: 'xsd:long', unit: '/min', role: 'field' },
      { name: 'phase', datatype: 'xsd:string', unit: null, role: 'field' },
      { name: 'reactor', datatype: 'xsd:string', unit: null, role: 'tag' },
      { name: 'site', datatype: 'xsd:string', unit: null, role: 'tag' },
    ]);
  });

  it('every fill policy matches InfluxDB', async () => {
    const gapFrom = minuteTime(95);
    const gapTo = minuteTime(115);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ fill: 'NONE' }, 'none'],
      [{ fill: 'NULL' }, 'null'],
      [{ fill: 'PREVIOUS' }, 'previous'],
      [{ fill: 'LINEAR' }, 'linear'],
      [{ fill: 'NUMBER', fillValue: -1.5 }, '-1.5'],
    ];
    for (const [fill, clause] of cases) {
      const body = (
        await observe({
          from: gapFrom,
          to: gapTo,
          fields: ['temperature_c'],
          tagFilters: [{ tag: 'reactor', op: 'EQ', values: ['BR-01'] }],
          aggregation: 'MEAN',
          window: '1m',
          ...fill,
        })
      ).body;
      const expected = await direct(
        `SELECT mean("temperature_c") AS "temperature_c" FROM ${source()} WHERE time >= '${gapFrom}' AND time < '${gapTo}' ` +
          `AND "reactor" = 'BR-01' GROUP BY time(1m) fill(${clause})`,
      );

      expect(body.errors).toBeUndefined();
      expect(body.data?.dataset?.observations.rows).toEqual(expected);
    }
  });

  it('fill policies change the gap windows', async () => {
    const body = (
      await observe({
        from: minuteTime(99),
        to: minuteTime(101),
        fields: ['temperature_c'],
        tagFilters: [{ tag: 'reactor', op: 'EQ', values: ['BR-01'] }],
        aggregation: 'MAX',
        window: '1m',
        fill: 'NUMBER',
        fillValue: 0,
      })
    ).body;

    expect(body.data?.dataset?.observations.rows).toEqual([
      [minuteTime(99), Number((37 + 0.5 * Math.sin(99 / 30)).toFixed(2))],
      [minuteTime(100), 0],
    ]);
  });

  it('every tag operator matches InfluxDB', async () => {
    const window = `time >= '${from}' AND time < '${minuteTime(5)}'`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ tag: 'reactor', op: 'EQ', values: ['BR-02'] }, `"reactor" = 'BR-02'`],
      [{ tag: 'reactor', op: 'NE', values: ['BR-02'] }, `"reactor" != 'BR-02'`],
      [
        { tag: 'reactor', op: 'IN', values: ['BR-01', 'BR-02'] },
        `("reactor" = 'BR-01' OR "reactor" = 'BR-02')`,
      ],
      [
        { tag: 'reactor', op: 'NOT_IN', values: ['BR-01', 'BR-03'] },
        `("reactor" != 'BR-01' AND "reactor" != 'BR-03')`,
      ],
      [{ tag: 'site', op: 'EQ', values: ['elsewhere'] }, `"site" = 'elsewhere'`],
    ];
    for (const [filter, condition] of cases) {
      const body = (
        await observe({ from, to: minuteTime(5), fields: ['ph'], tagFilters: [filter] })
      ).body;
      const expected = await direct(
        `SELECT "ph"::field, "reactor"::tag, "site"::tag FROM ${source()} WHERE ${window} AND ${condition}`,
      );

      expect(body.errors).toBeUndefined();
      expect(body.data?.dataset?.observations.rows).toEqual(expected);
    }
  });

  it('aggregate without a window covers the range', async () => {
    const body = (await observe({ from, to, fields: ['temperature_c'], aggregation: 'MEAN' })).body;
    const expected = await direct(
      `SELECT mean("temperature_c") AS "temperature_c" FROM ${source()} WHERE time >= '${from}' AND time < '${to}'`,
    );

    expect(body.data?.dataset?.observations.rows).toEqual(expected);
    expect(expected).toHaveLength(1);
  });

  it('raw pages follow the cursor without gaps', async () => {
    const end = minuteTime(60);
    const pages: unknown[][] = [];
    let after: string | null = null;
    for (let page = 0; page < 40; page++) {
      const response: Response = await observe({
        from,
        to: end,
        fields: ['temperature_c'],
        limit: 7,
        ...(after === null ? {} : { after }),
      });
      const body = response.body;
      const observations = body.data?.dataset?.observations;
      expect(body.errors).toBeUndefined();
      pages.push(...(observations?.rows ?? []));
      if (observations?.pageInfo.hasNextPage !== true) {
        break;
      }
      after = String(observations.pageInfo.endCursor);
    }
    const expected = await direct(
      `SELECT "temperature_c"::field, "reactor"::tag, "site"::tag FROM ${source()} WHERE time >= '${from}' AND time < '${end}'`,
    );

    expect(expected).toHaveLength(120);
    expect(pages).toEqual(expected);
  });

  it('aggregated pages follow the cursor', async () => {
    const input = {
      from,
      to,
      fields: ['temperature_c'],
      aggregation: 'MEAN',
      window: '10m',
      fill: 'PREVIOUS',
      limit: 5,
    };
    const rows: unknown[][] = [];
    let after: string | null = null;
    do {
      const response: Response = await observe({ ...input, ...(after === null ? {} : { after }) });
      const body = response.body;
      rows.push(...body.data!.dataset!.observations.rows);
      after = body.data!.dataset!.observations.pageInfo.hasNextPage
        ? String(body.data!.dataset!.observations.pageInfo.endCursor)
        : null;
    } while (after !== null);
    const expected = await direct(
      `SELECT mean("temperature_c") AS "temperature_c" FROM ${source()} WHERE time >= '${from}' AND time < '${to}' GROUP BY time(10m) fill(previous)`,
    );

    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(36);
  });

  it('cursor of another query is rejected', async () => {
    const first = (await observe({ from, to, fields: ['ph'], limit: 2 })).body;
    const cursor = first.data!.dataset!.observations.pageInfo.endCursor as string;
    const other = (await observe({ from, to, fields: ['temperature_c'], limit: 2, after: cursor }))
      .body;
    const forged = (await observe({ from, to, fields: ['ph'], limit: 2, after: 'eyJxIjoiMSJ9' }))
      .body;

    expect(other.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.message).toBe(
      'the cursor belongs to a different query: pass endCursor back with the same input, or drop after to start again',
    );
    expect(forged.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('values are bound parameters, never text', async () => {
    const body = (
      await observe({
        from,
        to: minuteTime(2),
        fields: ['ph'],
        tagFilters: [{ tag: 'reactor', op: 'IN', values: ['BR-01', "x' OR 1=1 --"] }],
      })
    ).body;
    const observations = body.data!.dataset!.observations;
    const [pushed] = observations.pushedDown;

    expect(pushed.language).toBe('InfluxQL');
    expect(pushed.statement).toBe(
      `SELECT "ph"::field AS "ph", "reactor"::tag AS "reactor", "site"::tag AS "site" FROM ${source()} ` +
        'WHERE time >= $from AND time < $to AND ("reactor"::tag = $tag0_0 OR "reactor"::tag = $tag0_1) LIMIT 1001',
    );
    expect(pushed.parameters).toEqual({
      from: '2024-03-01T00:00:00.000Z',
      to: '2024-03-01T00:02:00.000Z',
      tag0_0: 'BR-01',
      tag0_1: "x' OR 1=1 --",
    });
    expect(observations.rows).toHaveLength(2);
  });

  it('injection attempts in every field are rejected', async () => {
    const attempts: Array<[Record<string, unknown>, string]> = [
      [
        { fields: ['ph" FROM "_internal"."monitor"."shard" --'] },
        'field "ph\\" FROM \\"_internal\\".\\"monitor\\".\\"shard\\" --" is not a field of measurement bioreactor: use one of',
      ],
      [
        { tagFilters: [{ tag: 'reactor" = \'\' OR "x', values: ['a'] }] },
        'is not a tag key of measurement bioreactor: use one of reactor, site',
      ],
      [
        { aggregation: 'MEAN', window: '1m) fill(none); DROP DATABASE x; --' },
        'is invalid: write a whole number and a unit',
      ],
      [
        { aggregation: 'MEAN', window: '1m', fill: 'NUMBER', fillValue: 1e300 },
        'fillValue 1e+300 is out of range',
      ],
      [
        { tagFilters: [{ tag: 'reactor', op: 'EQ', values: ['a', 'b'] }] },
        'takes one value, got 2',
      ],
    ];
    for (const [attempt, message] of attempts) {
      const body = (await observe({ from, to, fields: ['ph'], ...attempt })).body;

      expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain(message);
    }
    const databases = await harness.fixture.influx.query('SHOW DATABASES', {
      signal: new AbortController().signal,
    });
    expect(JSON.stringify(databases.results)).toContain(harness.fixture.influxDatabase);
  });

  it('oversized query input is rejected', async () => {
    const values = Array.from({ length: 200 }, (_, index) => `${index}-${'x'.repeat(400)}`);
    const body = (
      await observe({
        from,
        to,
        fields: ['ph'],
        tagFilters: [{ tag: 'reactor', op: 'IN', values }],
      })
    ).body;

    expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(
      /^the query's filters and columns take \d+ bytes, more than 65536: use fewer or shorter filter values, or split the query$/,
    );
    expect(body.errors?.[0]?.extensions.activityId).toBeUndefined();
  });

  it('aggregation of a string field is rejected', async () => {
    const body = (await observe({ from, to, fields: ['phase'], aggregation: 'MEAN', window: '1h' }))
      .body;

    expect(body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe(
      'MEAN needs a numeric field, but phase holds string values: use COUNT or LAST, or another field',
    );
  });

  it('empty range and stray options are rejected', async () => {
    const empty = (await observe({ from: to, to: from })).body;
    const fillWithoutWindow = (await observe({ from, to, fill: 'PREVIOUS' })).body;
    const windowWithoutAggregation = (await observe({ from, to, window: '5m' })).body;

    expect(empty.errors?.[0]?.message).toBe(
      'the time range is empty (from 2024-03-01T06:00:00.000Z is not before to 2024-03-01T00:00:00.000Z): give from < to',
    );
    expect(fillWithoutWindow.errors?.[0]?.message).toBe(
      'fill PREVIOUS applies to windows: set window (for example 5m) with the aggregation',
    );
    expect(windowWithoutAggregation.errors?.[0]?.message).toBe(
      'window "5m" needs an aggregation: set aggregation to MEAN, MIN, MAX, LAST, COUNT or SUM',
    );
  });

  it('page above the row budget is rejected', async () => {
    const body = (await observe({ from, to, fields: ['ph'], limit: 500, budget: { maxRows: 100 } }))
      .body;

    expect(body.errors?.[0]?.extensions.code).toBe('ROW_BUDGET_EXCEEDED');
    expect(body.errors?.[0]?.message).toBe(
      'limit 500 is above the row budget of 100 rows: ask for at most 100 rows per page and follow pageInfo.endCursor',
    );
  });

  it('table datasets have no observations', async () => {
    const batch = await harness.dataset('batch');
    const response = await harness.gql(
      OBSERVATIONS,
      { id: batch.pid, input: { from, to } },
      'researcher',
    );

    expect(response.body.errors[0].extensions.code).toBe('NOT_QUERYABLE');
    expect(response.body.errors[0].message).toBe(
      `observations applies to InfluxDB measurements, but dataset ${batch.pid} is a postgres-table: use rows for tables`,
    );
  });

  describe('time budget', () => {
    let proxy: Server;
    let delayMs = 0;

    beforeAll(async () => {
      // A proxy on loopback that forwards to the real InfluxDB after a delay, so the source is slow but real.
      const target = new URL(harness.env.WEFT_TEST_INFLUX_URL);
      proxy = createServer((incoming, outgoing) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          setTimeout(() => {
            const forwarded = httpRequest(
              {
                host: target.hostname,
                port: target.port,
                path: incoming.url,
                method: incoming.method,
                headers: incoming.headers,
              },
              (response) => {
                outgoing.writeHead(response.statusCode ?? 502, response.headers);
                response.pipe(outgoing);
              },
            );
            forwarded.on('error', () => outgoing.destroy());
            forwarded.end(Buffer.concat(chunks));
          }, delayMs).unref();
        });
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const sources = harness.app.app.get(SourcesService);
      await sources.upsert({
        id: 'slow-influx',
        kind: 'influxdb-v1',
        title: 'Slow InfluxDB',
        url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        username: harness.env.WEFT_TEST_INFLUX_USERNAME,
        password: { env: 'WEFT_TEST_FABRIC_INFLUX_SECRET' },
        databases: [harness.fixture.influxDatabase],
        intervalSeconds: 0,
        enabled: true,
      });
      const run = await harness.app.app.get(HarvestService).runNow('slow-influx', 'demand', 'test');
      expect(run.status).toBe('succeeded');
    });

    afterAll(async () => {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });

    it('slow source exceeds the time budget', async () => {
      const slow = await harness.gql(
        '{ searchDatasets(input: { sources: ["slow-influx"], text: "bioreactor" }) { nodes { id } } }',
        {},
        'researcher',
      );
      expect(slow.body.errors).toBeUndefined();
      const id = slow.body.data.searchDatasets.nodes[0].id as string;
      delayMs = 1500;
      const response = await harness.gql(
        OBSERVATIONS,
        {
          id,
          input: { from, to, fields: ['ph'], aggregation: 'MEAN', budget: { timeoutMs: 300 } },
        },
        'researcher',
      );
      delayMs = 0;

      expect(response.body.errors[0].extensions.code).toBe('TIME_BUDGET_EXCEEDED');
      expect(response.body.errors[0].message).toBe(
        `the query on measurement bioreactor (dataset ${id}) did not finish within the time budget of 300 ms: ` +
          'narrow the time range, add tag filters, or aggregate over a wider window',
      );
      expect(response.body.errors[0].extensions.activityId).toMatch(/^http:\/\/weft\.test\/id\//);
    });
  });
});
