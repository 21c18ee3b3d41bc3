import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';

import type { HarvestedDataset, HarvestSnapshot } from '../../src/harvest/harvest.types';
import { InfluxV2Harvester } from '../../src/harvest/influx/influxdb-v2.harvester';
import type { InfluxV2SourceConfig } from '../../src/sources/source-config.types';

// No InfluxDB 2 server can run on the test machine, so this test checks the
// v2 harvester against InfluxDB's published OpenAPI description of the OSS v2
// API (oss.json from influxdata/openapi, read from the corpus directory) with
// RECORDED responses, not against a real server.
//
// A small HTTP server on 127.0.0.1 validates every request the client sends
// against its OpenAPI operation: path, method, declared and required
// parameters, token authentication and the request body schema (with ajv).
// Each mismatch is recorded and fails the test. The server then responds with
// the responses recorded in test/fixtures/influx/v2: JSON for buckets and DBRP
// mappings, annotated CSV for Flux queries, matched by their exact text. The
// recorded responses are themselves checked against the response schemas.

const corpusDir = resolve(__dirname, '../..', process.env.WEFT_CORPUS_DIR ?? '../shared/corpus');
const fixtureDir = resolve(__dirname, '../fixtures/influx/v2');
const TOKEN = 'weft-test-token-5f0c2a';
const tokenVariable = 'WEFT_TEST_INFLUX_V2_TOKEN';
const signal = new AbortController().signal;

type JsonObject = Record<string, unknown>;

interface OpenApiParameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
  $ref?: string;
}

interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonObject }> };
  responses: Record<string, JsonObject>;
  security?: Record<string, string[]>[];
  servers?: { url: string }[];
}

interface OpenApiDocument {
  servers: { url: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, unknown>>;
  components: { parameters: Record<string, OpenApiParameter> };
}

interface MatchedOperation {
  operation: OpenApiOperation;
  /** JSON pointer of the operation inside the document. */
  pointer: string;
  parameters: { parameter: OpenApiParameter; pointer: string }[];
}

const openApi = JSON.parse(
  readFileSync(join(corpusDir, 'influx', 'openapi', 'oss.json'), 'utf8'),
) as OpenApiDocument;

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
  ajv.addFormat(format, true);
}
// The description marks links (`Link`) as format uri, yet its own examples
// and InfluxDB itself send relative links such as /api/v2/buckets/1, so uri
// is checked as a URI reference.
ajv.addFormat('uri', fullFormats['uri-reference']);
ajv.addSchema(openApi, 'oss');

const validators = new Map<string, ValidateFunction>();

/** Compile (once) the schema at a JSON pointer inside oss.json. */
function validatorAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `oss#${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

function pointerPart(text: string): string {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Find the operation for a method and path, honouring each operation's `servers` override. */
function findOperation(method: string, pathname: string): MatchedOperation | undefined {
  for (const [template, item] of Object.entries(openApi.paths)) {
    const operation = item[method.toLowerCase()] as OpenApiOperation | undefined;
    if (operation === undefined) {
      continue;
    }

    const servers =
      operation.servers ?? (item.servers as { url: string }[] | undefined) ?? openApi.servers;
    const full = `${servers[0].url}${template}`;
    const pattern = new RegExp(
      `^${full.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
    );
    if (!pattern.test(pathname)) {
      continue;
    }

    const pointer = `/paths/${pointerPart(template)}/${method.toLowerCase()}`;
    const declared = [
      ...((item.parameters as OpenApiParameter[] | undefined) ?? []).map((parameter, index) => ({
        parameter,
        pointer: `/paths/${pointerPart(template)}/parameters/${index}`,
      })),
      ...(operation.parameters ?? []).map((parameter, index) => ({
        parameter,
        pointer: `${pointer}/parameters/${index}`,
      })),
    ].map((entry) => resolveParameter(entry.parameter, entry.pointer));

    return { operation, pointer, parameters: declared };
  }
  return undefined;
}

function resolveParameter(
  parameter: OpenApiParameter,
  pointer: string,
): { parameter: OpenApiParameter; pointer: string } {
  if (parameter.$ref === undefined) {
    return { parameter, pointer };
  }
  const name = parameter.$ref.replace('#/components/parameters/', '');
  return {
    parameter: openApi.components.parameters[name],
    pointer: `/components/parameters/${pointerPart(name)}`,
  };
}

