import { readFileSync } from 'node:fs';
import path from 'node:path';

import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';

import { HarvestService } from '../../src/harvest/harvest.service';
import { CatalogService } from '../../src/catalog/catalog.service';
import { SourcesService } from '../../src/sources/sources.service';
import { ANONYMOUS } from '../../src/auth/viewer';
import { loadTestEnv } from '../env/load-env';
import { corpusDir } from '../support/corpus';
import { freeLoopbackPort } from '../support/ports';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

// Harvest runs end to end: a real Mosquitto broker, a real NodeSet file,
// and two sources that are down (a closed InfluxDB port and a closed OPC UA
// port). The sources that work must be catalogued, the ones that do not
// must fail their own runs only, with the reason, and be retried.
describe('harvest service', () => {
  let harness: TestApp;
  let publisher: MqttClient;
  const prefix = `harvest-${Date.now()}`;

  beforeAll(async () => {
    const env = loadTestEnv();
    process.env.WEFT_TEST_READER_SECRET = env.WEFT_TEST_MQTT_READER_PASSWORD;
    harness = await startTestApp({ WEFT_DEFAULT_ACCESS_LEVEL: 'public' });

    publisher = await mqtt.connectAsync(env.WEFT_TEST_MQTT_URL, {
      username: env.WEFT_TEST_MQTT_USERNAME,
      password: env.WEFT_TEST_MQTT_PASSWORD,
      clientId: `weft-test-publisher-${process.pid}`,
    });
    await publisher.publishAsync(`${prefix}/kitchen/temperature`, '21.5', { retain: true, qos: 1 });
    await publisher.publishAsync(
      `${prefix}/kitchen/state`,
      JSON.stringify({ temperature: 21.5, humidity: 48, battery: 97 }),
      { retain: true, qos: 1 },
    );

    const sources = harness.app.get(SourcesService);
    await sources.upsert({
      id: 'site-broker',
      kind: 'mqtt',
      title: 'Site broker',
      url: env.WEFT_TEST_MQTTS_URL,
      caFile: env.WEFT_TEST_MQTT_CA_FILE,
      username: env.WEFT_TEST_MQTT_READER_USERNAME,
      password: { env: 'WEFT_TEST_READER_SECRET' },
      topics: [`${prefix}/#`],
      observeSeconds: 2,
      intervalSeconds: 0,
      enabled: true,
    });
    await sources.upsert({
      id: 'machinery-model',
      kind: 'opcua-nodeset',
      title: 'Machinery NodeSet',
      files: [path.join(corpusDir(), 'opcua/machinery_identification_subset.NodeSet2.xml')],
      intervalSeconds: 0,
      enabled: true,
    });
    await sources.upsert({
      id: 'influx-down',
      kind: 'influxdb-v1',
      title: 'InfluxDB that is down',
      url: `http://127.0.0.1:${await freeLoopbackPort()}`,
      databases: [],
      intervalSeconds: 3600,
      enabled: true,
    });
    await sources.upsert({
      id: 'plc-down',
      kind: 'opcua',
      title: 'PLC that is down',
      endpointUrl: `opc.tcp://127.0.0.1:${await freeLoopbackPort()}`,
      securityMode: 'None',
      securityPolicy: 'None',
      maxNodes: 100,
      intervalSeconds: 3600,
      enabled: true,
    });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await harness?.close();
    delete process.env.WEFT_TEST_READER_SECRET;
  });

  it('one failing source does not stop the others', async () => {
    const runs = await harness.app.get(HarvestService).runAll('demand', 'test');
    const byHarvester = Object.fromEntries(runs.map((run) => [run.harvester.split('/')[0], run]));

    const statuses = runs.map((run) => run.status).sort();
    expect(statuses).toEqual(['failed', 'failed', 'succeeded', 'succeeded']);

    const broker = runs.find((run) => run.prov['rdfs:label'] === 'Harvest of Site broker');
    expect(broker?.status).toBe('succeeded');
    expect(broker?.datasetsCreated).toBe(2);

    const influx = runs.find(
      (run) => run.prov['rdfs:label'] === 'Harvest of InfluxDB that is down',
    );
    expect(influx?.status).toBe('failed');
    expect(influx?.error).toContain('127.0.0.1');
    expect(Object.keys(byHarvester).length).toBeGreaterThan(0);
  });

  it('run is recorded as a PROV-O activity', async () => {
    const page = await harness.app.get(CatalogService).harvestRuns(null, 20, null);
    const run = page.items.find((item) => item.prov['rdfs:label'] === 'Harvest of Site broker');
    const source = await harness.app.get(SourcesService).findByKey('site-broker');

    expect(run).toBeDefined();
    const prov = run!.prov;
    expect(prov['@id']).toBe(run!.pid);
    expect(prov['@type']).toEqual(['prov:Activity', 'weft:HarvestRun']);
    expect(prov['prov:used']).toBe(source!.pid);
    expect((prov['prov:generated'] as string[]).length).toBe(2);
    const agents = prov['prov:wasAssociatedWith'] as Array<Record<string, unknown>>;
    expect(agents[0]['@type']).toBe('prov:SoftwareAgent');
    expect(String(agents[0]['rdfs:label'])).toMatch(/^weft-mqtt-harvester\/\d+\.\d+\.\d+$/);
    expect(agents[1]).toEqual({ '@id': 'urn:weft:account:test', '@type': 'prov:Person' });
  });

  it('harvested topics are searchable with their schema', async () => {
    const page = await harness.app
      .get(CatalogService)
      .searchDatasets({ text: `${prefix} kitchen state` }, ANONYMOUS, 10, null);

    expect(page.totalCount).toBe(1);
    const dataset = page.items[0];
    expect(dataset.naturalKey).toBe(`${prefix}/kitchen/state`);
    const properties = await harness.app.get(CatalogService).propertiesOf(dataset.id);
    expect(properties.map((property) => property.name)).toEqual([
      'battery',
      'humidity',
      'temperature',
    ]);
  });

  it('second run finds nothing new', async () => {
    const run = await harness.app.get(HarvestService).runNow('site-broker', 'demand', 'test');

    expect(run.status).toBe('succeeded');
    expect(run.datasetsCreated).toBe(0);
    expect(run.datasetsUpdated).toBe(0);
    expect(run.datasetsUnchanged).toBe(2);
  });

  it('failed source is retried with backoff and counts attempts', async () => {
    await harness.app.get(HarvestService).runNow('influx-down', 'demand', 'test');
    const source = await harness.app.get(SourcesService).findByKey('influx-down');
    const runs = (await harness.app.get(CatalogService).harvestRuns(source!.id, 50, null)).items;

    // The scheduler may have retried on its own in between: attempts count up from 0 without gaps.
    const attempts = runs.map((run) => run.attempt).reverse();
    expect(attempts).toEqual(attempts.map((_, index) => index));
    expect(runs.every((run) => run.status === 'failed')).toBe(true);

    const retryLogs = harness.logs.filter(
      (line) =>
        line.msg === 'harvest failed, retrying with backoff' && line.sourceId === 'influx-down',
    );
    expect(retryLogs.length).toBe(runs.length);
    for (const line of retryLogs) {
      // 5 s doubled per consecutive failure, with 20 % jitter either way.
      const expected = 5000 * 2 ** (Number(line.failures) - 1);
      expect(Number(line.retryInMs)).toBeGreaterThanOrEqual(expected * 0.8);
      expect(Number(line.retryInMs)).toBeLessThanOrEqual(expected * 1.2);
    }
  });

  it('logs name runs and sources but never a password', async () => {
    const env = loadTestEnv();
    const all = harness.logs.map((line) => JSON.stringify(line)).join('\n');

    expect(all).not.toContain(env.WEFT_TEST_MQTT_READER_PASSWORD);
    const ended = harness.logs.filter((line) => line.msg === 'harvest run ended');
    expect(ended.length).toBeGreaterThanOrEqual(6);
    for (const line of ended) {
      expect(typeof line.runPid).toBe('string');
      expect(typeof line.sourceId).toBe('string');
    }
  });

  it('the NodeSet source is catalogued offline', async () => {
    const runs = await harness.app.get(CatalogService).harvestRuns(null, 50, null);
    const nodeset = runs.items.find(
      (item) => item.prov['rdfs:label'] === 'Harvest of Machinery NodeSet',
    );

    expect(nodeset?.status).toBe('succeeded');
    expect(nodeset!.datasetsCreated).toBeGreaterThan(0);
    expect(
      readFileSync(
        path.join(corpusDir(), 'opcua/machinery_identification_subset.NodeSet2.xml'),
        'utf8',
      ),
    ).toContain('UANodeSet');
  });
});
