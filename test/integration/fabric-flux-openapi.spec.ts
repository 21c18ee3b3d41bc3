import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import type { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import type { SourceSystemEntity } from '../../src/catalog/entities/source-system.entity';
import type { MeasurementTarget } from '../../src/fabric/catalog/query-target';
import { QueryDeadline } from '../../src/fabric/deadline';
import { FabricError } from '../../src/fabric/fabric.error';
import type { PushedDownQuery } from '../../src/fabric/frame';
import { InfluxObservationRunner } from '../../src/fabric/influx/influx-observation.runner';
import { planObservations } from '../../src/fabric/influx/observation-plan';
import type { ObservationQuery } from '../../src/fabric/influx/observation-plan';
import type { InfluxV2SourceConfig } from '../../src/sources/source-config.types';

// No InfluxDB 2 server can run on the test machine, so the fabric's Flux
// path is tested against InfluxDB's published OpenAPI description of the
// OSS v2 API (oss.json from influxdata/openapi, read from the corpus
// directory) with RECORDED responses, not against a real server.
//
// A server on 127.0.0.1 checks each request against the PostQuery
// operation: method and path, declared query parameters, the Content-Type
// header's allowed values, token authentication and the body against the
// Query schema (ajv). It answers with the annotated CSV recorded in
// test/fixtures/fabric/flux for the exact Flux text and params, and records
// every mismatch, which fails the test.

const corpusDir = resolve(__dirname, '../..', process.env.WEFT_CORPUS_DIR ?? '../shared/corpus');
const fixtureDir = resolve(__dirname, '../fixtures/fabric/flux');
const TOKEN = 'weft-fabric-test-token-7d1e';
const TOKEN_VARIABLE = 'WEFT_TEST_FABRIC_FLUX_TOKEN';

interface Recording {
  name: string;
  query: string[];
  params: Record<string, unknown>;
  csv: string;
}

const openApi = JSON.parse(
  readFileSync(join(corpusDir, 'influx', 'openapi', 'oss.json'), 'utf8'),
) as {
  servers: Array<{ url: string }>;
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{
          $ref?: string;
          in?: string;
          name?: string;
          schema?: { enum?: string[] };
        }>;
      }
    >
  >;
};
const recordings = JSON.parse(
  readFileSync(join(fixtureDir, 'recorded.json'), 'utf8'),
) as Recording[];

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
  ajv.addFormat(format, true);
}
ajv.addSchema(openApi, 'oss');
const validateQueryBody = ajv.compile({ $ref: 'oss#/components/schemas/Query' });