/** Convert a query or header string to the parameter schema's type before validation. */
function coerce(value: string, schema: JsonObject | undefined): unknown {
  switch (schema?.type) {
    case 'integer':
    case 'number':
      return value.trim() === '' ? value : Number(value);
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

/** Validate one request against its OpenAPI operation; returns the mismatches. */
function validateRequest(
  request: IncomingMessage,
  body: string,
): { operationId?: string; problems: string[] } {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  const matched = findOperation(method, url.pathname);
  if (matched === undefined) {
    return {
      problems: [`${method} ${url.pathname} is not an operation of the InfluxDB OSS v2 API`],
    };
  }

  const { operation } = matched;
  const problems: string[] = [];
  const where = `${operation.operationId} (${method} ${url.pathname})`;

  const queryNames = new Set(
    matched.parameters
      .filter((entry) => entry.parameter.in === 'query')
      .map((entry) => entry.parameter.name),
  );
  for (const name of url.searchParams.keys()) {
    if (!queryNames.has(name)) {
      problems.push(`${where}: query parameter ${name} is not declared`);
    }
  }

  for (const { parameter, pointer } of matched.parameters) {
    const raw =
      parameter.in === 'query'
        ? url.searchParams.get(parameter.name)
        : parameter.in === 'header'
          ? (request.headers[parameter.name.toLowerCase()] as string | undefined)
          : undefined;

    if (raw === undefined || raw === null) {
      if (parameter.required === true && parameter.in !== 'path') {
        problems.push(`${where}: required ${parameter.in} parameter ${parameter.name} is missing`);
      }
      continue;
    }

    // Media types carry parameters (`; charset=utf-8`) that the enum does not list.
    const value = parameter.name.toLowerCase() === 'content-type' ? raw.split(';')[0].trim() : raw;
    const validate = validatorAt(`${pointer}/schema`);
    if (!validate(coerce(value, parameter.schema))) {
      problems.push(
        `${where}: ${parameter.in} parameter ${parameter.name}=${value} is invalid: ${ajv.errorsText(validate.errors)}`,
      );
    }
  }

  const security = operation.security ?? openApi.security;
  if (security.some((requirement) => 'TokenAuthentication' in requirement)) {
    if (request.headers.authorization !== `Token ${TOKEN}`) {
      problems.push(`${where}: the Authorization header is not "Token <API token>"`);
    }
  }

  problems.push(...validateRequestBody(matched, request, body, where));
  return { operationId: operation.operationId, problems };
}

function validateRequestBody(
  matched: MatchedOperation,
  request: IncomingMessage,
  body: string,
  where: string,
): string[] {
  const requestBody = matched.operation.requestBody;
  if (requestBody === undefined) {
    return body === '' ? [] : [`${where}: the operation takes no request body, but one was sent`];
  }
  if (body === '') {
    return requestBody.required === true ? [`${where}: the request body is required`] : [];
  }

  const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim();
  if (requestBody.content[mediaType] === undefined) {
    return [
      `${where}: request body media type ${mediaType} is not one of ${Object.keys(requestBody.content).join(', ')}`,
    ];
  }
  if (mediaType !== 'application/json') {
    return [];
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`${where}: the request body is not JSON`];
  }
  const validate = validatorAt(`${matched.pointer}/requestBody/content/application~1json/schema`);
  return validate(parsed)
    ? []
    : [`${where}: the request body is invalid: ${ajv.errorsText(validate.errors)}`];
}

interface RecordedQuery {
  response: string;
  query: string[];
}

const recordedQueries = (
  JSON.parse(readFileSync(join(fixtureDir, 'flux-queries.json'), 'utf8')) as {
    recorded: RecordedQuery[];
  }
).recorded.map((entry) => ({ response: entry.response, query: entry.query.join('\n') }));

function fixture(name: string): string {
  return readFileSync(join(fixtureDir, name), 'utf8');
}

/** A response the fake server sends instead of the recorded one. */
interface Override {
  status: number;
  contentType: string;
  body: string;
}

/** Which request an override replaces: an operationId, or a Flux query by its recorded response file. */
type Overrides = Map<string, Override>;

interface FakeInfluxV2 {
  url: string;
  problems: string[];
  operations: string[];
  close(): Promise<void>;
}

async function startFakeInfluxV2(overrides: Overrides = new Map()): Promise<FakeInfluxV2> {
  const problems: string[] = [];
  const operations: string[] = [];

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const checked = validateRequest(request, body);
      problems.push(...checked.problems);
      if (checked.operationId !== undefined) {
        operations.push(checked.operationId);
      }
      answer(checked.operationId, body, response, overrides, problems);
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    problems,
    operations,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

function answer(
  operationId: string | undefined,
  body: string,
  response: ServerResponse,
  overrides: Overrides,
  problems: string[],
): void {
  const send = (
    status: number,
    contentType: string | undefined,
    text: string,
    headers: Record<string, string> = {},
  ) => {
    response
      .writeHead(
        status,
        contentType === undefined ? headers : { 'Content-Type': contentType, ...headers },
      )
      .end(text);
  };

  const override = operationId === undefined ? undefined : overrides.get(operationId);
  if (override !== undefined) {
    send(override.status, override.contentType, override.body);
    return;
  }

  switch (operationId) {
    case 'GetPing':
      send(204, undefined, '', { 'X-Influxdb-Version': 'v2.7.11', 'X-Influxdb-Build': 'OSS' });
      return;
    case 'GetBuckets':
      send(200, 'application/json; charset=utf-8', fixture('buckets.json'));
      return;
    case 'GetDBRPs':
      send(200, 'application/json; charset=utf-8', fixture('dbrps.json'));
      return;
    case 'PostQuery': {
      const query = queryText(body);
      const recorded = recordedQueries.find((entry) => entry.query === query);
      if (recorded === undefined) {
        if (query !== undefined) {
          problems.push(`PostQuery: no recorded response for this query:\n${query}`);
        }
        send(
          400,
          'application/json; charset=utf-8',
          JSON.stringify({ code: 'invalid', message: 'no recorded response' }),
        );
        return;
      }
      const queryOverride = overrides.get(recorded.response);
      if (queryOverride !== undefined) {
        send(queryOverride.status, queryOverride.contentType, queryOverride.body);
        return;
      }
      // InfluxDB writes annotated CSV with CRLF line ends; the fixtures keep LF for readability.
      send(
        200,
        'application/csv; charset=utf-8',
        fixture(recorded.response).replace(/\r?\n/g, '\r\n'),
      );
      return;
    }
    case undefined:
    default:
      problems.push(`no recorded response for operation ${operationId ?? '(unknown)'}`);
      send(
        404,
        'application/json; charset=utf-8',
        JSON.stringify({ code: 'not found', message: 'not recorded' }),
      );
  }
}

/** Read the Flux text of a PostQuery body, when the body has one. */
function queryText(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const query =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { query?: unknown }).query
        : undefined;
    return typeof query === 'string' ? query : undefined;
  } catch {
    return undefined;
  }
}

