import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { connectAsync } from 'mqtt';
import type { MqttClient } from 'mqtt';

import type {
  HarvestedDataset,
  HarvestedProperty,
  HarvestSnapshot,
} from '../../src/harvest/harvest.types';
import { MqttHarvester } from '../../src/harvest/mqtt/mqtt.harvester';
import { datasetFacts } from '../../src/harvest/mqtt/offline-observation';
import { readCorpusFile, replayCorpus, withTopicPrefix } from '../../src/harvest/mqtt/replay';
import type { MqttSourceConfig } from '../../src/sources/source-config.types';
import { loadTestEnv } from '../env/load-env';

/**
 * Replays the MQTT corpus into the test Mosquitto (started by
 * scripts/test-env/up.sh) and harvests it with the read-only account over
 * TLS. Each run publishes under its own topic prefix, so runs never see each
 * other's retained messages.
 */

const env = loadTestEnv();
const CORPUS_DIR = process.env.WEFT_CORPUS_DIR ?? path.resolve(__dirname, '../../../shared/corpus');
const FILES = [
  'esphome.jsonl',
  'ha_discovery.jsonl',
  'shelly_gen2_rpc.jsonl',
  'tasmota_sensor.jsonl',
  'tasmota_state_lwt.jsonl',
  'z2m_bridge_and_availability.jsonl',
  'z2m_device_states.jsonl',
].map((file) => path.join(CORPUS_DIR, 'mqtt', file));

const PREFIX = `weft-it/${randomUUID().slice(0, 8)}`;
const PASSWORD_VARIABLE = 'WEFT_IT_MQTT_READER_PASSWORD';

/** Per-test limit: jest's testTimeout does not reach tests inside a project, so each test passes its own. */
const TEST_TIMEOUT_MS = 60_000;

function sourceConfig(): MqttSourceConfig {
  return {
    id: 'it-broker',
    kind: 'mqtt',
    url: env.WEFT_TEST_MQTTS_URL,
    username: env.WEFT_TEST_MQTT_READER_USERNAME,
    password: { env: PASSWORD_VARIABLE },
    caFile: env.WEFT_TEST_MQTT_CA_FILE,
    topics: [`${PREFIX}/#`],
    observeSeconds: 3,
    intervalSeconds: 0,
    enabled: true,
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    }
    await delay(50);
  }
}

function find(snapshot: HarvestSnapshot, topic: string): HarvestedDataset {
  const dataset = snapshot.datasets.find((candidate) => candidate.key === `${PREFIX}/${topic}`);
  if (dataset === undefined) {
    throw new Error(`no dataset for ${PREFIX}/${topic}`);
  }
  return dataset;
}

function integer(
  name: string,
  minimum: number,
  maximum: number,
  observedCount: number,
  quantityKind?: string,
): HarvestedProperty {
  return { name, datatypes: ['xsd:integer'], observedCount, minimum, maximum, quantityKind };
}

function double(
  name: string,
  minimum: number,
  maximum: number,
  observedCount: number,
  quantityKind?: string,
): HarvestedProperty {
  return { name, datatypes: ['xsd:double'], observedCount, minimum, maximum, quantityKind };
}

