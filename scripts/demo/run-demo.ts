/**
 * The Weft demo. It starts Mosquitto, InfluxDB 1.x, PostgreSQL and an OPC UA
 * server on loopback and fills them with real-format device data: a replay
 * of captured Zigbee2MQTT, Tasmota, Shelly, ESPHome and Home Assistant
 * traffic, a companion-specification NodeSet, generated time series, and lab
 * tables of assets, batches and samples that match the series. Then it runs
 * Weft on its embedded database, harvests everything, and prints where to
 * look. `--once` stops after the first harvest (used by the tests).
 */
import 'reflect-metadata';

import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import mqtt from 'mqtt';

import { JsonLogger } from '../../src/common/json-logger';
import { loadConfig } from '../../src/config/weft-config';
import { HarvestService } from '../../src/harvest/harvest.service';
import { replayCorpus } from '../../src/harvest/mqtt/replay';
import { startOpcuaTestServer } from '../../src/harvest/opcua/testing/start-test-server';
import { createApp } from '../../src/main';
import { SourcesService } from '../../src/sources/sources.service';
import { writeFabricDemoData } from '../fabric-demo-data';
import type { FabricDemoSummary } from '../fabric-demo-data';
import { writeDemoData } from '../influx-demo-data';
import {
  freePort,
  randomPassword,
  startInfluxdb,
  startMosquitto,
  startPostgres,
} from './local-servers';
import type { LocalServer } from './local-servers';

interface DemoOptions {
  once: boolean;
  port: number | undefined;
  dir: string;
  corpus: string;
}

function parseArguments(argv: string[]): DemoOptions {
  const root = repositoryRoot();
  const options: DemoOptions = {
    once: false,
    port: undefined,
    dir: path.join(root, '.weft/demo'),
    corpus: path.resolve(root, process.env.WEFT_CORPUS_DIR ?? '../shared/corpus'),
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--once') {
      options.once = true;
    } else if (argument === '--dir') {
      const dir = argv[++index];
      if (dir === undefined || dir === '') {
        throw new Error('--dir needs a folder: give the folder for the demo catalog');
      }
      options.dir = path.resolve(dir);
    } else if (argument === '--port') {
      const port = Number(argv[++index]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`--port "${argv[index] ?? ''}" is not a TCP port: give 1 to 65535`);
      }
      options.port = port;
    } else {
      throw new Error(`unknown argument "${argument ?? ''}": use --once, --port N or --dir FOLDER`);
    }
  }
  return options;
}

function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder) {
    folder = path.dirname(folder);
  }
  return folder;
}

function step(message: string): void {
  process.stdout.write(`\n==> ${message}\n`);
}