function sourceConfig(
  url: string,
  overrides: Partial<InfluxV2SourceConfig> = {},
): InfluxV2SourceConfig {
  return {
    id: 'site-influx2',
    kind: 'influxdb-v2',
    intervalSeconds: 0,
    enabled: true,
    url,
    org: 'weft-lab',
    token: { env: tokenVariable },
    buckets: [],
    place: 'Building A',
    ...overrides,
  };
}

function datasetByKey(snapshot: HarvestSnapshot, key: string): HarvestedDataset {
  const dataset = snapshot.datasets.find((candidate) => candidate.key === key);
  if (dataset === undefined) {
    throw new Error(
      `no dataset ${key}; got ${snapshot.datasets.map((entry) => entry.key).join(', ')}`,
    );
  }
  return dataset;
}

/** Check an annotated CSV body: annotation rows, a header per table block, one cell per column. */
function annotatedCsvProblems(text: string): string[] {
  const problems: string[] = [];
  const blocks = text.trim().split(/\n\s*\n/);

  for (const [index, block] of blocks.entries()) {
    const lines = block.split('\n');
    const annotations = lines.slice(0, 3).map((line) => line.split(',')[0]);
    if (annotations.join(' ') !== '#datatype #group #default') {
      problems.push(`block ${index}: annotations are ${annotations.join(' ')}`);
    }
    const header = lines[3] ?? '';
    if (!header.startsWith(',result,table,')) {
      problems.push(`block ${index}: header row is ${header}`);
    }
    const width = header.split(',').length;
    for (const line of lines.slice(0, 3)) {
      if (line.split(',').length !== width) {
        problems.push(
          `block ${index}: annotation row ${line.split(',')[0]} has ${line.split(',').length} cells, not ${width}`,
        );
      }
    }
    for (const row of lines.slice(4)) {
      const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.length ?? 0;
      if (cells - 1 !== width && cells !== width) {
        problems.push(`block ${index}: row "${row}" does not have ${width} cells`);
      }
    }
  }
  return problems;
}