describe('MqttHarvester against Mosquitto', () => {
  let publisher: MqttClient;
  let harvester: MqttHarvester;
  let snapshot: HarvestSnapshot;

  beforeAll(async () => {
    process.env[PASSWORD_VARIABLE] = env.WEFT_TEST_MQTT_READER_PASSWORD;
    publisher = await connectAsync(env.WEFT_TEST_MQTT_URL, {
      username: env.WEFT_TEST_MQTT_USERNAME,
      password: env.WEFT_TEST_MQTT_PASSWORD,
      clientId: `weft-it-publisher-${randomUUID().slice(0, 8)}`,
    });

    // First pass before the harvester subscribes: only the retained messages stay for it.
    await replayCorpus(publisher, FILES, { prefix: PREFIX, ratePerSecond: 1_000 });

    harvester = new MqttHarvester(sourceConfig());
    harvester.start();
    await waitFor(
      () => harvester.connectionStatus()?.subscribedAt !== undefined,
      'the harvester has subscribed',
    );

    // Second pass while it listens: every message arrives live.
    const harvest = harvester.harvest(new AbortController().signal);
    await replayCorpus(publisher, FILES, { prefix: PREFIX, ratePerSecond: 500 });
    await publisher.publishAsync(
      `${PREFIX}/raw/camera`,
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]),
      { qos: 1 },
    );
    snapshot = await harvest;
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await harvester?.close();
    // Remove the retained messages this run left behind.
    const retained = FILES.flatMap((file) => readCorpusFile(file)).filter(
      (message) => message.retain,
    );
    for (const message of retained) {
      await publisher.publishAsync(withTopicPrefix(message, PREFIX).topic, Buffer.alloc(0), {
        qos: 1,
        retain: true,
      });
    }
    await publisher?.endAsync();
    delete process.env[PASSWORD_VARIABLE];
  }, TEST_TIMEOUT_MS);

  it('describes the source and never claims completeness', () => {
    expect(snapshot.sourceId).toBe('it-broker');
    expect(snapshot.sourceKind).toBe('mqtt');
    expect(snapshot.harvester).toBe('weft-mqtt-harvester/0.1.0');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.sourceDetails).toMatchObject({
      brokerUrl: env.WEFT_TEST_MQTTS_URL,
      protocolVersion: 'MQTT 5',
      connected: true,
      reconnects: 0,
      topicFilters: [`${PREFIX}/#`],
    });
  });

  it('has one dataset per topic, without configurations and bridge topics', () => {
    const keys = snapshot.datasets.map((dataset) => dataset.key);

    expect(keys).toHaveLength(46);
    expect(keys.every((key) => key.startsWith(`${PREFIX}/`))).toBe(true);
    expect(keys.some((key) => key.endsWith('/config'))).toBe(false);
    expect(keys.some((key) => key.includes('/zigbee2mqtt/bridge/'))).toBe(false);
  });

  it('reports only the corpus problems', () => {
    const issues = [...snapshot.issues].sort((left, right) =>
      left.subject.localeCompare(right.subject),
    );

    expect(issues).toEqual([
      {
        severity: 'warning',
        subject: `${PREFIX}/ebusd/hmu/EnergyIntegral`,
        message: `discovery configuration ${PREFIX}/homeassistant/sensor/ebusd_hmu_EnergyIntegral_integral/config gives the unit "°min" for integral.value, which has no UCUM code in Weft's unit table; the text is kept as the unit's source text`,
      },
      {
        severity: 'warning',
        subject: `${PREFIX}/homeassistant/<component>/<node>/config`,
        message:
          'invalid Home Assistant discovery configuration: the payload is a JSON string, not an object; an entity is deleted with a zero-length retained payload',
      },
      {
        severity: 'warning',
        subject: `${PREFIX}/Pracka_Zasuvka/tele/SENSOR`,
        message: `discovery configuration ${PREFIX}/homeassistant/sensor/0A0B0C_ENERGY_TotalStartTime/config gives the unit " " for ENERGY.TotalStartTime, which has no UCUM code in Weft's unit table; the text is kept as the unit's source text`,
      },
    ]);
  });

  it('applies ESPHome discovery to the state topic', () => {
    const dataset = find(snapshot, 'bedroom_environment/sensor/bedroom_gas/state');

    expect(datasetFacts(dataset)).toEqual({
      title: 'Bedroom Gas',
      format: 'esphome',
      role: 'state',
      retained: false,
      mediaType: 'text/plain',
      nonUtf8: false,
      properties: [
        {
          name: '$',
          datatypes: ['xsd:double'],
          observedCount: 1,
          anomalies: { nan: 1 },
          unit: 'Ohm',
          unitSourceText: '\u03a9',
          quantityKind: 'Resistance',
          label: 'Bedroom Gas',
        },
      ],
    });
    expect(dataset.details).toMatchObject({
      messageCount: 1,
      retainedMessageCount: 0,
      qos: [1],
      discoveryTopics: [`${PREFIX}/homeassistant/sensor/bedroom_environment/bedroom_gas/config`],
    });
    expect(dataset.distributions[0].accessUrl).toBe(
      `${env.WEFT_TEST_MQTTS_URL}/${PREFIX}/bedroom_environment/sensor/bedroom_gas/state`,
    );
  });

  it('sees a retained availability message first, then live ones', () => {
    const dataset = find(snapshot, 'bedroom_environment/status');

    expect(datasetFacts(dataset)).toEqual({
      title: `${PREFIX}/bedroom_environment status`,
      format: 'esphome',
      role: 'availability',
      retained: true,
      mediaType: 'text/plain',
      nonUtf8: false,
      properties: [
        { name: '$', datatypes: ['xsd:string'], observedCount: 2, enumValues: ['online'] },
      ],
    });
    expect(dataset.details).toMatchObject({ messageCount: 2, retainedMessageCount: 1 });
    expect(dataset.temporal?.start).toBeDefined();
  });

  it('merges one Zigbee2MQTT device from both files', () => {
    const dataset = find(
      snapshot,
      'zigbee2mqtt/Living Room temperature, humidity and pressure sensor',
    );

    expect(datasetFacts(dataset)).toEqual({
      title: 'Living Room temperature, humidity and pressure sensor',
      format: 'zigbee2mqtt',
      role: 'state',
      retained: false,
      mediaType: 'application/json',
      nonUtf8: false,
      properties: [
        integer('battery', 100, 100, 2, 'DimensionlessRatio'),
        double('humidity', 44.1, 44.43, 2, 'RelativeHumidity'),
        integer('linkquality', 152, 172, 2),
        integer('power_outage_count', 1616, 1616, 2),
        double('pressure', 957.4, 966.2, 2, 'Pressure'),
        double('temperature', 18.93, 20.74, 2, 'Temperature'),
        integer('voltage', 3015, 3025, 2, 'Voltage'),
      ],
    });
    expect(dataset.distributions[0].accessUrl).toBe(
      `${env.WEFT_TEST_MQTTS_URL}/${PREFIX}/zigbee2mqtt/Living%20Room%20temperature%2C%20humidity%20and%20pressure%20sensor`,
    );
    expect(Number(dataset.details.messagesPerMinute)).toBeGreaterThan(0);
  });

  it('declares a discovered topic that sent nothing', () => {
    const dataset = find(snapshot, 'zigbee2mqtt/weather_sensor');

    expect(datasetFacts(dataset)).toEqual({
      title: 'weather_sensor',
      format: 'zigbee2mqtt',
      role: 'state',
      retained: false,
      nonUtf8: false,
      description: 'Temperature and humidity sensor',
      device: {
        manufacturer: 'Aqara',
        model: 'WSDCGQ11LM',
        name: 'weather_sensor',
        identifiers: ['zigbee2mqtt_0x0017880000000001'],
      },
      properties: [
        {
          name: 'temperature',
          datatypes: [],
          observedCount: 0,
          unit: 'Cel',
          unitSourceText: '°C',
          quantityKind: 'Temperature',
        },
      ],
    });
    expect(dataset.details).toMatchObject({ declaredOnly: true, messageCount: 0 });
  });

  it('keeps Fahrenheit from the Tasmota TempUnit', () => {
    const temperature = find(snapshot, 'tele/shellyB/SENSOR').properties.find(
      (property) => property.name === 'ANALOG.Temperature',
    );

    expect(temperature).toEqual({
      name: 'ANALOG.Temperature',
      datatypes: ['xsd:double'],
      observedCount: 1,
      minimum: 100.1,
      maximum: 100.1,
      unit: '[degF]',
      unitSourceText: 'F',
      quantityKind: 'Temperature',
    });
  });

  it('counts the retained last will and both live values', () => {
    const dataset = find(snapshot, 'tele/<topic>/LWT');

    expect(datasetFacts(dataset)).toEqual({
      title: '<topic> LWT',
      format: 'tasmota',
      role: 'availability',
      retained: true,
      mediaType: 'text/plain',
      nonUtf8: false,
      properties: [
        {
          name: '$',
          datatypes: ['xsd:string'],
          observedCount: 3,
          enumValues: ['Offline', 'Online'],
        },
      ],
    });
    expect(dataset.details).toMatchObject({ messageCount: 3, retainedMessageCount: 1 });
    expect(dataset.distributions[0].accessUrl).toBe(
      `${env.WEFT_TEST_MQTTS_URL}/${PREFIX}/tele/%3Ctopic%3E/LWT`,
    );
  });

  it('recognises a Shelly status topic by its device', () => {
    const dataset = find(snapshot, 'shellies/plus1pm/status/sys');

    expect(dataset.title).toBe(`${PREFIX}/shellies/plus1pm status sys`);
    expect(dataset.format).toBe('shelly-gen2');
    expect(dataset.device).toEqual({
      manufacturer: 'Shelly',
      model: 'shellyplus1pm',
      name: 'shellyplus1pm-000000000002',
      identifiers: ['shellyplus1pm-000000000002'],
    });
    expect(dataset.properties.find((property) => property.name === 'ram_free')).toEqual({
      name: 'ram_free',
      datatypes: ['xsd:integer'],
      observedCount: 1,
      minimum: 156660,
      maximum: 156660,
      unit: 'B',
      quantityKind: 'InformationEntropy',
    });
  });

  it('flags a payload that is not UTF-8', () => {
    const dataset = find(snapshot, 'raw/camera');

    expect(datasetFacts(dataset)).toEqual({
      title: `${PREFIX}/raw/camera`,
      format: 'binary',
      role: 'state',
      retained: false,
      mediaType: 'application/octet-stream',
      nonUtf8: true,
      properties: [{ name: '$', datatypes: ['xsd:base64Binary'], observedCount: 1 }],
    });
  });

  it(
    'keeps earlier topics and adds new ones in the next harvest',
    async () => {
      await publisher.publishAsync(`${PREFIX}/late/topic`, '42', { qos: 0 });

      const next = await harvester.harvest(new AbortController().signal);

      expect(next.datasets).toHaveLength(47);
      expect(find(next, 'late/topic').properties).toEqual([integer('$', 42, 42, 1)]);
      expect(find(next, 'late/topic').details).toMatchObject({ qos: [0] });
      expect(find(next, 'bedroom_environment/status').details).toMatchObject({ messageCount: 2 });
    },
    TEST_TIMEOUT_MS,
  );
});
