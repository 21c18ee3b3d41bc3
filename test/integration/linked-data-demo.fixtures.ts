import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import type { INestApplication } from '@nestjs/common';
import { connectAsync } from 'mqtt';
import type { MqttClient } from 'mqtt';

import { ANONYMOUS } from '../../src/auth/viewer';
import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { CatalogService } from '../../src/catalog/catalog.service';
import type { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import { HarvestService } from '../../src/harvest/harvest.service';
import { InfluxqlClient } from '../../src/harvest/influx/influxql-client';
import type { InfluxqlAuth } from '../../src/harvest/influx/influxql-client';
import { quoteIdentifier } from '../../src/harvest/influx/influxql-quote';
import { readCorpusFile, replayCorpus, withTopicPrefix } from '../../src/harvest/mqtt/replay';
import type { HarvestRunEntity } from '../../src/provenance/harvest-run.entity';
import { LicencesService } from '../../src/licences/licences.service';
import { SourcesService } from '../../src/sources/sources.service';
import { writeDemoData } from '../../scripts/influx-demo-data';
import { loadTestEnv } from '../env/load-env';
import { corpusDir } from '../support/corpus';
import { STEWARD } from './linked-data.fixtures';

/** The MQTT captures the demo replays: Zigbee2MQTT, Tasmota, Shelly, ESPHome and Home Assistant traffic. */
const MQTT_CAPTURES = [
  'esphome.jsonl',
  'ha_discovery.jsonl',
  'shelly_gen2_rpc.jsonl',
  'tasmota_sensor.jsonl',
  'tasmota_state_lwt.jsonl',
  'z2m_bridge_and_availability.jsonl',
  'z2m_device_states.jsonl',
];
const NODESET = 'opcua/machinery_identification_subset.NodeSet2.xml';

/** Environment variables the sources read their passwords from, as a site's secrets would be. */
const MQTT_PASSWORD_VARIABLE = 'WEFT_TEST_DEMO_MQTT_SECRET';
const INFLUX_PASSWORD_VARIABLE = 'WEFT_TEST_DEMO_INFLUX_SECRET';

/** A catalog filled the way the demo fills it, and how to clean up after it. */
export interface DemoCatalog {
  runs: HarvestRunEntity[];
  /** Active datasets anonymous viewers may read, oldest first. */
  publicDatasets: DatasetEntity[];
  /** Datasets that got CC-BY-4.0 from a steward. */
  licensed: DatasetEntity[];
  /** The dataset a steward restricted to signed-in researchers. */
  siteOnly: DatasetEntity;
  /** The dataset a steward withdrew. */
  withdrawn: DatasetEntity;
  cleanUp(): Promise<void>;
}

/**
 * Fill a catalog the way the demo does, through the real harvesters and
 * services: the MQTT captures are replayed into the test Mosquitto and
 * harvested over TLS, the OPC UA Machinery NodeSet is imported, and the
 * demo's InfluxDB measurements are written to a throwaway database of the
 * test InfluxDB and harvested. Then a steward curates it as a site would:
 * licences on some datasets, one dataset restricted to the site, one
 * withdrawn. The application must run with WEFT_DEFAULT_ACCESS_LEVEL=public.
 */
export async function seedDemoCatalog(app: INestApplication): Promise<DemoCatalog> {
  const env = loadTestEnv();
  const prefix = `weft-demo/${randomUUID().slice(0, 8)}`;
  const database = `weft_demo_${randomUUID().slice(0, 8)}`;
  const adminAuth: InfluxqlAuth = {
    kind: 'basic',
    username: env.WEFT_TEST_INFLUX_ADMIN_USERNAME,
    password: env.WEFT_TEST_INFLUX_ADMIN_PASSWORD,
  };
  const influx = new InfluxqlClient({ url: env.WEFT_TEST_INFLUX_URL, auth: adminAuth });
  const signal = new AbortController().signal;
  const files = MQTT_CAPTURES.map((file) => path.join(corpusDir(), 'mqtt', file));

  process.env[MQTT_PASSWORD_VARIABLE] = env.WEFT_TEST_MQTT_READER_PASSWORD;
  process.env[INFLUX_PASSWORD_VARIABLE] = env.WEFT_TEST_INFLUX_PASSWORD;
  const publisher = await connectAsync(env.WEFT_TEST_MQTT_URL, {
    username: env.WEFT_TEST_MQTT_USERNAME,
    password: env.WEFT_TEST_MQTT_PASSWORD,
    clientId: `weft-demo-publisher-${randomUUID().slice(0, 8)}`,
  });

  const cleanUp = async (): Promise<void> => {
    await clearRetained(publisher, files, prefix);
    await publisher.endAsync();
    await influx.query(`DROP DATABASE ${quoteIdentifier(database)}`, { method: 'POST', signal });
    delete process.env[MQTT_PASSWORD_VARIABLE];
    delete process.env[INFLUX_PASSWORD_VARIABLE];
  };

  try {
    await writeDemoData(env.WEFT_TEST_INFLUX_URL, database, adminAuth, {
      days: 0.25,
      startTime: new Date('2026-01-05T00:00:00Z'),
      signal,
    });
    await influx.query(
      `GRANT READ ON ${quoteIdentifier(database)} TO ${quoteIdentifier(env.WEFT_TEST_INFLUX_USERNAME)}`,
      { method: 'POST', signal },
    );
    // Retained messages wait on the broker for the harvester, as they do on a real site.
    await replayCorpus(publisher, files, { prefix, ratePerSecond: 1_000 });

    await registerSources(app, env, prefix, database);
    const runs = await harvestAll(app, publisher, files, prefix);
    const curated = await curate(app);
    return { runs, ...curated, cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function registerSources(
  app: INestApplication,
  env: ReturnType<typeof loadTestEnv>,
  prefix: string,
  database: string,
): Promise<void> {
  const sources = app.get(SourcesService);
  await sources.upsert({
    id: 'site-broker',
    kind: 'mqtt',
    title: 'Site MQTT broker',
    place: 'Demo building',
    url: env.WEFT_TEST_MQTTS_URL,
    caFile: env.WEFT_TEST_MQTT_CA_FILE,
    username: env.WEFT_TEST_MQTT_READER_USERNAME,
    password: { env: MQTT_PASSWORD_VARIABLE },
    topics: [`${prefix}/#`],
    observeSeconds: 3,
    intervalSeconds: 0,
    enabled: true,
  });
  await sources.upsert({
    id: 'machinery-model',
    kind: 'opcua-nodeset',
    title: 'OPC UA Machinery model (NodeSet)',
    files: [path.join(corpusDir(), NODESET)],
    intervalSeconds: 0,
    enabled: true,
  });
  await sources.upsert({
    id: 'site-influxdb',
    kind: 'influxdb-v1',
    title: 'Site InfluxDB',
    place: 'Demo building',
    url: env.WEFT_TEST_INFLUX_URL,
    username: env.WEFT_TEST_INFLUX_USERNAME,
    password: { env: INFLUX_PASSWORD_VARIABLE },
    databases: [database],
    intervalSeconds: 0,
    enabled: true,
  });
}

/** Harvest every source once; the broker gets the captures again while the harvester listens. */
async function harvestAll(
  app: INestApplication,
  publisher: MqttClient,
  files: string[],
  prefix: string,
): Promise<HarvestRunEntity[]> {
  const harvests = app.get(HarvestService);
  const broker = harvests.runNow('site-broker', 'demand', 'fixture');
  await delay(1_000);
  await replayCorpus(publisher, files, { prefix, ratePerSecond: 500 });
  const runs = [
    await broker,
    await harvests.runNow('machinery-model', 'demand', 'fixture'),
    await harvests.runNow('site-influxdb', 'demand', 'fixture'),
  ];
  const failed = runs.filter((run) => run.status === 'failed');
  if (failed.length > 0) {
    throw new Error(`demo harvest failed: ${failed.map((run) => run.error).join('; ')}`);
  }
  return runs;
}

/** Curate as a steward: CC-BY-4.0 on every third dataset, one dataset restricted to the site, one withdrawn. */
async function curate(app: INestApplication): Promise<Omit<DemoCatalog, 'runs' | 'cleanUp'>> {
  const catalog = app.get(CatalogService);
  const licences = app.get(LicencesService);
  const all = await allPublicDatasets(catalog);
  if (all.length < 10) {
    throw new Error(`the demo harvest catalogued ${all.length} datasets; expected at least 10`);
  }

  const licensed: DatasetEntity[] = [];
  for (const [index, dataset] of all.entries()) {
    if (index % 3 === 0) {
      licensed.push(
        await licences.assign(
          dataset.pid,
          { licenceId: 'CC-BY-4.0' },
          'Demo site operator',
          'open data of the demo site',
          STEWARD,
        ),
      );
    }
  }
  const siteOnly = await licences.setAccessLevel(
    all[1].pid,
    'site',
    'lab data stays on site',
    STEWARD,
  );
  const withdrawn = await app
    .get(CatalogWriterService)
    .withdrawByPid(all[2].pid, 'sensor removed', STEWARD);

  return {
    publicDatasets: await allPublicDatasets(catalog),
    licensed,
    siteOnly,
    withdrawn,
  };
}

async function allPublicDatasets(catalog: CatalogService): Promise<DatasetEntity[]> {
  const datasets: DatasetEntity[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await catalog.searchDatasets({}, ANONYMOUS, 100, after);
    datasets.push(...page.items);
    if (!page.hasNextPage) {
      break;
    }
    after = page.endCursor;
  }
  return datasets.sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
}

/** Remove the retained messages the replay left on the shared test broker. */
async function clearRetained(
  publisher: MqttClient,
  files: string[],
  prefix: string,
): Promise<void> {
  const retained = files
    .flatMap((file) => readCorpusFile(file))
    .filter((message) => message.retain)
    .map((message) => withTopicPrefix(message, prefix).topic);
  for (const topic of new Set(retained)) {
    await publisher.publishAsync(topic, '', { retain: true, qos: 1 });
  }
}