describe('fabric Flux queries against the InfluxDB v2 OpenAPI description', () => {
  let server: Server;
  let baseUrl: string;
  const problems: string[] = [];
  const received: Array<{ query: string; params: unknown }> = [];
  let failWith: { status: number; body: string } | null = null;

  beforeAll(async () => {
    process.env[TOKEN_VARIABLE] = TOKEN;
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = answerFor(request, body);
        response.writeHead(answer.status, { 'content-type': answer.contentType });
        response.end(answer.body);
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    delete process.env[TOKEN_VARIABLE];
    await new Promise<void>((done) => server.close(() => done()));
  });

  afterEach(() => {
    failWith = null;
    expect(problems).toEqual([]);
    problems.length = 0;
    received.length = 0;
  });

  function answerFor(
    request: IncomingMessage,
    body: string,
  ): { status: number; contentType: string; body: string } {
    const url = new URL(request.url ?? '/', baseUrl);
    const operation = openApi.paths['/query']?.post;
    const expectedPath = `${openApi.servers[0].url}/query`;
    if (request.method !== 'POST' || url.pathname !== expectedPath || operation === undefined) {
      problems.push(`${request.method} ${url.pathname} is not PostQuery (POST ${expectedPath})`);
      return {
        status: 404,
        contentType: 'application/json',
        body: '{"code":"not found","message":"path not found"}',
      };
    }

    const declared = new Set(
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name),
    );
    for (const name of url.searchParams.keys()) {
      if (!declared.has(name)) {
        problems.push(`query parameter ${name} is not declared by PostQuery`);
      }
    }
    if (url.searchParams.get('org') === null && url.searchParams.get('orgID') === null) {
      problems.push('InfluxDB OSS needs org or orgID');
    }
    const contentTypes =
      (operation.parameters ?? []).find(
        (parameter) => parameter.in === 'header' && parameter.name === 'Content-Type',
      )?.schema?.enum ?? [];
    if (!contentTypes.includes(String(request.headers['content-type']))) {
      problems.push(
        `Content-Type ${String(request.headers['content-type'])} is not one of ${contentTypes.join(', ')}`,
      );
    }
    if (request.headers.authorization !== `Token ${TOKEN}`) {
      problems.push('the request does not carry the API token as "Authorization: Token ..."');
      return {
        status: 401,
        contentType: 'application/json',
        body: '{"code":"unauthorized","message":"unauthorized access"}',
      };
    }

    const parsed = JSON.parse(body) as { query: string; params?: Record<string, unknown> };
    if (!validateQueryBody(parsed)) {
      problems.push(
        `the body does not match the Query schema: ${ajv.errorsText(validateQueryBody.errors)}`,
      );
    }
    received.push({ query: parsed.query, params: parsed.params });
    if (failWith !== null) {
      return { status: failWith.status, contentType: 'application/json', body: failWith.body };
    }

    const recording = recordings.find(
      (candidate) =>
        candidate.query.join('\n') === parsed.query &&
        JSON.stringify(candidate.params) === JSON.stringify(parsed.params),
    );
    if (recording === undefined) {
      problems.push(
        `unrecorded Flux request:\n${parsed.query}\nparams ${JSON.stringify(parsed.params)}`,
      );
      return {
        status: 400,
        contentType: 'application/json',
        body: '{"code":"invalid","message":"unrecorded query"}',
      };
    }
    const csv = readFileSync(join(fixtureDir, recording.csv), 'utf8').replace(/\n/g, '\r\n');
    return { status: 200, contentType: 'application/csv; charset=utf-8', body: csv };
  }

  function target(): MeasurementTarget {
    const config: InfluxV2SourceConfig = {
      id: 'site-influx2',
      kind: 'influxdb-v2',
      url: baseUrl,
      org: 'site',
      token: { env: TOKEN_VARIABLE },
      buckets: ['lab'],
      intervalSeconds: 0,
      enabled: true,
    };
    return {
      kind: 'influx-measurement',
      dataset: { pid: 'https://w3id.org/weft-test/ds1' } as DatasetEntity,
      source: { pid: 'https://w3id.org/weft-test/src1' } as SourceSystemEntity,
      connection: { api: 'flux', config, bucket: 'lab' },
      measurement: 'bioreactor',
      fields: new Map([
        ['temperature_c', { name: 'temperature_c', types: ['float'], unit: 'Cel' }],
        ['power_w', { name: 'power_w', types: ['float'], unit: 'W' }],
      ]),
      tagKeys: ['reactor', 'site', 'device'],
    };
  }

  async function run(query: ObservationQuery, slices: Array<{ key?: string; limit: number }>) {
    const measurement = target();
    const plan = planObservations(measurement, query);
    const pushedDown: PushedDownQuery[] = [];
    const runner = new InfluxObservationRunner(
      measurement,
      plan,
      new QueryDeadline(10_000),
      pushedDown,
    );
    const results = await runner.run(
      slices.map((slice) => ({
        from: plan.from,
        to: plan.to,
        limit: slice.limit,
        cursor: { offset: 0 },
        ...(slice.key === undefined ? {} : { keyTag: { tag: 'device', value: slice.key } }),
      })),
    );
    return { plan, results, pushedDown };
  }

  const from = new Date('2024-03-01T00:00:00Z');
  const to = new Date('2024-03-01T02:00:00Z');

  it('hourly mean with a tag filter', async () => {
    const { plan, results, pushedDown } = await run(
      {
        from,
        to,
        fields: ['temperature_c'],
        tagFilters: [{ tag: 'reactor', op: 'eq', values: ['BR-01'] }],
        aggregation: 'mean',
        window: '1h',
      },
      [{ limit: 1001 }],
    );

    expect(plan.columns.map((column) => column.name)).toEqual(['time', 'temperature_c']);
    expect(results[0]?.rows).toEqual([
      ['2024-03-01T00:00:00Z', 37.2135],
      ['2024-03-01T01:00:00Z', null],
    ]);
    expect(pushedDown).toHaveLength(1);
    expect(pushedDown[0]?.language).toBe('Flux');
    expect(pushedDown[0]?.rowCount).toBe(2);
  });

  it('raw points keep their tags', async () => {
    const { results } = await run({ from, to, fields: ['temperature_c'] }, [{ limit: 4 }]);

    expect(results[0]?.rows).toEqual([
      ['2024-03-01T00:00:00Z', 37, 'BR-01', 'lab', null],
      ['2024-03-01T00:00:00Z', 30, 'BR-02', 'lab', null],
      ['2024-03-01T00:01:00.5Z', 37.02, 'BR-01', 'lab', null],
      ['2024-03-01T00:01:00.5Z', 30.02, 'BR-02', 'lab', null],
    ]);
  });

  it('key join sends one request per row', async () => {
    const { results, pushedDown } = await run(
      { from, to, fields: ['power_w'], aggregation: 'mean' },
      [
        { key: 'plug-1', limit: 11 },
        { key: 'plug-"9" or true', limit: 11 },
      ],
    );

    expect(results.map((result) => result.rows)).toEqual([[['2024-03-01T00:00:00Z', 13]], []]);
    expect(pushedDown.map((query) => query.params.key)).toEqual(['plug-1', 'plug-"9" or true']);
    expect(received.every((request) => !request.query.includes('plug-'))).toBe(true);
  });

  it('values travel as params, never in the script', async () => {
    await run(
      {
        from,
        to,
        fields: ['temperature_c'],
        tagFilters: [{ tag: 'reactor', op: 'in', values: ['BR-01', 'x") or r._value > 0 //'] }],
      },
      [{ limit: 3 }],
    ).catch(() => undefined);
    problems.length = 0;

    expect(received).toHaveLength(1);
    expect(received[0]?.query).not.toContain('BR-01');
    expect(received[0]?.query).not.toContain('r._value > 0');
    expect(received[0]?.params).toEqual({
      bucket: 'lab',
      measurement: 'bioreactor',
      from: '2024-03-01T00:00:00.000Z',
      to: '2024-03-01T02:00:00.000Z',
      field0: 'temperature_c',
      tag0_0: 'BR-01',
      tag0_1: 'x") or r._value > 0 //',
    });
  });

  it('rejected script is a source failure', async () => {
    failWith = {
      status: 400,
      body: '{"code":"invalid","message":"compilation failed: error at @1:1-1:5"}',
    };
    const failure = await run({ from, to, fields: ['temperature_c'] }, [{ limit: 2 }]).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(FabricError);
    expect((failure as FabricError).code).toBe('SOURCE_FAILED');
    expect((failure as FabricError).message).toBe(
      `the query on measurement bioreactor (dataset https://w3id.org/weft-test/ds1) failed: InfluxDB at ${baseUrl}/api/v2/query rejected the Flux query (HTTP 400: compilation failed: error at @1:1-1:5)`,
    );
  });
});
