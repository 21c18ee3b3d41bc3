import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import type { HarvestSnapshot } from '../../src/harvest/harvest.types';
import { InfluxV1Harvester } from '../../src/harvest/influx/influxdb-v1.harvester';
import type { InfluxHarvesterOptions } from '../../src/harvest/influx/influx-harvest-run';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import type { InfluxV1SourceConfig } from '../../src/sources/source-config.types';
import { loadTestEnv } from '../env/load-env';

// Harvest faults. "Down" and "restart" use the real InfluxDB 1.6 of
// scripts/test-env/up.sh (restarted with scripts/test-env/restart.sh) and a
// loopback port with no server. Garbage responses come from small fake HTTP
// servers on 127.0.0.1, because no real InfluxDB sends HTML or truncated
// JSON. One of them is a proxy in front of the real server that breaks the
// responses about a single measurement.

const execFileAsync = promisify(execFile);
const env = loadTestEnv();
const repoRoot = resolve(__dirname, '../..');
const database = `weft_faults_${randomUUID().slice(0, 8)}`;
const passwordVariable = `WEFT_TEST_INFLUX_FAULTS_PASSWORD_${randomUUID().slice(0, 8)}`;
const signal = new AbortController().signal;

const admin = new InfluxqlClient({
  url: env.WEFT_TEST_INFLUX_URL,
  auth: {
    kind: 'basic',
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  },
});

function sourceConfig(
  url: string,
  overrides: Partial<InfluxV1SourceConfig> = {},
): InfluxV1SourceConfig {
  return {
    id: 'faulty-influx',
    kind: 'influxdb-v1',
    intervalSeconds: 0,
    enabled: true,
    url,
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: { env: passwordVariable },
    databases: [database],
    ...overrides,
  };
}