function writeSecret(dir: string, name: string, value: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, value, { mode: 0o600 });
  return file;
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const mqttCorpus = path.join(options.corpus, 'mqtt');
  const nodeset = path.join(options.corpus, 'opcua/machinery_identification_subset.NodeSet2.xml');
  if (!existsSync(mqttCorpus) || !existsSync(nodeset)) {
    throw new Error(
      `real-format device data not found in ${options.corpus}: set WEFT_CORPUS_DIR to the corpus folder (with mqtt/ and opcua/)`,
    );
  }

  // Each demo starts from scratch: a new catalog, new servers, new passwords.
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  // Mosquitto drops root privileges to its own user, which must reach its folder: the servers
  // live in a fresh folder under the system temp directory; only secrets/ in it is private.
  const serversDir = mkdtempSync(path.join(tmpdir(), 'weft-demo-'));
  chmodSync(serversDir, 0o755);
  const secrets = path.join(serversDir, 'secrets');
  mkdirSync(secrets, { mode: 0o700 });
  const servers: LocalServer[] = [];
  const stopAll = async (): Promise<void> => {
    for (const server of servers.reverse()) {
      await server.stop();
    }
    servers.length = 0;
    rmSync(serversDir, { recursive: true, force: true });
  };

  try {
    step('Starting Mosquitto (TLS, no anonymous clients) and replaying device traffic');
    const broker = await startMosquitto(path.join(serversDir, 'mosquitto'));
    servers.push(broker);
    const publisher = await mqtt.connectAsync(broker.url, {
      username: broker.publisher.username,
      password: broker.publisher.password,
      clientId: 'weft-demo-replay',
    });
    const replayAbort = new AbortController();
    const corpusFiles = readdirSync(mqttCorpus)
      .filter((file) => file.endsWith('.jsonl'))
      .map((file) => path.join(mqttCorpus, file));
    const replay = replayCorpus(publisher, corpusFiles, {
      prefix: 'site',
      loop: true,
      ratePerSecond: 40,
      signal: replayAbort.signal,
    }).catch((error: unknown) => {
      process.stderr.write(
        `replay stopped: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 0;
    });
    servers.push({
      name: 'replay',
      child: broker.child,
      stop: async () => {
        replayAbort.abort();
        await replay;
        await publisher.endAsync();
      },
    });
    process.stdout.write(
      `    broker ${broker.tlsUrl}, replaying ${corpusFiles.length} capture files under site/\n`,
    );

    step('Starting InfluxDB 1.x (authentication on) and writing two days of measurements');
    const influx = await startInfluxdb(path.join(serversDir, 'influxdb'), 'site');
    servers.push(influx);
    // Two days back, on a whole hour, so 15-minute and hourly windows line up with the points.
    const seriesStart = new Date(Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000);
    const written = await writeDemoData(
      influx.url,
      'site',
      { kind: 'basic', ...influx.admin },
      { days: 2, startTime: seriesStart, createDatabase: false },
    );
    process.stdout.write(
      `    ${influx.url}, ${Object.values(written.points).reduce((sum, count) => sum + count, 0)} points in ${Object.keys(written.points).length} measurements\n`,
    );

    step('Starting PostgreSQL (TLS) with the lab tables: assets, batches and samples');
    const postgres = await startPostgres(path.join(serversDir, 'postgresql'));
    servers.push(postgres);
    const labAdmin = await postgres.adminClient('lab');
    let lab: FabricDemoSummary;
    try {
      lab = await writeFabricDemoData(labAdmin, {
        schema: 'lab',
        startTime: seriesStart,
        days: 2,
        readerRole: postgres.reader.username,
      });
    } finally {
      await labAdmin.end();
    }
    process.stdout.write(
      `    ${postgres.url}, ${lab.assets} assets, ${lab.batches} batches, ${lab.samples} samples\n`,
    );

    step('Starting an OPC UA server with the Machinery NodeSet and a simulated bioreactor');
    const opcuaPassword = randomPassword();
    const opcua = await startOpcuaTestServer({
      nodesetFiles: [nodeset],
      withSimulatedValues: true,
      users: { username: 'weft', password: opcuaPassword },
    });
    servers.push({ name: 'opcua', child: broker.child, stop: opcua.stop });
    process.stdout.write(`    ${opcua.endpointUrl}\n`);

    step('Starting Weft on its embedded database');
    const port = options.port ?? (await freePort());
    const config = loadConfig({
      WEFT_HTTP_PORT: String(port),
      WEFT_BASE_URL: `http://127.0.0.1:${port}`,
      WEFT_DATA_DIR: path.join(options.dir, 'catalog'),
      // The demo's data is made up, so it is published; a real site starts at "site".
      WEFT_DEFAULT_ACCESS_LEVEL: 'public',
      WEFT_HARVEST_ON_START: 'false',
      WEFT_CATALOG_TITLE: 'Weft demo site',
      WEFT_PUBLISHER_NAME: 'Weft demo',
    });
    const app = await createApp(config, new JsonLogger('warn', 'pretty'), {
      shutdownHooks: false,
    });
    await app.listen(port, '127.0.0.1');
    servers.push({ name: 'weft', child: broker.child, stop: async () => app.close() });

    const sources = app.get(SourcesService);
    await sources.upsert({
      id: 'site-broker',
      kind: 'mqtt',
      title: 'Site MQTT broker',
      place: 'Demo building',
      url: broker.tlsUrl,
      caFile: broker.caFile,
      username: broker.reader.username,
      password: { file: writeSecret(secrets, 'mqtt-reader', broker.reader.password) },
      topics: ['site/#'],
      observeSeconds: 8,
      intervalSeconds: 300,
      enabled: true,
    });
    await sources.upsert({
      id: 'bioreactor-plc',
      kind: 'opcua',
      title: 'Bioreactor PLC',
      place: 'Lab 2',
      endpointUrl: opcua.endpointUrl,
      securityMode: 'None',
      securityPolicy: 'None',
      username: 'weft',
      password: { file: writeSecret(secrets, 'opcua', opcuaPassword) },
      maxNodes: 5000,
      intervalSeconds: 300,
      enabled: true,
    });
    await sources.upsert({
      id: 'machinery-model',
      kind: 'opcua-nodeset',
      title: 'OPC UA Machinery model (NodeSet)',
      files: [nodeset],
      intervalSeconds: 0,
      enabled: true,
    });
    await sources.upsert({
      id: 'site-influxdb',
      kind: 'influxdb-v1',
      title: 'Site InfluxDB',
      place: 'Demo building',
      url: influx.url,
      username: influx.reader.username,
      password: { file: writeSecret(secrets, 'influx-reader', influx.reader.password) },
      databases: ['site'],
      intervalSeconds: 300,
      enabled: true,
    });

    await sources.upsert({
      id: 'lab-postgres',
      kind: 'postgresql',
      title: 'Lab database',
      place: 'Lab 2',
      url: postgres.url,
      password: { file: writeSecret(secrets, 'postgres-reader', postgres.reader.password) },
      caFile: postgres.caFile,
      schemas: ['lab'],
      maxTables: 100,
      intervalSeconds: 300,
      enabled: true,
    });

    step('Harvesting every source (the MQTT harvester listens for 8 s)');
    const runs = await app.get(HarvestService).runAll('demand', 'demo');
    const all = await sources.list();
    for (const run of runs) {
      const source = all.find((candidate) => candidate.id === run.sourceId);
      process.stdout.write(
        `    ${(source?.sourceKey ?? '?').padEnd(16)} ${run.status.padEnd(9)} ${String(run.datasetsCreated).padStart(3)} datasets, ${run.issues.length} issues   provenance: ${run.pid}\n`,
      );
    }

    const base = `http://127.0.0.1:${port}`;
    const search = (await (
      await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query:
            '{ searchDatasets(input: { text: "temperature" }, first: 3) { totalCount nodes { id title units } } }',
        }),
      })
    ).json()) as {
      data?: {
        searchDatasets: {
          totalCount: number;
          nodes: Array<{ id: string; title: string; units: string[] }>;
        };
      };
    };
    const found = search.data?.searchDatasets;

    step('Weft is running');
    process.stdout.write(
      [
        `    Catalog home page:  ${base}/`,
        `    GraphQL endpoint:   ${base}/graphql`,
        `    DCAT catalog:       ${base}/catalog`,
        found !== undefined && found.nodes[0] !== undefined
          ? `    A landing page:     ${found.nodes[0].id}`
          : '',
        '',
        `    ${found?.totalCount ?? 0} datasets mention "temperature"; for example:`,
        ...(found?.nodes ?? []).map(
          (node) => `      ${node.title} [${node.units.join(', ')}]  ${node.id}`,
        ),
        '',
        '    Try a search with facets:',
        `      curl -s ${base}/graphql -H 'content-type: application/json' \\`,
        `        -d '{"query":"{ searchDatasets(input: {text: \\"power\\"}) { totalCount facets(names: [UNIT, SOURCE]) { name values { value count } } nodes { id title units licence { id } provenance { id startedAt } } } }"}'`,
        '',
        `    JSON-LD of a dataset:  curl -s -H 'Accept: application/ld+json' <landing page URL>`,
        '',
      ].join('\n') + '\n',
    );

    const ok = runs.every((run) => run.status !== 'failed');
    if (options.once) {
      await stopAll();
      return ok ? 0 : 1;
    }
    process.stdout.write('    Press Ctrl+C to stop the demo and its servers.\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await stopAll();
    return 0;
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
