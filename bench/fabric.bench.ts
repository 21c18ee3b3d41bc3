/**
 * Benchmarks the data fabric on the test servers, each figure beside its
 * peer in the same run:
 *
 * - latency of one time-series query through Weft's GraphQL API beside the
 *   same InfluxQL sent straight to InfluxDB's HTTP API;
 * - latency of a join (batches from PostgreSQL, each with its reactor's
 *   series from InfluxDB) beside a hand-written two-step client that reads
 *   the batches with SQL and then sends InfluxDB one query per batch;
 * - points per second when paging through a week of raw host metrics,
 *   through Weft and straight from InfluxDB.
 *
 * Weft runs as its own process (dist/src/cli/weft.js) on a fresh PostgreSQL
 * database, with the demo data of scripts/influx-demo-data.ts and
 * scripts/fabric-demo-data.ts in throwaway databases.
 *
 *   npm run build && node dist/bench/fabric.bench.js [--days 7] [--iterations 200]
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { InfluxqlClient } from '../src/harvest/influx/influxql-client';
import type { InfluxqlAuth } from '../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../src/harvest/influx/influxql-quote';
import { demoBatches, writeFabricDemoData } from '../scripts/fabric-demo-data';
import { writeDemoData } from '../scripts/influx-demo-data';
import { machine, progress, round, startWeft, summarize } from './bench-support';

export interface FabricBenchOptions {
  days: number;
  iterations: number;
}

export interface FabricBenchResult {
  days: number;
  iterations: number;
  singleQuery: {
    description: string;
    weft: ReturnType<typeof summarize>;
    direct: ReturnType<typeof summarize>;
    /** A GraphQL dataset lookup without data: the floor of any Weft request. */
    weftLookupOnly: ReturnType<typeof summarize>;
    ratioP50: number;
  };
  join: {
    description: string;
    batches: number;
    weft: ReturnType<typeof summarize>;
    twoStepClient: ReturnType<typeof summarize>;
    ratioP50: number;
  };
  streaming: {
    description: string;
    points: number;
    pageRows: number;
    weftPointsPerSecond: number;
    directPointsPerSecond: number;
    ratio: number;
  };
}

const START = new Date('2026-01-05T00:00:00Z');
const signal = new AbortController().signal;
const PAGE_ROWS = 50_000;

type TestEnv = Record<string, string>;

