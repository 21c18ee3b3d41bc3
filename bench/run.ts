/**
 * Runs Weft's benchmarks against the test servers (`bash scripts/test-env/up.sh`
 * starts them) and writes the results to bench/results/latest.json. Each
 * figure is measured beside a peer in the same run: the broker's own
 * delivery rate, the same SQL sent straight to PostgreSQL, and Weft's
 * /health endpoint.
 *
 *   npm run build && node dist/bench/run.js [--only mqtt|opcua|catalog] [--datasets 100000]
 *     [--mqtt-messages 200000] [--opcua-variables 20000]
 */
import 'reflect-metadata';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { machine, progress } from './bench-support';
import { benchCatalog } from './catalog.bench';
import { benchMqtt } from './mqtt.bench';
import { benchOpcuaBrowse } from './opcua-browse';

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

async function createDatabase(
  adminUrl: string,
  ownerUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `weft_bench_${randomBytes(4).toString('hex')}`;
  const owner = new URL(ownerUrl).username;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} OWNER "${owner}"`);
  await admin.end();
  const url = new URL(ownerUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const env = JSON.parse(
    readFileSync(path.join(root, 'test/env/state/env.json'), 'utf8'),
  ) as Record<string, string>;
  const corpusDir = path.resolve(root, process.env.WEFT_CORPUS_DIR ?? '../shared/corpus');
  const datasets = argument('datasets', 100_000);
  const mqttMessages = argument('mqtt-messages', 200_000);
  const opcuaVariables = argument('opcua-variables', 20_000);

  const only = process.argv.includes('--only')
    ? process.argv[process.argv.indexOf('--only') + 1]
    : undefined;
  const runs = (name: string): boolean => only === undefined || only === name;
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: machine() };

  if (runs('mqtt')) {
    results.mqtt = await benchMqtt(
      {
        url: env.WEFT_TEST_MQTT_URL,
        publisher: { username: env.WEFT_TEST_MQTT_USERNAME, password: env.WEFT_TEST_MQTT_PASSWORD },
        subscriber: {
          username: env.WEFT_TEST_MQTT_READER_USERNAME,
          password: env.WEFT_TEST_MQTT_READER_PASSWORD,
        },
        corpusDir,
      },
      mqttMessages,
    );
    progress(`MQTT: ${JSON.stringify(results.mqtt)}`);
  }

  if (runs('opcua')) {
    progress(`OPC UA: browsing ${opcuaVariables} variables`);
    results.opcua = await benchOpcuaBrowse({ variables: opcuaVariables });
    progress(`OPC UA: ${JSON.stringify(results.opcua)}`);
  }

  if (runs('catalog')) {
    const database = await createDatabase(env.WEFT_TEST_PG_ADMIN_URL, env.WEFT_TEST_PG_URL);
    try {
      results.catalog = await benchCatalog(database.url, datasets);
      progress(`catalog: ${JSON.stringify(results.catalog)}`);
    } finally {
      await database.drop();
    }
  }

  const directory = path.join(root, 'bench/results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    path.join(directory, only === undefined ? 'latest.json' : `latest-${only}.json`),
    JSON.stringify(results, null, 2) + '\n',
  );
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
