import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { InfluxV1Harvester } from '../../src/harvest/influx/influxdb-v1.harvester';
import { InfluxV2Harvester } from '../../src/harvest/influx/influxdb-v2.harvester';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import type {
  InfluxV1SourceConfig,
  InfluxV2SourceConfig,
} from '../../src/sources/source-config.types';
import { loadTestEnv } from '../env/load-env';

// Harvests the real InfluxDB 1.6 of scripts/test-env/up.sh over https. The
// test server speaks plain HTTP, so a TLS-terminating proxy on 127.0.0.1,
// with a certificate from a CA that openssl creates for this test, forwards
// each request to it. The harvester must trust that CA through caFile alone.
// The v2 harvester, which has no server here, meets a fake https server that
// accepts /ping and rejects the token, which is enough to show that TLS with
// caFile succeeded.

const execFileAsync = promisify(execFile);
const env = loadTestEnv();
const signal = new AbortController().signal;
const database = `weft_tls_${randomUUID().slice(0, 8)}`;
const passwordVariable = `WEFT_TEST_INFLUX_TLS_PASSWORD_${randomUUID().slice(0, 8)}`;

const admin = new InfluxqlClient({
  url: env.WEFT_TEST_INFLUX_URL,
  auth: {
    kind: 'basic',
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  },
});

let directory: string;
let proxy: Server;
let proxyUrl: string;
let fakeV2: Server;
let fakeV2Url: string;

async function openssl(...args: string[]): Promise<void> {
  await execFileAsync('openssl', args, { cwd: directory });
}

/** Create a CA and a certificate for 127.0.0.1 signed by it. */
async function createCertificates(): Promise<void> {
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=weft test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.cnf',
    '-out',
    'server.pem',
  );
}

function config(caFile: string | undefined): InfluxV1SourceConfig {
  return {
    id: 'tls-influx',
    kind: 'influxdb-v1',
    intervalSeconds: 0,
    enabled: true,
    url: proxyUrl,
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: { env: passwordVariable },
    databases: [database],
    caFile,
  };
}

beforeAll(async () => {
  process.env[passwordVariable] = env.WEFT_TEST_INFLUX_ADMIN_PASSWORD;
  directory = await mkdtemp(join(tmpdir(), 'weft-influx-tls-'));
  await execFileAsync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > san.cnf'], {
    cwd: directory,
  });
  await createCertificates();

  const target = new URL(env.WEFT_TEST_INFLUX_URL);
  proxy = createServer(
    {
      key: await readFile(join(directory, 'server.key')),
      cert: await readFile(join(directory, 'server.pem')),
    },
    (request, response) => {
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
      request.pipe(forwarded);
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  fakeV2 = createServer(
    {
      key: await readFile(join(directory, 'server.key')),
      cert: await readFile(join(directory, 'server.pem')),
    },
    (request, response) => {
      request.resume();
      if (request.url === '/ping') {
        response.writeHead(204, { 'X-Influxdb-Version': 'v2.7.11' }).end();
        return;
      }
      response
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end('{"code":"unauthorized","message":"unauthorized access"}');
    },
  );
  await new Promise<void>((resolve) => fakeV2.listen(0, '127.0.0.1', resolve));
  fakeV2Url = `https://127.0.0.1:${(fakeV2.address() as AddressInfo).port}`;

  await admin.query(`CREATE DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
  await admin.write(database, 'bioreactor,reactor=BR-01 temperature_c=37.1 1767571200', {
    precision: 's',
    signal,
  });
});

afterAll(async () => {
  delete process.env[passwordVariable];
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  fakeV2.closeAllConnections();
  await new Promise<void>((resolve) => fakeV2.close(() => resolve()));
  await admin.query(`DROP DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
  await rm(directory, { recursive: true, force: true });
});

describe('InfluxV1Harvester over https', () => {
  it('trusts the CA named in caFile', async () => {
    const snapshot = await new InfluxV1Harvester(config(join(directory, 'ca.pem'))).harvest(signal);

    expect(snapshot.issues).toEqual([]);
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([`${database}/bioreactor`]);
    expect(snapshot.datasets[0].distributions[0].accessUrl).toBe(
      `${proxyUrl}/query?db=${database}`,
    );
  });

  it('rejects the certificate without caFile', async () => {
    const snapshot = await new InfluxV1Harvester(config(undefined)).harvest(signal);

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0].message).toBe(
      `GET ${proxyUrl}/ping failed: unable to verify the first certificate; set caFile to the CA certificate that ` +
        "signed the server's certificate",
    );
  });

  it('reports a CA file that does not exist', async () => {
    const snapshot = await new InfluxV1Harvester(config(join(directory, 'missing.pem'))).harvest(
      signal,
    );

    expect(snapshot.issues).toEqual([
      {
        severity: 'error',
        subject: `${proxyUrl}/`,
        message: `cannot read CA file ${join(directory, 'missing.pem')} (ENOENT: no such file or directory, open '${join(directory, 'missing.pem')}'); fix caFile or create the file`,
      },
    ]);
  });
});

describe('InfluxV2Harvester over https', () => {
  function v2Config(caFile: string | undefined): InfluxV2SourceConfig {
    return {
      id: 'tls-influx2',
      kind: 'influxdb-v2',
      intervalSeconds: 0,
      enabled: true,
      url: fakeV2Url,
      org: 'weft-lab',
      token: { env: passwordVariable },
      buckets: [],
      caFile,
    };
  }

  it('trusts the CA named in caFile', async () => {
    const snapshot = await new InfluxV2Harvester(v2Config(join(directory, 'ca.pem'))).harvest(
      signal,
    );

    expect(snapshot.sourceDetails.serverVersion).toBe('v2.7.11');
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0].message).toBe(
      `InfluxDB at ${fakeV2Url}/api/v2/buckets rejected the token (HTTP 401: unauthorized access); check the API ` +
        'token and that it may read the buckets',
    );
  });

  it('rejects the certificate without caFile', async () => {
    const snapshot = await new InfluxV2Harvester(v2Config(undefined)).harvest(signal);

    expect(snapshot.sourceDetails.serverVersion).toBeUndefined();
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0].message).toBe(
      `GET ${fakeV2Url}/ping failed: unable to verify the first certificate; set caFile to the CA certificate ` +
        "that signed the server's certificate",
    );
  });
});