/** Run the fabric benchmark against the test servers described by env.json. */
export async function benchFabric(
  env: TestEnv,
  options: FabricBenchOptions,
): Promise<FabricBenchResult> {
  const suffix = randomBytes(4).toString('hex');
  const influxDatabase = `fabric_bench_${suffix}`;
  const schema = `fabric_bench_${suffix}`;
  const influxAuth: InfluxqlAuth = {
    kind: 'basic',
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  };
  const influxAdmin = new InfluxqlClient({ url: env.WEFT_TEST_INFLUX_URL, auth: influxAuth });
  const fabricAdminUrl = new URL(env.WEFT_TEST_PG_ADMIN_URL);
  fabricAdminUrl.pathname = '/weft_fabric';
  const pgAdmin = new Client({ connectionString: fabricAdminUrl.toString() });
  await pgAdmin.connect();
  const store = await createStore(env);
  const secrets = mkdtempSync(path.join(tmpdir(), 'weft-fabric-bench-'));

  try {
    progress(`fabric: writing ${options.days} days of demo data`);
    await writeDemoData(env.WEFT_TEST_INFLUX_URL, influxDatabase, influxAuth, {
      days: options.days,
      startTime: START,
    });
    await influxAdmin.query(
      `GRANT READ ON ${quoteIdentifier(influxDatabase)} TO ${quoteIdentifier(env.WEFT_TEST_INFLUX_USERNAME)}`,
      { method: 'POST', signal },
    );
    await writeFabricDemoData(pgAdmin, {
      schema,
      startTime: START,
      days: options.days,
      readerRole: 'weft_reader',
    });

    const reader = new URL(env.WEFT_TEST_FABRIC_PG_URL);
    const readerPassword = decodeURIComponent(reader.password);
    reader.password = '';
    const sourcesFile = path.join(secrets, 'sources.yaml');
    writeFileSync(
      sourcesFile,
      [
        'sources:',
        '  - { id: lab-db, kind: postgresql, url: "' +
          reader.toString() +
          '", password: { env: BENCH_PG_SECRET }, schemas: [' +
          schema +
          '], intervalSeconds: 0 }',
        '  - { id: site-influx, kind: influxdb-v1, url: "' +
          env.WEFT_TEST_INFLUX_URL +
          '", username: ' +
          env.WEFT_TEST_INFLUX_USERNAME +
          ', password: { env: BENCH_INFLUX_SECRET }, databases: [' +
          influxDatabase +
          '], intervalSeconds: 0 }',
        '',
      ].join('\n'),
    );

    const weft = await startWeft({
      WEFT_DATABASE_URL: store.url,
      WEFT_ALLOW_PASSWORD_IN_URL: 'true',
      WEFT_SOURCES_FILE: sourcesFile,
      WEFT_HARVEST_ON_START: 'true',
      WEFT_DEFAULT_ACCESS_LEVEL: 'public',
      BENCH_PG_SECRET: readerPassword,
      BENCH_INFLUX_SECRET: env.WEFT_TEST_INFLUX_PASSWORD,
      // Node.js defaults unless BENCH_WEFT_NODE_OPTIONS sets flags (for example --cpu-prof).
      NODE_OPTIONS: process.env.BENCH_WEFT_NODE_OPTIONS ?? '',
    });
    try {
      const ids = await waitForDatasets(weft.url, ['bioreactor', 'cpu', `${schema}.batch`]);
      const direct = new DirectClients(env, influxDatabase, env.WEFT_TEST_FABRIC_PG_URL);
      await direct.connect();
      try {
        const singleQuery = await benchSingleQuery(
          weft.url,
          ids.bioreactor,
          direct,
          influxDatabase,
          options.iterations,
        );
        const join = await benchJoin(
          weft.url,
          ids[`${schema}.batch`],
          ids.bioreactor,
          direct,
          schema,
          influxDatabase,
          options,
        );
        const streaming = await benchStreaming(
          weft.url,
          ids.cpu,
          direct,
          influxDatabase,
          options.days,
        );
        return { days: options.days, iterations: options.iterations, singleQuery, join, streaming };
      } finally {
        await direct.close();
      }
    } finally {
      await weft.stop();
    }
  } finally {
    rmSync(secrets, { recursive: true, force: true });
    await pgAdmin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pgAdmin.end();
    await influxAdmin.query(`DROP DATABASE ${quoteIdentifier(influxDatabase)}`, {
      method: 'POST',
      signal,
    });
    await store.drop();
  }
}

/** Direct peers: InfluxDB's HTTP API as the reader user, and PostgreSQL as weft_reader. */
class DirectClients {
  readonly pg: Client;
  private readonly auth: string;

  constructor(
    private readonly env: TestEnv,
    private readonly database: string,
    pgUrl: string,
  ) {
    this.pg = new Client({ connectionString: pgUrl });
    this.auth = `Basic ${Buffer.from(`${env.WEFT_TEST_INFLUX_USERNAME}:${env.WEFT_TEST_INFLUX_PASSWORD}`).toString('base64')}`;
  }

  async connect(): Promise<void> {
    await this.pg.connect();
  }

  async close(): Promise<void> {
    await this.pg.end();
  }

  /** One InfluxQL request with bound parameters, as a client library would send it. */
  async influxql(
    statement: string,
    params: Record<string, string>,
  ): Promise<Array<{ series?: Array<{ values: unknown[][] }> }>> {
    const url = new URL('/query', this.env.WEFT_TEST_INFLUX_URL);
    url.searchParams.set('db', this.database);
    url.searchParams.set('q', statement);
    url.searchParams.set('params', JSON.stringify(params));
    // Weft's responses are not compressed, so the peer's are not either: both legs of a
    // comparison then read plain JSON over the same keep-alive fetch client.
    const response = await fetch(url, {
      headers: {
        authorization: this.auth,
        accept: 'application/json',
        'accept-encoding': 'identity',
      },
    });
    const body = (await response.json()) as {
      results: Array<{ series?: Array<{ values: unknown[][] }> }>;
    };
    return body.results;
  }
}

