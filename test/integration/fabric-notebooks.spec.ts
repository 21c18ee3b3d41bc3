import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import { HarvestService } from '../../src/harvest/harvest.service';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import { SourcesService } from '../../src/sources/sources.service';
import { writeFabricDemoData } from '../../scripts/fabric-demo-data';
import { writeDemoData } from '../../scripts/influx-demo-data';
import { fetchToken } from '../env/keycloak-token';
import { loadTestEnv } from '../env/load-env';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

// Runs the example notebooks (examples/notebooks/*.ipynb) with nbclient
// against a Weft that listens on loopback and has harvested the demo data:
// the InfluxDB measurements of scripts/influx-demo-data.ts and the tables of
// scripts/fabric-demo-data.ts, on the real test servers. The Python packages
// come from PyPI into a virtual environment under .cache/, created again
// only when examples/notebooks/requirements.txt changes.

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const notebooksDir = path.join(root, 'examples/notebooks');
const venv = path.join(root, '.cache/notebook-venv');
const python = path.join(venv, 'bin/python');
const START = new Date('2026-01-05T00:00:00Z');
const PG_SECRET = 'WEFT_TEST_NOTEBOOK_PG_SECRET';
const INFLUX_SECRET = 'WEFT_TEST_NOTEBOOK_INFLUX_SECRET';
const signal = new AbortController().signal;

/** Create the virtual environment, or reuse it when it was made from the same requirements. */
async function ensureVirtualEnvironment(): Promise<void> {
  const requirements = path.join(notebooksDir, 'requirements.txt');
  const digest = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const stamp = path.join(venv, '.requirements-sha256');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
    return;
  }

  rmSync(venv, { recursive: true, force: true });
  await execFileAsync('python3', ['-m', 'venv', venv]);
  await execFileAsync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  writeFileSync(stamp, digest);
}

describe('example notebooks', () => {
  const env = loadTestEnv();
  const suffix = randomBytes(4).toString('hex');
  const influxDatabase = `notebooks_${suffix}`;
  const schema = `notebooks_${suffix}`;
  let harness: TestApp;
  let baseUrl: string;
  let pgAdmin: Client;
  const adminAuth = {
    kind: 'basic' as const,
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  };
  const influxAdmin = new InfluxqlClient({ url: env.WEFT_TEST_INFLUX_URL, auth: adminAuth });

  beforeAll(async () => {
    await ensureVirtualEnvironment();

    await writeDemoData(env.WEFT_TEST_INFLUX_URL, influxDatabase, adminAuth, {
      days: 1,
      startTime: START,
    });
    await influxAdmin.query(
      `GRANT READ ON ${quoteIdentifier(influxDatabase)} TO ${quoteIdentifier(env.WEFT_TEST_INFLUX_USERNAME)}`,
      {
        method: 'POST',
        signal,
      },
    );
    const adminUrl = new URL(env.WEFT_TEST_PG_ADMIN_URL);
    adminUrl.pathname = '/weft_fabric';
    pgAdmin = new Client({ connectionString: adminUrl.toString() });
    await pgAdmin.connect();
    await writeFabricDemoData(pgAdmin, {
      schema,
      startTime: START,
      days: 1,
      readerRole: 'weft_reader',
    });

    const reader = new URL(env.WEFT_TEST_FABRIC_PG_URL);
    process.env[PG_SECRET] = decodeURIComponent(reader.password);
    process.env[INFLUX_SECRET] = env.WEFT_TEST_INFLUX_PASSWORD;
    reader.password = '';

    harness = await startTestApp({
      WEFT_OIDC_ISSUER: env.WEFT_TEST_KEYCLOAK_ISSUER,
      WEFT_OIDC_AUDIENCE: env.WEFT_TEST_KEYCLOAK_AUDIENCE,
      WEFT_DEFAULT_ACCESS_LEVEL: 'site',
    });
    const sources = harness.app.get(SourcesService);
    await sources.upsert({
      id: 'lab-db',
      kind: 'postgresql',
      title: 'Lab database',
      url: reader.toString(),
      password: { env: PG_SECRET },
      schemas: [schema],
      maxTables: 100,
      intervalSeconds: 0,
      enabled: true,
    });
    await sources.upsert({
      id: 'site-influx',
      kind: 'influxdb-v1',
      title: 'Site InfluxDB',
      url: env.WEFT_TEST_INFLUX_URL,
      username: env.WEFT_TEST_INFLUX_USERNAME,
      password: { env: INFLUX_SECRET },
      databases: [influxDatabase],
      intervalSeconds: 0,
      enabled: true,
    });
    for (const run of await harness.app.get(HarvestService).runAll('demand', 'test')) {
      expect(run.status).toBe('succeeded');
    }
    // A steward's licences, so notebook 02 can save its joined result as a derived dataset.
    const datasets = harness.app.get(DataSource).getRepository(DatasetEntity);
    await datasets.update({ kind: 'postgres-table' }, { licenceId: 'CC-BY-4.0' });
    await datasets.update({ kind: 'influx-measurement' }, { licenceId: 'CC0-1.0' });

    await harness.app.listen(0, '127.0.0.1');
    baseUrl = await harness.app.getUrl();
  }, 900_000);

  afterAll(async () => {
    delete process.env[PG_SECRET];
    delete process.env[INFLUX_SECRET];
    await harness?.close();
    await pgAdmin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pgAdmin?.end();
    await influxAdmin.query(`DROP DATABASE ${quoteIdentifier(influxDatabase)}`, {
      method: 'POST',
      signal,
    });
  });

  it('every notebook runs without a failing cell', async () => {
    const token = await fetchToken(env, 'researcher');
    const result = await execFileAsync(python, [path.join(notebooksDir, 'run_notebooks.py')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        WEFT_URL: baseUrl.replace('[::1]', '127.0.0.1'),
        WEFT_TOKEN: token,
      },
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(
        `notebooks failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
      );
    });

    expect(result.stdout).toContain('ok 01-find-and-plot-a-series.ipynb');
    expect(result.stdout).toContain('ok 02-batches-joined-with-series.ipynb');
    expect(result.stdout.trim().split('\n').pop()).toBe('2 passed, 0 failed');
  }, 600_000);
});