function harvest(
  url: string,
  overrides: Partial<InfluxV1SourceConfig> = {},
  options: InfluxHarvesterOptions = {},
  harvestSignal: AbortSignal = signal,
): Promise<HarvestSnapshot> {
  return new InfluxV1Harvester(sourceConfig(url, overrides), options).harvest(harvestSignal);
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

interface FakeServer {
  url: string;
  close(): Promise<void>;
}

/** Start an HTTP server on a free loopback port that responds with `handler`. */
async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

/** Build a fake InfluxDB whose /ping works and whose /query responds with the given status, type and body. */
function fakeQueryAnswer(status: number, contentType: string, body: string): Handler {
  return (request, response) => {
    if (request.url?.startsWith('/ping') === true) {
      response.writeHead(204, { 'X-Influxdb-Version': '1.8.10' }).end();
      return;
    }
    response.writeHead(status, { 'Content-Type': contentType }).end(body);
  };
}

/** Read the statement of a /query request from its query string or form body. */
function statementOf(request: IncomingMessage, body: string): string {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  return url.searchParams.get('q') ?? new URLSearchParams(body).get('q') ?? '';
}

/** Port with nothing listening: bind an ephemeral port, then release it. */
async function closedPortUrl(): Promise<string> {
  const server = await startFakeServer((_request, response) => response.end());
  await server.close();
  return server.url;
}

async function adminQuery(statement: string): Promise<void> {
  await admin.query(statement, { method: 'POST', signal });
}

beforeAll(async () => {
  process.env[passwordVariable] = env.WEFT_TEST_INFLUX_ADMIN_PASSWORD;
  await adminQuery(`CREATE DATABASE ${quoteIdentifier(database)}`);
  await admin.write(
    database,
    [
      'bioreactor,reactor=BR-01 temperature_c=37.1,ph=7.02 1767571200',
      'shelly_plug,device=fridge power_w=85.2,energy_kwh=12.5 1767571200',
      'cpu,host=weft-demo usage_idle=91.5 1767571200',
    ].join('\n'),
    { precision: 's', signal },
  );
});

afterAll(async () => {
  delete process.env[passwordVariable];
  await adminQuery(`DROP DATABASE ${quoteIdentifier(database)}`);
});

describe('InfluxV1Harvester faults', () => {
  it('reports a server that is down', async () => {
    const url = await closedPortUrl();

    const snapshot = await harvest(url);

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0].severity).toBe('error');
    expect(snapshot.issues[0].subject).toBe(`${url}/`);
    expect(snapshot.issues[0].message).toBe(
      `GET ${url}/ping failed: connect ECONNREFUSED ${url.slice('http://'.length)}; check that InfluxDB runs and the url is right`,
    );
  });

  it('harvests again after a server restart', async () => {
    const before = await harvest(env.WEFT_TEST_INFLUX_URL);

    await execFileAsync('bash', [resolve(repoRoot, 'scripts/test-env/restart.sh'), 'influxdb'], {
      cwd: repoRoot,
      timeout: 90_000,
    });
    const after = await harvest(env.WEFT_TEST_INFLUX_URL);

    expect(before.issues).toEqual([]);
    expect(after.issues).toEqual([]);
    expect(after.complete).toBe(true);
    expect(after.datasets.map((dataset) => dataset.key).sort()).toEqual([
      `${database}/bioreactor`,
      `${database}/cpu`,
      `${database}/shelly_plug`,
    ]);
    expect(after.datasets).toEqual(before.datasets);
  });

  it('reports rejected credentials without the password', async () => {
    const wrongPassword = `wrong-${randomUUID()}`;
    const wrongVariable = `WEFT_TEST_INFLUX_WRONG_${randomUUID().slice(0, 8)}`;
    process.env[wrongVariable] = wrongPassword;

    const snapshot = await harvest(env.WEFT_TEST_INFLUX_URL, { password: { env: wrongVariable } });
    delete process.env[wrongVariable];

    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: `${env.WEFT_TEST_INFLUX_URL}/`,
        message:
          `InfluxDB at ${env.WEFT_TEST_INFLUX_URL}/query rejected the credentials (HTTP 401: authorization failed); ` +
          'check the user name and password and that the user may read the database',
      },
    ]);
    expect(JSON.stringify(snapshot)).not.toContain(wrongPassword);
  });

  it('reports a missing database and harvests the others', async () => {
    const snapshot = await harvest(env.WEFT_TEST_INFLUX_URL, {
      databases: ['weft_no_such_db', database],
    });

    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: 'database weft_no_such_db',
        message:
          'SHOW RETENTION POLICIES ON "weft_no_such_db" failed: database not found: weft_no_such_db; check that database ' +
          'weft_no_such_db exists and the user may read it',
      },
    ]);
    expect(snapshot.datasets).toHaveLength(3);
  });

  it('reports an unset password variable', async () => {
    const snapshot = await harvest(env.WEFT_TEST_INFLUX_URL, {
      password: { env: 'WEFT_TEST_INFLUX_UNSET_VARIABLE' },
    });

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: `${env.WEFT_TEST_INFLUX_URL}/`,
        message:
          'source faulty-influx: environment variable WEFT_TEST_INFLUX_UNSET_VARIABLE is empty or unset; set it to the secret',
      },
    ]);
  });

  it('reports an aborted run', async () => {
    const controller = new AbortController();
    controller.abort();

    const snapshot = await harvest(env.WEFT_TEST_INFLUX_URL, {}, {}, controller.signal);

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: `${env.WEFT_TEST_INFLUX_URL}/`,
        message: `GET ${env.WEFT_TEST_INFLUX_URL}/ping was aborted`,
      },
    ]);
  });
});