async function benchSingleQuery(
  weftUrl: string,
  datasetId: string,
  direct: DirectClients,
  database: string,
  iterations: number,
): Promise<FabricBenchResult['singleQuery']> {
  const from = START.toISOString();
  const to = new Date(START.getTime() + 86_400_000).toISOString();
  const query = `query($id: ID!, $input: ObservationQueryInput!) { dataset(id: $id) { observations(input: $input) { activityId rows } } }`;
  const input = {
    from,
    to,
    fields: ['temperature_c'],
    tagFilters: [{ tag: 'reactor', op: 'EQ', values: ['BR-01'] }],
    aggregation: 'MEAN',
    window: '15m',
  };
  const statement = `SELECT mean("temperature_c") AS "temperature_c" FROM ${quoteIdentifier(database)}."autogen"."bioreactor" WHERE time >= $from AND time < $to AND "reactor" = $reactor GROUP BY time(15m) fill(null)`;
  const params = { from, to, reactor: 'BR-01' };

  const lookup = 'query($id: ID!) { dataset(id: $id) { id title } }';

  const weftSamples: number[] = [];
  const directSamples: number[] = [];
  const lookupSamples: number[] = [];
  for (let index = 0; index < iterations + 20; index++) {
    // Interleaved, so the peers see the same server load; the first 20 rounds warm up.
    const lookupMs = await timed(async () => {
      await graphql(weftUrl, lookup, { id: datasetId });
    });
    const weftMs = await timed(async () => {
      const rows = (
        (await graphql(weftUrl, query, { id: datasetId, input })).dataset as {
          observations: { rows: unknown[] };
        }
      ).observations.rows;
      expectLength(rows, 96, 'Weft single query');
    });
    const directMs = await timed(async () => {
      const results = await direct.influxql(statement, params);
      expectLength(results[0]?.series?.[0]?.values ?? [], 96, 'direct single query');
    });
    if (index >= 20) {
      weftSamples.push(weftMs);
      directSamples.push(directMs);
      lookupSamples.push(lookupMs);
    }
  }
  const weft = summarize(weftSamples);
  const peer = summarize(directSamples);
  const weftLookupOnly = summarize(lookupSamples);
  progress(
    `fabric single query: weft p50 ${weft.p50} ms, direct p50 ${peer.p50} ms, lookup only p50 ${weftLookupOnly.p50} ms`,
  );
  return {
    description:
      '96 15-minute means of one field of one reactor over one day (InfluxQL on InfluxDB 1.6)',
    weft,
    direct: peer,
    weftLookupOnly,
    ratioP50: round(weft.p50 / peer.p50),
  };
}

async function benchJoin(
  weftUrl: string,
  batchId: string,
  reactorId: string,
  direct: DirectClients,
  schema: string,
  database: string,
  options: FabricBenchOptions,
): Promise<FabricBenchResult['join']> {
  const batches = demoBatches(START, options.days).length;
  const query = `query($id: ID!, $input: SeriesJoinInput!) { dataset(id: $id) { joinSeries(input: $input) { activityId pointCount rows { values series } } } }`;
  const input = {
    series: reactorId,
    mode: 'TIME_WINDOW',
    startColumn: 'started_at',
    endColumn: 'ended_at',
    keyColumn: 'reactor',
    tag: 'reactor',
    rows: {
      columns: ['batch_id', 'reactor', 'started_at', 'ended_at'],
      orderBy: [{ column: 'batch_id' }],
      limit: 100,
    },
    observations: { fields: ['temperature_c'], aggregation: 'MEAN', window: '10m' },
  };
  const source = `${quoteIdentifier(database)}."autogen"."bioreactor"`;

  const twoStep = async (): Promise<number> => {
    const rows = await direct.pg.query<{
      reactor: string;
      started_at: Date;
      ended_at: Date | null;
    }>(
      `SELECT batch_id, reactor, started_at, ended_at FROM ${schema}.batch ORDER BY batch_id LIMIT 100`,
    );
    let points = 0;
    for (const row of rows.rows) {
      const end = row.ended_at ?? new Date();
      const results = await direct.influxql(
        `SELECT mean("temperature_c") AS "temperature_c" FROM ${source} WHERE time >= $from AND time <= $to AND "reactor" = $reactor GROUP BY time(10m) fill(null)`,
        { from: row.started_at.toISOString(), to: end.toISOString(), reactor: row.reactor },
      );
      points += results[0]?.series?.[0]?.values.length ?? 0;
    }
    return points;
  };

  const weftSamples: number[] = [];
  const clientSamples: number[] = [];
  for (let index = 0; index < Math.max(20, Math.floor(options.iterations / 5)) + 5; index++) {
    const weftMs = await timed(async () => {
      const join = (await graphql(weftUrl, query, { id: batchId, input })).dataset as {
        joinSeries: { rows: unknown[] };
      };
      expectLength(join.joinSeries.rows, batches, 'Weft join');
    });
    const clientMs = await timed(async () => {
      await twoStep();
    });
    if (index >= 5) {
      weftSamples.push(weftMs);
      clientSamples.push(clientMs);
    }
  }
  const weft = summarize(weftSamples);
  const client = summarize(clientSamples);
  progress(`fabric join: weft p50 ${weft.p50} ms, two-step client p50 ${client.p50} ms`);
  return {
    description: `${batches} batches from PostgreSQL, each with 10-minute means of its reactor's temperature during the batch`,
    batches,
    weft,
    twoStepClient: client,
    ratioP50: round(weft.p50 / client.p50),
  };
}