beforeAll(() => {
  process.env[tokenVariable] = TOKEN;
});

afterAll(() => {
  delete process.env[tokenVariable];
});

describe('recorded InfluxDB 2 responses', () => {
  it('buckets follow the GetBuckets 200 schema', () => {
    const validate = validatorAt(
      '/paths/~1buckets/get/responses/200/content/application~1json/schema',
    );

    expect(validate(JSON.parse(fixture('buckets.json')))).toBe(true);
    expect(validate.errors ?? null).toBeNull();
  });

  it('DBRP mappings follow the GetDBRPs 200 schema', () => {
    const validate = validatorAt(
      '/paths/~1dbrps/get/responses/200/content/application~1json/schema',
    );

    expect(validate(JSON.parse(fixture('dbrps.json')))).toBe(true);
    expect(validate.errors ?? null).toBeNull();
  });

  it('Flux answers are annotated CSV as PostQuery declares', () => {
    const declared = (openApi.paths['/query'].post as OpenApiOperation).responses['200'] as {
      content: Record<string, { schema: JsonObject }>;
    };

    expect(declared.content['application/csv'].schema).toEqual({ type: 'string' });
    for (const entry of recordedQueries) {
      expect({
        file: entry.response,
        problems: annotatedCsvProblems(fixture(entry.response)),
      }).toEqual({
        file: entry.response,
        problems: [],
      });
    }
  });

  it('the validator rejects requests outside the contract', async () => {
    const fake = await startFakeInfluxV2();
    try {
      await fetch(`${fake.url}/api/v2/buckets?limit=500&colour=red`, {
        headers: { Authorization: `Token ${TOKEN}`, 'Accept-Encoding': 'identity' },
      });
      await fetch(`${fake.url}/api/v2/query?org=weft-lab`, {
        method: 'POST',
        headers: {
          Authorization: 'Bearer x',
          'Content-Type': 'application/json',
          'Accept-Encoding': 'br',
        },
        body: JSON.stringify({ type: 'sql' }),
      });

      expect(fake.problems).toEqual([
        'GetBuckets (GET /api/v2/buckets): query parameter colour is not declared',
        'GetBuckets (GET /api/v2/buckets): query parameter limit=500 is invalid: data must be <= 100',
        'PostQuery (POST /api/v2/query): header parameter Accept-Encoding=br is invalid: data must be equal to one of the allowed values',
        'PostQuery (POST /api/v2/query): the Authorization header is not "Token <API token>"',
        "PostQuery (POST /api/v2/query): the request body is invalid: data must have required property 'query', data/type must be equal to one of the allowed values",
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('InfluxV2Harvester against the OpenAPI contract', () => {
  let fake: FakeInfluxV2;
  let snapshot: HarvestSnapshot;

  beforeAll(async () => {
    fake = await startFakeInfluxV2();
    snapshot = await new InfluxV2Harvester(sourceConfig(fake.url)).harvest(signal);
  });

  afterAll(async () => {
    await fake.close();
  });

  it('sends only requests the OpenAPI description allows', () => {
    expect(fake.problems).toEqual([]);
    expect(fake.operations).toEqual([
      'GetPing',
      'GetBuckets',
      'GetDBRPs',
      ...Array<string>(9).fill('PostQuery'),
    ]);
  });

  it('harvests user buckets without issues', () => {
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.harvester).toBe('weft-influxdb-v2-harvester/0.1.0');
    expect(snapshot.sourceDetails).toEqual({
      url: `${fake.url}/`,
      org: 'weft-lab',
      serverVersion: 'v2.7.11',
      serverBuild: 'OSS',
      buckets: [
        { name: 'home', id: '5a1f0c9e3b7d2a10', retentionSeconds: 2_592_000 },
        { name: 'lab', id: '7d3c2b1a0f9e8d60', retentionSeconds: 0 },
      ],
    });
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([
      'home/sensor',
      'home/shelly_plug',
      'lab/bioreactor',
      'lab/line "A"',
    ]);
  });

  it('reads fields, types and units of a bioreactor', () => {
    const dataset = datasetByKey(snapshot, 'lab/bioreactor');

    expect(dataset.properties).toEqual([
      { name: 'cycle_count', datatypes: ['xsd:integer'] },
      {
        name: 'ph',
        datatypes: ['xsd:double'],
        unit: '[pH]',
        unitSourceText: 'ph',
        quantityKind: 'PH',
      },
      {
        name: 'stirrer_rpm',
        datatypes: ['xsd:integer'],
        unit: '/min',
        unitSourceText: 'rpm',
        quantityKind: 'RotationalVelocity',
      },
      {
        name: 'temperature_c',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: 'c',
        quantityKind: 'Temperature',
      },
    ]);
    expect(dataset.details.fieldTypes).toEqual({
      cycle_count: ['unsigned'],
      ph: ['float'],
      stirrer_rpm: ['integer'],
      temperature_c: ['float'],
    });
    expect(dataset.details.tagKeys).toEqual([
      { key: 'reactor', cardinality: 2 },
      { key: 'site', cardinality: 1 },
    ]);
    expect(dataset.details.seriesCount).toBe(2);
  });

  it('spans the earliest first and the latest last point', () => {
    expect(datasetByKey(snapshot, 'lab/bioreactor').temporal).toEqual({
      start: '2025-12-01T08:00:00Z',
      end: '2026-01-07T12:30:00.5Z',
    });
    expect(datasetByKey(snapshot, 'home/shelly_plug').temporal).toEqual({
      start: '2026-01-05T00:00:00Z',
      end: '2026-01-07T23:59:50Z',
    });
  });

  it('keeps bucket retention and DBRP mappings', () => {
    const home = datasetByKey(snapshot, 'home/sensor');
    const lab = datasetByKey(snapshot, 'lab/bioreactor');

    expect(home.details).toMatchObject({
      bucket: 'home',
      bucketId: '5a1f0c9e3b7d2a10',
      org: 'weft-lab',
      retentionRules: [
        { type: 'expire', everySeconds: 2_592_000, shardGroupDurationSeconds: 86_400 },
      ],
      retentionSeconds: 2_592_000,
      dbrpMappings: [
        { database: 'home', retentionPolicy: 'autogen', default: true, virtual: true },
      ],
    });
    expect(lab.details).toMatchObject({
      retentionRules: [],
      retentionSeconds: 0,
      dbrpMappings: [
        { database: 'lab_db', retentionPolicy: 'autogen', default: true, virtual: false },
      ],
    });
  });

  it('takes a unit from a unit tag', () => {
    const dataset = datasetByKey(snapshot, 'home/sensor');

    expect(dataset.properties).toEqual([
      {
        name: 'value',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: '°C',
        quantityKind: 'Temperature',
      },
    ]);
    expect(dataset.details.unitTagValues).toEqual(['°C']);
    expect(dataset.details.tagKeys).toEqual([
      { key: 'room', cardinality: 2 },
      { key: 'unit', cardinality: 1 },
    ]);
  });

  it('reads a boolean field and power units', () => {
    expect(datasetByKey(snapshot, 'home/shelly_plug').properties).toEqual([
      {
        name: 'energy_kwh',
        datatypes: ['xsd:double'],
        unit: 'kW.h',
        unitSourceText: 'kwh',
        quantityKind: 'Energy',
      },
      { name: 'output', datatypes: ['xsd:boolean'] },
      {
        name: 'power_w',
        datatypes: ['xsd:double'],
        unit: 'W',
        unitSourceText: 'w',
        quantityKind: 'Power',
      },
    ]);
  });

  it('describes Flux and InfluxQL distributions', () => {
    expect(datasetByKey(snapshot, 'lab/line "A"').distributions).toEqual([
      {
        key: 'flux',
        title: 'Flux query API',
        accessUrl: `${fake.url}/api/v2/query?org=weft-lab`,
        mediaType: 'application/csv',
        format: 'Flux annotated CSV',
        accessQuery:
          'from(bucket: "lab") |> range(start: -1h) |> filter(fn: (r) => r._measurement == "line \\"A\\"")',
        description:
          'POST the access query to the URL as {"query": ..., "type": "flux"} with an API token.',
      },
      {
        key: 'influxql',
        title: 'InfluxQL query API (v1-compatible)',
        accessUrl: `${fake.url}/query?db=lab_db`,
        mediaType: 'application/json',
        format: 'InfluxQL JSON',
        accessQuery: 'SELECT * FROM "lab_db"."autogen"."line \\"A\\"" WHERE time > now() - 1h',
        description: 'Send the access query as the q parameter of GET /query with an API token.',
      },
    ]);
  });

  it('harvests a measurement without tags', () => {
    const dataset = datasetByKey(snapshot, 'lab/line "A"');

    expect(dataset.properties).toEqual([
      {
        name: 'temp_c',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: 'c',
        quantityKind: 'Temperature',
      },
    ]);
    expect(dataset.details.tagKeys).toEqual([]);
    expect(dataset.temporal).toEqual({
      start: '2026-01-02T06:00:00Z',
      end: '2026-01-02T18:00:00Z',
    });
  });
});

describe('InfluxV2Harvester faults against the OpenAPI contract', () => {
  async function harvestWith(
    overrides: Overrides,
    config: Partial<InfluxV2SourceConfig> = {},
  ): Promise<{ snapshot: HarvestSnapshot; fake: FakeInfluxV2 }> {
    const fake = await startFakeInfluxV2(overrides);
    try {
      const snapshot = await new InfluxV2Harvester(sourceConfig(fake.url, config)).harvest(signal);
      return { snapshot, fake };
    } finally {
      await fake.close();
    }
  }

  it('reports a rejected token', async () => {
    const unauthorized = {
      status: 401,
      contentType: 'application/json',
      body: '{"code":"unauthorized","message":"unauthorized access"}',
    };
    const validate = validatorAt(
      '/components/responses/AuthorizationError/content/application~1json/schema',
    );
    expect(validate(JSON.parse(unauthorized.body))).toBe(true);

    const { snapshot, fake } = await harvestWith(new Map([['GetBuckets', unauthorized]]));

    expect(fake.problems).toEqual([]);
    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: `${fake.url}/`,
        message:
          `InfluxDB at ${fake.url}/api/v2/buckets rejected the token (HTTP 401: unauthorized access); check the API ` +
          'token and that it may read the buckets',
      },
    ]);
    expect(JSON.stringify(snapshot)).not.toContain(TOKEN);
  });

  it('reports HTML instead of the bucket list', async () => {
    const { snapshot, fake } = await harvestWith(
      new Map([
        [
          'GetBuckets',
          { status: 200, contentType: 'text/html', body: '<html><body>Sign in</body></html>' },
        ],
      ]),
    );

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: `${fake.url}/`,
        message:
          `InfluxDB at ${fake.url}/api/v2/buckets returned an unexpected body: the body has no "buckets" array; ` +
          'check that the url points at the InfluxDB 2 API',
      },
    ]);
  });

  it('reports truncated JSON from the bucket list', async () => {
    const { snapshot, fake } = await harvestWith(
      new Map([
        [
          'GetBuckets',
          { status: 200, contentType: 'application/json', body: '{"buckets":[{"name":"ho' },
        ],
      ]),
    );

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0].message).toMatch(
      new RegExp(`^GET ${fake.url}/api/v2/buckets returned a body that is not valid JSON`),
    );
  });

  it('keeps harvesting after one failing measurement', async () => {
    const error = {
      status: 500,
      contentType: 'application/json',
      body: '{"code":"internal error","message":"panic: runtime error"}',
    };
    const validate = validatorAt('/components/schemas/Error');
    expect(validate(JSON.parse(error.body))).toBe(true);

    const { snapshot, fake } = await harvestWith(new Map([['structure-home-sensor.csv', error]]));

    expect(fake.problems).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([
      'home/shelly_plug',
      'lab/bioreactor',
      'lab/line "A"',
    ]);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: 'home/sensor',
        message: `POST ${fake.url}/api/v2/query returned HTTP 500: panic: runtime error`,
      },
    ]);
  });

  it('reports a configured bucket that does not exist', async () => {
    const { snapshot } = await harvestWith(new Map(), { buckets: ['lab', 'attic'] });

    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([
      'lab/bioreactor',
      'lab/line "A"',
    ]);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: 'bucket attic',
        message:
          'bucket attic was not found in organisation weft-lab; fix the buckets of source site-influx2 or give ' +
          'the token read access to it',
      },
    ]);
  });

  it('reports a server that is down', async () => {
    const fake = await startFakeInfluxV2();
    await fake.close();

    const snapshot = await new InfluxV2Harvester(sourceConfig(fake.url)).harvest(signal);

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0].message).toMatch(
      new RegExp(
        `^GET ${fake.url}/ping failed: .*ECONNREFUSED.*; check that InfluxDB runs and the url is right$`,
      ),
    );
  });
});