describe('InfluxV1Harvester garbage answers', () => {
  const cases: [string, number, string, string, string][] = [
    [
      'an HTML page',
      200,
      'text/html',
      '<html><body><h1>Welcome to nginx!</h1></body></html>',
      'returned HTTP 200 (text/html) with an unexpected body: the body is not valid JSON',
    ],
    [
      'truncated JSON',
      200,
      'application/json',
      '{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["a"',
      'returned HTTP 200 (application/json) with an unexpected body: the body is not valid JSON',
    ],
    [
      'JSON of another shape',
      200,
      'application/json',
      '{"status":"ok"}',
      'returned HTTP 200 (application/json) with an unexpected body: the body has no "results" array',
    ],
    [
      'rows without one cell per column',
      200,
      'application/json',
      '{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["a","b"]]}]}]}',
      'returned HTTP 200 (application/json) with an unexpected body: results[0].series[0].values[0] does not have one cell per column',
    ],
    [
      'a server error',
      500,
      'text/plain',
      'internal error: disk full',
      'returned HTTP 500: internal error: disk full',
    ],
    [
      'a proxy error page',
      502,
      'text/html',
      '<html><title>502 Bad Gateway</title></html>',
      'returned HTTP 502: <html><title>502 Bad Gateway</title></html>',
    ],
  ];

  it.each(cases)('reports %s', async (_name, status, contentType, body, expected) => {
    const server = await startFakeServer(fakeQueryAnswer(status, contentType, body));
    try {
      const snapshot = await harvest(server.url, { databases: [] });

      expect(snapshot.datasets).toEqual([]);
      expect(snapshot.complete).toBe(false);
      expect(snapshot.issues).toHaveLength(1);
      expect(snapshot.issues[0].subject).toBe(`${server.url}/`);
      expect(snapshot.issues[0].message).toContain(`InfluxDB at ${server.url}/query ${expected}`);
    } finally {
      await server.close();
    }
  });

  it('reports a server that never answers', async () => {
    const server = await startFakeServer(() => undefined);
    try {
      const snapshot = await harvest(server.url, {}, { requestTimeoutMs: 300 });

      expect(snapshot.issues).toEqual([
        {
          severity: 'error',
          subject: `${server.url}/`,
          message: `GET ${server.url}/ping timed out after 300 ms; check that the server is reachable or raise the request timeout`,
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('rejects a body over the size limit', async () => {
    const server = await startFakeServer(
      fakeQueryAnswer(200, 'application/json', `{"results":[${' '.repeat(5000)}]}`),
    );
    const client = new InfluxqlClient({
      url: server.url,
      auth: { kind: 'none' },
      maxResponseBytes: 1000,
    });
    try {
      await expect(client.query('SHOW DATABASES', { signal })).rejects.toThrow(
        `GET ${server.url}/query returned more than 1000 bytes; narrow the harvest (databases, buckets) or raise the response size limit`,
      );
    } finally {
      await server.close();
    }
  });

  it('keeps harvesting after one broken measurement', async () => {
    // Forward everything to the real server, but answer garbage to any
    // statement about the bioreactor measurement.
    const target = new URL(env.WEFT_TEST_INFLUX_URL);
    const proxy = await startFakeServer((request, response, body) => {
      if (statementOf(request, body).includes('"bioreactor"')) {
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end('{"results":[{"statement_id":0,"series":[{');
        return;
      }
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: request.url,
          method: request.method,
          headers: request.headers,
        },
        (upstream) => {
          response.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(response);
        },
      );
      forwarded.end(body);
    });

    try {
      const snapshot = await harvest(proxy.url);

      expect(snapshot.complete).toBe(false);
      expect(snapshot.datasets.map((dataset) => dataset.key).sort()).toEqual([
        `${database}/cpu`,
        `${database}/shelly_plug`,
      ]);
      expect(snapshot.issues).toHaveLength(1);
      expect(snapshot.issues[0].severity).toBe('error');
      expect(snapshot.issues[0].subject).toBe(`${database}/bioreactor`);
      expect(snapshot.issues[0].message).toMatch(
        new RegExp(
          `^InfluxDB at ${proxy.url}/query returned HTTP 200 \\(application/json\\) with an unexpected body: the body is not valid JSON`,
        ),
      );
    } finally {
      await proxy.close();
    }
  });
});