async function benchStreaming(
  weftUrl: string,
  cpuId: string,
  direct: DirectClients,
  database: string,
  days: number,
): Promise<FabricBenchResult['streaming']> {
  const from = START.toISOString();
  const to = new Date(START.getTime() + days * 86_400_000).toISOString();
  const fields = ['usage_user', 'usage_system', 'usage_iowait', 'usage_idle'];
  const query = `query($id: ID!, $input: ObservationQueryInput!) { dataset(id: $id) { observations(input: $input) { rows pageInfo { hasNextPage endCursor } } } }`;

  let weftPoints = 0;
  const weftMs = await timed(async () => {
    let after: string | null = null;
    do {
      const input: Record<string, unknown> = {
        from,
        to,
        fields,
        limit: PAGE_ROWS,
        ...(after === null ? {} : { after }),
      };
      const page = (
        (await graphql(weftUrl, query, { id: cpuId, input })).dataset as {
          observations: {
            rows: unknown[][];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        }
      ).observations;
      weftPoints += page.rows.length * fields.length;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null);
  });

  let directPoints = 0;
  const directMs = await timed(async () => {
    let offset = 0;
    for (;;) {
      const results = await direct.influxql(
        `SELECT ${fields.map((field) => `"${field}"`).join(', ')} FROM ${quoteIdentifier(database)}."autogen"."cpu" WHERE time >= $from AND time < $to LIMIT ${PAGE_ROWS} OFFSET ${offset}`,
        { from, to },
      );
      const rows = results[0]?.series?.[0]?.values ?? [];
      directPoints += rows.length * fields.length;
      offset += rows.length;
      if (rows.length < PAGE_ROWS) {
        break;
      }
    }
  });

  if (weftPoints !== directPoints) {
    throw new Error(
      `streaming returned ${weftPoints} points through Weft but ${directPoints} directly`,
    );
  }
  const weftRate = Math.round(weftPoints / (weftMs / 1000));
  const directRate = Math.round(directPoints / (directMs / 1000));
  progress(`fabric streaming: ${weftPoints} points, weft ${weftRate}/s, direct ${directRate}/s`);
  return {
    description: `raw cpu metrics (4 fields every 10 s) over ${days} days, pages of ${PAGE_ROWS} rows`,
    points: weftPoints,
    pageRows: PAGE_ROWS,
    weftPointsPerSecond: weftRate,
    directPointsPerSecond: directRate,
    ratio: round(weftRate / directRate),
  };
}

async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: Array<{ message: string }>;
  };
  if (body.errors !== undefined || body.data === undefined) {
    throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

/** Wait until the startup harvest has catalogued every named dataset; returns their identifiers by title. */
async function waitForDatasets(url: string, titles: string[]): Promise<Record<string, string>> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const data = await graphql(
      url,
      '{ searchDatasets(first: 100) { nodes { id title } } }',
      {},
    ).catch(() => undefined);
    const nodes =
      (data?.searchDatasets as { nodes?: Array<{ id: string; title: string }> } | undefined)
        ?.nodes ?? [];
    const found = Object.fromEntries(
      nodes.filter((node) => titles.includes(node.title)).map((node) => [node.title, node.id]),
    );
    if (titles.every((title) => found[title] !== undefined)) {
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`datasets ${titles.join(', ')} were not harvested within two minutes`);
}

async function createStore(env: TestEnv): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `weft_fabric_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: env.WEFT_TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} OWNER "${new URL(env.WEFT_TEST_PG_URL).username}"`);
  await admin.end();
  const url = new URL(env.WEFT_TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: env.WEFT_TEST_PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function expectLength(rows: unknown[], expected: number, what: string): void {
  if (rows.length !== expected) {
    throw new Error(`${what} returned ${rows.length} rows, expected ${expected}`);
  }
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) {
    return fallback;
  }
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(
      `--${name} "${process.argv[index + 1] ?? ''}" is invalid: give a positive integer`,
    );
  }
  return value;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  const env = JSON.parse(
    readFileSync(path.join(root, 'test/env/state/env.json'), 'utf8'),
  ) as TestEnv;
  benchFabric(env, { days: argument('days', 7), iterations: argument('iterations', 200) })
    .then((result) => {
      process.stdout.write(
        `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), fabric: result }, null, 2)}\n`,
      );
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `fabric benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
}
